// The CSV import end to end: files on disk, RunImport, PostgreSQL.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <catch2/catch.hpp>

#include "services/directory/import.h"
#include "services/directory/tests/directory_fixture.h"

namespace tiquete::directory::testing {
namespace {

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("tiquete-import-" + std::to_string(rd()) + ".csv");
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run Import(DirectoryHarness& h, const std::string& kind, const std::string& csv) {
  TempFile file(csv);
  std::ostringstream out, err;
  const int code = RunImport(h.store(), kind, file.path(), out, err);
  return {code, out.str(), err.str()};
}

const char kOrgUnits[] =
    "\xEF\xBB\xBF"
    "code,name,kind,parent_code,dane_code,municipality,department,address,phone,email\n"
    "SED-TOL,Secretaría de Educación del Tolima,secretariat,,,Ibagué,Tolima,"
    "\"Calle 11, Cra 3\",608 2611111,mesa@sedtolima.gov.co\n"
    "IE-SANSIMON,Institución Educativa San Simón,school,SED-TOL,173001000123,Ibagué,Tolima,,,\n"
    "IE-SANSIMON-2,\"Sede 2 \"\"La Francia\"\"\",campus,IE-SANSIMON,173001000124,Ibagué,Tolima,,,"
    "\n";
const char kGroups[] =
    "code,name,level,kind,contract_reference,email\n"
    "MESA-L1,Mesa de servicios,L1,support,,mesa@sedtolima.gov.co\n"
    "SOPORTE-L2,Soporte especializado,L2,support,,\n"
    "PROV-REDES,Proveedor de conectividad,L3,provider,CT-2026-014,noc@proveedor.co\n";
const char kServices[] =
    "code,name,description,owner_group_code,criticality\n"
    "SIMAT,Sistema de matrícula,\"Matrícula estudiantil\nnacional\",SOPORTE-L2,high\n"
    "CORREO,Correo institucional,,MESA-L1,medium\n";
const char kCategories[] =
    "path,default_group_code,security,description\n"
    "Software,MESA-L1,no,\n"
    "Software > SIMAT,SOPORTE-L2,no,\n"
    "Software > SIMAT > Acceso,SOPORTE-L2,no,Usuarios y contraseñas\n"
    "Seguridad,,sí,Posibles incidentes de seguridad\n";
const char kCis[] =
    "code,name,type,service_code,owner_group_code,criticality,relations\n"
    "SRV-APP-01,Servidor de aplicaciones,server,,SOPORTE-L2,high,\n"
    "DB-SIMAT,Base de datos SIMAT,database,SIMAT,SOPORTE-L2,high,runs_on:SRV-APP-01\n"
    "APP-SIMAT,SIMAT web,application,SIMAT,SOPORTE-L2,high,"
    "depends_on:DB-SIMAT;runs_on:SRV-APP-01\n";
const char kPeople[] =
    "email,given_name,family_name,phone,national_id,org_unit_code,job_title,roles,groups\n"
    "maria.munoz@sedtolima.gov.co,María,Muñoz,300 123 4567,1.110.456.789,SED-TOL,"
    "Analista de mesa,agent_l1,MESA-L1\n"
    "jorge.diaz@sedtolima.gov.co,Jorge,Díaz,,,SED-TOL,Especialista,specialist_l2,"
    "SOPORTE-L2;MESA-L1\n"
    "rector@sansimon.edu.co,Carlos,Rojas,,,IE-SANSIMON,Rector,,\n";

void ImportAll(DirectoryHarness& h) {
  for (const auto& [kind, csv] :
       std::vector<std::pair<std::string, std::string>>{{"org_units", kOrgUnits},
                                                        {"groups", kGroups},
                                                        {"services", kServices},
                                                        {"categories", kCategories},
                                                        {"cis", kCis},
                                                        {"people", kPeople}}) {
    const Run run = Import(h, kind, csv);
    INFO(kind << ": " << run.err);
    REQUIRE(run.code == 0);
    CHECK(run.out.find("created ") == 0);
  }
}

TEST_CASE("a clean set of files imports everything with its links", "[integration]") {
  DirectoryHarness h;
  ImportAll(h);
  CHECK(h.Count("SELECT count(*) FROM org_units") == 3);
  CHECK(h.Count("SELECT count(*) FROM support_groups") == 3);
  CHECK(h.Count("SELECT count(*) FROM categories") == 4);
  CHECK(h.Count("SELECT count(*) FROM ci_relations") == 3);
  CHECK(h.Count("SELECT count(*) FROM group_members") == 3);
  CHECK(h.Count("SELECT count(*) FROM categories WHERE full_path = "
                "'Software > SIMAT > Acceso'") == 1);
  CHECK(h.Count("SELECT count(*) FROM people WHERE phone = '+573001234567' AND "
                "national_id = '1110456789' AND roles = '{agent_l1}'") == 1);
  CHECK(h.Count("SELECT count(*) FROM people WHERE roles = '{requester}'") == 1);
  CHECK(h.Count("SELECT count(*) FROM outbox WHERE type = 'directory.person.created'") == 3);
  CHECK(h.Count("SELECT count(*) FROM outbox WHERE type = 'directory.ci.relation_added'") == 3);
}

TEST_CASE("an import with one bad row imports nothing and reports the row", "[integration]") {
  DirectoryHarness h;
  REQUIRE(Import(h, "org_units", kOrgUnits).code == 0);
  REQUIRE(Import(h, "groups", kGroups).code == 0);
  const int64_t events = h.Count("SELECT count(*) FROM outbox");
  const Run run =
      Import(h, "people",
             "email,given_name,family_name,phone,national_id,org_unit_code,job_title,roles,groups\n"
             "ana@edu.co,Ana,Ruiz,,,SED-TOL,,,\n"
             "luis@edu,Luis,Mora,,,SED-TOL,,,\n"
             "eva@edu.co,Eva,Díaz,,,SED-TOL,,,NO-SUCH-GROUP\n");
  CHECK(run.code == 1);
  CHECK(run.err.find("row 3: email:") != std::string::npos);
  CHECK(run.err.find("[INVALID_EMAIL]") != std::string::npos);
  CHECK(run.err.find("row 4: groups:") != std::string::npos);
  CHECK(run.err.find("nothing imported") != std::string::npos);
  CHECK(run.out.empty());
  CHECK(h.Count("SELECT count(*) FROM people") == 0);
  CHECK(h.Count("SELECT count(*) FROM outbox") == events);
}

TEST_CASE("re-importing the same files changes nothing", "[integration]") {
  DirectoryHarness h;
  ImportAll(h);
  const int64_t events = h.Count("SELECT count(*) FROM outbox");
  const int64_t versions = h.Count("SELECT sum(version) FROM people") +
                           h.Count("SELECT sum(version) FROM org_units") +
                           h.Count("SELECT sum(version) FROM categories");
  for (const auto& [kind, csv, rows] :
       std::vector<std::tuple<std::string, std::string, int>>{{"org_units", kOrgUnits, 3},
                                                              {"groups", kGroups, 3},
                                                              {"services", kServices, 2},
                                                              {"categories", kCategories, 4},
                                                              {"cis", kCis, 3},
                                                              {"people", kPeople, 3}}) {
    const Run run = Import(h, kind, csv);
    INFO(kind << ": " << run.err);
    REQUIRE(run.code == 0);
    CHECK(run.out == "created 0, updated 0, unchanged " + std::to_string(rows) + "\n");
  }
  CHECK(h.Count("SELECT count(*) FROM outbox") == events);
  CHECK(h.Count("SELECT sum(version) FROM people") + h.Count("SELECT sum(version) FROM org_units") +
            h.Count("SELECT sum(version) FROM categories") ==
        versions);

  // One changed cell updates that row alone.
  std::string changed = kPeople;
  changed.replace(changed.find("Rector"), 6, "Rector (e)");
  const Run run = Import(h, "people", changed);
  REQUIRE(run.code == 0);
  CHECK(run.out == "created 0, updated 1, unchanged 2\n");
  CHECK(h.Count("SELECT version FROM people WHERE email = 'rector@sansimon.edu.co'") == 2);
}

TEST_CASE("2,000 people import in a few seconds and re-import faster", "[integration]") {
  DirectoryHarness h;
  REQUIRE(Import(h, "org_units", kOrgUnits).code == 0);
  REQUIRE(Import(h, "groups", kGroups).code == 0);
  std::string csv =
      "email,given_name,family_name,phone,national_id,org_unit_code,job_title,roles,groups\n";
  for (int i = 0; i < 2000; ++i) {
    const std::string n = std::to_string(i);
    csv += "docente" + n + "@sansimon.edu.co,Docente " + n + ",Pérez " + n + ",3" +
           std::string(9 - n.size(), '0') + n + "," + std::to_string(1000000 + i) +
           ",IE-SANSIMON,Docente,," + (i % 100 == 0 ? "MESA-L1" : "") + "\n";
  }
  auto started = std::chrono::steady_clock::now();
  Run run = Import(h, "people", csv);
  const double first =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO(run.err);
  REQUIRE(run.code == 0);
  CHECK(run.out == "created 2000, updated 0, unchanged 0\n");
  CHECK(run.err.find("validated 500/2000") != std::string::npos);
  CHECK(run.err.find("imported 2000/2000") != std::string::npos);
  CHECK(h.Count("SELECT count(*) FROM people") == 2000);
  CHECK(first < 20.0);

  started = std::chrono::steady_clock::now();
  run = Import(h, "people", csv);
  const double second =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  REQUIRE(run.code == 0);
  CHECK(run.out == "created 0, updated 0, unchanged 2000\n");
  CHECK(second < first);
  WARN("2,000 people: first import " << first << " s, re-import " << second << " s");
}

}  // namespace
}  // namespace tiquete::directory::testing
