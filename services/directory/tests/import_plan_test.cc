#include <catch2/catch.hpp>

#include "services/directory/domain/import_plan.h"

namespace tiquete::directory {
namespace {

constexpr char kPeopleHeader[] =
    "email,given_name,family_name,phone,national_id,org_unit_code,job_title,roles,groups\n";

ImportSnapshot Stored() {
  ImportSnapshot s;
  v1::OrgUnit sed;
  sed.set_id("00000000-0000-4000-8000-000000000001");
  sed.set_code("SED");
  sed.set_name("Secretaría de Educación");
  sed.set_kind("secretariat");
  sed.set_active(true);
  sed.set_version(1);
  s.org_units.push_back(sed);
  v1::Group mesa;
  mesa.set_id("00000000-0000-4000-8000-000000000002");
  mesa.set_code("MESA-L1");
  mesa.set_name("Mesa de servicios");
  mesa.set_level("L1");
  mesa.set_kind("support");
  mesa.set_active(true);
  s.groups.push_back(mesa);
  return s;
}

bool Reported(const ImportPlan& plan, int row, const std::string& field,
              const std::string& reason) {
  for (const RowProblem& p : plan.problems) {
    if (p.row == row && p.field == field && p.reason == reason) return true;
  }
  return false;
}

TEST_CASE("every bad row of a people file is reported with its row number") {
  const std::string csv = std::string(kPeopleHeader) +
                          "ana@edu.co,Ana,Ruiz,3001234567,,SED,Analista,agent_l1,MESA-L1\n"
                          "luis@,Luis,Mora,,,SED,,,\n"
                          "eva@edu.co,Eva,Díaz,,,NOPE,,wizard,\n"
                          "ANA@edu.co,Ana,Otra,,,SED,,,\n";
  const ImportPlan plan = PlanImport(ImportKind::kPeople, csv, Stored());
  CHECK(Reported(plan, 3, "email", "INVALID_EMAIL"));
  CHECK(Reported(plan, 4, "org_unit_code", "NOT_FOUND"));
  CHECK(Reported(plan, 4, "roles", "UNKNOWN_ROLE"));
  CHECK(Reported(plan, 5, "email", "DUPLICATE_IN_FILE"));
  CHECK(plan.problems.size() == 4);
  CHECK(FormatRowProblem(plan.problems[0]) ==
        "row 3: email: \"luis@\" is not a valid email address [INVALID_EMAIL]");
}

TEST_CASE("a clean people file plans creates with memberships") {
  const std::string csv = std::string(kPeopleHeader) +
                          "ana@edu.co,Ana,Ruiz,300 123 4567,,sed,Analista,agent_l1;requester,"
                          "mesa-l1\n";
  const ImportPlan plan = PlanImport(ImportKind::kPeople, csv, Stored());
  REQUIRE(plan.problems.empty());
  REQUIRE(plan.people.size() == 1);
  const auto& row = plan.people[0];
  CHECK(row.change == Change::kCreate);
  CHECK(row.resource.org_unit_id() == "00000000-0000-4000-8000-000000000001");
  CHECK(row.resource.phone() == "+573001234567");
  REQUIRE(row.add_groups.size() == 1);
  CHECK(row.add_groups[0].code() == "MESA-L1");
}

TEST_CASE("a row identical to what is stored is unchanged") {
  ImportSnapshot stored = Stored();
  v1::Person ana;
  ana.set_id("00000000-0000-4000-8000-000000000003");
  ana.set_email("ana@edu.co");
  ana.set_given_name("Ana");
  ana.set_family_name("Ruiz");
  ana.set_org_unit_id("00000000-0000-4000-8000-000000000001");
  ana.set_org_unit_code("SED");
  ana.add_roles("agent_l1");
  ana.set_version(4);
  ana.set_active(true);
  *ana.add_groups() = [] {
    v1::GroupRef g;
    g.set_id("00000000-0000-4000-8000-000000000002");
    g.set_code("MESA-L1");
    return g;
  }();
  stored.people.push_back(ana);
  const std::string same =
      std::string(kPeopleHeader) + "ana@edu.co,Ana,Ruiz,,,SED,,agent_l1,MESA-L1\n";
  ImportPlan plan = PlanImport(ImportKind::kPeople, same, stored);
  REQUIRE(plan.problems.empty());
  CHECK(plan.people[0].change == Change::kUnchanged);

  const std::string left_group =
      std::string(kPeopleHeader) + "ana@edu.co,Ana,Ruiz,,,SED,,agent_l1,\n";
  plan = PlanImport(ImportKind::kPeople, left_group, stored);
  CHECK(plan.people[0].change == Change::kUpdate);
  CHECK_FALSE(plan.people[0].fields_changed);
  CHECK(plan.people[0].remove_groups.size() == 1);
}

TEST_CASE("a parent defined on a later row is reported, not treated as unknown") {
  const std::string csv =
      "code,name,kind,parent_code,dane_code,municipality,department,address,phone,email\n"
      "SEDE-A,Sede A,campus,IE-1,173001000124,Ibagué,Tolima,,,\n"
      "IE-1,Institución 1,school,SED,173001000123,Ibagué,Tolima,,,\n";
  const ImportPlan plan = PlanImport(ImportKind::kOrgUnits, csv, Stored());
  CHECK(Reported(plan, 2, "parent_code", "DEFINED_LATER"));
  CHECK(plan.problems.size() == 1);
}

TEST_CASE("org units that would contain themselves are rejected") {
  ImportSnapshot stored = Stored();
  v1::OrgUnit office;
  office.set_id("00000000-0000-4000-8000-000000000010");
  office.set_code("OF-TIC");
  office.set_name("Oficina TIC");
  office.set_kind("office");
  office.set_parent_id("00000000-0000-4000-8000-000000000001");
  office.set_parent_code("SED");
  office.set_active(true);
  stored.org_units.push_back(office);
  const std::string csv =
      "code,name,kind,parent_code,dane_code,municipality,department,address,phone,email\n"
      "OF-A,Oficina A,office,OF-TIC,,,,,,\n"
      "OF-TIC,Oficina TIC,office,OF-A,,,,,,\n";
  const ImportPlan plan = PlanImport(ImportKind::kOrgUnits, csv, stored);
  CHECK(Reported(plan, 3, "parent_code", "ORG_UNIT_CYCLE"));
}

TEST_CASE("categories need their parent path first and unique paths") {
  const std::string csv =
      "path,default_group_code,security,description\n"
      "Software,,no,\n"
      "Software > SIMAT,MESA-L1,no,Matrícula\n"
      "Software > SIMAT > Acceso,MESA-L1,sí,\n"
      "software > simat,,,\n"
      "Hardware > Impresoras,,,\n"
      "Redes,NOPE,maybe,\n";
  const ImportPlan plan = PlanImport(ImportKind::kCategories, csv, Stored());
  CHECK(Reported(plan, 5, "path", "DUPLICATE_IN_FILE"));
  CHECK(Reported(plan, 6, "path", "NOT_FOUND"));
  CHECK(Reported(plan, 7, "default_group_code", "NOT_FOUND"));
  CHECK(Reported(plan, 7, "security", "INVALID_VALUE"));
  REQUIRE(plan.categories.size() == 3);
  CHECK(plan.categories[2].resource.full_path() == "Software > SIMAT > Acceso");
  CHECK(plan.categories[2].resource.security());
}

TEST_CASE("CI relations must refer to earlier rows and never to the item itself") {
  const std::string csv =
      "code,name,type,service_code,owner_group_code,criticality,relations\n"
      "SRV-1,Servidor 1,server,,MESA-L1,high,\n"
      "DB-1,Base 1,database,,,high,runs_on:SRV-1\n"
      "SW-1,Switch 1,network_device,,,low,connected_to:SRV-1\n"
      "SRV-2,Servidor 2,server,,,low,connected_to:SW-1;depends_on:SRV-2;uses:DB-1\n"
      "APP,App,application,,,medium,depends_on:LATER\n"
      "LATER,Later,server,,,low,\n";
  const ImportPlan plan = PlanImport(ImportKind::kCis, csv, Stored());
  CHECK(Reported(plan, 5, "relations", "SELF_RELATION"));
  CHECK(Reported(plan, 5, "relations", "INVALID_VALUE"));
  CHECK(Reported(plan, 6, "relations", "DEFINED_LATER"));
  REQUIRE(plan.cis.size() == 4);
  CHECK(plan.cis[1].add_relations.size() == 1);
  CHECK(plan.cis[1].add_relations[0].target_code() == "SRV-1");
}

TEST_CASE("a wrong header or a short row stops the import with a clear message") {
  ImportPlan plan = PlanImport(ImportKind::kGroups, "code,name\nA,B\n", Stored());
  REQUIRE(plan.problems.size() == 1);
  CHECK(plan.problems[0].row == 1);
  CHECK(plan.problems[0].reason == "WRONG_HEADER");

  plan = PlanImport(ImportKind::kGroups,
                    "code,name,level,kind,contract_reference,email\nA,B,L1\n,,,,,\n", Stored());
  REQUIRE(plan.problems.size() == 1);
  CHECK(plan.problems[0].row == 2);
  CHECK(plan.problems[0].reason == "WRONG_FIELD_COUNT");
}

TEST_CASE("progress is reported every 500 rows") {
  std::string csv = "code,name,level,kind,contract_reference,email\n";
  for (int i = 0; i < 1200; ++i) csv += "G" + std::to_string(i) + ",Grupo,L2,support,,\n";
  std::vector<int> seen;
  const ImportPlan plan = PlanImport(ImportKind::kGroups, csv, Stored(), [&](int done, int total) {
    CHECK(total == 1200);
    seen.push_back(done);
  });
  CHECK(plan.problems.empty());
  CHECK(seen == std::vector<int>{500, 1000, 1200});
}

}  // namespace
}  // namespace tiquete::directory
