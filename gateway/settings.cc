#include "gateway/settings.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/caller.h"

namespace tiquete::gateway {
namespace {

std::string ValidateCount(const std::string& v) {
  int64_t n = 0;
  return absl::SimpleAtoi(v, &n) && n >= 0 ? "" : "must be a whole number (0 or more)";
}

std::string ValidateOptionalHostPort(const std::string& v) {
  return v.empty() ? "" : ValidateHostPort(v);
}

std::string ValidateBool(const std::string& v) { return ValidateOneOf(v, {"true", "false"}); }

int64_t Int64(const Config& c, const std::string& name) {
  int64_t n = 0;
  (void)absl::SimpleAtoi(c.Get(name), &n);  // validated at load
  return n;
}

}  // namespace

std::string BackendAddressSetting(const std::string& service) {
  return absl::StrCat("TIQUETE_", absl::AsciiStrToUpper(service), "_ADDR");
}

std::vector<Setting> GatewaySettingList(const std::vector<std::string>& backend_services) {
  std::vector<Setting> s = {
      {"TIQUETE_HTTP_ADDR", "127.0.0.1:8480", "HTTP listen address host:port", ValidateHostPort},
      {"TIQUETE_METRICS_ADDR", "127.0.0.1:9480",
       "Prometheus /metrics address host:port (also served on the HTTP port)", ValidateHostPort},
      {"TIQUETE_REDIS_ADDR", "127.0.0.1:6379", "Redis host:port for sessions and rate limits",
       ValidateHostPort},
      {"TIQUETE_LOG_LEVEL", "info", "debug|info|warning|error",
       [](const std::string& v) {
         return ValidateOneOf(v, {"debug", "info", "warning", "error"});
       }},
      CallerKeySetting(),
      {"TIQUETE_HTTP_THREADS", "0", "threads running the HTTP server (0: one per core)",
       ValidateCount},
      {"TIQUETE_BACKEND_DEADLINE_MS", "5000", "deadline of every backend gRPC call",
       ValidatePositiveInt},
      {"TIQUETE_SHUTDOWN_GRACE_MS", "10000", "drain time for in-flight requests on SIGTERM",
       ValidateDurationMs},
      {"TIQUETE_MAX_BODY_BYTES", "12582912", "largest request body (413 beyond)",
       ValidatePositiveInt},
      {"TIQUETE_MAX_HEADER_BYTES", "16384", "largest request header block (431 beyond)",
       ValidatePositiveInt},
      {"TIQUETE_MAX_URL_BYTES", "8192", "longest request URL (414 beyond)", ValidatePositiveInt},
      {"TIQUETE_HEADER_TIMEOUT_MS", "10000", "time to receive a request's headers",
       ValidatePositiveInt},
      {"TIQUETE_BODY_TIMEOUT_MS", "120000", "time to receive a request's body",
       ValidatePositiveInt},
      {"TIQUETE_WRITE_TIMEOUT_MS", "30000", "time to send a response", ValidatePositiveInt},
      {"TIQUETE_IDLE_TIMEOUT_MS", "60000", "keep-alive idle time before closing",
       ValidatePositiveInt},
      {"TIQUETE_MAX_CONNECTIONS", "10000", "open connections at most", ValidatePositiveInt},
      {"TIQUETE_WEB_ROOT", "web/dist", "directory of the built web UI", nullptr},
      {"TIQUETE_COOKIE_SECURE", "false", "true behind TLS: Secure cookies and HSTS", ValidateBool},
      {"TIQUETE_SESSION_IDLE_MS", "1800000", "a session ends after this long unused",
       ValidatePositiveInt},
      {"TIQUETE_SESSION_ABSOLUTE_MS", "43200000", "a session ends this long after sign-in",
       ValidatePositiveInt},
      {"TIQUETE_RATE_LIMIT_PER_ADDRESS", "3000",
       "anonymous requests per minute per client address (0: no limit)", ValidateCount},
      {"TIQUETE_RATE_LIMIT_PER_PRINCIPAL", "1200",
       "requests per minute per session or API token (0: no limit)", ValidateCount},
      {"TIQUETE_LOGIN_MAX_FAILURES", "5", "failed sign-ins per account per window",
       ValidatePositiveInt},
      {"TIQUETE_LOGIN_ADDRESS_MAX_FAILURES", "20", "failed sign-ins per address per window",
       ValidatePositiveInt},
      {"TIQUETE_LOGIN_WINDOW_MS", "900000", "sign-in throttling window", ValidatePositiveInt},
      {"TIQUETE_TOKEN_CACHE_MS", "30000",
       "how long a verified API token is trusted without asking the directory", ValidateDurationMs},
      {"TIQUETE_TRUST_FORWARDED_FOR", "false",
       "take the client address from X-Forwarded-For (only behind a trusted proxy)", ValidateBool},
  };
  for (const std::string& service : backend_services) {
    s.push_back({BackendAddressSetting(service), "",
                 absl::StrCat("gRPC address of the ", service, " service (empty: not configured)"),
                 ValidateOptionalHostPort});
  }
  return s;
}

GatewaySettings ReadGatewaySettings(const Config& c,
                                    const std::vector<std::string>& backend_services) {
  GatewaySettings s;
  s.http_addr = c.Get("TIQUETE_HTTP_ADDR");
  s.metrics_addr = c.Get("TIQUETE_METRICS_ADDR");
  s.redis_addr = c.Get("TIQUETE_REDIS_ADDR");
  s.log_level = c.Get("TIQUETE_LOG_LEVEL");
  s.caller_key_hex = c.Get("TIQUETE_CALLER_KEY");
  s.threads = c.GetInt("TIQUETE_HTTP_THREADS");
  s.backend_deadline = c.GetMillis("TIQUETE_BACKEND_DEADLINE_MS");
  s.shutdown_grace = c.GetMillis("TIQUETE_SHUTDOWN_GRACE_MS");
  s.token_cache_ttl = c.GetMillis("TIQUETE_TOKEN_CACHE_MS");
  s.web_root = c.Get("TIQUETE_WEB_ROOT");
  s.limits.max_body_bytes = static_cast<size_t>(Int64(c, "TIQUETE_MAX_BODY_BYTES"));
  s.limits.max_header_bytes = static_cast<size_t>(Int64(c, "TIQUETE_MAX_HEADER_BYTES"));
  s.limits.max_url_bytes = static_cast<size_t>(Int64(c, "TIQUETE_MAX_URL_BYTES"));
  s.limits.header_timeout = c.GetMillis("TIQUETE_HEADER_TIMEOUT_MS");
  s.limits.body_timeout = c.GetMillis("TIQUETE_BODY_TIMEOUT_MS");
  s.limits.write_timeout = c.GetMillis("TIQUETE_WRITE_TIMEOUT_MS");
  s.limits.idle_timeout = c.GetMillis("TIQUETE_IDLE_TIMEOUT_MS");
  s.limits.max_connections = c.GetInt("TIQUETE_MAX_CONNECTIONS");
  s.options.cookie_secure = c.Get("TIQUETE_COOKIE_SECURE") == "true";
  s.options.sessions.idle = c.GetMillis("TIQUETE_SESSION_IDLE_MS");
  s.options.sessions.absolute = c.GetMillis("TIQUETE_SESSION_ABSOLUTE_MS");
  s.options.rate_limit_per_address = Int64(c, "TIQUETE_RATE_LIMIT_PER_ADDRESS");
  s.options.rate_limit_per_principal = Int64(c, "TIQUETE_RATE_LIMIT_PER_PRINCIPAL");
  s.options.login.max_failures_per_account = Int64(c, "TIQUETE_LOGIN_MAX_FAILURES");
  s.options.login.max_failures_per_address = Int64(c, "TIQUETE_LOGIN_ADDRESS_MAX_FAILURES");
  s.options.login.window = c.GetMillis("TIQUETE_LOGIN_WINDOW_MS");
  s.options.trust_forwarded_for = c.Get("TIQUETE_TRUST_FORWARDED_FOR") == "true";
  for (const std::string& service : backend_services) {
    const std::string& addr = c.Get(BackendAddressSetting(service));
    if (!addr.empty()) s.backend_addresses[service] = addr;
  }
  return s;
}

}  // namespace tiquete::gateway
