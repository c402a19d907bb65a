// The gateway in front of the incident service: row-level visibility is the service's, the
// gateway only signs who is asking.
#include <catch2/catch.hpp>

#include "gateway/tests/stack.h"

namespace tiquete::gateway {
namespace {

using testing::CheckError;
using testing::Field;
using testing::Request;
using testing::Stack;

}  // namespace

TEST_CASE("a requester reads their own incident and gets 404 for another requester's") {
  Stack s(GatewayOptions{}, /*with_incident=*/true);
  s.AddAccount("rosa.diaz@iesanjose.edu.co", "requester", "Demo-Solicitante-2026");
  s.AddAccount("pedro.lugo@iesanjose.edu.co", "requester", "Demo-Solicitante-2027");
  s.AddAccount("laura.ospina@sedtolima.gov.co", "agent_l1", "Demo-Mesa-N1-2026");
  auto rosa = s.SignIn("rosa.diaz@iesanjose.edu.co", "Demo-Solicitante-2026");
  auto pedro = s.SignIn("pedro.lugo@iesanjose.edu.co", "Demo-Solicitante-2027");
  auto laura = s.SignIn("laura.ospina@sedtolima.gov.co", "Demo-Mesa-N1-2026");

  auto created = s.Http(Request("POST", "/v1/incidents",
                                R"({"title":"No abre el SIMAT","description":"Error al ingresar",)"
                                R"("channel":"PORTAL","idempotency_key":"rosa-1"})",
                                rosa.Headers(true)));
  REQUIRE(created);
  INFO(created->body);
  REQUIRE(created->status == 200);
  const std::string number = Field(created->body, "number");
  CHECK(number.rfind("INC-", 0) == 0);

  auto own = s.Http(Request("GET", "/v1/incidents/" + number, "", rosa.Headers(false)));
  REQUIRE(own);
  CHECK(own->status == 200);
  CHECK(Field(own->body, "title") == "No abre el SIMAT");
  CheckError(s.Http(Request("GET", "/v1/incidents/" + number, "", pedro.Headers(false))), 404,
             "NOT_FOUND");
  auto desk = s.Http(Request("GET", "/v1/incidents/" + number, "", laura.Headers(false)));
  REQUIRE(desk);
  CHECK(desk->status == 200);
  // A requester cannot use the desk's operations at all.
  CheckError(
      s.Http(Request("POST", "/v1/incidents/" + number + ":assign", "{}", pedro.Headers(true))),
      403, "ROLE_REQUIRED");
}

}  // namespace tiquete::gateway
