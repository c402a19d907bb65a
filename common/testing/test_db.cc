#include "common/testing/test_db.h"

#include <cstdlib>
#include <random>

#include <iostream>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace tiquete::testing {
namespace {

std::string RandomSuffix() {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  return absl::StrCat(gen() % 100000000000ULL);
}

// Replaces the database name at the end of a postgresql:// URL (before any ?query).
std::string WithDatabase(const std::string& url, const std::string& db) {
  auto q = url.find('?');
  std::string base = url.substr(0, q);
  std::string query = q == std::string::npos ? "" : url.substr(q);
  return base.substr(0, base.rfind('/') + 1) + db + query;
}

std::string WithUser(const std::string& url, const std::string& user, const std::string& pw) {
  auto scheme_end = url.find("://") + 3;
  auto at = url.find('@', scheme_end);
  return url.substr(0, scheme_end) + user + ":" + pw + url.substr(at);
}

void Exec(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  tx.exec(sql);
}

}  // namespace

std::string AdminUrlFromEnv() {
  const char* url = std::getenv("TIQUETE_TEST_PG_ADMIN_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "TIQUETE_TEST_PG_ADMIN_URL is not set: run integration tests through ./tests/run.sh");
  }
  return url;
}

TestDatabase::TestDatabase(const std::vector<std::string>& schemas)
    : admin_url_(AdminUrlFromEnv()), suffix_(RandomSuffix()), schemas_(schemas) {
  name_ = "tiq_t_" + suffix_;
  Exec(admin_url_, absl::StrCat("CREATE DATABASE ", name_));
  std::string sql = absl::StrCat("REVOKE ALL ON DATABASE ", name_,
                                 " FROM PUBLIC; REVOKE ALL ON SCHEMA public FROM PUBLIC;",
                                 "CREATE SCHEMA ext; CREATE EXTENSION pg_trgm SCHEMA ext; ",
                                 "CREATE EXTENSION unaccent SCHEMA ext;");
  for (const auto& schema : schemas_) {
    const std::string role = absl::StrCat("tiq_t_", suffix_, "_", schema);
    absl::StrAppend(&sql, "CREATE ROLE ", role, " LOGIN PASSWORD 'test'; ",
                    "GRANT CONNECT, TEMP ON DATABASE ", name_, " TO ", role, "; CREATE SCHEMA ",
                    schema, " AUTHORIZATION ", role, "; GRANT USAGE ON SCHEMA ext TO ", role,
                    "; ALTER ROLE ", role, " IN DATABASE ", name_, " SET search_path = ", schema,
                    ", ext;");
  }
  Exec(AdminUrl(), sql);
}

TestDatabase::~TestDatabase() {
  try {
    Exec(admin_url_, absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
    for (const auto& schema : schemas_) {
      Exec(admin_url_, absl::StrCat("DROP ROLE IF EXISTS tiq_t_", suffix_, "_", schema));
    }
  } catch (const std::exception& e) {
    std::cerr << "cleaning up test database " << name_ << ": " << e.what() << "\n";
  }
}

std::string TestDatabase::AdminUrl() const { return WithDatabase(admin_url_, name_); }

std::string TestDatabase::RoleFor(const std::string& schema) const {
  return absl::StrCat("tiq_t_", suffix_, "_", schema);
}

std::string TestDatabase::UrlFor(const std::string& schema) const {
  return WithUser(AdminUrl(), RoleFor(schema), "test");
}

std::unique_ptr<PgPool> TestDatabase::PoolFor(const std::string& schema, int size) const {
  PgPoolOptions options;
  options.url = UrlFor(schema);
  options.schema = schema;
  options.size = size;
  return std::make_unique<PgPool>(options);
}

}  // namespace tiquete::testing
