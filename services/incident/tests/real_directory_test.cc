// The incident service's directory checks against the real directory service (its library
// served over gRPC on port 0) through the real GrpcDirectoryClient.
#include <catch2/catch.hpp>

#include "common/migrations.h"
#include "common/server.h"
#include "common/testing/test_db.h"
#include "services/directory/service.h"
#include "services/directory/store.h"
#include "services/incident/grpc_directory_client.h"
#include "services/incident/tests/fixture.h"

using namespace tiquete;            // NOLINT: test
using namespace tiquete::incident;  // NOLINT: test
namespace dir = tiquete::directory::v1;

namespace {

struct RealDirectory {
  tiquete::testing::TestDatabase db{{"directory"}};
  FakeClock clock;
  Metrics metrics{"directory_for_incident_test"};
  std::unique_ptr<PgPool> pool;
  std::unique_ptr<directory::DirectoryStore> store;
  std::unique_ptr<directory::DirectoryServiceImpl> service;
  std::unique_ptr<ServiceRunner> runner;
  std::unique_ptr<dir::DirectoryService::Stub> stub;

  RealDirectory() {
    auto conn = ConnectPg(db.UrlFor("directory"), "directory");
    REQUIRE(
        ApplyMigrations(*conn, "directory",
                        {{"common", &CommonMigrations()}, {"directory", &directory::Migrations()}})
            .ok());
    pool = db.PoolFor("directory");
    store = std::make_unique<directory::DirectoryStore>(*pool, clock);
    service = std::make_unique<directory::DirectoryServiceImpl>(*store);
    runner = std::make_unique<ServiceRunner>(
        ServerOptions{"tiquete.directory.v1.DirectoryService", "127.0.0.1:0"}, &metrics);
    runner->AddService(service.get());
    REQUIRE(runner->Start().ok());
    stub = dir::DirectoryService::NewStub(
        grpc::CreateChannel(address(), grpc::InsecureChannelCredentials()));
  }
  ~RealDirectory() { runner->Shutdown(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(runner->port()); }

  template <typename Request, typename Response>
  Response Must(grpc::Status (dir::DirectoryService::Stub::*method)(grpc::ClientContext*,
                                                                    const Request&, Response*),
                const Request& request) {
    grpc::ClientContext context;
    Response response;
    grpc::Status s = (stub.get()->*method)(&context, request, &response);
    INFO(s.error_message());
    REQUIRE(s.ok());
    return response;
  }
};

}  // namespace

TEST_CASE("assignment is checked against the real directory service", "[incident][directory]") {
  RealDirectory directory;
  using Stub = dir::DirectoryService::Stub;
  dir::CreateOrgUnitRequest unit;
  unit.mutable_org_unit()->set_code("SED-TOL");
  unit.mutable_org_unit()->set_name("Secretaría de Educación del Tolima");
  unit.mutable_org_unit()->set_kind("secretariat");
  const auto org = directory.Must(&Stub::CreateOrgUnit, unit);
  dir::CreateGroupRequest group;
  group.mutable_group()->set_code("ESPECIALISTAS");
  group.mutable_group()->set_name("Especialistas de segundo nivel");
  group.mutable_group()->set_level("L2");
  group.mutable_group()->set_kind("support");
  const auto specialists = directory.Must(&Stub::CreateGroup, group);
  auto person = [&](const std::string& email) {
    dir::CreatePersonRequest request;
    request.mutable_person()->set_email(email);
    request.mutable_person()->set_given_name("Laura");
    request.mutable_person()->set_family_name("Rojas");
    request.mutable_person()->set_org_unit_id(org.id());
    request.mutable_person()->add_roles("specialist_l2");
    return directory.Must(&Stub::CreatePerson, request);
  };
  const auto member = person("laura.rojas@sedtolima.gov.co");
  const auto outsider = person("pedro.diaz@sedtolima.gov.co");
  dir::GroupMemberRequest membership;
  membership.set_group_id(specialists.id());
  membership.set_person_id(member.id());
  directory.Must(&Stub::AddGroupMember, membership);
  dir::CreateCategoryRequest category;
  category.mutable_category()->set_name("Redes");
  category.mutable_category()->set_default_group_id(specialists.id());
  const auto networks = directory.Must(&Stub::CreateCategory, category);

  // The incident service, with the real adapter pointed at that directory.
  incident::testing::IncidentFixture f;  // for its database and clock
  CallerSigner signer(std::string(32, 'd'));
  GrpcDirectoryClient client(GrpcDirectoryClient::Connect(directory.address()), &signer);
  auto group_read = client.GetGroup(specialists.id());
  REQUIRE(group_read.ok());
  CHECK(group_read->level() == "L2");
  CHECK(group_read->active());
  auto member_read = client.GetPerson(member.id());
  REQUIRE(member_read.ok());
  REQUIRE(member_read->groups_size() == 1);
  CHECK(member_read->groups(0).id() == specialists.id());
  auto category_read = client.GetCategory(networks.id());
  REQUIRE(category_read.ok());
  CHECK(category_read->default_group_id() == specialists.id());
  CHECK(client.GetGroup("b0000000-0000-4000-8000-00000000dead").status().code() ==
        absl::StatusCode::kNotFound);

  IncidentStore store(*f.pool, &f.clock);
  IncidentManagement management(store, client, &f.clock, IncidentOptions{});
  Caller requester;
  requester.set_person_id(member.id());
  requester.add_roles("requester");
  v1::CreateIncidentRequest create;
  create.set_title("Switch del bloque B sin enlace");
  create.set_channel(v1::PORTAL);
  create.set_category_id(networks.id());
  auto created = management.Create(requester, create);
  REQUIRE(created.ok());
  CHECK(created->assignment_group_id() == specialists.id());  // the category's default group
  CHECK(created->level() == v1::L2);

  Caller coordinator;
  coordinator.set_person_id(outsider.id());
  coordinator.add_roles("coordinator");
  v1::AssignIncidentRequest assign;
  assign.set_number(created->number());
  assign.set_version(created->version());
  assign.set_assignee_id(outsider.id());
  auto refused = management.Assign(coordinator, assign);
  CHECK(ErrorReason(refused.status()) == "ASSIGNEE_NOT_IN_GROUP");
  assign.set_assignee_id(member.id());
  auto assigned = management.Assign(coordinator, assign);
  REQUIRE(assigned.ok());
  CHECK(assigned->assignee_id() == member.id());
}
