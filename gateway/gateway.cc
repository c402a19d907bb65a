#include "gateway/gateway.h"

#include <algorithm>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/errors.h"
#include "common/log.h"
#include "gateway/access.h"
#include "gateway/gateway_internal.h"
#include "gateway/json_text.h"
#include "gateway/openapi.h"
#include "gateway/transcode.h"

namespace tiquete::gateway {
namespace {

constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

bool ValidRequestIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
         c == ':';
}

std::string ClientAddress(const HttpRequest& request, bool trust_forwarded_for) {
  if (trust_forwarded_for) {
    // The right-most entry is the one our own proxy appended; the rest is client-controlled.
    const std::string_view xff = request.Header("x-forwarded-for");
    if (!xff.empty()) {
      const size_t comma = xff.rfind(',');
      std::string last(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
      absl::StripAsciiWhitespace(&last);
      if (!last.empty()) return last;
    }
  }
  return request.remote_address;
}

// "application/json" or "application/json; charset=utf-8".
bool IsJsonContentType(std::string_view value) {
  std::string media(value.substr(0, value.find(';')));
  absl::StripAsciiWhitespace(&media);
  absl::AsciiStrToLower(&media);
  return media == "application/json";
}

}  // namespace

std::string RequestIdFor(std::string_view incoming) {
  if (!incoming.empty() && incoming.size() <= 128 &&
      std::all_of(incoming.begin(), incoming.end(), ValidRequestIdChar)) {
    return std::string(incoming);
  }
  return NewOpaqueToken().substr(0, 22);
}

std::string CookieValue(std::string_view header, std::string_view name) {
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(header.data(), header.size()), ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, absl::string_view(name.data(), name.size())) &&
        absl::ConsumePrefix(&part, "=")) {
      return std::string(part);
    }
  }
  return "";
}

Gateway::Gateway(GatewayOptions options, GatewayDeps deps)
    : options_(std::move(options)),
      deps_(std::move(deps)),
      address_limiter_(deps_.rate_counters ? deps_.rate_counters : deps_.counters,
                       "rate:address:", options_.rate_limit_per_address, absl::Minutes(1)),
      principal_limiter_(deps_.rate_counters ? deps_.rate_counters : deps_.counters,
                         "rate:principal:", options_.rate_limit_per_principal, absl::Minutes(1)),
      login_throttle_(deps_.counters, options_.login),
      openapi_(OpenApiDocument(*deps_.routes, options_.version)) {}

Gateway::~Gateway() = default;

void Gateway::AddCommonHeaders(HttpResponse* r, const std::string& request_id) const {
  r->SetHeader("X-Request-Id", request_id);
  r->SetHeader("Content-Security-Policy", kContentSecurityPolicy);
  r->SetHeader("X-Content-Type-Options", "nosniff");
  r->SetHeader("X-Frame-Options", "DENY");
  r->SetHeader("Referrer-Policy", "no-referrer");
  r->SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  r->SetHeader("Cross-Origin-Resource-Policy", "same-origin");
  if (options_.cookie_secure) {
    r->SetHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
}

std::string Gateway::SessionCookie(const std::string& id, absl::Duration max_age) const {
  return absl::StrCat(kSessionCookie, "=", id,
                      "; Path=/; HttpOnly; SameSite=Lax; Max-Age=", absl::ToInt64Seconds(max_age),
                      options_.cookie_secure ? "; Secure" : "");
}

void Gateway::Finish(const std::shared_ptr<Exchange>& ex, HttpResponse response) {
  if (ex->finished.exchange(true)) return;
  AddCommonHeaders(&response, ex->request_id);
  for (auto& h : ex->extra_headers) response.headers.push_back(std::move(h));
  if (!ex->stale_session.empty() && ex->route != nullptr) {
    // Tell the browser to forget a cookie that names no live session.
    response.headers.emplace_back("Set-Cookie", SessionCookie("", absl::ZeroDuration()));
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - ex->start);
  if (deps_.metrics != nullptr) {
    deps_.metrics->ObserveRequest(ex->route_label, ex->request.method, response.status, seconds);
  }
  if (response.status >= 500) {
    log::RequestScope scope(ex->request_id);
    log::Warning("http request failed", {{"method", ex->request.method},
                                         {"route", ex->route_label},
                                         {"status", std::to_string(response.status)}});
  }
  auto respond = std::move(ex->respond);
  respond(std::move(response));
}

void Gateway::Fail(const std::shared_ptr<Exchange>& ex, const ApiError& error) {
  HttpResponse r = ErrorResponse(error, ex->language, ex->request_id);
  r.SetHeader("Cache-Control", "no-store");
  if (error.http_status == 401) r.SetHeader("WWW-Authenticate", "Bearer realm=\"tiquete\"");
  Finish(ex, std::move(r));
}

void Gateway::ReplyJson(const std::shared_ptr<Exchange>& ex, int status, std::string json) {
  HttpResponse r;
  r.status = status;
  r.SetHeader("Content-Type", "application/json; charset=utf-8");
  r.SetHeader("Cache-Control", "no-store");
  r.body = std::move(json);
  Finish(ex, std::move(r));
}

HttpResponse Gateway::Reject(const HttpRequest& partial, const ApiError& error) {
  const std::string request_id = RequestIdFor(partial.Header("x-request-id"));
  HttpResponse r =
      ErrorResponse(error, PickLanguage(partial.Header("accept-language")), request_id);
  r.SetHeader("Cache-Control", "no-store");
  AddCommonHeaders(&r, request_id);
  r.close_connection = true;
  if (deps_.metrics != nullptr) {
    deps_.metrics->ObserveRequest("rejected", partial.method.empty() ? "?" : partial.method,
                                  r.status, 0);
  }
  return r;
}

void Gateway::Handle(HttpRequest request, Respond respond) {
  auto ex = std::make_shared<Exchange>();
  ex->start = absl::Now();
  ex->request_id = RequestIdFor(request.Header("x-request-id"));
  ex->language = PickLanguage(request.Header("accept-language"));
  auto [path, query] = SplitTarget(request.target);
  ex->path = std::string(path);
  ex->query = std::string(query);
  ex->address = ClientAddress(request, options_.trust_forwarded_for);
  ex->request = std::move(request);
  ex->respond = std::move(respond);
  const std::string& method = ex->request.method;
  const bool read = method == "GET" || method == "HEAD";

  if (ex->path == "/healthz" || ex->path == "/readyz" || ex->path == "/metrics") {
    ex->route_label = ex->path;
    if (!read) {
      ex->extra_headers.emplace_back("Allow", "GET, HEAD");
      return Fail(ex,
                  HttpError(405, grpc::StatusCode::UNIMPLEMENTED, "METHOD_NOT_ALLOWED", "use GET"));
    }
    if (ex->path == "/healthz") return ReplyJson(ex, 200, "{\"status\":\"ok\"}");
    if (ex->path == "/readyz") return Ready(ex);
    HttpResponse r;
    r.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.SetHeader("Cache-Control", "no-store");
    r.body = deps_.metrics != nullptr ? deps_.metrics->Render() : "";
    return Finish(ex, std::move(r));
  }
  if (ex->path == "/v1" || absl::StartsWith(ex->path, "/v1/")) return HandleApi(ex);
  ServeStatic(ex);
}

void Gateway::Ready(std::shared_ptr<Exchange> ex) {
  if (draining_) return ReplyJson(ex, 503, "{\"status\":\"draining\",\"unavailable\":[]}");
  struct Tally {
    std::mutex mu;
    size_t left;
    std::map<std::string, std::string> results;
  };
  std::vector<std::pair<std::string, std::function<void(std::function<void(grpc::Status)>)>>>
      checks;
  for (const auto& [name, backend] : deps_.backends) {
    checks.emplace_back(name, [backend = backend](auto done) { backend->CheckHealth(done); });
  }
  for (const auto& [name, check] : deps_.ready_checks) checks.emplace_back(name, check);
  if (checks.empty()) return ReplyJson(ex, 200, "{\"status\":\"ready\",\"unavailable\":[]}");
  auto tally = std::make_shared<Tally>();
  tally->left = checks.size();
  for (auto& [name, check] : checks) {
    check([this, ex, tally, name = name](grpc::Status status) {
      std::lock_guard lock(tally->mu);
      tally->results[name] = status.ok() ? "SERVING"
                                         : absl::StrCat(GrpcCodeName(status.error_code()), ": ",
                                                        status.error_message());
      if (--tally->left > 0) return;
      JsonValue body = JsonValue::Object();
      JsonValue unavailable = JsonValue::Array();
      JsonValue& checks_json = body["checks"];
      checks_json = JsonValue::Object();
      for (const auto& [n, result] : tally->results) {
        checks_json[n] = result;
        if (result != "SERVING") unavailable.Push(n);
      }
      const bool ready = unavailable.size() == 0;
      body["status"] = ready ? "ready" : "not_ready";
      body["unavailable"] = std::move(unavailable);
      ReplyJson(ex, ready ? 200 : 503, body.Dump());
    });
  }
}

void Gateway::ServeStatic(std::shared_ptr<Exchange> ex) {
  ex->route_label = "static";
  const std::string& method = ex->request.method;
  if (method != "GET" && method != "HEAD") {
    ex->extra_headers.emplace_back("Allow", "GET, HEAD");
    return Fail(ex, HttpError(405, grpc::StatusCode::UNIMPLEMENTED, "METHOD_NOT_ALLOWED",
                              absl::StrCat(method, " is not allowed here")));
  }
  if (deps_.static_files != nullptr) {
    HttpResponse r =
        deps_.static_files->Serve(ex->path, method == "HEAD", ex->request.Header("if-none-match"));
    if (r.status != 404) return Finish(ex, std::move(r));
  }
  Fail(ex, HttpError(404, grpc::StatusCode::NOT_FOUND, "ROUTE_NOT_FOUND",
                     absl::StrCat("nothing at ", SanitizeUtf8(ex->path))));
}

void Gateway::HandleApi(std::shared_ptr<Exchange> ex) {
  const std::string& method = ex->request.method;
  if (ex->path == "/v1/openapi.json") {
    ex->route_label = ex->path;
    if (method != "GET") {
      ex->extra_headers.emplace_back("Allow", "GET");
      return Fail(ex,
                  HttpError(405, grpc::StatusCode::UNIMPLEMENTED, "METHOD_NOT_ALLOWED", "use GET"));
    }
    HttpResponse r;
    r.SetHeader("Content-Type", "application/json; charset=utf-8");
    r.SetHeader("Cache-Control", "no-cache");
    r.body = openapi_;
    return Finish(ex, std::move(r));
  }
  RouteMatch match = deps_.routes->Match(method, ex->path);
  if (match.route == nullptr) {
    ex->route_label = "unmatched";
    if (!match.allowed_methods.empty()) {
      ex->extra_headers.emplace_back("Allow", absl::StrJoin(match.allowed_methods, ", "));
      return Fail(ex, HttpError(405, grpc::StatusCode::UNIMPLEMENTED, "METHOD_NOT_ALLOWED",
                                absl::StrCat(method, " is not allowed on this resource")));
    }
    return Fail(ex, HttpError(404, grpc::StatusCode::NOT_FOUND, "ROUTE_NOT_FOUND",
                              absl::StrCat("no route for ", method, " ", SanitizeUtf8(ex->path))));
  }
  ex->route = match.route;
  ex->bindings = std::move(match.bindings);
  ex->route_label = match.route->path.text();
  Authenticate(ex, [this, ex] { RateLimit(ex, [this, ex] { Dispatch(ex); }); });
}

void Gateway::Authenticate(std::shared_ptr<Exchange> ex, std::function<void()> next) {
  const std::string_view authorization = ex->request.Header("authorization");
  if (!authorization.empty()) {
    absl::string_view value(authorization.data(), authorization.size());
    if (!absl::StartsWithIgnoreCase(value, "bearer ")) {
      return Fail(ex, HttpError(401, grpc::StatusCode::UNAUTHENTICATED, "INVALID_API_TOKEN",
                                "only Authorization: Bearer <token> is accepted"));
    }
    const std::string secret(absl::StripAsciiWhitespace(value.substr(7)));
    if (secret.empty()) {
      return Fail(ex, HttpError(401, grpc::StatusCode::UNAUTHENTICATED, "INVALID_API_TOKEN",
                                "empty bearer token"));
    }
    if (deps_.credentials == nullptr) {
      return Fail(ex, HttpError(503, grpc::StatusCode::UNAVAILABLE, "SERVICE_NOT_CONFIGURED",
                                "no directory service is configured to check tokens"));
    }
    deps_.credentials->VerifyApiToken(
        secret, ex->request_id,
        [this, ex, secret, next = std::move(next)](absl::StatusOr<VerifiedPerson> person) {
          if (!person.ok()) {
            if (person.status().code() == absl::StatusCode::kUnauthenticated) {
              return Fail(ex, HttpError(401, grpc::StatusCode::UNAUTHENTICATED, "INVALID_API_TOKEN",
                                        std::string(person.status().message())));
            }
            return Fail(ex, ApiErrorFromStatus(person.status()));
          }
          Principal p;
          p.kind = Principal::Kind::kApiToken;
          p.caller = CallerFor(*person);
          p.email = person->email();
          p.credential = secret;
          ex->principal = std::move(p);
          next();
        });
    return;
  }
  const std::string cookie = CookieValue(ex->request.Header("cookie"), kSessionCookie);
  if (cookie.empty()) return next();
  deps_.sessions->Get(cookie, [this, ex, cookie, next = std::move(next)](
                                  absl::StatusOr<std::optional<Session>> session) {
    if (!session.ok()) {
      return Fail(ex, HttpError(503, grpc::StatusCode::UNAVAILABLE, "SESSION_STORE_UNAVAILABLE",
                                std::string(session.status().message())));
    }
    if (!session->has_value()) {
      ex->stale_session = cookie;
      return next();
    }
    Principal p;
    p.kind = Principal::Kind::kSession;
    p.caller = (*session)->caller;
    p.email = (*session)->email;
    p.credential = cookie;
    p.session = **session;
    ex->principal = std::move(p);
    next();
  });
}

void Gateway::RateLimit(std::shared_ptr<Exchange> ex, std::function<void()> next) {
  FixedWindowLimiter& limiter = ex->principal ? principal_limiter_ : address_limiter_;
  if (!limiter.enabled()) return next();
  const std::string key = ex->principal ? Sha256Hex(ex->principal->credential) : ex->address;
  limiter.Check(key, [this, ex, next = std::move(next)](absl::StatusOr<LimitDecision> d) {
    if (!d.ok()) {
      // Limits protect capacity; an unreachable Redis must not take the API down with it.
      log::RequestScope scope(ex->request_id);
      log::Warning("rate limit not checked", {{"error", d.status().ToString()}});
      return next();
    }
    if (!d->allowed) {
      ex->extra_headers.emplace_back(
          "Retry-After",
          std::to_string(std::max<int64_t>(
              1, absl::ToInt64Seconds(absl::Ceil(d->retry_after, absl::Seconds(1))))));
      return Fail(ex, HttpError(429, grpc::StatusCode::RESOURCE_EXHAUSTED, "RATE_LIMITED",
                                "too many requests in this minute"));
    }
    next();
  });
}

void Gateway::Dispatch(std::shared_ptr<Exchange> ex) {
  const Route& route = *ex->route;
  const std::string& method = ex->request.method;
  switch (Authorize(route, ex->principal ? &ex->principal->caller : nullptr)) {
    case AccessDecision::kAllow:
      break;
    case AccessDecision::kNotSignedIn:
      return Fail(ex, HttpError(401, grpc::StatusCode::UNAUTHENTICATED, "NOT_SIGNED_IN",
                                "sign in or send an API token"));
    case AccessDecision::kRoleMissing:
      return Fail(ex, HttpError(403, grpc::StatusCode::PERMISSION_DENIED, "ROLE_REQUIRED",
                                absl::StrCat(route.operation_id, " needs one of the roles: ",
                                             absl::StrJoin(route.access.roles(), ", "))));
  }
  const bool is_login = route.local() && route.method->name() == "Login";
  if (ex->principal && ex->principal->kind == Principal::Kind::kSession && !is_login &&
      IsUnsafeMethod(method) &&
      !CsrfTokenMatches(ex->principal->session.csrf_token, ex->request.Header("x-csrf-token"))) {
    return Fail(ex, HttpError(403, grpc::StatusCode::PERMISSION_DENIED, "CSRF_TOKEN_INVALID",
                              "send the session's csrf_token in the X-CSRF-Token header"));
  }
  if (!ex->request.body.empty() && !IsJsonContentType(ex->request.Header("content-type"))) {
    return Fail(ex, HttpError(415, grpc::StatusCode::INVALID_ARGUMENT, "UNSUPPORTED_MEDIA_TYPE",
                              "the body must be sent as Content-Type: application/json"));
  }
  ex->request_message.reset(google::protobuf::MessageFactory::generated_factory()
                                ->GetPrototype(route.method->input_type())
                                ->New());
  if (auto s =
          BuildRequest(route, ex->bindings, ex->query, ex->request.body, ex->request_message.get());
      !s.ok()) {
    return Fail(ex, ApiErrorFromStatus(s));
  }
  if (route.local()) {
    const std::string& name = route.method->name();
    if (name == "Login") return Login(ex);
    if (name == "Logout") return Logout(ex);
    if (name == "GetMe") return GetMe(ex);
    return Fail(ex, HttpError(501, grpc::StatusCode::UNIMPLEMENTED, "",
                              absl::StrCat("the gateway does not implement ", name)));
  }
  CallBackend(ex);
}

void Gateway::CallBackend(std::shared_ptr<Exchange> ex) {
  const Route& route = *ex->route;
  auto it = deps_.backends.find(route.service);
  if (it == deps_.backends.end()) {
    return Fail(ex, HttpError(503, grpc::StatusCode::UNAVAILABLE, "SERVICE_NOT_CONFIGURED",
                              absl::StrCat("no address is configured for the ", route.service,
                                           " service")));
  }
  ex->response_message.reset(google::protobuf::MessageFactory::generated_factory()
                                 ->GetPrototype(route.method->output_type())
                                 ->New());
  BackendCall call;
  call.grpc_path = route.grpc_path;
  call.request_id = ex->request_id;
  if (ex->principal) call.caller = ex->principal->caller;
  it->second->Call(call, *ex->request_message, ex->response_message.get(),
                   [this, ex](grpc::Status status) {
                     if (!status.ok()) return Fail(ex, ApiErrorFromGrpc(status));
                     auto json = MessageToJson(*ex->response_message);
                     if (!json.ok()) return Fail(ex, ApiErrorFromStatus(json.status()));
                     ReplyJson(ex, 200, *std::move(json));
                   });
}

}  // namespace tiquete::gateway
