// Test fixtures for integration tests: a private database with a service role and schema,
// created from TIQUETE_TEST_PG_ADMIN_URL (set by tests/run.sh) and dropped afterwards.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/pg.h"

namespace tiquete::testing {

class TestDatabase {
 public:
  // Creates database tiq_t_<random> and, for each schema name, a login role owning that
  // schema only (as deploy/lib.sh provisions them), with pg_trgm and unaccent in schema ext.
  explicit TestDatabase(const std::vector<std::string>& schemas = {"svc"});
  ~TestDatabase();

  // URL connecting as the role that owns `schema`.
  std::string UrlFor(const std::string& schema) const;
  std::string AdminUrl() const;  // superuser, this database
  std::string RoleFor(const std::string& schema) const;
  const std::string& name() const { return name_; }
  std::unique_ptr<PgPool> PoolFor(const std::string& schema, int size = 4) const;

 private:
  std::string admin_url_;  // superuser, postgres database
  std::string name_;
  std::string suffix_;
  std::vector<std::string> schemas_;
};

// Admin URL from the environment; throws (failing the test) with a clear message when missing.
std::string AdminUrlFromEnv();

}  // namespace tiquete::testing
