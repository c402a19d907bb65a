// tiquete-gateway: wiring only (settings, route table, Redis, backends, HTTP server, signals).
#include <iostream>
#include <memory>

#include "common/caller.h"
#include "common/config.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/server.h"
#include "gateway/backend.h"
#include "gateway/credentials.h"
#include "gateway/gateway.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http_server.h"
#include "gateway/openapi.h"
#include "gateway/redis_client.h"
#include "gateway/redis_stores.h"
#include "gateway/route_table.h"
#include "gateway/settings.h"
#include "gateway/static_files.h"

using namespace tiquete;           // NOLINT
using namespace tiquete::gateway;  // NOLINT

namespace {
constexpr char kVersion[] = "0.1.0";
}  // namespace

int main(int argc, char** argv) {
  PrepareProcess();
  auto routes = RouteTable::FromGeneratedPool();
  if (!routes.ok()) {
    std::cerr << "route table error: " << routes.status().message() << "\n";
    return 2;
  }
  // `tiquete-gateway openapi` prints the OpenAPI document (docs, client generators, checks).
  if (argc == 2 && std::string(argv[1]) == "openapi") {
    std::cout << OpenApiDocument(*routes, kVersion) << "\n";
    return 0;
  }
  // Every linked service may get an address, so deploy scripts can pass one per running
  // service even when it has no HTTP routes yet.
  const std::vector<std::string> services = TiqueteServiceKeys();
  const Config config = Config::LoadOrExit(GatewaySettingList(services), argc, argv);
  const GatewaySettings settings = ReadGatewaySettings(config, services);
  log::Severity severity = log::Severity::kInfo;
  log::ParseSeverity(settings.log_level, &severity);
  log::Init("gateway", severity);

  auto signer = CallerSigner::FromHex(settings.caller_key_hex);
  auto redis_address = ParseRedisAddress(settings.redis_addr);
  if (!signer.ok() || !redis_address.ok()) {
    std::cerr << "configuration error: "
              << (!signer.ok() ? signer.status() : redis_address.status()).message() << "\n";
    return 2;
  }

  Metrics metrics("gateway");
  if (auto s = metrics.Serve(settings.metrics_addr); !s.ok()) {
    log::Error("cannot serve metrics", {{"error", s.ToString()}});
    return 1;
  }
  GatewayMetrics gateway_metrics(
      std::shared_ptr<prometheus::Registry>(&metrics.registry(), [](auto*) {}));

  RedisClient redis(*redis_address, absl::Seconds(2));
  RedisSessionStore sessions(&redis, SystemClock::Get(), settings.options.sessions);
  RedisCounterStore counters(&redis);
  // Rate limits count locally and settle with Redis every 100 ms (not one INCR per request).
  BatchingCounterStore rate_counters(&counters, SystemClock::Get());

  std::map<std::string, std::unique_ptr<GrpcBackend>> owned_backends;
  GatewayDeps deps;
  deps.routes = &*routes;
  for (const auto& [service, address] : settings.backend_addresses) {
    owned_backends[service] =
        std::make_unique<GrpcBackend>(address, &*signer, settings.backend_deadline);
    deps.backends[service] = owned_backends[service].get();
    log::Info("backend configured", {{"service", service}, {"address", address}});
  }
  std::unique_ptr<DirectoryCredentials> directory_credentials;
  std::unique_ptr<CachedTokenCredentials> credentials;
  if (deps.backends.count("directory")) {
    directory_credentials = std::make_unique<DirectoryCredentials>(deps.backends["directory"]);
    credentials = std::make_unique<CachedTokenCredentials>(
        directory_credentials.get(), SystemClock::Get(), settings.token_cache_ttl);
    deps.credentials = credentials.get();
  }
  StaticFiles static_files(settings.web_root);
  deps.sessions = &sessions;
  deps.counters = &counters;
  deps.rate_counters = &rate_counters;
  deps.metrics = &gateway_metrics;
  deps.static_files = &static_files;
  deps.ready_checks["redis"] = [&redis](std::function<void(grpc::Status)> done) {
    redis.Execute({{"PING"}}, [done](absl::StatusOr<RedisReplies> r) {
      done(r.ok() ? grpc::Status::OK
                  : grpc::Status(grpc::StatusCode::UNAVAILABLE, std::string(r.status().message())));
    });
  };
  GatewayOptions options = settings.options;
  options.version = kVersion;
  Gateway gateway(options, deps);

  HttpServer server(
      settings.limits,
      [&gateway](HttpRequest r, Respond respond) {
        gateway.Handle(std::move(r), std::move(respond));
      },
      [&gateway](const HttpRequest& r, const ApiError& e) { return gateway.Reject(r, e); },
      &gateway_metrics);
  if (auto s = server.Listen(settings.http_addr); !s.ok()) {
    log::Error("cannot listen", {{"error", s.ToString()}});
    return 1;
  }
  server.Start(settings.threads);
  log::Info("gateway listening", {{"address", settings.http_addr},
                                  {"routes", std::to_string(routes->routes().size())},
                                  {"web_root", settings.web_root}});

  const int sig = WaitForTerminationSignal();
  log::Info("shutting down", {{"signal", std::to_string(sig)}});
  gateway.StartDraining();
  server.Shutdown(settings.shutdown_grace);
  log::Info("stopped");
  return 0;
}
