// People, org units and groups over a real gRPC channel against PostgreSQL.
#include <set>

#include <catch2/catch.hpp>

#include "services/directory/tests/directory_fixture.h"

namespace tiquete::directory::testing {
namespace {

TEST_CASE("a person survives a create, get, lookup, update and deactivate round trip",
          "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed = h.AddOrgUnit("SED-TOL", "Secretaría de Educación del Tolima",
                                       "secretariat", "", "", "Ibagué");
  const v1::OrgUnit office = h.AddOrgUnit("OF-TIC", "Oficina TIC", "office", sed.id());
  CHECK(office.parent_code() == "SED-TOL");

  v1::CreatePersonRequest create;
  v1::Person* in = create.mutable_person();
  in->set_email("Maria.Munoz@SedTolima.gov.co");
  in->set_given_name("María");
  in->set_family_name("Muñoz");
  in->set_phone("300 123 4567");
  in->set_national_id("1.110.456.789");
  in->set_org_unit_id(office.id());
  in->set_job_title("Analista de mesa");
  in->add_roles("agent_l1");
  v1::Person created;
  REQUIRE(h.Call(&Stub::CreatePerson, create, &created).ok());
  CHECK(created.email() == "maria.munoz@sedtolima.gov.co");
  CHECK(created.phone() == "+573001234567");
  CHECK(created.national_id() == "1110456789");
  CHECK(created.org_unit_code() == "OF-TIC");
  CHECK(created.display_name() == "María Muñoz");
  CHECK(created.version() == 1);
  CHECK(created.active());
  CHECK(created.create_time().seconds() > 0);

  v1::GetRequest get;
  get.set_id(created.id());
  v1::Person fetched;
  REQUIRE(h.Call(&Stub::GetPerson, get, &fetched).ok());
  CHECK(fetched.SerializeAsString() == created.SerializeAsString());

  v1::LookupPersonRequest lookup;
  lookup.set_email("MARIA.MUNOZ@sedtolima.gov.co");
  v1::Person found;
  REQUIRE(h.Call(&Stub::LookupPerson, lookup, &found).ok());
  CHECK(found.id() == created.id());

  v1::UpdatePersonRequest update;
  update.set_id(created.id());
  update.set_version(created.version());
  *update.mutable_person() = created;
  update.mutable_person()->set_job_title("Coordinadora de mesa");
  update.mutable_person()->add_roles("coordinator");
  v1::Person updated;
  REQUIRE(h.Call(&Stub::UpdatePerson, update, &updated).ok());
  CHECK(updated.version() == 2);
  CHECK(updated.job_title() == "Coordinadora de mesa");
  CHECK(updated.roles_size() == 2);

  // The same values again change nothing: no new version.
  update.set_version(updated.version());
  v1::Person same;
  REQUIRE(h.Call(&Stub::UpdatePerson, update, &same).ok());
  CHECK(same.version() == 2);

  v1::LifecycleRequest deactivate;
  deactivate.set_id(created.id());
  deactivate.set_version(2);
  v1::Person inactive;
  REQUIRE(h.Call(&Stub::DeactivatePerson, deactivate, &inactive).ok());
  CHECK_FALSE(inactive.active());
  CHECK(inactive.version() == 3);

  v1::ListPeopleRequest list;
  list.set_active(true);
  v1::ListPeopleResponse page;
  REQUIRE(h.Call(&Stub::ListPeople, list, &page).ok());
  CHECK(page.people_size() == 0);
}

TEST_CASE("a duplicate email is ALREADY_EXISTS naming the email field", "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed = h.AddOrgUnit("SED", "Secretaría", "secretariat");
  h.AddPerson("ana@edu.co", "Ana", "Ruiz", sed.id());
  v1::CreatePersonRequest again;
  again.mutable_person()->set_email("ANA@edu.co");
  again.mutable_person()->set_given_name("Ana");
  again.mutable_person()->set_family_name("Otra");
  again.mutable_person()->set_org_unit_id(sed.id());
  v1::Person out;
  const grpc::Status status = h.Call(&Stub::CreatePerson, again, &out);
  CHECK(status.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(FieldOf(status) == "email");
  CHECK(ReasonOf(status) == "EMAIL_TAKEN");
}

TEST_CASE("bad input names the field: invalid email, unknown org unit, unknown role",
          "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed = h.AddOrgUnit("SED", "Secretaría", "secretariat");
  v1::CreatePersonRequest request;
  v1::Person* p = request.mutable_person();
  p->set_email("ana@");
  p->set_given_name("Ana");
  p->set_family_name("Ruiz");
  p->set_org_unit_id(sed.id());
  v1::Person out;
  grpc::Status status = h.Call(&Stub::CreatePerson, request, &out);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(FieldOf(status) == "email");
  CHECK(ReasonOf(status) == "INVALID_EMAIL");

  p->set_email("ana@edu.co");
  p->set_org_unit_id("7d3c9f60-1111-4222-8333-444455556666");
  status = h.Call(&Stub::CreatePerson, request, &out);
  CHECK(status.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(FieldOf(status) == "org_unit_id");

  p->set_org_unit_id(sed.id());
  p->add_roles("superuser");
  status = h.Call(&Stub::CreatePerson, request, &out);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(FieldOf(status) == "roles");
  CHECK(ReasonOf(status) == "UNKNOWN_ROLE");

  v1::CreateOrgUnitRequest school;
  school.mutable_org_unit()->set_code("IE-1");
  school.mutable_org_unit()->set_name("IE 1");
  school.mutable_org_unit()->set_kind("school");
  v1::OrgUnit unit;
  status = h.Call(&Stub::CreateOrgUnit, school, &unit);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(FieldOf(status) == "dane_code");
}

TEST_CASE("a stale version is ABORTED with reason STALE_VERSION", "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed = h.AddOrgUnit("SED", "Secretaría", "secretariat");
  const v1::Person ana = h.AddPerson("ana@edu.co", "Ana", "Ruiz", sed.id());
  v1::UpdatePersonRequest first;
  first.set_id(ana.id());
  first.set_version(1);
  *first.mutable_person() = ana;
  first.mutable_person()->set_job_title("Analista");
  v1::Person out;
  REQUIRE(h.Call(&Stub::UpdatePerson, first, &out).ok());

  first.mutable_person()->set_job_title("Otra cosa");  // still carries version 1
  const grpc::Status status = h.Call(&Stub::UpdatePerson, first, &out);
  CHECK(status.error_code() == grpc::StatusCode::ABORTED);
  CHECK(ReasonOf(status) == "STALE_VERSION");

  v1::LifecycleRequest deactivate;
  deactivate.set_id(ana.id());
  deactivate.set_version(1);
  CHECK(h.Call(&Stub::DeactivatePerson, deactivate, &out).error_code() ==
        grpc::StatusCode::ABORTED);
}

TEST_CASE("an idempotent create returns the first result and writes one row", "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed = h.AddOrgUnit("SED", "Secretaría", "secretariat");
  v1::CreatePersonRequest request;
  request.set_idempotency_key("portal-7f3a");
  v1::Person* p = request.mutable_person();
  p->set_email("ana@edu.co");
  p->set_given_name("Ana");
  p->set_family_name("Ruiz");
  p->set_org_unit_id(sed.id());
  v1::Person first, second;
  REQUIRE(h.Call(&Stub::CreatePerson, request, &first).ok());
  REQUIRE(h.Call(&Stub::CreatePerson, request, &second).ok());
  CHECK(first.id() == second.id());
  CHECK(h.Count("SELECT count(*) FROM people") == 1);
  CHECK(h.Count("SELECT count(*) FROM outbox WHERE type = 'directory.person.created'") == 1);

  p->set_family_name("Distinta");
  v1::Person third;
  const grpc::Status status = h.Call(&Stub::CreatePerson, request, &third);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ReasonOf(status) == "IDEMPOTENCY_KEY_REUSED");
}

TEST_CASE("search ignores accents and case: Ibague finds Ibagué, munoz finds Muñoz",
          "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed =
      h.AddOrgUnit("SED-TOL", "Secretaría de Educación", "secretariat", "", "", "Ibagué");
  h.AddOrgUnit("SED-HUI", "Secretaría del Huila", "secretariat", "", "", "Neiva");
  h.AddPerson("mmunoz@edu.co", "María", "Muñoz Pérez", sed.id());
  h.AddPerson("lperez@edu.co", "Luis", "Pérez", sed.id());

  v1::ListOrgUnitsRequest units;
  units.set_query("Ibague");
  v1::ListOrgUnitsResponse unit_page;
  REQUIRE(h.Call(&Stub::ListOrgUnits, units, &unit_page).ok());
  REQUIRE(unit_page.org_units_size() == 1);
  CHECK(unit_page.org_units(0).code() == "SED-TOL");

  units.clear_query();
  units.set_municipality("IBAGUE");
  REQUIRE(h.Call(&Stub::ListOrgUnits, units, &unit_page).ok());
  CHECK(unit_page.org_units_size() == 1);

  v1::ListPeopleRequest people;
  people.set_query("munoz");
  v1::ListPeopleResponse page;
  REQUIRE(h.Call(&Stub::ListPeople, people, &page).ok());
  REQUIRE(page.people_size() == 1);
  CHECK(page.people(0).family_name() == "Muñoz Pérez");

  people.set_query("MARIA perez");  // words in order, accents and case ignored
  REQUIRE(h.Call(&Stub::ListPeople, people, &page).ok());
  CHECK(page.people_size() == 1);

  people.set_query("perez");
  people.set_include_total(true);
  REQUIRE(h.Call(&Stub::ListPeople, people, &page).ok());
  CHECK(page.people_size() == 2);
  CHECK(page.total_size() == 2);

  people.set_query("100%");  // wildcards are literal
  REQUIRE(h.Call(&Stub::ListPeople, people, &page).ok());
  CHECK(page.people_size() == 0);
}

TEST_CASE("pagination visits every person exactly once, in name order", "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed = h.AddOrgUnit("SED", "Secretaría", "secretariat");
  // Equal family names make the id the tie-breaker across page boundaries.
  for (int i = 0; i < 23; ++i) {
    h.AddPerson("p" + std::to_string(i) + "@edu.co", "Persona " + std::to_string(i % 4),
                i % 3 == 0 ? "Álvarez" : "Zapata", sed.id());
  }
  v1::ListPeopleRequest request;
  request.mutable_page()->set_page_size(5);
  std::set<std::string> seen;
  std::vector<std::string> order;
  int pages = 0;
  do {
    v1::ListPeopleResponse page;
    REQUIRE(h.Call(&Stub::ListPeople, request, &page).ok());
    ++pages;
    for (const v1::Person& p : page.people()) {
      CHECK(seen.insert(p.id()).second);
      order.push_back(p.family_name());
    }
    request.mutable_page()->set_page_token(page.next_page_token());
  } while (!request.page().page_token().empty());
  CHECK(seen.size() == 23);
  CHECK(pages == 5);
  CHECK(order.front() == "Álvarez");
  CHECK(order.back() == "Zapata");

  // A token belongs to its filters.
  v1::ListPeopleRequest first;
  first.mutable_page()->set_page_size(5);
  v1::ListPeopleResponse page;
  REQUIRE(h.Call(&Stub::ListPeople, first, &page).ok());
  first.mutable_page()->set_page_token(page.next_page_token());
  first.set_query("zapata");
  const grpc::Status status = h.Call(&Stub::ListPeople, first, &page);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ReasonOf(status) == "INVALID_PAGE_TOKEN");
}

TEST_CASE("group members show on the person and in the group's member list", "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed = h.AddOrgUnit("SED", "Secretaría", "secretariat");
  const v1::Person ana = h.AddPerson("ana@edu.co", "Ana", "Ruiz", sed.id());
  const v1::Group mesa = h.AddGroup("MESA-L1", "Mesa de servicios");
  v1::GroupMemberRequest add;
  add.set_group_id(mesa.id());
  add.set_person_id(ana.id());
  v1::GroupMember member;
  REQUIRE(h.Call(&Stub::AddGroupMember, add, &member).ok());
  CHECK(member.email() == "ana@edu.co");
  CHECK(h.Call(&Stub::AddGroupMember, add, &member).error_code() ==
        grpc::StatusCode::ALREADY_EXISTS);

  v1::GetRequest get;
  get.set_id(ana.id());
  v1::Person fetched;
  REQUIRE(h.Call(&Stub::GetPerson, get, &fetched).ok());
  REQUIRE(fetched.groups_size() == 1);
  CHECK(fetched.groups(0).code() == "MESA-L1");

  h.AddPerson("luis@edu.co", "Luis", "Mora", sed.id());
  v1::ListPeopleRequest by_group;
  by_group.set_group_id(mesa.id());
  by_group.set_role("requester");
  v1::ListPeopleResponse people;
  REQUIRE(h.Call(&Stub::ListPeople, by_group, &people).ok());
  CHECK(people.people_size() == 1);
  by_group.set_role("admin");
  REQUIRE(h.Call(&Stub::ListPeople, by_group, &people).ok());
  CHECK(people.people_size() == 0);

  v1::ListGroupMembersRequest members;
  members.set_group_id(mesa.id());
  v1::ListGroupMembersResponse list;
  REQUIRE(h.Call(&Stub::ListGroupMembers, members, &list).ok());
  CHECK(list.members_size() == 1);

  REQUIRE(h.Call(&Stub::RemoveGroupMember, add, &member).ok());
  CHECK(h.Call(&Stub::RemoveGroupMember, add, &member).error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(h.Count("SELECT count(*) FROM outbox WHERE type LIKE 'directory.group.member_%'") == 2);
}

TEST_CASE("every change writes its event in the same transaction, a failed one writes none",
          "[integration]") {
  DirectoryHarness h;
  const v1::OrgUnit sed = h.AddOrgUnit("SED", "Secretaría", "secretariat");
  const int64_t before = h.Count("SELECT count(*) FROM outbox");
  const v1::Person ana = h.AddPerson("ana@edu.co", "Ana", "Ruiz", sed.id());
  CHECK(h.Count("SELECT count(*) FROM outbox") == before + 1);
  CHECK(h.Count("SELECT count(*) FROM outbox WHERE type = 'directory.person.created' AND "
                "aggregate_type = 'person' AND aggregate_id = '" +
                ana.id() + "'") == 1);

  v1::CreatePersonRequest duplicate;
  duplicate.mutable_person()->set_email("ana@edu.co");
  duplicate.mutable_person()->set_given_name("Ana");
  duplicate.mutable_person()->set_family_name("Bis");
  duplicate.mutable_person()->set_org_unit_id(sed.id());
  v1::Person out;
  CHECK_FALSE(h.Call(&Stub::CreatePerson, duplicate, &out).ok());
  CHECK(h.Count("SELECT count(*) FROM outbox") == before + 1);
  CHECK(h.Count("SELECT count(*) FROM people") == 1);

  // An org unit with active people cannot be deactivated, and nothing is written.
  v1::LifecycleRequest deactivate;
  deactivate.set_id(sed.id());
  deactivate.set_version(sed.version());
  v1::OrgUnit unit;
  const grpc::Status status = h.Call(&Stub::DeactivateOrgUnit, deactivate, &unit);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(ReasonOf(status) == "HAS_ACTIVE_PEOPLE");
  CHECK(h.Count("SELECT count(*) FROM outbox") == before + 1);
}

}  // namespace
}  // namespace tiquete::directory::testing
