#include <set>
#include <tuple>

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "gateway/error_model.h"
#include "gateway/json_text.h"
#include "gateway/messages.h"
#include "gateway/tests/fakes.h"

using namespace tiquete::gateway;  // NOLINT

TEST_CASE("gRPC codes map to the documented HTTP statuses") {
  using C = grpc::StatusCode;
  const std::vector<std::pair<C, int>> expected = {
      {C::INVALID_ARGUMENT, 400},    {C::UNAUTHENTICATED, 401},    {C::PERMISSION_DENIED, 403},
      {C::NOT_FOUND, 404},           {C::ALREADY_EXISTS, 409},     {C::ABORTED, 409},
      {C::FAILED_PRECONDITION, 409}, {C::RESOURCE_EXHAUSTED, 429}, {C::UNAVAILABLE, 503},
      {C::DEADLINE_EXCEEDED, 504},   {C::INTERNAL, 500},           {C::UNKNOWN, 500},
      {C::DATA_LOSS, 500},           {C::UNIMPLEMENTED, 500},      {C::CANCELLED, 500}};
  for (const auto& [code, http] : expected) {
    INFO(tiquete::GrpcCodeName(code));
    CHECK(HttpStatusFor(code) == http);
  }
}

TEST_CASE("a service error keeps its reason and field, one without a reason uses the code name") {
  ApiError e = ApiErrorFromGrpc(
      tiquete::gateway::testing::ServiceError(grpc::StatusCode::INVALID_ARGUMENT, "INVALID_EMAIL",
                                              "email: not an address", "person.email"));
  CHECK(e.http_status == 400);
  CHECK(e.reason == "INVALID_EMAIL");
  CHECK(e.field == "person.email");
  const std::string body = ErrorBody(e, Language::kEs, "r-1");
  CHECK(
      body ==
      R"({"code":"INVALID_EMAIL","message":"El correo electrónico no es válido.","details":{"field":"person.email","grpc_code":"INVALID_ARGUMENT"},"request_id":"r-1"})");
  ApiError plain = ApiErrorFromGrpc(grpc::Status(grpc::StatusCode::DATA_LOSS, "disk"));
  CHECK(ErrorBody(plain, Language::kEn, "r-2").find(R"("code":"DATA_LOSS")") != std::string::npos);
  // A server-side failure without a reason: the generic sentence only (the text is logged).
  CHECK(
      ErrorBody(plain, Language::kEn, "r-2").find(R"("message":"An unexpected error occurred.")") !=
      std::string::npos);
  // A caller's fault without a translated reason keeps the service's words.
  ApiError odd = ApiErrorFromGrpc(tiquete::gateway::testing::ServiceError(
      grpc::StatusCode::INVALID_ARGUMENT, "SOMETHING_NEW", "limit: must be at most 10", ""));
  CHECK(ErrorBody(odd, Language::kEn, "r-2")
            .find("The request is not valid: limit: must be at most 10") != std::string::npos);
}

TEST_CASE("an illegal transition says in details which transitions the incident allows") {
  ApiError e = ApiErrorFromGrpc(tiquete::gateway::testing::ServiceError(
      grpc::StatusCode::FAILED_PRECONDITION, "ILLEGAL_TRANSITION",
      "cannot start an incident that is resolved; allowed from resolved: close → closed, "
      "reopen → in_progress",
      ""));
  CHECK(e.http_status == 409);
  const std::string body = ErrorBody(e, Language::kEs, "r-3");
  CHECK(body.find(R"("message":"El caso no puede pasar a ese estado desde su estado actual.")") !=
        std::string::npos);
  CHECK(body.find(R"("detail":"cannot start an incident that is resolved; allowed from )"
                  R"(resolved: close → closed, reopen → in_progress")") != std::string::npos);
}

TEST_CASE("database and transport texts never reach the caller, in message or detail") {
  // What common/pg.cc and gRPC put in statuses: constraint names, row contents, hosts.
  const std::vector<std::tuple<grpc::StatusCode, std::string, std::string>> failures = {
      {grpc::StatusCode::FAILED_PRECONDITION, "REFERENCE_VIOLATION",
       "database: ERROR: insert or update on table \"group_members\" violates foreign key "
       "constraint \"group_members_person_id_fkey\" DETAIL: Key (person_id)=(p-1) is not "
       "present in table \"people\". (SQLSTATE 23503)"},
      {grpc::StatusCode::INVALID_ARGUMENT, "DATABASE_ERROR",
       "database: ERROR: new row violates check constraint DETAIL: Failing row contains "
       "(secret-hash-material) (SQLSTATE 23514)"},
      {grpc::StatusCode::ALREADY_EXISTS, "DUPLICATE",
       "database: ERROR: duplicate key value violates unique constraint DETAIL: Key "
       "(email)=(secret@x.co) already exists. (SQLSTATE 23505)"},
      {grpc::StatusCode::UNAVAILABLE, "DATABASE_UNAVAILABLE",
       "database unreachable: connection to server at \"10.0.0.7\", port 5432 failed"},
      {grpc::StatusCode::UNAVAILABLE, "", "ipv4:10.0.0.9:8483: Connection refused"},
      {grpc::StatusCode::INTERNAL, "SOMETHING_NEW", "pqxx: relation x does not exist"},
      {grpc::StatusCode::ABORTED, "CONCURRENT_UPDATE",
       "database: ERROR: deadlock detected DETAIL: Process 4242 waits for ShareLock"},
  };
  for (const auto& [code, reason, text] : failures) {
    INFO(reason << " " << text);
    ApiError e = ApiErrorFromGrpc(tiquete::gateway::testing::ServiceError(code, reason, text, ""));
    for (Language language : {Language::kEs, Language::kEn}) {
      const std::string body = ErrorBody(e, language, "r-5");
      CHECK(body.find("database:") == std::string::npos);
      CHECK(body.find("unreachable") == std::string::npos);
      CHECK(body.find("SQLSTATE") == std::string::npos);
      CHECK(body.find("10.0.0") == std::string::npos);
      CHECK(body.find("secret") == std::string::npos);
      CHECK(body.find("pqxx") == std::string::npos);
      CHECK(body.find("Process") == std::string::npos);
    }
  }
}

TEST_CASE("the error body stays valid JSON whatever bytes the message holds") {
  ApiError e =
      HttpError(400, grpc::StatusCode::INVALID_ARGUMENT, "", "bad \"quote\"\n\xff\x01 end");
  const std::string body = ErrorBody(e, Language::kEn, "id\"x");
  CHECK(body.find("\\\"quote\\\"\\n\xEF\xBF\xBD\\u0001 end") != std::string::npos);
  CHECK(body.find(R"("request_id":"id\"x")") != std::string::npos);
  CHECK(SanitizeUtf8("a\xC3\xA9\xE2\x82") == "a\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(SanitizeUtf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
}

TEST_CASE("Spanish is the default language, English when the client prefers it") {
  CHECK(PickLanguage("") == Language::kEs);
  CHECK(PickLanguage("es-CO,es;q=0.9") == Language::kEs);
  CHECK(PickLanguage("en-US,en;q=0.9") == Language::kEn);
  CHECK(PickLanguage("en;q=0.4, es;q=0.8") == Language::kEs);
  CHECK(PickLanguage("es;q=0.2, EN-gb;q=0.7") == Language::kEn);
  CHECK(PickLanguage("fr-FR") == Language::kEs);
  CHECK(PickLanguage("en;q=0") == Language::kEs);
}

TEST_CASE("every reason has both translations, each reason once, sentences ending in a period") {
  std::set<std::string> seen;
  for (const Translation& t : AllTranslations()) {
    INFO(t.reason);
    CHECK(seen.insert(std::string(t.reason)).second);
    CHECK(!t.es.empty());
    CHECK(!t.en.empty());
    CHECK(t.es.back() == '.');
    CHECK(t.en.back() == '.');
    CHECK(t.es != t.en);
  }
}

TEST_CASE("the reasons services and the gateway return are translated") {
  // Reasons in use across services/ and common/ (kept in step with the source; a new reason
  // without a translation still gets the generic sentence, but should be added here).
  for (const char* reason : {"INVALID_EMAIL",
                             "EMAIL_TAKEN",
                             "STALE_VERSION",
                             "ILLEGAL_TRANSITION",
                             "NOT_FOUND",
                             "IDEMPOTENCY_KEY_REUSED",
                             "ATTACHMENT_TOO_LARGE",
                             "DATABASE_UNAVAILABLE",
                             "CODE_TAKEN",
                             "NATIONAL_ID_TAKEN",
                             "DANE_CODE_TAKEN",
                             "GROUP_INACTIVE",
                             "CALLER_SIGNATURE_INVALID",
                             "PASSWORD_TOO_SHORT",
                             "PASSWORD_TOO_COMMON",
                             "INVALID_CREDENTIALS",
                             "TOO_MANY_LOGIN_ATTEMPTS",
                             "CSRF_TOKEN_INVALID",
                             "ROLE_REQUIRED",
                             "NOT_SIGNED_IN",
                             "MALFORMED_JSON",
                             "UNKNOWN_FIELD",
                             "BODY_TOO_LARGE",
                             "HEADERS_TOO_LARGE",
                             "ROUTE_NOT_FOUND",
                             "METHOD_NOT_ALLOWED",
                             "RATE_LIMITED",
                             "URI_TOO_LONG",
                             "UNSUPPORTED_MEDIA_TYPE",
                             "REQUIRED",
                             "FORBIDDEN",
                             "CONFLICTING_FILTERS",
                             "NOT_A_COORDINATOR",
                             "REQUESTER_MISMATCH",
                             "DUPLICATE",
                             "UNKNOWN_CALENDAR",
                             "TOO_MANY_RULES"}) {
    INFO(reason);
    CHECK(FindTranslation(reason) != nullptr);
  }
  CHECK(LocalizedMessage("EMAIL_TAKEN", grpc::StatusCode::ALREADY_EXISTS, "x", Language::kEs) ==
        "Ya existe una persona con ese correo electrónico.");
  CHECK(LocalizedMessage("NO_SUCH", grpc::StatusCode::NOT_FOUND, "", Language::kEn) ==
        "What you asked for was not found.");
}
