#include "gateway/tests/stack.h"

#include <catch2/catch.hpp>

#include <google/protobuf/util/json_util.h>

#include "common/migrations.h"
#include "services/directory/credentials_service.h"
#include "services/directory/domain/credentials.h"
#include "services/directory/domain/resources.h"
#include "services/directory/service.h"
#include "services/directory/store.h"
#ifdef TIQUETE_GATEWAY_TEST_INCIDENT
#include "services/incident/grpc_directory_client.h"
#include "services/incident/incident_management.h"
#include "services/incident/migrations.h"
#include "services/incident/service.h"
#include "services/incident/store.h"
#endif

namespace tiquete::gateway::testing {
namespace {

const std::string kKey(32, 'g');

std::unique_ptr<ServiceRunner> StartRunner(const std::string& name,
                                           std::vector<grpc::Service*> services) {
  ServerOptions so;
  so.service_name = name;
  so.listen_address = "127.0.0.1:0";
  so.shutdown_grace = absl::Seconds(2);
  auto runner = std::make_unique<ServiceRunner>(so, nullptr);
  for (auto* s : services) runner->AddService(s);
  REQUIRE(runner->Start().ok());
  return runner;
}

std::string Address(const ServiceRunner& r) { return "127.0.0.1:" + std::to_string(r.port()); }

}  // namespace

#ifdef TIQUETE_GATEWAY_TEST_INCIDENT
struct Stack::Incident {
  std::unique_ptr<PgPool> pool;
  std::unique_ptr<incident::IncidentStore> store;
  std::unique_ptr<incident::GrpcDirectoryClient> directory;
  std::unique_ptr<incident::IncidentManagement> management;
  std::unique_ptr<incident::IncidentServiceImpl> service;
  std::unique_ptr<ServiceRunner> runner;
};
#else
struct Stack::Incident {};
#endif

google::protobuf::Struct Json(const std::string& body) {
  google::protobuf::Struct s;
  INFO(body);
  REQUIRE(google::protobuf::util::JsonStringToMessage(body, &s).ok());
  return s;
}

std::string Field(const std::string& body, const std::string& key) {
  auto s = Json(body);
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

void CheckError(const std::optional<RawResponse>& r, int status, const std::string& code) {
  REQUIRE(r);
  INFO(r->body);
  CHECK(r->status == status);
  auto body = Json(r->body);
  CHECK(body.fields().at("code").string_value() == code);
  CHECK(!body.fields().at("request_id").string_value().empty());
  CHECK(body.fields().at("request_id").string_value() == r->Header("x-request-id"));
}

Stack::Stack(GatewayOptions options, bool with_incident)
    : db_(with_incident ? std::vector<std::string>{"directory", "incident"}
                        : std::vector<std::string>{"directory"}),
      signer_(kKey),
      redis_client_(redis_.address(), absl::Seconds(2)) {
  {
    auto conn = ConnectPg(db_.UrlFor("directory"), "directory");
    REQUIRE(
        ApplyMigrations(*conn, "directory",
                        {{"common", &CommonMigrations()}, {"directory", &directory::Migrations()}})
            .ok());
  }
  pool_ = db_.PoolFor("directory", 4);
  store_ = std::make_unique<directory::DirectoryStore>(*pool_, *SystemClock::Get());
  credentials_store_ = std::make_unique<directory::CredentialsStore>(*pool_, *SystemClock::Get());
  directory_ = std::make_unique<directory::DirectoryServiceImpl>(*store_);
  credential_service_ =
      std::make_unique<directory::CredentialServiceImpl>(*credentials_store_, signer_);
  runner_ = StartRunner("tiquete.directory.v1.DirectoryService",
                        {directory_.get(), credential_service_.get()});

  auto routes = RouteTable::FromGeneratedPool();
  REQUIRE(routes.ok());
  routes_ = std::make_unique<RouteTable>(*std::move(routes));
  backend_ = std::make_unique<GrpcBackend>(Address(*runner_), &signer_, absl::Seconds(5));
  GatewayDeps deps;
  deps.backends["directory"] = backend_.get();
  if (with_incident) {
#ifdef TIQUETE_GATEWAY_TEST_INCIDENT
    incident_ = std::make_unique<Incident>();
    {
      auto conn = ConnectPg(db_.UrlFor("incident"), "incident");
      REQUIRE(
          ApplyMigrations(*conn, "incident",
                          {{"common", &CommonMigrations()}, {"incident", &incident::Migrations()}})
              .ok());
    }
    incident_->pool = db_.PoolFor("incident", 4);
    incident_->store =
        std::make_unique<incident::IncidentStore>(*incident_->pool, SystemClock::Get());
    incident_->directory = std::make_unique<incident::GrpcDirectoryClient>(
        incident::GrpcDirectoryClient::Connect(Address(*runner_)), &signer_);
    incident_->management = std::make_unique<incident::IncidentManagement>(
        *incident_->store, *incident_->directory, SystemClock::Get(), incident::IncidentOptions{});
    incident_->service =
        std::make_unique<incident::IncidentServiceImpl>(*incident_->management, signer_);
    incident_->runner =
        StartRunner("tiquete.incident.v1.IncidentService", {incident_->service.get()});
    incident_backend_ =
        std::make_unique<GrpcBackend>(Address(*incident_->runner), &signer_, absl::Seconds(5));
    deps.backends["incident"] = incident_backend_.get();
#else
    FAIL("this test binary was built without the incident service");
#endif
  }
  verifier_ = std::make_unique<DirectoryCredentials>(backend_.get());
  sessions_ =
      std::make_unique<RedisSessionStore>(&redis_client_, SystemClock::Get(), options.sessions);
  counters_ = std::make_unique<RedisCounterStore>(&redis_client_);
  deps.routes = routes_.get();
  deps.sessions = sessions_.get();
  deps.counters = counters_.get();
  deps.credentials = verifier_.get();
  deps.ready_checks["redis"] = [this](std::function<void(grpc::Status)> done) {
    redis_client_.Execute({{"PING"}}, [done](absl::StatusOr<RedisReplies> r) {
      done(r.ok() ? grpc::Status::OK : grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis"));
    });
  };
  gateway_ = std::make_unique<Gateway>(options, deps);
  ServerLimits limits;
  limits.max_body_bytes = 64 * 1024;
  http_ = std::make_unique<HttpServer>(
      limits, [this](HttpRequest r, Respond respond) { gateway_->Handle(std::move(r), respond); },
      [this](const HttpRequest& r, const ApiError& e) { return gateway_->Reject(r, e); });
  REQUIRE(http_->Listen("127.0.0.1:0").ok());
  http_->Start(2);

  directory::v1::OrgUnit unit;
  unit.set_code("SED-TOL");
  unit.set_name("Secretaría de Educación del Tolima");
  unit.set_kind("secretariat");
  REQUIRE(directory::NormalizeOrgUnit(&unit).empty());
  auto created = store_->CreateOrgUnit(unit, {});
  REQUIRE(created.ok());
  org_unit_id_ = created->id();
}

Stack::~Stack() {
  http_->Shutdown(absl::Seconds(2));
#ifdef TIQUETE_GATEWAY_TEST_INCIDENT
  if (incident_) incident_->runner->Shutdown();
#endif
  runner_->Shutdown();
}

std::string Stack::AddAccount(const std::string& email, const std::string& role,
                              const std::string& password) {
  directory::v1::Person p;
  p.set_email(email);
  p.set_given_name("Demo");
  p.set_family_name(role);
  p.set_org_unit_id(org_unit_id_);
  p.add_roles(role);
  REQUIRE(directory::NormalizePerson(&p).empty());
  auto created = store_->CreatePerson(p, {});
  INFO(created.status().ToString());
  REQUIRE(created.ok());
  auto hash = directory::HashPassword(password);
  REQUIRE(hash.ok());
  REQUIRE(credentials_store_->SetPasswordHash(created->id(), *hash, {}).ok());
  return created->id();
}

std::optional<RawResponse> Stack::Http(const std::string& raw) {
  return HttpExchange(http_->port(), raw);
}

std::optional<RawResponse> Stack::Login(const std::string& email, const std::string& password) {
  return Http(Request("POST", "/v1/auth/login",
                      R"({"email":")" + email + R"(","password":")" + password + R"("})"));
}

Browser Stack::SignIn(const std::string& email, const std::string& password) {
  auto r = Login(email, password);
  REQUIRE(r);
  INFO(r->body);
  REQUIRE(r->status == 200);
  const std::string set_cookie = r->Header("set-cookie");
  return {set_cookie.substr(0, set_cookie.find(';')), Field(r->body, "csrf_token")};
}

}  // namespace tiquete::gateway::testing
