// The gateway's HTTP surface, independent of the HTTP server: one Handle() per request runs
// the pipeline  route match → authenticate → rate limit → role check → CSRF → JSON to proto
// → backend call → proto to JSON, plus /healthz, /readyz, /metrics, /v1/openapi.json, the
// sign-in endpoints and the static web UI. Every step is asynchronous; nothing here blocks.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/clock.h"
#include "gateway/backend.h"
#include "gateway/credentials.h"
#include "gateway/error_model.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http_types.h"
#include "gateway/route_table.h"
#include "gateway/sessions.h"
#include "gateway/static_files.h"
#include "gateway/throttle.h"

namespace tiquete::gateway {

struct GatewayOptions {
  std::string version = "0.1.0";
  SessionLimits sessions;
  bool cookie_secure = false;               // Secure cookies and HSTS (behind TLS)
  int64_t rate_limit_per_address = 3000;    // per minute, anonymous requests; 0: off
  int64_t rate_limit_per_principal = 1200;  // per minute, per session or token; 0: off
  LoginPolicy login;
  bool trust_forwarded_for = false;  // take the client address from X-Forwarded-For
};

struct GatewayDeps {
  const RouteTable* routes = nullptr;
  // Configured backends by service key ("directory"); a route whose service is missing
  // answers 503 SERVICE_NOT_CONFIGURED.
  std::map<std::string, Backend*> backends;
  SessionStore* sessions = nullptr;
  CounterStore* counters = nullptr;           // sign-in throttling (exact, shared)
  CounterStore* rate_counters = nullptr;      // request rate limits; nullptr: `counters`
  Credentials* credentials = nullptr;         // nullptr: no directory, sign-in unavailable
  GatewayMetrics* metrics = nullptr;          // optional
  const StaticFiles* static_files = nullptr;  // optional
  const Clock* clock = SystemClock::Get();
  // Extra readiness checks besides the backends' gRPC health (e.g. "redis").
  using ReadyCheck = std::function<void(std::function<void(grpc::Status)>)>;
  std::map<std::string, ReadyCheck> ready_checks;
};

// Who a request comes from, once authenticated.
struct Principal {
  enum class Kind { kSession, kApiToken };
  Kind kind = Kind::kSession;
  Caller caller;
  std::string email;
  std::string credential;  // the session id or the API token
  Session session;         // kSession only
};

class Gateway {
 public:
  Gateway(GatewayOptions options, GatewayDeps deps);
  ~Gateway();

  void Handle(HttpRequest request, Respond respond);

  // A response for a request the server refused before it was complete (oversize headers or
  // body, malformed HTTP, timeouts): the JSON error with request id and security headers.
  HttpResponse Reject(const HttpRequest& partial, const ApiError& error);

  // /readyz answers 503 once draining starts (SIGTERM), so load balancers stop sending.
  void StartDraining() { draining_ = true; }

  struct Exchange;  // one request in flight (defined in gateway_internal.h)

 private:
  void HandleApi(std::shared_ptr<Exchange> ex);
  void Authenticate(std::shared_ptr<Exchange> ex, std::function<void()> next);
  void RateLimit(std::shared_ptr<Exchange> ex, std::function<void()> next);
  void Dispatch(std::shared_ptr<Exchange> ex);
  void CallBackend(std::shared_ptr<Exchange> ex);
  void Login(std::shared_ptr<Exchange> ex);
  void Logout(std::shared_ptr<Exchange> ex);
  void GetMe(std::shared_ptr<Exchange> ex);
  void Ready(std::shared_ptr<Exchange> ex);
  void ServeStatic(std::shared_ptr<Exchange> ex);

  void Finish(const std::shared_ptr<Exchange>& ex, HttpResponse response);
  void Fail(const std::shared_ptr<Exchange>& ex, const ApiError& error);
  void ReplyJson(const std::shared_ptr<Exchange>& ex, int status, std::string json);
  void AddCommonHeaders(HttpResponse* response, const std::string& request_id) const;
  std::string SessionCookie(const std::string& id, absl::Duration max_age) const;

  GatewayOptions options_;
  GatewayDeps deps_;
  FixedWindowLimiter address_limiter_;
  FixedWindowLimiter principal_limiter_;
  LoginThrottle login_throttle_;
  std::string openapi_;
  std::atomic<bool> draining_{false};
};

// A valid incoming X-Request-Id (1-128 of [A-Za-z0-9._:-]) or a new random one.
std::string RequestIdFor(std::string_view incoming);

// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace tiquete::gateway
