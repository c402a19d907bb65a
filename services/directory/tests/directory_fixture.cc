#include "services/directory/tests/directory_fixture.h"

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "common/migrations.h"

namespace tiquete::directory::testing {

DirectoryHarness::DirectoryHarness() : db_({"directory", "incident"}) {
  {
    auto conn = ConnectPg(db_.UrlFor("directory"), "directory");
    const absl::Status migrated = ApplyMigrations(
        *conn, "directory", {{"common", &CommonMigrations()}, {"directory", &Migrations()}});
    INFO(migrated.ToString());
    REQUIRE(migrated.ok());
  }
  pool_ = db_.PoolFor("directory", 4);
  store_ = std::make_unique<DirectoryStore>(*pool_, clock_);
  service_ = std::make_unique<DirectoryServiceImpl>(*store_);
  ServerOptions options;
  options.service_name = "tiquete.directory.v1.DirectoryService";
  options.listen_address = "127.0.0.1:0";
  options.shutdown_grace = absl::Seconds(2);
  runner_ = std::make_unique<ServiceRunner>(options, &metrics_);
  runner_->AddService(service_.get());
  const absl::Status started = runner_->Start();
  INFO(started.ToString());
  REQUIRE(started.ok());
  stub_ = v1::DirectoryService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(runner_->port()), grpc::InsecureChannelCredentials()));
}

DirectoryHarness::~DirectoryHarness() { runner_->Shutdown(); }

v1::OrgUnit DirectoryHarness::AddOrgUnit(const std::string& code, const std::string& name,
                                         const std::string& kind, const std::string& parent_id,
                                         const std::string& dane_code,
                                         const std::string& municipality) {
  v1::CreateOrgUnitRequest request;
  v1::OrgUnit* u = request.mutable_org_unit();
  u->set_code(code);
  u->set_name(name);
  u->set_kind(kind);
  u->set_parent_id(parent_id);
  u->set_dane_code(dane_code);
  u->set_municipality(municipality);
  v1::OrgUnit out;
  const grpc::Status status = Call(&Stub::CreateOrgUnit, request, &out);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return out;
}

v1::Person DirectoryHarness::AddPerson(const std::string& email, const std::string& given,
                                       const std::string& family, const std::string& org_unit_id) {
  v1::CreatePersonRequest request;
  v1::Person* p = request.mutable_person();
  p->set_email(email);
  p->set_given_name(given);
  p->set_family_name(family);
  p->set_org_unit_id(org_unit_id);
  v1::Person out;
  const grpc::Status status = Call(&Stub::CreatePerson, request, &out);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return out;
}

v1::Group DirectoryHarness::AddGroup(const std::string& code, const std::string& name) {
  v1::CreateGroupRequest request;
  v1::Group* g = request.mutable_group();
  g->set_code(code);
  g->set_name(name);
  g->set_level("L1");
  g->set_kind("support");
  v1::Group out;
  const grpc::Status status = Call(&Stub::CreateGroup, request, &out);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return out;
}

v1::Category DirectoryHarness::AddCategory(const std::string& name, const std::string& parent_id) {
  v1::CreateCategoryRequest request;
  request.mutable_category()->set_name(name);
  request.mutable_category()->set_parent_id(parent_id);
  v1::Category out;
  const grpc::Status status = Call(&Stub::CreateCategory, request, &out);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return out;
}

v1::ConfigurationItem DirectoryHarness::AddCi(const std::string& code, const std::string& name) {
  v1::CreateConfigurationItemRequest request;
  v1::ConfigurationItem* ci = request.mutable_configuration_item();
  ci->set_code(code);
  ci->set_name(name);
  ci->set_type("server");
  ci->set_criticality("medium");
  v1::ConfigurationItem out;
  const grpc::Status status = Call(&Stub::CreateConfigurationItem, request, &out);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return out;
}

int64_t DirectoryHarness::Count(const std::string& sql) {
  int64_t n = -1;
  const absl::Status status = pool_->Read([&](pqxx::work& tx) {
    n = tx.exec1(sql)[0].as<int64_t>();
    return absl::OkStatus();
  });
  INFO(status.ToString());
  REQUIRE(status.ok());
  return n;
}

std::string ReasonOf(const grpc::Status& status) { return ErrorReason(FromGrpcStatus(status)); }

std::string FieldOf(const grpc::Status& status) { return ErrorField(FromGrpcStatus(status)); }

}  // namespace tiquete::directory::testing
