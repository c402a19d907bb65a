// tiquete-intake: the front door for every channel.
//   tiquete-intake [serve]   applies migrations, then serves gRPC until SIGTERM
//   tiquete-intake migrate   applies migrations and exits
#include <cstdio>
#include <cstdlib>
#include <string>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/numbers.h"
#include "common/caller.h"
#include "common/config.h"
#include "common/events.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "common/redis.h"
#include "common/server.h"
#include "services/intake/clients.h"
#include "services/intake/desk.h"
#include "services/intake/handoff_worker.h"
#include "services/intake/service.h"
#include "services/intake/store.h"

namespace {

using tiquete::Setting;

std::string ValidateThreshold(const std::string& v) {
  double d = 0;
  return absl::SimpleAtod(v, &d) && d > 0 && d <= 1 ? "" : "must be a number in (0, 1]";
}

std::vector<Setting> Settings() {
  auto settings = tiquete::ServiceSettings("127.0.0.1:8482", "127.0.0.1:9482", "intake");
  settings.push_back(tiquete::CallerKeySetting());
  settings.push_back({"TIQUETE_INCIDENT_ADDR", "127.0.0.1:8483", "incident service gRPC host:port",
                      tiquete::ValidateHostPort});
  settings.push_back({"TIQUETE_DIRECTORY_ADDR", "127.0.0.1:8481",
                      "directory service gRPC host:port", tiquete::ValidateHostPort});
  settings.push_back({"TIQUETE_DEDUP_THRESHOLD", "0.55",
                      "trigram similarity from which a message duplicates an earlier one",
                      ValidateThreshold});
  settings.push_back({"TIQUETE_DEDUP_WINDOW_HOURS", "24",
                      "how far apart a message and the one it duplicates may arrive",
                      tiquete::ValidatePositiveInt});
  settings.push_back({"TIQUETE_HANDOFF_RETRY_MS", "5000",
                      "how often pending hand-overs are retried (first back-off step)",
                      tiquete::ValidateDurationMs});
  settings.push_back({"TIQUETE_DIRECTORY_CACHE_MS", "10000",
                      "how long a category read from the directory is reused (0: never); a "
                      "change in the directory is seen at most this much later",
                      tiquete::ValidateDurationMs});
  settings.push_back({"TIQUETE_RULES_CACHE_TTL_MS", "30000",
                      "how long classification rules are cached", tiquete::ValidateDurationMs});
  return settings;
}

int Fail(const std::string& what, const std::string& error) {
  tiquete::log::Error(what, {{"error", error}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  tiquete::PrepareProcess();
  const tiquete::Config config = tiquete::Config::LoadOrExit(Settings(), argc, argv);
  tiquete::log::Severity severity = tiquete::log::Severity::kInfo;
  tiquete::log::ParseSeverity(config.Get("TIQUETE_LOG_LEVEL"), &severity);
  tiquete::log::Init("intake", severity);

  const auto& args = config.args();
  const std::string command = args.empty() ? "serve" : args[0];
  if (args.size() > 1 || (command != "serve" && command != "migrate")) {
    std::fprintf(stderr, "usage: tiquete-intake [serve|migrate]\n");
    return 2;
  }

  const std::string url = config.Get("TIQUETE_DB_URL");
  const std::string schema = config.Get("TIQUETE_DB_SCHEMA");
  try {
    auto conn = tiquete::ConnectPg(url, schema);
    absl::Status migrated = tiquete::ApplyMigrations(
        *conn, schema,
        {{"common", &tiquete::CommonMigrations()}, {"intake", &tiquete::intake::Migrations()}});
    if (!migrated.ok()) return Fail("migrations failed", migrated.ToString());
  } catch (const std::exception& e) {
    return Fail("cannot connect to PostgreSQL for migrations", e.what());
  }
  if (command == "migrate") {
    tiquete::log::Info("migrations applied", {{"schema", schema}});
    return 0;
  }

  auto signer = tiquete::CallerSigner::FromHex(config.Get("TIQUETE_CALLER_KEY"));
  if (!signer.ok()) return Fail("bad caller key", signer.status().ToString());
  auto redis = tiquete::ParseRedisAddress(config.Get("TIQUETE_REDIS_ADDR"));
  if (!redis.ok()) return Fail("bad Redis address", redis.status().ToString());

  tiquete::Metrics metrics("intake");
  if (absl::Status s = metrics.Serve(config.Get("TIQUETE_METRICS_ADDR")); !s.ok()) {
    return Fail("cannot serve metrics", s.ToString());
  }
  tiquete::PgPoolOptions pool_options;
  pool_options.url = url;
  pool_options.schema = schema;
  pool_options.size = config.GetInt("TIQUETE_DB_POOL_SIZE");
  pool_options.acquire_timeout = config.GetMillis("TIQUETE_DB_POOL_TIMEOUT_MS");
  tiquete::PgPool pool(pool_options, &metrics);
  tiquete::OutboxRelay relay(pool, *redis, {tiquete::StreamForService("intake"), "intake"},
                             &metrics);

  tiquete::intake::IncidentClient incidents(
      grpc::CreateChannel(config.Get("TIQUETE_INCIDENT_ADDR"), grpc::InsecureChannelCredentials()),
      *signer);
  tiquete::intake::DirectoryClient remote_directory(
      grpc::CreateChannel(config.Get("TIQUETE_DIRECTORY_ADDR"), grpc::InsecureChannelCredentials()),
      *signer);
  const absl::Duration directory_ttl = config.GetMillis("TIQUETE_DIRECTORY_CACHE_MS");
  tiquete::intake::CachedDirectoryGateway cached_directory(
      &remote_directory, tiquete::SystemClock::Get(), directory_ttl);
  tiquete::intake::DirectoryGateway& directory =
      directory_ttl > absl::ZeroDuration()
          ? static_cast<tiquete::intake::DirectoryGateway&>(cached_directory)
          : remote_directory;

  tiquete::intake::DeskOptions options;
  double threshold = 0.55;
  (void)absl::SimpleAtod(config.Get("TIQUETE_DEDUP_THRESHOLD"), &threshold);  // validated
  options.dedup.threshold = threshold;
  options.dedup.window = absl::Hours(config.GetInt("TIQUETE_DEDUP_WINDOW_HOURS"));
  options.retry_base = config.GetMillis("TIQUETE_HANDOFF_RETRY_MS");
  options.rules_ttl = config.GetMillis("TIQUETE_RULES_CACHE_TTL_MS");
  tiquete::intake::IntakeStore store(pool);
  tiquete::intake::IntakeDesk desk(store, incidents, directory, *tiquete::SystemClock::Get(),
                                   options);
  tiquete::intake::HandoffRetrier retrier(desk, options.retry_base, 20);
  tiquete::intake::IntakeServiceImpl service(desk, *signer);

  tiquete::ServiceRunner runner({"tiquete.intake.v1.IntakeService", config.Get("TIQUETE_GRPC_ADDR"),
                                 config.GetMillis("TIQUETE_SHUTDOWN_GRACE_MS")},
                                &metrics);
  runner.AddService(&service);
  runner.AddHealthProbe({"postgresql", [&pool] { return pool.Ping(); }});
  runner.AddHealthProbe({"redis", [address = *redis] {
                           auto conn = tiquete::RedisConnection::Connect(address, absl::Seconds(1),
                                                                         absl::Seconds(1));
                           if (!conn.ok()) return conn.status();
                           auto pong = (*conn)->Command({"PING"});
                           return pong.ok() ? absl::OkStatus() : pong.status();
                         }});
  runner.AddWorker({[&relay] { relay.Start(); }, [&relay] { relay.Stop(); }});
  runner.AddWorker({[&retrier] { retrier.Start(); }, [&retrier] { retrier.Stop(); }});
  return runner.Run();
}
