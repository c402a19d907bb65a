// tiquete-reporting: `serve` (the default), `migrate` or `replay`. Wiring only: configuration,
// pool, store, ingest loop, gauges and server.
//
// replay: stop `serve` first. It empties the read model, drops the "reporting" consumer group
// on every stream and reads each stream again from its first entry, then exits. The incident
// outbox keeps published rows for one day only, so the history a replay can rebuild is what
// the Redis streams still hold (XADD MAXLEN ~1,000,000 entries per stream by default).
#include <unistd.h>

#include <cstdio>
#include <memory>

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
#include "services/reporting/ingest.h"
#include "services/reporting/live_gauges.h"
#include "services/reporting/migrations.h"
#include "services/reporting/reports.h"
#include "services/reporting/service.h"
#include "services/reporting/store.h"

namespace {

using namespace tiquete;  // NOLINT: wiring file

std::string ValidateTimeZone(const std::string& v) {
  absl::TimeZone tz;
  return absl::LoadTimeZone(v, &tz) ? std::string() : "unknown time zone (IANA name expected)";
}

std::vector<Setting> Settings() {
  std::vector<Setting> s = ServiceSettings("127.0.0.1:8488", "127.0.0.1:9488", "reporting");
  s.push_back(CallerKeySetting());
  s.push_back({"TIQUETE_BACKLOG_MAX_WAIT_HOURS", "72",
               "an open incident older than this counts as over the backlog threshold",
               ValidatePositiveInt});
  s.push_back({"TIQUETE_REPORTING_TIME_ZONE", "America/Bogota",
               "time zone of report days and months", ValidateTimeZone});
  s.push_back({"TIQUETE_REPORTING_GAUGE_INTERVAL_MS", "30000",
               "how often the live Prometheus gauges are recomputed", ValidateDurationMs});
  s.push_back({"TIQUETE_REPORTING_BATCH", "500", "stream entries handled per transaction",
               ValidatePositiveInt});
  return s;
}

absl::Status Migrate(const Config& config) {
  const std::string schema = config.Get("TIQUETE_DB_SCHEMA");
  try {
    auto conn = ConnectPg(config.Get("TIQUETE_DB_URL"), schema);
    return ApplyMigrations(
        *conn, schema, {{"common", &CommonMigrations()}, {"reporting", &reporting::Migrations()}});
  } catch (const std::exception& e) {
    return StatusFromPqxx(e);
  }
}

int Replay(PgPool& pool, const RedisAddress& redis, const reporting::EventIngest& ingest, int batch,
           Metrics* metrics) {
  const absl::Time start = absl::Now();
  if (absl::Status s = reporting::DropConsumerGroups(redis); !s.ok()) {
    log::Error("cannot drop the reporting consumer groups", {{"error", s.ToString()}});
    return 1;
  }
  if (absl::Status s = reporting::TruncateReadModel(pool); !s.ok()) {
    log::Error("cannot empty the read model", {{"error", s.ToString()}});
    return 1;
  }
  reporting::IngestLoop loop(pool, redis, ingest, absl::StrCat("replay-", getpid()), metrics,
                             batch);
  auto n = loop.DrainUntilIdle();
  if (!n.ok()) {
    log::Error("replay failed", {{"error", n.status().ToString()}});
    return 1;
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  log::Info("replay done", {{"events", std::to_string(*n)},
                            {"seconds", absl::StrCat(seconds)},
                            {"events_per_second", absl::StrCat(seconds > 0 ? *n / seconds : 0)}});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  PrepareProcess();
  Config config = Config::LoadOrExit(Settings(), argc, argv);
  log::Severity severity = log::Severity::kInfo;
  log::ParseSeverity(config.Get("TIQUETE_LOG_LEVEL"), &severity);
  log::Init("reporting", severity);

  const std::vector<std::string>& args = config.args();
  const std::string command = args.empty() ? "serve" : args[0];
  if (args.size() > 1 || (command != "serve" && command != "migrate" && command != "replay")) {
    std::fprintf(stderr, "usage: tiquete-reporting [serve|migrate|replay] [--flags]\n");
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
  absl::TimeZone zone;
  if (!signer.ok() || !redis_address.ok() ||
      !absl::LoadTimeZone(config.Get("TIQUETE_REPORTING_TIME_ZONE"), &zone)) {
    log::Error("invalid configuration");  // already validated by Config; kept as a guard
    return 2;
  }

  Metrics metrics("reporting");
  PgPoolOptions pool_options;
  pool_options.url = config.Get("TIQUETE_DB_URL");
  pool_options.schema = config.Get("TIQUETE_DB_SCHEMA");
  pool_options.size = config.GetInt("TIQUETE_DB_POOL_SIZE");
  pool_options.acquire_timeout = config.GetMillis("TIQUETE_DB_POOL_TIMEOUT_MS");
  pool_options.prepared = reporting::PreparedStatements();
  PgPool pool(pool_options, &metrics);
  reporting::EventIngest ingest(zone);
  const int batch = config.GetInt("TIQUETE_REPORTING_BATCH");

  if (command == "replay") return Replay(pool, *redis_address, ingest, batch, &metrics);

  if (absl::Status s = metrics.Serve(config.Get("TIQUETE_METRICS_ADDR")); !s.ok()) {
    log::Error("cannot serve metrics", {{"error", s.ToString()}});
    return 1;
  }
  reporting::ReportStore store(pool, zone);
  reporting::ReportOptions options;
  options.zone = zone;
  options.backlog_max_wait_hours = config.GetInt("TIQUETE_BACKLOG_MAX_WAIT_HOURS");
  reporting::Reports reports(store, SystemClock::Get(), options);
  reporting::ReportingServiceImpl service(reports, *signer);
  char host[128] = {0};
  gethostname(host, sizeof(host) - 1);
  reporting::IngestLoop loop(pool, *redis_address, ingest, absl::StrCat(host, "-", getpid()),
                             &metrics, batch);
  reporting::LiveGauges gauges(reports, metrics,
                               config.GetMillis("TIQUETE_REPORTING_GAUGE_INTERVAL_MS"));

  ServerOptions server_options;
  server_options.service_name = "tiquete.reporting.v1.ReportingService";
  server_options.listen_address = config.Get("TIQUETE_GRPC_ADDR");
  server_options.shutdown_grace = config.GetMillis("TIQUETE_SHUTDOWN_GRACE_MS");
  ServiceRunner runner(server_options, &metrics);
  runner.AddService(&service);
  runner.AddHealthProbe({"postgresql", [&] { return pool.Ping(); }});
  runner.AddHealthProbe({"redis", [&]() -> absl::Status {
                           auto conn = RedisConnection::Connect(*redis_address, absl::Seconds(1),
                                                                absl::Seconds(1));
                           if (!conn.ok()) return conn.status();
                           auto pong = (*conn)->Command({"PING"});
                           return pong.ok() ? absl::OkStatus() : pong.status();
                         }});
  runner.AddWorker({[&] { loop.Start(); }, [&] { loop.Stop(); }});
  runner.AddWorker({[&] { gauges.Start(); }, [&] { gauges.Stop(); }});
  return runner.Run();
}
