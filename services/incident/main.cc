// tiquete-incident: `serve` (the default) or `migrate`. Wiring only: configuration, pools,
// directory client, store, service, outbox relay and server.
#include <cstdio>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/caller.h"
#include "common/config.h"
#include "common/events.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "common/redis.h"
#include "common/server.h"
#include "services/incident/cached_directory_client.h"
#include "services/incident/grpc_directory_client.h"
#include "services/incident/incident_management.h"
#include "services/incident/migrations.h"
#include "services/incident/service.h"
#include "services/incident/store.h"

namespace {

using namespace tiquete;  // NOLINT: wiring file

std::vector<Setting> Settings() {
  std::vector<Setting> settings = ServiceSettings("127.0.0.1:8483", "127.0.0.1:9483", "incident");
  settings.push_back(CallerKeySetting());
  settings.push_back({"TIQUETE_DIRECTORY_ADDR", "127.0.0.1:8481",
                      "directory service gRPC host:port", ValidateHostPort});
  settings.push_back({"TIQUETE_DIRECTORY_CACHE_MS", "10000",
                      "how long a directory record read for validation is reused (0: never); a "
                      "change in the directory is seen at most this much later",
                      ValidateDurationMs});
  settings.push_back({"TIQUETE_REOPEN_WINDOW_HOURS", "168",
                      "hours after resolution during which an incident may be reopened",
                      ValidatePositiveInt});
  settings.push_back({"TIQUETE_MAX_ATTACHMENT_BYTES", "10485760",
                      "largest attachment accepted, in bytes (at most 30 MiB: gRPC messages "
                      "are capped at 32 MiB)",
                      [](const std::string& v) {
                        if (auto problem = ValidatePositiveInt(v); !problem.empty()) {
                          return problem;
                        }
                        return std::stoll(v) > 30LL * 1024 * 1024
                                   ? std::string("must be at most 31457280")
                                   : std::string();
                      }});
  settings.push_back({"TIQUETE_PRIORITY_MATRIX", "123234345",
                      "priorities 1-5 for impact HIGH,MEDIUM,LOW (rows) × urgency HIGH,MEDIUM,LOW",
                      incident::PriorityMatrix::Validate});
  return settings;
}

absl::Status Migrate(const Config& config) {
  const std::string schema = config.Get("TIQUETE_DB_SCHEMA");
  try {
    auto conn = ConnectPg(config.Get("TIQUETE_DB_URL"), schema);
    return ApplyMigrations(
        *conn, schema, {{"common", &CommonMigrations()}, {"incident", &incident::Migrations()}});
  } catch (const std::exception& e) {
    return StatusFromPqxx(e);
  }
}

// Redis is healthy when a PING answers; the connection is kept and replaced when it breaks.
class RedisProbe {
 public:
  explicit RedisProbe(RedisAddress address) : address_(std::move(address)) {}
  absl::Status Check() {
    std::lock_guard lock(mu_);
    if (!conn_ || conn_->broken()) {
      auto conn = RedisConnection::Connect(address_, absl::Seconds(1), absl::Seconds(1));
      if (!conn.ok()) return conn.status();
      conn_ = *std::move(conn);
    }
    auto reply = conn_->Command({"PING"});
    return reply.ok() ? absl::OkStatus() : reply.status();
  }

 private:
  RedisAddress address_;
  std::mutex mu_;
  std::unique_ptr<RedisConnection> conn_;
};

}  // namespace

int main(int argc, char** argv) {
  PrepareProcess();
  Config config = Config::LoadOrExit(Settings(), argc, argv);
  log::Severity severity = log::Severity::kInfo;
  log::ParseSeverity(config.Get("TIQUETE_LOG_LEVEL"), &severity);
  log::Init("incident", severity);

  const std::vector<std::string>& args = config.args();
  const std::string command = args.empty() ? "serve" : args[0];
  if (args.size() > 1 || (command != "serve" && command != "migrate")) {
    std::fprintf(stderr, "usage: tiquete-incident [serve|migrate] [--flags]\n");
    return 2;
  }
  if (absl::Status s = Migrate(config); !s.ok()) {
    log::Error("migrations failed", {{"error", s.ToString()}});
    return 1;
  }
  if (command == "migrate") {
    log::Info("migrations applied");
    return 0;
  }

  auto signer = CallerSigner::FromHex(config.Get("TIQUETE_CALLER_KEY"));
  auto redis_address = ParseRedisAddress(config.Get("TIQUETE_REDIS_ADDR"));
  auto matrix = incident::PriorityMatrix::Parse(config.Get("TIQUETE_PRIORITY_MATRIX"));
  if (!signer.ok() || !redis_address.ok() || !matrix.ok()) {
    log::Error("invalid configuration");  // already validated by Config; kept as a guard
    return 2;
  }

  Metrics metrics("incident");
  if (absl::Status s = metrics.Serve(config.Get("TIQUETE_METRICS_ADDR")); !s.ok()) {
    log::Error("cannot serve metrics", {{"error", s.ToString()}});
    return 1;
  }
  PgPoolOptions pool_options;
  pool_options.url = config.Get("TIQUETE_DB_URL");
  pool_options.schema = config.Get("TIQUETE_DB_SCHEMA");
  pool_options.size = config.GetInt("TIQUETE_DB_POOL_SIZE");
  pool_options.acquire_timeout = config.GetMillis("TIQUETE_DB_POOL_TIMEOUT_MS");
  PgPool pool(pool_options, &metrics);

  incident::GrpcDirectoryClient remote_directory(
      incident::GrpcDirectoryClient::Connect(config.Get("TIQUETE_DIRECTORY_ADDR")), &*signer);
  const absl::Duration directory_ttl = config.GetMillis("TIQUETE_DIRECTORY_CACHE_MS");
  incident::CachedDirectoryClient cached_directory(&remote_directory, SystemClock::Get(),
                                                   directory_ttl);
  incident::DirectoryClient& directory =
      directory_ttl > absl::ZeroDuration()
          ? static_cast<incident::DirectoryClient&>(cached_directory)
          : remote_directory;
  incident::IncidentStore store(pool, SystemClock::Get());
  incident::IncidentOptions options;
  options.reopen_window = absl::Hours(config.GetInt("TIQUETE_REOPEN_WINDOW_HOURS"));
  options.max_attachment_bytes = config.GetInt("TIQUETE_MAX_ATTACHMENT_BYTES");
  options.matrix = *matrix;
  incident::IncidentManagement management(store, directory, SystemClock::Get(), options);
  incident::IncidentServiceImpl service(management, *signer);

  RelayOptions relay_options;
  relay_options.stream = StreamForService("incident");
  relay_options.producer = "incident";
  OutboxRelay relay(pool, *redis_address, relay_options, &metrics);
  RedisProbe redis_probe(*redis_address);

  ServerOptions server_options;
  server_options.service_name = "tiquete.incident.v1.IncidentService";
  server_options.listen_address = config.Get("TIQUETE_GRPC_ADDR");
  server_options.shutdown_grace = config.GetMillis("TIQUETE_SHUTDOWN_GRACE_MS");
  ServiceRunner runner(server_options, &metrics);
  runner.AddService(&service);
  runner.AddHealthProbe({"postgresql", [&] { return pool.Ping(); }});
  runner.AddHealthProbe({"redis", [&] { return redis_probe.Check(); }});
  runner.AddWorker({[&] { relay.Start(); }, [&] { relay.Stop(); }});
  return runner.Run();
}
