// What an operator relies on when running a service binary: configuration errors stop it with
// exit code 2 and a message naming the setting; health tells the truth about its dependencies;
// /metrics is served; SIGTERM drains and exits 0.
#include <csignal>
#include <functional>

#include <catch2/catch.hpp>

#include "common/migrations.h"
#include "common/testing/test_db.h"
#include "common/testing/test_redis.h"
#include "process.h"

using tiquete::testing::ChildProcess;
using tiquete::testing::FreeTcpPort;
using tiquete::testing::HealthOf;
using tiquete::testing::TestDatabase;
using tiquete::testing::TestRedis;

namespace {

bool Eventually(const std::function<bool()>& cond, absl::Duration limit = absl::Seconds(20)) {
  const absl::Time until = absl::Now() + limit;
  while (absl::Now() < until) {
    if (cond()) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return cond();
}

struct DirectoryEnv {
  TestDatabase db{{"directory"}};
  int grpc_port = FreeTcpPort();
  int metrics_port = FreeTcpPort();
  std::vector<std::string> Env(int redis_port) const {
    return {"PATH=/usr/bin:/bin",
            "TIQUETE_DB_URL=" + db.UrlFor("directory"),
            "TIQUETE_GRPC_ADDR=127.0.0.1:" + std::to_string(grpc_port),
            "TIQUETE_METRICS_ADDR=127.0.0.1:" + std::to_string(metrics_port),
            "TIQUETE_REDIS_ADDR=127.0.0.1:" + std::to_string(redis_port),
            "TIQUETE_SHUTDOWN_GRACE_MS=2000",
            "TIQUETE_CALLER_KEY=" + std::string(64, 'a')};
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(grpc_port); }
};

}  // namespace

TEST_CASE("a missing required setting stops the service with exit code 2 naming it", "[process]") {
  ChildProcess p(TIQUETE_DIRECTORY_BIN, {}, {"PATH=/usr/bin:/bin"});
  CHECK(p.WaitExit(absl::Seconds(10)) == 2);
  CHECK(p.Stderr().find("TIQUETE_DB_URL") != std::string::npos);
}

TEST_CASE("an unknown TIQUETE_ setting stops the service with exit code 2 naming it", "[process]") {
  ChildProcess p(TIQUETE_DIRECTORY_BIN, {},
                 {"PATH=/usr/bin:/bin", "TIQUETE_DB_URL=postgresql://x@127.0.0.1:1/x",
                  "TIQUETE_DB_POOLSIZE=4"});
  CHECK(p.WaitExit(absl::Seconds(10)) == 2);
  CHECK(p.Stderr().find("unknown setting TIQUETE_DB_POOLSIZE") != std::string::npos);
}

TEST_CASE(
    "health is NOT_SERVING while Redis is down and SERVING once it returns, SIGTERM "
    "exits 0",
    "[process]") {
  DirectoryEnv env;
  TestRedis redis(FreeTcpPort(), /*start=*/false);
  ChildProcess p(TIQUETE_DIRECTORY_BIN, {}, env.Env(redis.address().port));
  CHECK(Eventually([&] { return HealthOf(env.address()) == "NOT_SERVING"; }));
  redis.Start();
  CHECK(Eventually([&] { return HealthOf(env.address()) == "SERVING"; }));
  const std::string metrics = tiquete::testing::HttpGet("127.0.0.1", env.metrics_port, "/metrics");
  CHECK(metrics.find("tiquete_db_pool_connections") != std::string::npos);
  CHECK(metrics.find("tiquete_rpc_total") != std::string::npos);
  redis.Stop();
  CHECK(Eventually([&] { return HealthOf(env.address()) == "NOT_SERVING"; }));
  p.Signal(SIGTERM);
  CHECK(p.WaitExit(absl::Seconds(15)) == 0);
  INFO(p.Stderr());
  CHECK(p.Stderr().find("\"msg\":\"stopped\"") != std::string::npos);
}
