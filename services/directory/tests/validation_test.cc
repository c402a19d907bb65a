#include <catch2/catch.hpp>

#include "services/directory/domain/resources.h"
#include "services/directory/domain/validation.h"

namespace tiquete::directory {
namespace {

bool HasProblem(const Problems& problems, const std::string& field, const std::string& reason) {
  for (const FieldProblem& p : problems) {
    if (p.field == field && p.reason == reason) return true;
  }
  return false;
}

TEST_CASE("valid emails are accepted and stored lower-case") {
  std::string out;
  REQUIRE(NormalizeEmail("  Maria.Munoz@SedTolima.gov.co ", &out));
  CHECK(out == "maria.munoz@sedtolima.gov.co");
  REQUIRE(NormalizeEmail("soporte+simat@edu.co", &out));
  CHECK(out == "soporte+simat@edu.co");
}

TEST_CASE("emails without a proper domain or with odd dots are invalid") {
  std::string out;
  for (const char* bad :
       {"", "maria", "maria@", "@edu.co", "maria@edu", "maria@@edu.co", "ma ria@edu.co",
        "maria..munoz@edu.co", ".maria@edu.co", "maria@-edu.co", "maria@edu.c0", "maría@edu.co"}) {
    INFO(bad);
    CHECK_FALSE(NormalizeEmail(bad, &out));
  }
}

TEST_CASE("Colombian mobiles and landlines normalise to +57 and ten digits") {
  std::string out;
  REQUIRE(NormalizePhone("300 123 4567", &out));
  CHECK(out == "+573001234567");
  REQUIRE(NormalizePhone("+57 (608) 261-1111", &out));
  CHECK(out == "+576082611111");
  REQUIRE(NormalizePhone("57 3154445566", &out));
  CHECK(out == "+573154445566");
  REQUIRE(NormalizePhone("601 3430000 ext. 123", &out));
  CHECK(out == "+576013430000 ext 123");
  REQUIRE(NormalizePhone("01 8000 123456", &out));
  CHECK(out == "018000123456");
}

TEST_CASE("old seven-digit landlines, foreign and lettered numbers are rejected") {
  std::string out;
  for (const char* bad : {"2611111", "+1 202 555 0100", "600 1234567", "300-ABC-4567",
                          "3001234567 ext 1234567", "5001234567"}) {
    INFO(bad);
    CHECK_FALSE(NormalizePhone(bad, &out));
  }
}

TEST_CASE("DANE codes have exactly twelve digits") {
  CHECK(IsValidDaneCode("173001000123"));
  CHECK_FALSE(IsValidDaneCode("17300100012"));
  CHECK_FALSE(IsValidDaneCode("1730010001234"));
  CHECK_FALSE(IsValidDaneCode("17300100012A"));
  CHECK_FALSE(IsValidDaneCode("000000000000"));
}

TEST_CASE("national ids lose dots and spaces and are upper-cased") {
  std::string out;
  REQUIRE(NormalizeNationalId("1.110.456.789", &out));
  CHECK(out == "1110456789");
  REQUIRE(NormalizeNationalId("ce 123456", &out));
  CHECK(out == "CE123456");
  CHECK_FALSE(NormalizeNationalId("12", &out));
  CHECK_FALSE(NormalizeNationalId("123/456", &out));
}

TEST_CASE("codes are upper-cased natural keys") {
  std::string out;
  REQUIRE(NormalizeCode(" ie-san.simon_1 ", &out));
  CHECK(out == "IE-SAN.SIMON_1");
  CHECK_FALSE(NormalizeCode("-lead", &out));
  CHECK_FALSE(NormalizeCode("two words", &out));
  CHECK_FALSE(NormalizeCode(std::string(41, 'A'), &out));
}

TEST_CASE("an unknown role is reported on the roles field") {
  v1::Person p;
  p.set_email("ana@edu.co");
  p.set_given_name("Ana");
  p.set_family_name("Ruiz");
  p.set_org_unit_id("6f1c2a3e-0000-4000-8000-000000000001");
  p.add_roles("agent_l1");
  p.add_roles("wizard");
  const Problems problems = NormalizePerson(&p);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].field == "roles");
  CHECK(problems[0].reason == "UNKNOWN_ROLE");
  CHECK(problems[0].message.find("wizard") != std::string::npos);
}

TEST_CASE("a person without roles is a requester, and roles are sorted without duplicates") {
  v1::Person p;
  p.set_email("ana@edu.co");
  p.set_given_name("  Ana   María ");
  p.set_family_name("Ruiz");
  p.set_org_unit_id("6f1c2a3e-0000-4000-8000-000000000001");
  REQUIRE(NormalizePerson(&p).empty());
  CHECK(p.given_name() == "Ana María");
  REQUIRE(p.roles_size() == 1);
  CHECK(p.roles(0) == "requester");
  p.add_roles("Admin");
  p.add_roles("agent_l1");
  p.add_roles("admin");
  REQUIRE(NormalizePerson(&p).empty());
  CHECK(std::vector<std::string>(p.roles().begin(), p.roles().end()) ==
        std::vector<std::string>{"admin", "agent_l1", "requester"});
}

TEST_CASE("missing required person fields are each named") {
  v1::Person p;
  const Problems problems = NormalizePerson(&p);
  CHECK(HasProblem(problems, "email", "REQUIRED"));
  CHECK(HasProblem(problems, "given_name", "REQUIRED"));
  CHECK(HasProblem(problems, "family_name", "REQUIRED"));
  CHECK(HasProblem(problems, "org_unit_id", "REQUIRED"));
}

TEST_CASE("provider groups need a contract reference") {
  v1::Group g;
  g.set_code("prov-redes");
  g.set_name("Proveedor de redes");
  g.set_level("l3");
  g.set_kind("provider");
  CHECK(HasProblem(NormalizeGroup(&g), "contract_reference", "REQUIRED"));
  g.set_contract_reference("CT-2026-014");
  CHECK(NormalizeGroup(&g).empty());
  CHECK(g.level() == "L3");
  CHECK(g.code() == "PROV-REDES");
}

TEST_CASE("a campus needs a DANE code and a parent school") {
  v1::OrgUnit u;
  u.set_code("SEDE-1");
  u.set_name("Sede principal");
  u.set_kind("campus");
  const Problems problems = NormalizeOrgUnit(&u);
  CHECK(HasProblem(problems, "dane_code", "REQUIRED"));
  CHECK(HasProblem(problems, "parent_id", "REQUIRED"));
  CHECK(OrgUnitParentRule("campus", "office") == "a campus must belong to a school");
  CHECK(OrgUnitParentRule("campus", "school").empty());
  CHECK_FALSE(OrgUnitParentRule("office", "campus").empty());
}

TEST_CASE("category names cannot contain the path separator") {
  v1::Category c;
  c.set_name("SIMAT > Acceso");
  CHECK(HasProblem(NormalizeCategory(&c), "name", "INVALID_NAME"));
}

TEST_CASE("a configuration item cannot relate to itself") {
  v1::CiRelationRequest r;
  r.set_source_ci_id("6f1c2a3e-0000-4000-8000-000000000001");
  r.set_target_ci_id("6f1c2a3e-0000-4000-8000-000000000001");
  r.set_kind("depends_on");
  CHECK(HasProblem(NormalizeCiRelation(&r), "target_ci_id", "SELF_RELATION"));
  r.set_kind("uses");
  CHECK(HasProblem(NormalizeCiRelation(&r), "kind", "INVALID_VALUE"));
}

TEST_CASE("an update that changes nothing is recognised as such") {
  v1::ItService a;
  a.set_id("6f1c2a3e-0000-4000-8000-000000000001");
  a.set_code("SIMAT");
  a.set_name("SIMAT");
  a.set_owner_group_id("6f1c2a3e-0000-4000-8000-000000000002");
  a.set_criticality("high");
  a.set_version(3);
  a.set_owner_group_code("MESA");
  v1::ItService b = a;
  b.set_version(0);
  b.clear_owner_group_code();
  CHECK(SameMutableFields(a, b));
  b.set_criticality("low");
  CHECK_FALSE(SameMutableFields(a, b));
}

}  // namespace
}  // namespace tiquete::directory
