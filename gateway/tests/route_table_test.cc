// The route table built from every tiquete.* service linked into the gateway, the role ×
// route matrix through the real pipeline, and the OpenAPI document.
#include <catch2/catch.hpp>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <set>

#include "absl/strings/str_replace.h"
#include "gateway/openapi.h"
#include "gateway/tests/fakes.h"
#include "gwtest/things/v1/things.pb.h"

namespace tiquete::gateway {
namespace {

using namespace testing;  // NOLINT

// The directory's role codes (tiquete.directory.v1.Person.roles).
const std::vector<std::string> kRoles = {"requester",       "agent_l1",         "specialist_l2",
                                         "provider",        "coordinator",      "incident_manager",
                                         "problem_manager", "request_manager",  "security_officer",
                                         "admin",           "reporting_viewer", "integration"};

const RouteTable& RealTable() {
  static const RouteTable* table = [] {
    auto t = RouteTable::FromGeneratedPool();
    INFO(t.status().ToString());
    REQUIRE(t.ok());
    return new RouteTable(*std::move(t));
  }();
  return *table;
}

// A concrete URL for a route: every {variable} becomes "1".
std::string UrlFor(const Route& r) {
  std::string url;
  bool in_var = false;
  for (char c : r.path.text()) {
    if (c == '{') {
      in_var = true;
      url += "1";
    } else if (c == '}') {
      in_var = false;
    } else if (!in_var) {
      url += c;
    }
  }
  return url;
}

}  // namespace

TEST_CASE("every RPC with an http option in the linked tiquete services becomes a route") {
  const RouteTable& table = RealTable();
  std::set<std::string> services;
  for (const auto& s : TiqueteServices()) services.insert(s->full_name());
  CHECK(services.count("tiquete.directory.v1.DirectoryService") == 1);
  CHECK(services.count("tiquete.directory.v1.CredentialService") == 1);
  CHECK(services.count("tiquete.gateway.v1.AuthService") == 1);
  auto match = table.Match("GET", "/v1/directory/people/4f1c");
  REQUIRE(match.route != nullptr);
  CHECK(match.route->grpc_path == "/tiquete.directory.v1.DirectoryService/GetPerson");
  CHECK(match.route->service == "directory");
  // RPCs without an http option (gateway-internal) have no route.
  for (const Route& r : table.routes()) {
    CHECK(r.method->name() != "VerifyPassword");
    CHECK(r.method->name() != "VerifyApiToken");
  }
  const auto keys = TiqueteServiceKeys();
  CHECK(std::find(keys.begin(), keys.end(), "directory") != keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "gateway") == keys.end());
  for (const auto& k : table.BackendServices()) {
    CHECK(std::find(keys.begin(), keys.end(), k) != keys.end());
  }
  const auto backends = table.BackendServices();
  CHECK(std::find(backends.begin(), backends.end(), "directory") != backends.end());
  CHECK(std::find(backends.begin(), backends.end(), "gateway") == backends.end());
}

TEST_CASE("every role named in an access option is a directory role, and every route has one") {
  for (const Route& r : RealTable().routes()) {
    INFO(r.operation_id);
    CHECK((r.has_access || r.local()));
    for (const auto& role : r.access.roles()) {
      INFO(role);
      CHECK(std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end());
    }
  }
}

TEST_CASE("a literal route wins over a variable one, and 405 lists the allowed methods") {
  auto t = RouteTable::FromServices({gwtest::things::v1::Thing::descriptor()->file()->service(0)});
  REQUIRE(t.ok());
  CHECK(t->Match("GET", "/v1/things:lookup").route->method->name() == "LookupThing");
  CHECK(t->Match("GET", "/v1/things/x").route->method->name() == "GetThing");
  auto m = t->Match("PUT", "/v1/things/x");
  CHECK(m.route == nullptr);
  CHECK(m.allowed_methods == std::vector<std::string>{"GET", "PATCH"});
  CHECK(t->Match("GET", "/v1/nothing").allowed_methods.empty());
}

TEST_CASE("every role against every route: allowed roles reach the backend, others get 403") {
  const RouteTable& table = RealTable();
  FakeClock clock;
  InMemorySessionStore sessions(&clock, SessionLimits{});
  InMemoryCounterStore counters(&clock);
  FakeCredentials creds;
  FakeBackend backend;
  GatewayDeps deps;
  deps.routes = &table;
  for (const auto& s : table.BackendServices()) deps.backends[s] = &backend;
  deps.sessions = &sessions;
  deps.counters = &counters;
  deps.credentials = &creds;
  deps.clock = &clock;
  GatewayOptions options;
  options.rate_limit_per_address = 0;
  options.rate_limit_per_principal = 0;
  Gateway gateway(options, deps);

  std::map<std::string, std::pair<std::string, std::string>> signed_in;  // role → cookie, csrf
  for (const auto& role : kRoles) {
    creds.AddAccount(role + "@t.co", "Clave-Demo-2026", PersonWith("p-" + role, role));
    HttpResponse r =
        Run(gateway, Req("POST", "/v1/auth/login",
                         R"({"email":")" + role + R"(@t.co","password":"Clave-Demo-2026"})"));
    REQUIRE(r.status == 200);
    std::string cookie(r.Header("Set-Cookie"));
    google::protobuf::Struct info;
    REQUIRE(google::protobuf::util::JsonStringToMessage(r.body, &info).ok());
    signed_in[role] = {cookie.substr(0, cookie.find(';')),
                       info.fields().at("csrf_token").string_value()};
  }

  int checked = 0;
  for (const Route& route : table.routes()) {
    if (route.local()) continue;
    const std::string url = UrlFor(route);
    const std::string body = route.body.empty() ? "" : "{}";
    HttpResponse anon = Run(gateway, Req(route.http_method, url, body));
    INFO(route.http_method << " " << url << " anonymous: " << anon.body);
    CHECK(anon.status == 401);
    for (const auto& role : kRoles) {
      const bool allowed =
          route.has_access && (route.access.any_authenticated() ||
                               std::find(route.access.roles().begin(), route.access.roles().end(),
                                         role) != route.access.roles().end());
      const size_t before = backend.calls().size();
      HttpResponse r =
          Run(gateway,
              Req(route.http_method, url, body,
                  {{"cookie", signed_in[role].first}, {"x-csrf-token", signed_in[role].second}}));
      INFO(route.http_method << " " << url << " as " << role << ": " << r.status << " " << r.body);
      if (allowed) {
        CHECK(r.status == 200);
        REQUIRE(backend.calls().size() == before + 1);
        CHECK(backend.calls().back().call.grpc_path == route.grpc_path);
        CHECK(backend.calls().back().call.caller.roles(0) == role);
      } else {
        CHECK(r.status == 403);
        CHECK(r.body.find("ROLE_REQUIRED") != std::string::npos);
        CHECK(backend.calls().size() == before);
      }
      ++checked;
    }
  }
  CHECK(checked >= 12 * 40);
}

TEST_CASE("the OpenAPI document is JSON with one operation per route, its parameters and roles") {
  const RouteTable& table = RealTable();
  const std::string doc = OpenApiDocument(table, "test");
  google::protobuf::Struct root;
  REQUIRE(google::protobuf::util::JsonStringToMessage(doc, &root).ok());
  CHECK(root.fields().at("openapi").string_value() == "3.0.3");
  const auto& paths = root.fields().at("paths").struct_value().fields();
  const auto& schemas =
      root.fields().at("components").struct_value().fields().at("schemas").struct_value().fields();
  std::set<std::string> operation_ids;
  size_t operations = 0;
  for (const Route& r : table.routes()) {
    INFO(r.operation_id);
    REQUIRE(paths.count(r.path.text()) == 1);
    const auto& item = paths.at(r.path.text()).struct_value().fields();
    std::string method = r.http_method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    REQUIRE(item.count(method) == 1);
    const auto& op = item.at(method).struct_value().fields();
    ++operations;
    CHECK(operation_ids.insert(op.at("operationId").string_value()).second);
    CHECK(op.at("x-roles").list_value().values_size() == r.access.roles_size());
    // Every path variable is declared as a required path parameter.
    for (const std::string& var : r.path.variables()) {
      bool found = false;
      for (const auto& p : op.at("parameters").list_value().values()) {
        const auto& pf = p.struct_value().fields();
        if (pf.at("name").string_value() == var && pf.at("in").string_value() == "path") {
          found = pf.at("required").bool_value();
        }
      }
      CHECK(found);
    }
    // Request and response schemas resolve to components.
    const auto& ok = op.at("responses").struct_value().fields().at("200").struct_value().fields();
    const std::string ref = ok.at("content")
                                .struct_value()
                                .fields()
                                .at("application/json")
                                .struct_value()
                                .fields()
                                .at("schema")
                                .struct_value()
                                .fields()
                                .at("$ref")
                                .string_value();
    CHECK(schemas.count(ref.substr(std::string("#/components/schemas/").size())) == 1);
    CHECK(op.count("requestBody") == (r.body.empty() ? 0u : 1u));
  }
  CHECK(operations == table.routes().size());
  // Every $ref anywhere points at a defined schema.
  size_t at = 0;
  while ((at = doc.find("\"$ref\":\"#/components/schemas/", at)) != std::string::npos) {
    at += std::string("\"$ref\":\"#/components/schemas/").size();
    const std::string name = doc.substr(at, doc.find('"', at) - at);
    INFO(name);
    CHECK(schemas.count(name) == 1);
  }
  // GET list routes document their query parameters, nested ones with dots.
  const auto& list_people =
      paths.at("/v1/directory/people").struct_value().fields().at("get").struct_value().fields();
  bool page_size = false;
  for (const auto& p : list_people.at("parameters").list_value().values()) {
    if (p.struct_value().fields().at("name").string_value() == "page.page_size") page_size = true;
  }
  CHECK(page_size);
  // Sign-in is public.
  const auto& login =
      paths.at("/v1/auth/login").struct_value().fields().at("post").struct_value().fields();
  CHECK(login.at("security").list_value().values_size() == 0);
}

}  // namespace tiquete::gateway
