// CredentialService on a real gRPC server against a private database: passwords, the
// gateway-only verification RPCs, and API tokens.
#include <catch2/catch.hpp>

#include "common/caller.h"
#include "common/errors.h"
#include "services/directory/credentials_service.h"
#include "services/directory/tests/directory_fixture.h"

namespace tiquete::directory {
namespace {

using CredStub = v1::CredentialService::Stub;

const std::string kKey(32, 'k');

Caller System(const std::string& name) {
  Caller c;
  c.set_system(name);
  return c;
}

Caller Person(const std::string& id, const std::string& role = "requester") {
  Caller c;
  c.set_person_id(id);
  c.add_roles(role);
  return c;
}

class CredentialsHarness {
 public:
  CredentialsHarness()
      : signer_(kKey), store_(dir_.pool(), *SystemClock::Get()), service_(store_, signer_) {
    ServerOptions options;
    options.service_name = "tiquete.directory.v1.CredentialService";
    options.listen_address = "127.0.0.1:0";
    options.shutdown_grace = absl::Seconds(2);
    runner_ = std::make_unique<ServiceRunner>(options, nullptr);
    runner_->AddService(&service_);
    REQUIRE(runner_->Start().ok());
    stub_ = v1::CredentialService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(runner_->port()), grpc::InsecureChannelCredentials()));
    unit_ = dir_.AddOrgUnit("SED-TOL", "Secretaría de Educación del Tolima", "secretariat");
  }
  ~CredentialsHarness() { runner_->Shutdown(); }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (CredStub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                    const Caller& caller, const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    signer_.Attach(&context, caller);
    return (stub_.get()->*rpc)(&context, request, response);
  }

  v1::Person AddPerson(const std::string& email) {
    return dir_.AddPerson(email, "Laura", "Ospina", unit_.id());
  }

  grpc::Status SetPassword(const std::string& email, const std::string& password) {
    v1::SetPasswordRequest r;
    r.set_email(email);
    r.set_password(password);
    v1::SetPasswordResponse out;
    return Call(&CredStub::SetPassword, System("deploy"), r, &out);
  }

  grpc::Status Verify(const std::string& email, const std::string& password,
                      v1::VerifiedPerson* out, const Caller& caller = System("gateway")) {
    v1::VerifyPasswordRequest r;
    r.set_email(email);
    r.set_password(password);
    return Call(&CredStub::VerifyPassword, caller, r, out);
  }

  testing::DirectoryHarness& dir() { return dir_; }
  CredentialsStore& store() { return store_; }

 private:
  testing::DirectoryHarness dir_;
  CallerSigner signer_;
  CredentialsStore store_;
  CredentialServiceImpl service_;
  std::unique_ptr<ServiceRunner> runner_;
  std::unique_ptr<CredStub> stub_;
  v1::OrgUnit unit_;
};

std::string Reason(const grpc::Status& s) { return ErrorReason(FromGrpcStatus(s)); }

}  // namespace

TEST_CASE("a password set by a system caller verifies for the gateway with roles and groups") {
  CredentialsHarness h;
  const v1::Person p = h.AddPerson("laura.ospina@sedtolima.gov.co");
  const v1::Group g = h.dir().AddGroup("MESA", "Mesa de servicios");
  v1::GroupMemberRequest m;
  m.set_group_id(g.id());
  m.set_person_id(p.id());
  v1::GroupMember member;
  REQUIRE(h.dir().Call(&testing::Stub::AddGroupMember, m, &member).ok());
  REQUIRE(h.SetPassword("Laura.Ospina@sedtolima.gov.co", "Mesa-Tolima-2026").ok());

  v1::VerifiedPerson who;
  grpc::Status s = h.Verify("LAURA.OSPINA@sedtolima.gov.co ", "Mesa-Tolima-2026", &who);
  INFO(s.error_message());
  REQUIRE(s.ok());
  CHECK(who.person_id() == p.id());
  CHECK(who.display_name() == "Laura Ospina");
  REQUIRE(who.roles_size() == 1);
  CHECK(who.roles(0) == "requester");
  REQUIRE(who.group_ids_size() == 1);
  CHECK(who.group_ids(0) == g.id());
  CHECK(h.dir().Count("SELECT count(*) FROM outbox WHERE type = "
                      "'directory.credential.password_set'") == 1);
}

TEST_CASE(
    "a wrong password, an unknown email and a person without password are all "
    "UNAUTHENTICATED alike") {
  CredentialsHarness h;
  h.AddPerson("laura.ospina@sedtolima.gov.co");
  h.AddPerson("sin.clave@sedtolima.gov.co");
  REQUIRE(h.SetPassword("laura.ospina@sedtolima.gov.co", "Mesa-Tolima-2026").ok());
  v1::VerifiedPerson who;
  for (const auto& [email, password] : std::vector<std::pair<std::string, std::string>>{
           {"laura.ospina@sedtolima.gov.co", "Mesa-Tolima-2027"},
           {"nadie@sedtolima.gov.co", "Mesa-Tolima-2026"},
           {"sin.clave@sedtolima.gov.co", "Mesa-Tolima-2026"}}) {
    grpc::Status s = h.Verify(email, password, &who);
    INFO(email);
    CHECK(s.error_code() == grpc::StatusCode::UNAUTHENTICATED);
    CHECK(Reason(s) == "INVALID_CREDENTIALS");
  }
}

TEST_CASE("only the gateway may verify passwords and tokens") {
  CredentialsHarness h;
  const v1::Person p = h.AddPerson("laura.ospina@sedtolima.gov.co");
  REQUIRE(h.SetPassword("laura.ospina@sedtolima.gov.co", "Mesa-Tolima-2026").ok());
  v1::VerifiedPerson who;
  grpc::Status s =
      h.Verify("laura.ospina@sedtolima.gov.co", "Mesa-Tolima-2026", &who, Person(p.id(), "admin"));
  CHECK(s.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(Reason(s) == "GATEWAY_ONLY");
}

TEST_CASE("the password policy applies to set-password and a non-admin cannot set one") {
  CredentialsHarness h;
  const v1::Person p = h.AddPerson("laura.ospina@sedtolima.gov.co");
  CHECK(Reason(h.SetPassword("laura.ospina@sedtolima.gov.co", "corta")) == "PASSWORD_TOO_SHORT");
  CHECK(Reason(h.SetPassword("laura.ospina@sedtolima.gov.co", "laura.ospina")) ==
        "PASSWORD_IS_EMAIL");
  v1::SetPasswordRequest r;
  r.set_person_id(p.id());
  r.set_password("Mesa-Tolima-2026");
  v1::SetPasswordResponse out;
  grpc::Status s = h.Call(&CredStub::SetPassword, Person(p.id(), "coordinator"), r, &out);
  CHECK(s.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(h.Call(&CredStub::SetPassword, Person("x", "admin"), r, &out).ok());
}

TEST_CASE("a person changes their own password only with the current one") {
  CredentialsHarness h;
  const v1::Person p = h.AddPerson("laura.ospina@sedtolima.gov.co");
  REQUIRE(h.SetPassword("laura.ospina@sedtolima.gov.co", "Mesa-Tolima-2026").ok());
  v1::ChangePasswordRequest r;
  r.set_current_password("wrong-password-1");
  r.set_new_password("Nueva-Clave-2026");
  v1::ChangePasswordResponse out;
  grpc::Status s = h.Call(&CredStub::ChangePassword, Person(p.id()), r, &out);
  CHECK(Reason(s) == "WRONG_PASSWORD");
  r.set_current_password("Mesa-Tolima-2026");
  REQUIRE(h.Call(&CredStub::ChangePassword, Person(p.id()), r, &out).ok());
  v1::VerifiedPerson who;
  CHECK(h.Verify("laura.ospina@sedtolima.gov.co", "Nueva-Clave-2026", &who).ok());
  CHECK_FALSE(h.Verify("laura.ospina@sedtolima.gov.co", "Mesa-Tolima-2026", &who).ok());
}

TEST_CASE("an API token is shown once, verifies until revoked, and is stored only as a digest") {
  CredentialsHarness h;
  const v1::Person p = h.AddPerson("zabbix@sedtolima.gov.co");
  v1::CreateApiTokenRequest create;
  create.set_name("Zabbix webhook");
  create.set_idempotency_key("tok-1");
  v1::CreateApiTokenResponse created;
  REQUIRE(h.Call(&CredStub::CreateApiToken, Person(p.id()), create, &created).ok());
  CHECK(created.secret().rfind(created.token().prefix(), 0) == 0);
  CHECK(h.dir().Count("SELECT count(*) FROM api_tokens WHERE secret_sha256 LIKE '%" +
                      created.secret().substr(4, 8) + "%'") == 0);

  // A retry with the same key returns the same token, without a secret.
  v1::CreateApiTokenResponse retried;
  REQUIRE(h.Call(&CredStub::CreateApiToken, Person(p.id()), create, &retried).ok());
  CHECK(retried.token().id() == created.token().id());
  CHECK(retried.secret().empty());

  v1::VerifyApiTokenRequest verify;
  verify.set_secret(created.secret());
  v1::VerifiedPerson who;
  REQUIRE(h.Call(&CredStub::VerifyApiToken, System("gateway"), verify, &who).ok());
  CHECK(who.person_id() == p.id());

  v1::ListApiTokensRequest list;
  v1::ListApiTokensResponse listed;
  REQUIRE(h.Call(&CredStub::ListApiTokens, Person(p.id()), list, &listed).ok());
  REQUIRE(listed.tokens_size() == 1);
  CHECK(listed.tokens(0).has_last_use_time());

  // Another requester can neither see nor revoke it.
  const v1::Person other = h.AddPerson("otra@sedtolima.gov.co");
  v1::RevokeApiTokenRequest revoke;
  revoke.set_id(created.token().id());
  v1::ApiToken revoked;
  CHECK(h.Call(&CredStub::RevokeApiToken, Person(other.id()), revoke, &revoked).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  list.set_person_id(p.id());
  CHECK(h.Call(&CredStub::ListApiTokens, Person(other.id()), list, &listed).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);

  REQUIRE(h.Call(&CredStub::RevokeApiToken, Person(p.id()), revoke, &revoked).ok());
  CHECK(revoked.has_revoke_time());
  grpc::Status s = h.Call(&CredStub::VerifyApiToken, System("gateway"), verify, &who);
  CHECK(s.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(Reason(s) == "INVALID_API_TOKEN");
}

TEST_CASE("set-password on the command line applies the policy and reports the outcome") {
  CredentialsHarness h;
  h.AddPerson("jorge.oviedo@sedtolima.gov.co");
  std::ostringstream out, err;
  CHECK(RunSetPassword(h.store(),
                       {"set-password", "--email=jorge.oviedo@sedtolima.gov.co", "--password=123"},
                       out, err) == 1);
  CHECK(err.str().find("PASSWORD_TOO_SHORT") != std::string::npos);
  CHECK(RunSetPassword(
            h.store(),
            {"set-password", "--email=nadie@sedtolima.gov.co", "--password=Demo-Admin-2026"}, out,
            err) == 1);
  CHECK(RunSetPassword(
            h.store(),
            {"set-password", "--email=jorge.oviedo@sedtolima.gov.co", "--password=Demo-Admin-2026"},
            out, err) == 0);
  CHECK(out.str().find("password set for jorge.oviedo@sedtolima.gov.co") != std::string::npos);
  CHECK(RunSetPassword(h.store(), {"set-password"}, out, err) == 2);
}

}  // namespace tiquete::directory
