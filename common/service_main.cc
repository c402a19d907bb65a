#include "common/service_main.h"

#include <mutex>

#include "common/log.h"

namespace tiquete {

void InitLoggingFrom(const Config& config, const std::string& service) {
  log::Severity severity = log::Severity::kInfo;
  log::ParseSeverity(config.Get("TIQUETE_LOG_LEVEL"), &severity);
  log::Init(service, severity);
}

PgPoolOptions PoolOptionsFrom(const Config& config) {
  PgPoolOptions options;
  options.url = config.Get("TIQUETE_DB_URL");
  options.schema = config.Get("TIQUETE_DB_SCHEMA");
  options.size = config.GetInt("TIQUETE_DB_POOL_SIZE");
  options.acquire_timeout = config.GetMillis("TIQUETE_DB_POOL_TIMEOUT_MS");
  return options;
}

absl::Status MigrateFrom(const Config& config, const std::string& service,
                         const std::vector<Migration>& own) {
  const std::string& schema = config.Get("TIQUETE_DB_SCHEMA");
  try {
    auto conn = ConnectPg(config.Get("TIQUETE_DB_URL"), schema);
    return ApplyMigrations(*conn, schema, {{"common", &CommonMigrations()}, {service, &own}});
  } catch (const std::exception& e) {  // the database is unreachable at start-up
    return StatusFromPqxx(e);
  }
}

HealthProbe PostgresProbe(PgPool& pool) {
  return {"postgresql", [&pool] { return pool.Ping(); }};
}

HealthProbe RedisProbe(const RedisAddress& address) {
  struct State {
    std::mutex mu;
    std::unique_ptr<RedisConnection> conn;
  };
  auto state = std::make_shared<State>();
  return {"redis", [state, address]() -> absl::Status {
            std::lock_guard lock(state->mu);
            if (!state->conn || state->conn->broken()) {
              auto conn = RedisConnection::Connect(address, absl::Seconds(1), absl::Seconds(1));
              if (!conn.ok()) return conn.status();
              state->conn = *std::move(conn);
            }
            return state->conn->Command({"PING"}).status();
          }};
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Create(
    const Config& config, const std::string& service, const std::string& grpc_name) {
  auto redis = ParseRedisAddress(config.Get("TIQUETE_REDIS_ADDR"));
  if (!redis.ok()) return redis.status();
  std::unique_ptr<ServiceProcess> p(new ServiceProcess());
  p->redis_ = *redis;
  p->metrics_ = std::make_unique<Metrics>(service);
  if (absl::Status s = p->metrics_->Serve(config.Get("TIQUETE_METRICS_ADDR")); !s.ok()) return s;
  p->pool_ = std::make_unique<PgPool>(PoolOptionsFrom(config), p->metrics_.get());
  RelayOptions relay;
  relay.stream = StreamForService(service);
  relay.producer = service;
  p->relay_ = std::make_unique<OutboxRelay>(*p->pool_, p->redis_, relay, p->metrics_.get());
  ServerOptions options;
  options.service_name = grpc_name;
  options.listen_address = config.Get("TIQUETE_GRPC_ADDR");
  options.shutdown_grace = config.GetMillis("TIQUETE_SHUTDOWN_GRACE_MS");
  p->runner_ = std::make_unique<ServiceRunner>(options, p->metrics_.get());
  p->runner_->AddHealthProbe(PostgresProbe(*p->pool_));
  p->runner_->AddHealthProbe(RedisProbe(p->redis_));
  OutboxRelay* relay_ptr = p->relay_.get();
  p->runner_->AddWorker({[relay_ptr] { relay_ptr->Start(); }, [relay_ptr] { relay_ptr->Stop(); }});
  return p;
}

int ServiceProcess::Run() { return runner_->Run(); }

}  // namespace tiquete
