// The request pipeline end to end with fakes behind it: sign-in, CSRF, roles, transcoding,
// the error model, throttling, request ids and the static web UI.
#include <catch2/catch.hpp>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>

#include "gateway/tests/fakes.h"
#include "gwtest/things/v1/things.pb.h"
#include "tiquete/gateway/v1/auth.pb.h"

namespace tiquete::gateway {
namespace {

using namespace testing;  // NOLINT
namespace things = gwtest::things::v1;

google::protobuf::Struct Json(const std::string& body) {
  google::protobuf::Struct s;
  auto status = google::protobuf::util::JsonStringToMessage(body, &s);
  INFO(body);
  REQUIRE(status.ok());
  return s;
}

std::string Str(const google::protobuf::Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "<missing>" : it->second.string_value();
}

class World {
 public:
  explicit World(GatewayOptions options = {}, const StaticFiles* files = nullptr) {
    auto t = RouteTable::FromServices({things::Thing::descriptor()->file()->service(0),
                                       v1::LoginRequest::descriptor()->file()->service(0)});
    REQUIRE(t.ok());
    routes_ = std::make_unique<RouteTable>(*std::move(t));
    creds.AddAccount("ana@sedtolima.gov.co", "Clave-Ana-2026",
                     PersonWith("p-ana", "coordinator", "ana@sedtolima.gov.co"));
    creds.AddAccount("rosa@iesanjose.edu.co", "Clave-Rosa-2026",
                     PersonWith("p-rosa", "requester", "rosa@iesanjose.edu.co"));
    creds.AddToken("tqt_zabbix", PersonWith("p-zabbix", "agent_l1"));
    GatewayDeps deps;
    deps.routes = routes_.get();
    deps.backends["things"] = &backend;
    deps.sessions = &sessions;
    deps.counters = &counters;
    deps.credentials = &creds;
    deps.clock = &clock;
    deps.static_files = files;
    gateway = std::make_unique<Gateway>(options, deps);
  }

  HttpResponse Do(HttpRequest r) { return Run(*gateway, std::move(r)); }

  // Signs in; returns {cookie header value, csrf token}.
  std::pair<std::string, std::string> Login(const std::string& email, const std::string& pw) {
    HttpResponse r = Do(Req("POST", "/v1/auth/login",
                            R"({"email":")" + email + R"(","password":")" + pw + R"("})"));
    INFO(r.body);
    REQUIRE(r.status == 200);
    std::string cookie(r.Header("Set-Cookie"));
    cookie = cookie.substr(0, cookie.find(';'));
    return {cookie, Str(Json(r.body), "csrf_token")};
  }

  FakeClock clock;
  FakeBackend backend;
  FakeCredentials creds;
  InMemorySessionStore sessions{&clock, SessionLimits{}};
  InMemoryCounterStore counters{&clock};
  std::unique_ptr<RouteTable> routes_;
  std::unique_ptr<Gateway> gateway;
};

}  // namespace

TEST_CASE("sign-in sets an HttpOnly session cookie, me shows the caller, logout ends it") {
  World w;
  HttpResponse login =
      w.Do(Req("POST", "/v1/auth/login",
               R"({"email":" Ana@SedTolima.gov.co ","password":"Clave-Ana-2026"})"));
  REQUIRE(login.status == 200);
  const std::string set_cookie(login.Header("Set-Cookie"));
  CHECK(set_cookie.rfind("tiquete_session=", 0) == 0);
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Lax") != std::string::npos);
  CHECK(set_cookie.find("Secure") == std::string::npos);
  auto info = Json(login.body);
  CHECK(Str(info, "person_id") == "p-ana");
  CHECK(Str(info, "auth_method") == "session");
  const std::string csrf = Str(info, "csrf_token");
  CHECK(csrf.size() >= 32);

  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  HttpResponse me = w.Do(Req("GET", "/v1/auth/me", "", {{"cookie", "theme=dark; " + cookie}}));
  REQUIRE(me.status == 200);
  CHECK(Str(Json(me.body), "email") == "ana@sedtolima.gov.co");
  CHECK(Str(Json(me.body), "csrf_token") == csrf);

  HttpResponse out =
      w.Do(Req("POST", "/v1/auth/logout", "", {{"cookie", cookie}, {"x-csrf-token", csrf}}));
  REQUIRE(out.status == 200);
  CHECK(std::string(out.Header("Set-Cookie")).find("Max-Age=0") != std::string::npos);
  HttpResponse after = w.Do(Req("GET", "/v1/auth/me", "", {{"cookie", cookie}}));
  CHECK(after.status == 401);
  CHECK(Str(Json(after.body), "code") == "NOT_SIGNED_IN");
}

TEST_CASE("Secure cookies and HSTS when the gateway runs behind TLS") {
  GatewayOptions o;
  o.cookie_secure = true;
  World w(o);
  HttpResponse login = w.Do(Req("POST", "/v1/auth/login",
                                R"({"email":"ana@sedtolima.gov.co","password":"Clave-Ana-2026"})"));
  CHECK(std::string(login.Header("Set-Cookie")).find("; Secure") != std::string::npos);
  CHECK(!login.Header("Strict-Transport-Security").empty());
}

TEST_CASE("a cookie-authenticated write needs the session's CSRF token, a bearer token does not") {
  World w;
  auto [cookie, csrf] = w.Login("ana@sedtolima.gov.co", "Clave-Ana-2026");
  const std::string body = R"({"reason":"fix"})";
  HttpResponse none = w.Do(Req("POST", "/v1/things/T-1:update", body, {{"cookie", cookie}}));
  CHECK(none.status == 403);
  CHECK(Str(Json(none.body), "code") == "CSRF_TOKEN_INVALID");
  HttpResponse wrong = w.Do(Req("POST", "/v1/things/T-1:update", body,
                                {{"cookie", cookie}, {"x-csrf-token", csrf.substr(1) + "x"}}));
  CHECK(wrong.status == 403);
  CHECK(w.backend.calls().empty());
  HttpResponse ok = w.Do(
      Req("POST", "/v1/things/T-1:update", body, {{"cookie", cookie}, {"x-csrf-token", csrf}}));
  CHECK(ok.status == 200);
  // Reads need no CSRF token.
  CHECK(w.Do(Req("GET", "/v1/things/T-1", "", {{"cookie", cookie}})).status == 200);
}

TEST_CASE(
    "anonymous callers get 401, callers without the role 403, and nothing reaches the backend") {
  World w;
  HttpResponse anon = w.Do(Req("GET", "/v1/things?state=NEW"));
  CHECK(anon.status == 401);
  CHECK(!anon.Header("WWW-Authenticate").empty());
  auto [cookie, csrf] = w.Login("rosa@iesanjose.edu.co", "Clave-Rosa-2026");
  HttpResponse denied = w.Do(Req("GET", "/v1/things?state=NEW", "", {{"cookie", cookie}}));
  CHECK(denied.status == 403);
  CHECK(Str(Json(denied.body), "code") == "ROLE_REQUIRED");
  // A route without an access option is closed to everyone.
  auto [admin_cookie, admin_csrf] = w.Login("ana@sedtolima.gov.co", "Clave-Ana-2026");
  CHECK(w.Do(Req("GET", "/v1/things:lookup", "", {{"cookie", admin_cookie}})).status == 403);
  CHECK(w.backend.calls().empty());
}

TEST_CASE("the backend gets the transcoded request, the caller and the request id") {
  World w;
  w.backend.respond = [](const BackendCall&, const google::protobuf::Message& request,
                         google::protobuf::Message* response) {
    auto* thing = google::protobuf::DynamicCastToGenerated<things::Thing>(response);
    thing->set_number(
        google::protobuf::DynamicCastToGenerated<things::UpdateThingRequest>(&request)->number());
    thing->set_title("Impresora");
    thing->set_version(4);
    return grpc::Status::OK;
  };
  auto [cookie, csrf] = w.Login("ana@sedtolima.gov.co", "Clave-Ana-2026");
  HttpResponse r =
      w.Do(Req("POST", "/v1/things/INC-2026-000123:update", R"({"thing":{"title":"Impresora"}})",
               {{"cookie", cookie}, {"x-csrf-token", csrf}, {"x-request-id", "req-42"}}));
  REQUIRE(r.status == 200);
  CHECK(
      r.body ==
      R"({"number":"INC-2026-000123","title":"Impresora","version":"4","state":"STATE_UNSPECIFIED"})");
  CHECK(r.Header("X-Request-Id") == "req-42");
  auto calls = w.backend.calls();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].call.grpc_path == "/gwtest.things.v1.ThingService/UpdateThing");
  CHECK(calls[0].call.request_id == "req-42");
  CHECK(calls[0].call.caller.person_id() == "p-ana");
  REQUIRE(calls[0].call.caller.roles_size() == 1);
  CHECK(calls[0].call.caller.roles(0) == "coordinator");
  things::UpdateThingRequest sent;
  REQUIRE(sent.ParseFromString(calls[0].request_bytes));
  CHECK(sent.number() == "INC-2026-000123");
  CHECK(sent.thing().title() == "Impresora");
}

TEST_CASE("backend errors keep their reason and field and are translated by Accept-Language") {
  World w;
  auto [cookie, csrf] = w.Login("ana@sedtolima.gov.co", "Clave-Ana-2026");
  struct Case {
    grpc::Status status;
    int http;
    const char* code;
  };
  const std::vector<Case> cases = {
      {ServiceError(grpc::StatusCode::ABORTED, "STALE_VERSION", "version 3 is stale", "version"),
       409, "STALE_VERSION"},
      {ServiceError(grpc::StatusCode::NOT_FOUND, "NOT_FOUND", "thing T-1 not found"), 404,
       "NOT_FOUND"},
      {ServiceError(grpc::StatusCode::FAILED_PRECONDITION, "ILLEGAL_TRANSITION", "closed → new"),
       409, "ILLEGAL_TRANSITION"},
      {grpc::Status(grpc::StatusCode::UNAVAILABLE, "connect failed"), 503, "BACKEND_UNAVAILABLE"},
      {grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline"), 504, "BACKEND_TIMEOUT"},
      {grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "quota"), 429, "RESOURCE_EXHAUSTED"},
      {grpc::Status(grpc::StatusCode::INTERNAL, "boom"), 500, "INTERNAL"},
  };
  for (const Case& c : cases) {
    w.backend.respond = [&](const BackendCall&, const google::protobuf::Message&,
                            google::protobuf::Message*) { return c.status; };
    HttpResponse r = w.Do(Req("GET", "/v1/things/T-1", "", {{"cookie", cookie}}));
    INFO(r.body);
    CHECK(r.status == c.http);
    auto body = Json(r.body);
    CHECK(Str(body, "code") == c.code);
    CHECK(!Str(body, "request_id").empty());
  }
  w.backend.respond = [](const BackendCall&, const google::protobuf::Message&,
                         google::protobuf::Message*) {
    return ServiceError(grpc::StatusCode::ABORTED, "STALE_VERSION", "stale", "version");
  };
  auto es = Json(w.Do(Req("GET", "/v1/things/T-1", "", {{"cookie", cookie}})).body);
  CHECK(Str(es, "message").find("Alguien más modificó") == 0);
  auto details = es.fields().at("details").struct_value();
  CHECK(details.fields().at("field").string_value() == "version");
  CHECK(details.fields().at("grpc_code").string_value() == "ABORTED");
  auto en = Json(w.Do(Req("GET", "/v1/things/T-1", "",
                          {{"cookie", cookie}, {"accept-language", "en-US,en;q=0.9,es;q=0.5"}}))
                     .body);
  CHECK(Str(en, "message").find("Someone else changed") == 0);
  // A reason missing from the table falls back to the code's sentence plus the service's text.
  w.backend.respond = [](const BackendCall&, const google::protobuf::Message&,
                         google::protobuf::Message*) {
    return ServiceError(grpc::StatusCode::INVALID_ARGUMENT, "BRAND_NEW_REASON", "title: too odd");
  };
  auto fb = Json(w.Do(Req("GET", "/v1/things/T-1", "", {{"cookie", cookie}})).body);
  CHECK(Str(fb, "code") == "BRAND_NEW_REASON");
  CHECK(Str(fb, "message") == "La solicitud no es válida: title: too odd");
}

TEST_CASE("unknown routes, wrong methods and bad bodies are 4xx JSON errors with a request id") {
  World w;
  auto [cookie, csrf] = w.Login("ana@sedtolima.gov.co", "Clave-Ana-2026");
  const std::vector<std::pair<std::string, std::string>> auth = {{"cookie", cookie},
                                                                 {"x-csrf-token", csrf}};
  HttpResponse nf = w.Do(Req("GET", "/v1/nothing/here", "", auth));
  CHECK(nf.status == 404);
  CHECK(Str(Json(nf.body), "code") == "ROUTE_NOT_FOUND");
  HttpResponse na = w.Do(Req("DELETE", "/v1/things/T-1", "", auth));
  CHECK(na.status == 405);
  CHECK(na.Header("Allow") == "GET, PATCH");
  HttpResponse bad = w.Do(Req("POST", "/v1/things/T-1:update", R"({"thing":)", auth));
  CHECK(bad.status == 400);
  CHECK(Str(Json(bad.body), "code") == "MALFORMED_JSON");
  HttpResponse unknown = w.Do(Req("POST", "/v1/things/T-1:update", R"({"colour":1})", auth));
  CHECK(unknown.status == 400);
  auto u = Json(unknown.body);
  CHECK(Str(u, "code") == "UNKNOWN_FIELD");
  CHECK(u.fields().at("details").struct_value().fields().at("field").string_value() == "colour");
  CHECK(!Str(u, "request_id").empty());
  auto form = auth;
  form.emplace_back("content-type", "application/x-www-form-urlencoded");
  HttpRequest f = Req("POST", "/v1/things/T-1:update", "", form);
  f.body = "reason=x";
  CHECK(w.Do(f).status == 415);
  CHECK(w.backend.calls().empty());
}

TEST_CASE("five wrong passwords lock the account for the window, with Retry-After") {
  World w;
  const std::string wrong = R"({"email":"ana@sedtolima.gov.co","password":"no-es-la-clave"})";
  for (int i = 0; i < 5; ++i) {
    HttpResponse r = w.Do(Req("POST", "/v1/auth/login", wrong));
    CHECK(r.status == 401);
    CHECK(Str(Json(r.body), "code") == "INVALID_CREDENTIALS");
  }
  HttpResponse locked = w.Do(Req(
      "POST", "/v1/auth/login", R"({"email":"ana@sedtolima.gov.co","password":"Clave-Ana-2026"})"));
  CHECK(locked.status == 429);
  CHECK(Str(Json(locked.body), "code") == "TOO_MANY_LOGIN_ATTEMPTS");
  CHECK(locked.Header("Retry-After") == "900");
  CHECK(w.creds.password_checks == 5);  // the locked attempt never reached the directory
  // Another account from the same address is not locked by these five.
  CHECK(w.Do(Req("POST", "/v1/auth/login",
                 R"({"email":"rosa@iesanjose.edu.co","password":"Clave-Rosa-2026"})"))
            .status == 200);
  w.clock.Advance(absl::Minutes(15));
  CHECK(w.Do(Req("POST", "/v1/auth/login",
                 R"({"email":"ana@sedtolima.gov.co","password":"Clave-Ana-2026"})"))
            .status == 200);
}

TEST_CASE("requests beyond the per-principal limit get 429 RATE_LIMITED until the minute ends") {
  GatewayOptions o;
  o.rate_limit_per_principal = 3;
  World w(o);
  auto [cookie, csrf] = w.Login("ana@sedtolima.gov.co", "Clave-Ana-2026");
  for (int i = 0; i < 3; ++i) {
    CHECK(w.Do(Req("GET", "/v1/things/T-1", "", {{"cookie", cookie}})).status == 200);
  }
  HttpResponse limited = w.Do(Req("GET", "/v1/things/T-1", "", {{"cookie", cookie}}));
  CHECK(limited.status == 429);
  CHECK(Str(Json(limited.body), "code") == "RATE_LIMITED");
  CHECK(limited.Header("Retry-After") == "60");
  w.clock.Advance(absl::Seconds(61));
  CHECK(w.Do(Req("GET", "/v1/things/T-1", "", {{"cookie", cookie}})).status == 200);
}

TEST_CASE("bearer tokens authenticate API calls, unknown ones are 401 INVALID_API_TOKEN") {
  World w;
  HttpResponse ok =
      w.Do(Req("GET", "/v1/things?state=NEW", "", {{"authorization", "Bearer tqt_zabbix"}}));
  CHECK(ok.status == 200);
  REQUIRE(w.backend.calls().size() == 1);
  CHECK(w.backend.calls()[0].call.caller.person_id() == "p-zabbix");
  HttpResponse bad =
      w.Do(Req("GET", "/v1/things?state=NEW", "", {{"authorization", "Bearer nope"}}));
  CHECK(bad.status == 401);
  CHECK(Str(Json(bad.body), "code") == "INVALID_API_TOKEN");
  HttpResponse basic = w.Do(Req("GET", "/v1/things", "", {{"authorization", "Basic YTpi"}}));
  CHECK(basic.status == 401);
  HttpResponse me = w.Do(Req("GET", "/v1/auth/me", "", {{"authorization", "Bearer tqt_zabbix"}}));
  CHECK(Str(Json(me.body), "auth_method") == "api_token");
  CHECK(Str(Json(me.body), "csrf_token").empty());
}

TEST_CASE("a session ends after 30 idle minutes or 12 hours, whichever comes first") {
  World w;
  auto [cookie, csrf] = w.Login("ana@sedtolima.gov.co", "Clave-Ana-2026");
  for (int i = 0; i < 25; ++i) {  // active every 29 minutes: 12 h 5 min in all
    w.clock.Advance(absl::Minutes(29));
    HttpResponse r = w.Do(Req("GET", "/v1/auth/me", "", {{"cookie", cookie}}));
    INFO("after " << (i + 1) * 29 << " min");
    CHECK(r.status == ((i + 1) * 29 < 12 * 60 ? 200 : 401));
  }
  auto [cookie2, csrf2] = w.Login("ana@sedtolima.gov.co", "Clave-Ana-2026");
  w.clock.Advance(absl::Minutes(31));
  HttpResponse idle = w.Do(Req("GET", "/v1/auth/me", "", {{"cookie", cookie2}}));
  CHECK(idle.status == 401);
  CHECK(std::string(idle.Header("Set-Cookie")).find("Max-Age=0") != std::string::npos);
}

TEST_CASE("request ids are echoed when well-formed and generated otherwise") {
  World w;
  CHECK(w.Do(Req("GET", "/healthz", "", {{"x-request-id", "abc-123"}})).Header("X-Request-Id") ==
        "abc-123");
  const auto generated = std::string(
      w.Do(Req("GET", "/healthz", "", {{"x-request-id", "bad id\r\n"}})).Header("X-Request-Id"));
  CHECK(generated.size() == 22);
  CHECK(std::string(w.Do(Req("GET", "/healthz")).Header("X-Request-Id")).size() == 22);
}

TEST_CASE("every response carries the security headers") {
  World w;
  for (const HttpResponse& r : {w.Do(Req("GET", "/healthz")), w.Do(Req("GET", "/v1/nope")),
                                w.Do(Req("GET", "/v1/openapi.json"))}) {
    CHECK(std::string(r.Header("Content-Security-Policy")).find("frame-ancestors 'none'") !=
          std::string::npos);
    CHECK(r.Header("X-Content-Type-Options") == "nosniff");
    CHECK(r.Header("Referrer-Policy") == "no-referrer");
  }
}

TEST_CASE("readiness is 503 naming the backends that are not SERVING") {
  World w;
  CHECK(w.Do(Req("GET", "/readyz")).status == 200);
  w.backend.health = grpc::Status(grpc::StatusCode::UNAVAILABLE, "NOT_SERVING");
  HttpResponse r = w.Do(Req("GET", "/readyz"));
  CHECK(r.status == 503);
  auto body = Json(r.body);
  REQUIRE(body.fields().at("unavailable").list_value().values_size() == 1);
  CHECK(body.fields().at("unavailable").list_value().values(0).string_value() == "things");
  w.gateway->StartDraining();
  w.backend.health = grpc::Status::OK;
  CHECK(w.Do(Req("GET", "/readyz")).status == 503);
  CHECK(w.Do(Req("GET", "/healthz")).status == 200);
}

TEST_CASE("the web UI is served with cache headers and a single-page-app fallback") {
  const std::string root = std::filesystem::temp_directory_path() / "tiq-gw-web-test";
  std::filesystem::create_directories(root + "/assets");
  std::ofstream(root + "/index.html") << "<!doctype html><title>Tiquete</title>";
  std::ofstream(root + "/assets/index-3f2a9c1b.js") << "console.log(1)";
  std::ofstream(root + "/favicon.svg") << "<svg/>";
  std::ofstream(root + "/.env") << "SECRET=1";
  StaticFiles files(root);
  World w(GatewayOptions{}, &files);
  HttpResponse index = w.Do(Req("GET", "/"));
  CHECK(index.status == 200);
  CHECK(index.Header("Cache-Control") == "no-cache");
  CHECK(index.Header("Content-Type") == "text/html; charset=utf-8");
  HttpResponse asset = w.Do(Req("GET", "/assets/index-3f2a9c1b.js"));
  CHECK(asset.status == 200);
  CHECK(asset.Header("Cache-Control") == "public, max-age=31536000, immutable");
  HttpResponse spa = w.Do(Req("GET", "/incidentes/INC-2026-000123"));
  CHECK(spa.status == 200);
  CHECK(spa.body == index.body);
  CHECK(w.Do(Req("GET", "/assets/missing-12345678.js")).status == 404);
  CHECK(w.Do(Req("GET", "/.env")).status == 404);
  CHECK(w.Do(Req("GET", "/assets/..%2F.env")).status == 404);
  const std::string etag(w.Do(Req("GET", "/favicon.svg")).Header("ETag"));
  HttpResponse again = w.Do(Req("GET", "/favicon.svg", "", {{"if-none-match", etag}}));
  CHECK(again.status == 304);
  CHECK(w.Do(Req("POST", "/", "{}")).status == 405);
  std::filesystem::remove_all(root);
}

}  // namespace tiquete::gateway

namespace tiquete::gateway {

TEST_CASE("metrics count requests by route template, with client-chosen methods bounded") {
  GatewayMetrics metrics(std::make_shared<prometheus::Registry>());
  metrics.ObserveRequest("/v1/incidents/{number}", "GET", 200, 0.002);
  metrics.ObserveRequest("/v1/incidents/{number}", "GET", 200, 0.004);
  metrics.ObserveRequest("unmatched", "BREW", 405, 0.0001);
  metrics.ObserveRequest("unmatched", "WHATEVER", 405, 0.0001);
  const std::string text = metrics.Render();
  CHECK(
      text.find(
          R"(tiquete_gateway_http_requests_total{method="GET",route="/v1/incidents/{number}",status="200"} 2)") !=
      std::string::npos);
  CHECK(text.find(R"(method="OTHER",route="unmatched",status="405"} 2)") != std::string::npos);
  CHECK(text.find("BREW") == std::string::npos);
  CHECK(text.find("tiquete_gateway_http_request_duration_seconds_bucket") != std::string::npos);
}

}  // namespace tiquete::gateway
