// tiquete-sla: the SLA and escalation engine. Serves SlaService, consumes incident events into
// clocks, fires warnings and breaches from the due-time scanner, runs escalation actions by
// consuming its own breach events, and relays its outbox. `migrate` only applies migrations.
#include <unistd.h>

#include <exception>
#include <iostream>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/events.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "common/redis.h"
#include "common/server.h"
#include "services/sla/escalation.h"
#include "services/sla/grpc_incident_client.h"
#include "services/sla/incident_events.h"
#include "services/sla/scanner.h"
#include "services/sla/service.h"
#include "services/sla/store.h"

namespace {

using tiquete::Config;

// Health probe: PING over one connection kept between probes, reopened after a failure.
class RedisPing {
 public:
  explicit RedisPing(tiquete::RedisAddress address) : address_(std::move(address)) {}
  absl::Status operator()() {
    std::lock_guard lock(mu_);
    if (!conn_ || conn_->broken()) {
      auto conn = tiquete::RedisConnection::Connect(address_, absl::Seconds(1), absl::Seconds(1));
      if (!conn.ok()) return conn.status();
      conn_ = *std::move(conn);
    }
    return conn_->Command({"PING"}).status();
  }

 private:
  tiquete::RedisAddress address_;
  std::mutex mu_;
  std::unique_ptr<tiquete::RedisConnection> conn_;
};

absl::Status Migrate(const Config& config) {
  const std::string& schema = config.Get("TIQUETE_DB_SCHEMA");
  try {
    auto conn = tiquete::ConnectPg(config.Get("TIQUETE_DB_URL"), schema);
    return tiquete::ApplyMigrations(
        *conn, schema,
        {{"common", &tiquete::CommonMigrations()}, {"sla", &tiquete::sla::Migrations()}});
  } catch (const std::exception& e) {  // the database is unreachable at start-up
    return tiquete::StatusFromPqxx(e);
  }
}

// Unique per process, so consumer groups and firings say which replica did the work.
std::string ReplicaName() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return absl::StrCat(host, "-", getpid());
}

int Serve(const Config& config) {
  auto redis = tiquete::ParseRedisAddress(config.Get("TIQUETE_REDIS_ADDR"));
  if (!redis.ok()) {
    tiquete::log::Error("bad TIQUETE_REDIS_ADDR", {{"error", redis.status().ToString()}});
    return 2;
  }
  auto signer = tiquete::CallerSigner::FromHex(config.Get("TIQUETE_CALLER_KEY"));
  if (!signer.ok()) {
    tiquete::log::Error("bad TIQUETE_CALLER_KEY", {{"error", signer.status().ToString()}});
    return 2;
  }
  tiquete::Metrics metrics("sla");
  if (absl::Status s = metrics.Serve(config.Get("TIQUETE_METRICS_ADDR")); !s.ok()) {
    tiquete::log::Error("cannot serve metrics", {{"error", s.ToString()}});
    return 1;
  }
  tiquete::PgPool pool(
      tiquete::sla::SlaPoolOptions(config.Get("TIQUETE_DB_URL"), config.Get("TIQUETE_DB_SCHEMA"),
                                   config.GetInt("TIQUETE_DB_POOL_SIZE"),
                                   config.GetMillis("TIQUETE_DB_POOL_TIMEOUT_MS")),
      &metrics);
  tiquete::Clock& clock = *tiquete::SystemClock::Get();
  tiquete::sla::SlaStore store(pool, clock, config.GetInt("TIQUETE_SLA_CLOCK_CACHE_TICKETS"));
  store.ExportMetrics(metrics);
  const std::string replica = ReplicaName();

  tiquete::RelayOptions relay_options;
  relay_options.stream = tiquete::StreamForService("sla");
  relay_options.producer = "sla";
  tiquete::OutboxRelay relay(pool, *redis, relay_options, &metrics);

  // Each read batch of incident events is applied set-based (a handful of statements for the
  // whole batch; per event only when the batch fails). Several consumers overlap one batch's
  // PostgreSQL work with the next one's Redis read, domain work and commit wait: three keep two
  // cores busy (bench/sla_bench.sh: idle 2.5-3.3 % against 4.6-5.5 % with two, 5-15 % more
  // events per second). Events of one ticket serialize on its row.
  std::vector<std::unique_ptr<tiquete::EventConsumer>> incident_events;
  for (int i = 0; i < config.GetInt("TIQUETE_SLA_CONSUMERS"); ++i) {
    const tiquete::ConsumerOptions incident_options = tiquete::sla::IncidentConsumerOptions(
        absl::StrCat(replica, "-", i), config.GetInt("TIQUETE_SLA_EVENT_BATCH"));
    incident_events.push_back(std::make_unique<tiquete::EventConsumer>(
        pool, *redis, incident_options, tiquete::sla::IncidentEventHandler(store),
        tiquete::sla::IncidentEventBatchHandler(store), &metrics));
  }

  auto channel =
      grpc::CreateChannel(config.Get("TIQUETE_INCIDENT_ADDR"), grpc::InsecureChannelCredentials());
  tiquete::sla::GrpcIncidentClient incidents(channel, *signer);
  tiquete::sla::EscalationRunner escalation(store, incidents);
  tiquete::ConsumerOptions escalation_options;
  escalation_options.stream = tiquete::StreamForService("sla");
  escalation_options.group = "sla-escalation";
  escalation_options.consumer = replica;
  // Most firings carry no incident call (warnings notify only), so batches stay large; a
  // batch with calls is bounded by the client's deadline per call.
  escalation_options.batch = 100;
  // The engine's stream also carries every clock's stopped / cancelled outcome: those are
  // acknowledged unread instead of being claimed one processed_events row each.
  escalation_options.types = {"sla.clock.breached", "sla.clock.warning"};
  tiquete::EventConsumer escalation_events(
      pool, *redis, escalation_options,
      [&escalation](pqxx::work& tx, const tiquete::events::v1::Event& event) {
        return escalation.Handle(tx, event);
      },
      [&escalation](pqxx::work& tx, const std::vector<const tiquete::events::v1::Event*>& events) {
        return escalation.HandleBatch(tx, events);
      },
      &metrics);

  tiquete::sla::ScannerOptions scanner_options;
  scanner_options.replica = replica;
  scanner_options.poll_interval = config.GetMillis("TIQUETE_SLA_SCAN_INTERVAL_MS");
  tiquete::sla::DueScanner scanner(store, clock, scanner_options, &metrics);

  tiquete::sla::SlaServiceImpl service(store, *signer, clock, &incidents);
  tiquete::ServerOptions options;
  options.service_name = "tiquete.sla.v1.SlaService";
  options.listen_address = config.Get("TIQUETE_GRPC_ADDR");
  options.shutdown_grace = config.GetMillis("TIQUETE_SHUTDOWN_GRACE_MS");
  tiquete::ServiceRunner runner(options, &metrics);
  runner.AddService(&service);
  runner.AddHealthProbe({"postgresql", [&pool] { return pool.Ping(); }});
  auto redis_ping = std::make_shared<RedisPing>(*redis);
  runner.AddHealthProbe({"redis", [redis_ping] { return (*redis_ping)(); }});
  runner.AddWorker({[&relay] { relay.Start(); }, [&relay] { relay.Stop(); }});
  for (auto& consumer : incident_events) {
    runner.AddWorker({[&consumer] { consumer->Start(); }, [&consumer] { consumer->Stop(); }});
  }
  runner.AddWorker({[&] { scanner.Start(); }, [&] { scanner.Stop(); }});
  runner.AddWorker({[&] { escalation_events.Start(); }, [&] { escalation_events.Stop(); }});
  return runner.Run();
}

}  // namespace

int main(int argc, char** argv) {
  tiquete::PrepareProcess();
  std::vector<tiquete::Setting> settings =
      tiquete::ServiceSettings("127.0.0.1:8486", "127.0.0.1:9486", "sla");
  settings.push_back(tiquete::CallerKeySetting());
  settings.push_back({"TIQUETE_INCIDENT_ADDR", "127.0.0.1:8483",
                      "incident service gRPC address (escalation actions)",
                      tiquete::ValidateHostPort});
  settings.push_back({"TIQUETE_SLA_CONSUMERS", "3",
                      "incident-event consumers (threads) in this process",
                      tiquete::ValidatePositiveInt});
  settings.push_back({"TIQUETE_SLA_EVENT_BATCH", "500",
                      "incident events read and applied together (one transaction)",
                      tiquete::ValidatePositiveInt});
  settings.push_back({"TIQUETE_SLA_CLOCK_CACHE_TICKETS", "50000",
                      "tickets whose clocks the event path keeps in memory after writing them "
                      "(0: read every ticket's clocks back from the database)",
                      tiquete::ValidateNonNegativeInt});
  settings.push_back({"TIQUETE_SLA_SCAN_INTERVAL_MS", "100",
                      "due-time scanner pass interval: bounds how late a breach fires",
                      tiquete::ValidateDurationMs});
  const Config config = Config::LoadOrExit(settings, argc, argv);
  tiquete::log::Severity severity = tiquete::log::Severity::kInfo;
  tiquete::log::ParseSeverity(config.Get("TIQUETE_LOG_LEVEL"), &severity);
  tiquete::log::Init("sla", severity);

  const std::string command = config.args().empty() ? "serve" : config.args()[0];
  if (config.args().size() > 1 || (command != "serve" && command != "migrate")) {
    std::cerr << "usage: tiquete-sla [serve | migrate]\n";
    return 2;
  }
  if (absl::Status s = Migrate(config); !s.ok()) {
    tiquete::log::Error("migrations failed", {{"error", s.ToString()}});
    return 1;
  }
  if (command == "migrate") {
    tiquete::log::Info("migrations applied");
    return 0;
  }
  return Serve(config);
}
