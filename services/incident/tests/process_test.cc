// The real tiquete-incident binary as an operator runs it: bad settings stop it with exit code 2
// naming the setting, an unreachable database with exit code 1; health follows PostgreSQL and
// Redis; /metrics is served; SIGTERM drains and exits 0.
#include <csignal>
#include <functional>

#include <catch2/catch.hpp>

#include "common/testing/test_db.h"
#include "common/testing/test_redis.h"
#include "tests/integration/process.h"

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

std::vector<std::string> Env(const std::string& db_url, int grpc_port, int metrics_port,
                             int redis_port, std::vector<std::string> extra = {}) {
  std::vector<std::string> env = {"PATH=/usr/bin:/bin",
                                  "TIQUETE_DB_URL=" + db_url,
                                  "TIQUETE_GRPC_ADDR=127.0.0.1:" + std::to_string(grpc_port),
                                  "TIQUETE_METRICS_ADDR=127.0.0.1:" + std::to_string(metrics_port),
                                  "TIQUETE_REDIS_ADDR=127.0.0.1:" + std::to_string(redis_port),
                                  "TIQUETE_DIRECTORY_ADDR=127.0.0.1:1",
                                  "TIQUETE_SHUTDOWN_GRACE_MS=2000",
                                  "TIQUETE_CALLER_KEY=" + std::string(64, 'a')};
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// Exit code 2 and the setting's name (and `detail`) on stderr, before touching anything.
void ExpectRefused(const std::vector<std::string>& extra, const std::string& setting,
                   const std::string& detail = "") {
  ChildProcess p(TIQUETE_INCIDENT_BIN, {}, Env("postgresql://x@127.0.0.1:1/x", 1, 1, 1, extra));
  CHECK(p.WaitExit(absl::Seconds(10)) == 2);
  INFO(p.Stderr());
  CHECK(p.Stderr().find(setting) != std::string::npos);
  if (!detail.empty()) CHECK(p.Stderr().find(detail) != std::string::npos);
}

}  // namespace

TEST_CASE("tiquete-incident refuses bad settings with exit code 2 naming them", "[process]") {
  SECTION("missing database URL") {
    ChildProcess p(TIQUETE_INCIDENT_BIN, {}, {"PATH=/usr/bin:/bin"});
    CHECK(p.WaitExit(absl::Seconds(10)) == 2);
    CHECK(p.Stderr().find("TIQUETE_DB_URL") != std::string::npos);
  }
  SECTION("unknown setting") {
    ExpectRefused({"TIQUETE_REOPEN_WINDOW=5"}, "unknown setting TIQUETE_REOPEN_WINDOW");
  }
  SECTION("priority matrix") {
    ExpectRefused({"TIQUETE_PRIORITY_MATRIX=12345"}, "TIQUETE_PRIORITY_MATRIX");
  }
  SECTION("attachment limit above what gRPC carries") {
    ExpectRefused({"TIQUETE_MAX_ATTACHMENT_BYTES=40000000"}, "TIQUETE_MAX_ATTACHMENT_BYTES",
                  "31457280");
  }
  SECTION("caller key too short") {
    ExpectRefused({"TIQUETE_CALLER_KEY=abcd"}, "TIQUETE_CALLER_KEY");
  }
  SECTION("unknown command") {
    ChildProcess p(TIQUETE_INCIDENT_BIN, {"serve", "twice"},
                   Env("postgresql://x@127.0.0.1:1/x", 1, 1, 1));
    CHECK(p.WaitExit(absl::Seconds(10)) == 2);
    CHECK(p.Stderr().find("usage: tiquete-incident") != std::string::npos);
  }
}

TEST_CASE("tiquete-incident exits 1 when PostgreSQL cannot be reached", "[process]") {
  ChildProcess p(TIQUETE_INCIDENT_BIN, {},
                 Env("postgresql://nobody:x@127.0.0.1:" + std::to_string(FreeTcpPort()) + "/x",
                     FreeTcpPort(), FreeTcpPort(), FreeTcpPort()));
  CHECK(p.WaitExit(absl::Seconds(20)) == 1);
  INFO(p.Stderr());
  CHECK(p.Stderr().find("migrations failed") != std::string::npos);
}

TEST_CASE(
    "tiquete-incident: health follows Redis, /metrics is served, migrate exits 0 and SIGTERM "
    "drains and exits 0",
    "[process]") {
  TestDatabase db({"incident"});
  const int grpc_port = FreeTcpPort();
  const int metrics_port = FreeTcpPort();
  TestRedis redis(FreeTcpPort(), /*start=*/false);
  const auto env = Env(db.UrlFor("incident"), grpc_port, metrics_port, redis.address().port);
  {
    ChildProcess migrate(TIQUETE_INCIDENT_BIN, {"migrate"}, env);
    CHECK(migrate.WaitExit(absl::Seconds(30)) == 0);
  }
  ChildProcess p(TIQUETE_INCIDENT_BIN, {}, env);
  const std::string address = "127.0.0.1:" + std::to_string(grpc_port);
  CHECK(Eventually([&] { return HealthOf(address) == "NOT_SERVING"; }));
  redis.Start();
  CHECK(Eventually([&] { return HealthOf(address) == "SERVING"; }));
  const std::string metrics = tiquete::testing::HttpGet("127.0.0.1", metrics_port, "/metrics");
  CHECK(metrics.find("tiquete_db_pool_connections") != std::string::npos);
  CHECK(metrics.find("tiquete_rpc_total") != std::string::npos);
  redis.Stop();
  CHECK(Eventually([&] { return HealthOf(address) == "NOT_SERVING"; }));
  p.Signal(SIGTERM);
  CHECK(p.WaitExit(absl::Seconds(15)) == 0);
  INFO(p.Stderr());
  CHECK(p.Stderr().find("\"msg\":\"stopped\"") != std::string::npos);
}
