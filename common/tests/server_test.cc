#include <atomic>

#include <grpcpp/grpcpp.h>
#include <prometheus/text_serializer.h>
#include <catch2/catch.hpp>

#include "common/metrics.h"
#include "common/server.h"
#include "grpc/health/v1/health.grpc.pb.h"

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

namespace {

HealthCheckResponse::ServingStatus Check(int port) {
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  HealthCheckRequest req;
  HealthCheckResponse resp;
  grpc::Status s = stub->Check(&ctx, req, &resp);
  REQUIRE(s.ok());
  return resp.status();
}

bool Eventually(const std::function<bool()>& cond) {
  for (int i = 0; i < 200; ++i) {
    if (cond()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return cond();
}

}  // namespace

TEST_CASE("health follows the dependency probes instead of always answering SERVING", "[server]") {
  tiquete::Metrics metrics("test");
  std::atomic<bool> database_up{true};
  tiquete::ServiceRunner runner({"test", "127.0.0.1:0", absl::Seconds(1), absl::Milliseconds(50)},
                                &metrics);
  runner.AddHealthProbe({"postgresql", [&] {
                           return database_up ? absl::OkStatus()
                                              : absl::UnavailableError("connection refused");
                         }});
  REQUIRE(runner.Start().ok());
  REQUIRE(runner.port() > 0);
  CHECK(Eventually([&] { return Check(runner.port()) == HealthCheckResponse::SERVING; }));
  database_up = false;
  CHECK(Eventually([&] { return Check(runner.port()) == HealthCheckResponse::NOT_SERVING; }));
  database_up = true;
  CHECK(Eventually([&] { return Check(runner.port()) == HealthCheckResponse::SERVING; }));
  runner.Shutdown();
  CHECK_FALSE(runner.serving());
}

TEST_CASE("every RPC is counted and timed by method and code", "[server]") {
  tiquete::Metrics metrics("test");
  tiquete::ServiceRunner runner({"test", "127.0.0.1:0", absl::Seconds(1), absl::Milliseconds(50)},
                                &metrics);
  REQUIRE(runner.Start().ok());
  for (int i = 0; i < 3; ++i) Check(runner.port());
  runner.Shutdown();
  const std::string text = prometheus::TextSerializer().Serialize(metrics.registry().Collect());
  CHECK(text.find("tiquete_rpc_total{service=\"test\",code=\"OK\",method=\"/grpc.health.v1."
                  "Health/Check\"} 3") != std::string::npos);
  CHECK(text.find("tiquete_rpc_duration_seconds_bucket{service=\"test\",code=\"OK\",method=\"/"
                  "grpc.health.v1.Health/Check\",le=\"0.0001\"}") != std::string::npos);
}

TEST_CASE("workers start after the server and stop when it shuts down", "[server]") {
  tiquete::Metrics metrics("test");
  tiquete::ServiceRunner runner({"test", "127.0.0.1:0", absl::Seconds(1), absl::Milliseconds(50)},
                                &metrics);
  std::vector<std::string> calls;
  runner.AddWorker({[&] { calls.push_back("start"); }, [&] { calls.push_back("stop"); }});
  REQUIRE(runner.Start().ok());
  CHECK(calls == std::vector<std::string>{"start"});
  runner.Shutdown();
  CHECK(calls == std::vector<std::string>{"start", "stop"});
}

TEST_CASE("a port already in use is a start-up error, not a crash", "[server]") {
  tiquete::Metrics metrics("test");
  tiquete::ServiceRunner first({"test", "127.0.0.1:0"}, &metrics);
  REQUIRE(first.Start().ok());
  tiquete::ServiceRunner second({"test", "127.0.0.1:" + std::to_string(first.port())}, &metrics);
  CHECK(second.Start().code() == absl::StatusCode::kUnavailable);
  first.Shutdown();
}
