// The start-up every service shares, so each main.cc is only its own wiring: logging from
// configuration, migrations, the PostgreSQL pool, the outbox relay, /metrics and a runner whose
// health follows PostgreSQL and Redis.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/config.h"
#include "common/events.h"
#include "common/metrics.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "common/redis.h"
#include "common/server.h"

namespace tiquete {

void InitLoggingFrom(const Config& config, const std::string& service);
PgPoolOptions PoolOptionsFrom(const Config& config);
// Applies the common migrations and the service's own (component = service name).
absl::Status MigrateFrom(const Config& config, const std::string& service,
                         const std::vector<Migration>& own);

HealthProbe PostgresProbe(PgPool& pool);
// PING over one connection kept between probes, reopened after a failure.
HealthProbe RedisProbe(const RedisAddress& address);

class ServiceProcess {
 public:
  // Serves /metrics, opens the pool, prepares the relay to tiquete.<service>.events and a
  // runner listening on TIQUETE_GRPC_ADDR with PostgreSQL and Redis probes.
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Create(const Config& config,
                                                                const std::string& service,
                                                                const std::string& grpc_name);
  Metrics& metrics() { return *metrics_; }
  PgPool& pool() { return *pool_; }
  const RedisAddress& redis() const { return redis_; }
  ServiceRunner& runner() { return *runner_; }
  // Starts the relay with the server, waits for SIGTERM/SIGINT, drains; the exit code.
  int Run();

 private:
  ServiceProcess() = default;
  RedisAddress redis_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<ServiceRunner> runner_;
};

}  // namespace tiquete
