// The category tree, IT services and configuration items over gRPC.
#include <catch2/catch.hpp>

#include "services/directory/tests/directory_fixture.h"

namespace tiquete::directory::testing {
namespace {

TEST_CASE("moving a category under its own descendant is FAILED_PRECONDITION", "[integration]") {
  DirectoryHarness h;
  const v1::Category software = h.AddCategory("Software");
  const v1::Category simat = h.AddCategory("SIMAT", software.id());
  const v1::Category acceso = h.AddCategory("Acceso", simat.id());
  CHECK(acceso.full_path() == "Software > SIMAT > Acceso");
  CHECK(acceso.depth() == 2);

  v1::UpdateCategoryRequest move;
  move.set_id(software.id());
  move.set_version(software.version());
  *move.mutable_category() = software;
  move.mutable_category()->set_parent_id(acceso.id());
  v1::Category out;
  grpc::Status status = h.Call(&Stub::UpdateCategory, move, &out);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(ReasonOf(status) == "CATEGORY_CYCLE");
  CHECK(FieldOf(status) == "parent_id");

  move.mutable_category()->set_parent_id(software.id());  // its own parent
  status = h.Call(&Stub::UpdateCategory, move, &out);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_CASE("renaming or moving a category rewrites the paths below it", "[integration]") {
  DirectoryHarness h;
  const v1::Category software = h.AddCategory("Software");
  const v1::Category simat = h.AddCategory("SIMAT", software.id());
  const v1::Category acceso = h.AddCategory("Acceso", simat.id());
  const v1::Category apps = h.AddCategory("Aplicaciones misionales");

  v1::UpdateCategoryRequest move;
  move.set_id(simat.id());
  move.set_version(simat.version());
  *move.mutable_category() = simat;
  move.mutable_category()->set_parent_id(apps.id());
  move.mutable_category()->set_name("SIMAT (matrícula)");
  v1::Category moved;
  REQUIRE(h.Call(&Stub::UpdateCategory, move, &moved).ok());
  CHECK(moved.full_path() == "Aplicaciones misionales > SIMAT (matrícula)");

  v1::GetRequest get;
  get.set_id(acceso.id());
  v1::Category child;
  REQUIRE(h.Call(&Stub::GetCategory, get, &child).ok());
  CHECK(child.full_path() == "Aplicaciones misionales > SIMAT (matrícula) > Acceso");
  CHECK(child.version() == acceso.version());  // its own fields did not change

  v1::ListCategoryTreeRequest tree;
  v1::ListCategoryTreeResponse nodes;
  REQUIRE(h.Call(&Stub::ListCategoryTree, tree, &nodes).ok());
  REQUIRE(nodes.categories_size() == 4);
  CHECK(nodes.categories(0).full_path() == "Aplicaciones misionales");
  CHECK(nodes.categories(1).full_path() == "Aplicaciones misionales > SIMAT (matrícula)");
  CHECK(nodes.categories(2).full_path() == "Aplicaciones misionales > SIMAT (matrícula) > Acceso");
  CHECK(nodes.categories(3).full_path() == "Software");
}

TEST_CASE("sibling categories differ by more than case and accents", "[integration]") {
  DirectoryHarness h;
  const v1::Category software = h.AddCategory("Software");
  h.AddCategory("Correo electrónico", software.id());
  v1::CreateCategoryRequest again;
  again.mutable_category()->set_name("CORREO ELECTRONICO");
  again.mutable_category()->set_parent_id(software.id());
  v1::Category out;
  const grpc::Status status = h.Call(&Stub::CreateCategory, again, &out);
  CHECK(status.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(FieldOf(status) == "name");
  // The same name under another parent is fine.
  h.AddCategory("Correo electrónico");
}

TEST_CASE("a category with active children cannot be deactivated", "[integration]") {
  DirectoryHarness h;
  const v1::Category software = h.AddCategory("Software");
  const v1::Category simat = h.AddCategory("SIMAT", software.id());
  v1::LifecycleRequest request;
  request.set_id(software.id());
  request.set_version(software.version());
  v1::Category out;
  grpc::Status status = h.Call(&Stub::DeactivateCategory, request, &out);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(ReasonOf(status) == "HAS_ACTIVE_CHILDREN");

  request.set_id(simat.id());
  request.set_version(simat.version());
  REQUIRE(h.Call(&Stub::DeactivateCategory, request, &out).ok());
  request.set_id(software.id());
  request.set_version(software.version());
  REQUIRE(h.Call(&Stub::DeactivateCategory, request, &out).ok());
  CHECK_FALSE(out.active());

  // A child cannot come back while its parent is deactivated.
  request.set_id(simat.id());
  request.set_version(simat.version() + 1);
  status = h.Call(&Stub::ReactivateCategory, request, &out);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(ReasonOf(status) == "CATEGORY_INACTIVE");
}

TEST_CASE("CI relations are returned both ways, self and duplicate relations are rejected",
          "[integration]") {
  DirectoryHarness h;
  const v1::Group infra = h.AddGroup("INFRA", "Infraestructura");
  v1::CreateItServiceRequest service;
  service.mutable_service()->set_code("SIMAT");
  service.mutable_service()->set_name("Sistema de matrícula");
  service.mutable_service()->set_owner_group_id(infra.id());
  service.mutable_service()->set_criticality("high");
  v1::ItService simat;
  REQUIRE(h.Call(&Stub::CreateItService, service, &simat).ok());
  CHECK(simat.owner_group_code() == "INFRA");

  const v1::ConfigurationItem app = h.AddCi("APP-SIMAT", "SIMAT web");
  const v1::ConfigurationItem db = h.AddCi("DB-SIMAT", "Base de datos SIMAT");
  v1::CiRelationRequest relation;
  relation.set_source_ci_id(app.id());
  relation.set_target_ci_id(db.id());
  relation.set_kind("depends_on");
  v1::CiRelation added;
  REQUIRE(h.Call(&Stub::AddCiRelation, relation, &added).ok());
  CHECK(added.source_code() == "APP-SIMAT");
  CHECK(added.target_code() == "DB-SIMAT");
  grpc::Status status = h.Call(&Stub::AddCiRelation, relation, &added);
  CHECK(status.error_code() == grpc::StatusCode::ALREADY_EXISTS);

  v1::CiRelationRequest self = relation;
  self.set_target_ci_id(app.id());
  status = h.Call(&Stub::AddCiRelation, self, &added);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ReasonOf(status) == "SELF_RELATION");

  // connected_to has no direction: the reverse is the same link.
  v1::CiRelationRequest link;
  link.set_source_ci_id(app.id());
  link.set_target_ci_id(db.id());
  link.set_kind("connected_to");
  REQUIRE(h.Call(&Stub::AddCiRelation, link, &added).ok());
  std::swap(*link.mutable_source_ci_id(), *link.mutable_target_ci_id());
  CHECK(h.Call(&Stub::AddCiRelation, link, &added).error_code() ==
        grpc::StatusCode::ALREADY_EXISTS);

  v1::GetRequest get;
  get.set_id(db.id());
  v1::ConfigurationItem fetched;
  REQUIRE(h.Call(&Stub::GetConfigurationItem, get, &fetched).ok());
  CHECK(fetched.relations_size() == 2);  // both point at it from APP-SIMAT

  REQUIRE(h.Call(&Stub::RemoveCiRelation, link, &added).ok());  // reverse order removes it
  REQUIRE(h.Call(&Stub::RemoveCiRelation, relation, &added).ok());
  CHECK(h.Call(&Stub::RemoveCiRelation, relation, &added).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  REQUIRE(h.Call(&Stub::GetConfigurationItem, get, &fetched).ok());
  CHECK(fetched.relations_size() == 0);

  v1::UpdateConfigurationItemRequest update;
  update.set_id(app.id());
  update.set_version(app.version());
  *update.mutable_configuration_item() = app;
  update.mutable_configuration_item()->set_service_id(simat.id());
  update.mutable_configuration_item()->set_type("application");
  v1::ConfigurationItem updated;
  REQUIRE(h.Call(&Stub::UpdateConfigurationItem, update, &updated).ok());
  CHECK(updated.service_code() == "SIMAT");

  v1::ListConfigurationItemsRequest list;
  list.set_service_id(simat.id());
  v1::ListConfigurationItemsResponse items;
  REQUIRE(h.Call(&Stub::ListConfigurationItems, list, &items).ok());
  REQUIRE(items.configuration_items_size() == 1);
  CHECK(items.configuration_items(0).code() == "APP-SIMAT");
}

TEST_CASE("org units keep campuses under schools and refuse loops", "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed = h.AddOrgUnit("SED", "Secretaría", "secretariat");
  const v1::OrgUnit office = h.AddOrgUnit("OF-1", "Oficina", "office", sed.id());
  const v1::OrgUnit school =
      h.AddOrgUnit("IE-1", "Institución Educativa 1", "school", sed.id(), "173001000123");
  h.AddOrgUnit("IE-1-S1", "Sede 1", "campus", school.id(), "173001000124");

  v1::CreateOrgUnitRequest bad;
  *bad.mutable_org_unit() = office;
  bad.mutable_org_unit()->set_code("IE-1-S2");
  bad.mutable_org_unit()->set_kind("campus");
  bad.mutable_org_unit()->set_dane_code("173001000125");
  bad.mutable_org_unit()->set_parent_id(office.id());
  v1::OrgUnit out;
  grpc::Status status = h.Call(&Stub::CreateOrgUnit, bad, &out);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(ReasonOf(status) == "INVALID_PARENT");

  bad.mutable_org_unit()->set_parent_id(school.id());
  bad.mutable_org_unit()->set_dane_code("173001000123");  // the school's
  status = h.Call(&Stub::CreateOrgUnit, bad, &out);
  CHECK(status.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(FieldOf(status) == "dane_code");

  v1::UpdateOrgUnitRequest loop;
  loop.set_id(sed.id());
  loop.set_version(sed.version());
  *loop.mutable_org_unit() = sed;
  loop.mutable_org_unit()->set_kind("office");
  loop.mutable_org_unit()->set_parent_id(office.id());
  status = h.Call(&Stub::UpdateOrgUnit, loop, &out);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(ReasonOf(status) == "ORG_UNIT_CYCLE");

  v1::LookupOrgUnitRequest lookup;
  lookup.set_dane_code("173001000124");
  REQUIRE(h.Call(&Stub::LookupOrgUnit, lookup, &out).ok());
  CHECK(out.code() == "IE-1-S1");
  CHECK(out.parent_code() == "IE-1");
}

}  // namespace
}  // namespace tiquete::directory::testing
