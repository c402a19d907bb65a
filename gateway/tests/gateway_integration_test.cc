// The real gateway in front of the real directory, PostgreSQL and Redis (see stack.h).
#include <catch2/catch.hpp>

#include "absl/strings/numbers.h"
#include "gateway/tests/stack.h"

namespace tiquete::gateway {
namespace {

using testing::Browser;
using testing::CheckError;
using testing::Field;
using testing::Json;
using testing::RawResponse;
using testing::Request;
using testing::Stack;

}  // namespace

TEST_CASE("sign in, see who I am, create and read a person through the gateway, sign out") {
  Stack s;
  const std::string admin_id =
      s.AddAccount("jorge.oviedo@sedtolima.gov.co", "admin", "Demo-Admin-2026");
  Browser admin = s.SignIn("Jorge.Oviedo@sedtolima.gov.co", "Demo-Admin-2026");

  auto me = s.Http(Request("GET", "/v1/auth/me", "", admin.Headers(false)));
  REQUIRE(me);
  REQUIRE(me->status == 200);
  CHECK(Field(me->body, "person_id") == admin_id);

  // Without an org unit the directory's own validation answers, through the error model.
  auto created = s.Http(Request("POST", "/v1/directory/people",
                                R"({"person":{"email":"rosa.diaz@iesanjose.edu.co",)"
                                R"("given_name":"Rosa","family_name":"Díaz"}})",
                                admin.Headers(true)));
  CheckError(created, 400, "REQUIRED");
  CHECK(Json(created->body)
            .fields()
            .at("details")
            .struct_value()
            .fields()
            .at("field")
            .string_value() == "org_unit_id");

  auto unit = s.Http(
      Request("GET", "/v1/directory/org-units:lookup?code=SED-TOL", "", admin.Headers(false)));
  REQUIRE(unit);
  REQUIRE(unit->status == 200);
  const std::string unit_id = Field(unit->body, "id");
  created = s.Http(Request("POST", "/v1/directory/people",
                           R"({"person":{"email":"rosa.diaz@iesanjose.edu.co","given_name":"Rosa",)"
                           R"("family_name":"Díaz","org_unit_id":")" +
                               unit_id + R"("}})",
                           admin.Headers(true) + "X-Request-Id: create-rosa-1\r\n"));
  REQUIRE(created);
  INFO(created->body);
  REQUIRE(created->status == 200);
  CHECK(created->Header("x-request-id") == "create-rosa-1");
  const std::string rosa = Field(created->body, "id");
  auto got = s.Http(Request("GET", "/v1/directory/people/" + rosa, "", admin.Headers(false)));
  REQUIRE(got);
  CHECK(got->status == 200);
  CHECK(Field(got->body, "email") == "rosa.diaz@iesanjose.edu.co");
  CHECK(Field(got->body, "display_name") == "Rosa Díaz");

  auto out = s.Http(Request("POST", "/v1/auth/logout", "", admin.Headers(true)));
  REQUIRE(out);
  CHECK(out->status == 200);
  CheckError(s.Http(Request("GET", "/v1/auth/me", "", admin.Headers(false))), 401, "NOT_SIGNED_IN");
}

TEST_CASE("five wrong passwords lock the account in Redis with Retry-After") {
  Stack s;
  s.AddAccount("laura.ospina@sedtolima.gov.co", "agent_l1", "Demo-Mesa-2026");
  for (int i = 0; i < 5; ++i) {
    CheckError(s.Login("laura.ospina@sedtolima.gov.co", "Otra-Clave-99"), 401,
               "INVALID_CREDENTIALS");
  }
  auto locked = s.Login("laura.ospina@sedtolima.gov.co", "Demo-Mesa-2026");
  CheckError(locked, 429, "TOO_MANY_LOGIN_ATTEMPTS");
  int retry_after = 0;
  REQUIRE(absl::SimpleAtoi(locked->Header("retry-after"), &retry_after));
  CHECK(retry_after > 800);
  CHECK(retry_after <= 900);
  // An unknown email is refused exactly like a wrong password.
  CheckError(s.Login("nadie@sedtolima.gov.co", "Demo-Mesa-2026"), 401, "INVALID_CREDENTIALS");
}

TEST_CASE("a requester cannot reach coordinator-only routes, unknown ids are the service's 404") {
  Stack s;
  s.AddAccount("rosa.diaz@iesanjose.edu.co", "requester", "Demo-Solicitante-2026");
  Browser rosa = s.SignIn("rosa.diaz@iesanjose.edu.co", "Demo-Solicitante-2026");
  CheckError(s.Http(Request("POST", "/v1/directory/groups",
                            R"({"group":{"code":"X","name":"X","level":"L1","kind":"support"}})",
                            rosa.Headers(true))),
             403, "ROLE_REQUIRED");
  CheckError(s.Http(Request("GET", "/v1/directory/people?query=a", "", rosa.Headers(false))), 403,
             "ROLE_REQUIRED");
  auto missing =
      s.Http(Request("GET", "/v1/directory/org-units/5b0e8c1a-51f4-4c38-8d2e-6f0f2d0c0a11", "",
                     rosa.Headers(false) + "Accept-Language: es-CO\r\n"));
  CheckError(missing, 404, "NOT_FOUND");
  CHECK(Field(missing->body, "message") == "No se encontró el registro solicitado.");
}

TEST_CASE("malformed, unknown-field and oversize bodies get 4xx JSON errors with a request id") {
  Stack s;
  s.AddAccount("angela.barragan@sedtolima.gov.co", "coordinator", "Demo-Coordina-2026");
  Browser coord = s.SignIn("angela.barragan@sedtolima.gov.co", "Demo-Coordina-2026");
  CheckError(
      s.Http(Request("POST", "/v1/directory/groups", R"({"group":{"code":)", coord.Headers(true))),
      400, "MALFORMED_JSON");
  CheckError(s.Http(Request("POST", "/v1/directory/groups", R"({"group":{"colour":"red"}})",
                            coord.Headers(true))),
             400, "UNKNOWN_FIELD");
  CheckError(s.Http(Request("POST", "/v1/directory/groups", R"({"group":{"name":7}})",
                            coord.Headers(true))),
             400, "INVALID_FIELD_VALUE");
  CheckError(s.Http(Request("POST", "/v1/directory/groups",
                            R"({"group":{"name":")" + std::string(70000, 'x') + R"("}})",
                            coord.Headers(true))),
             413, "BODY_TOO_LARGE");
  CheckError(
      s.Http(Request("GET", "/v1/directory/groups?page.page_size=lots", "", coord.Headers(false))),
      400, "INVALID_FIELD_VALUE");
  CheckError(s.Http(Request("GET", "/v1/no/such/route", "", coord.Headers(false))), 404,
             "ROUTE_NOT_FOUND");
}

TEST_CASE("an API token created through the gateway authenticates until it is revoked") {
  Stack s;
  s.AddAccount("zabbix@sedtolima.gov.co", "integration", "Demo-Integra-2026");
  Browser web = s.SignIn("zabbix@sedtolima.gov.co", "Demo-Integra-2026");
  auto created =
      s.Http(Request("POST", "/v1/auth/tokens", R"({"name":"Zabbix webhook"})", web.Headers(true)));
  REQUIRE(created);
  INFO(created->body);
  REQUIRE(created->status == 200);
  const std::string secret = Field(created->body, "secret");
  const std::string id =
      Json(created->body).fields().at("token").struct_value().fields().at("id").string_value();
  const std::string bearer = "Authorization: Bearer " + secret + "\r\n";
  auto me = s.Http(Request("GET", "/v1/auth/me", "", bearer));
  REQUIRE(me);
  CHECK(me->status == 200);
  CHECK(Field(me->body, "auth_method") == "api_token");
  // A bearer write needs no CSRF token.
  auto revoked = s.Http(Request("POST", "/v1/auth/tokens/" + id + ":revoke", "{}", bearer));
  REQUIRE(revoked);
  CHECK(revoked->status == 200);
  CheckError(s.Http(Request("GET", "/v1/auth/me", "", bearer)), 401, "INVALID_API_TOKEN");
}

TEST_CASE("readiness follows the directory's health and Redis") {
  Stack s;
  auto ready = s.Http(Request("GET", "/readyz"));
  REQUIRE(ready);
  INFO(ready->body);
  CHECK(ready->status == 200);
  s.redis().Stop();
  auto not_ready = s.Http(Request("GET", "/readyz"));
  REQUIRE(not_ready);
  CHECK(not_ready->status == 503);
  CHECK(not_ready->body.find(R"("unavailable":["redis"])") != std::string::npos);
  // Sessions need Redis: signing in now is a clear 503, not a hang or a 500.
  auto login = s.Login("x@y.co", "Demo-Admin-2026");
  REQUIRE(login);
  CHECK(login->status == 503);
}

}  // namespace tiquete::gateway
