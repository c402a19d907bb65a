// Each service owns its schema: the directory's role cannot read another service's tables.
#include <catch2/catch.hpp>

#include "services/directory/tests/directory_fixture.h"

namespace tiquete::directory::testing {
namespace {

TEST_CASE("the directory role cannot read the incident schema", "[integration]") {
  DirectoryHarness h;
  {
    auto incident = h.db().PoolFor("incident", 1);
    const absl::Status created = incident->Transact([](pqxx::work& tx) {
      tx.exec("CREATE TABLE incident.secrets (id int PRIMARY KEY, note text)");
      tx.exec("INSERT INTO incident.secrets VALUES (1, 'visible only to incident')");
      return absl::OkStatus();
    });
    INFO(created.ToString());
    REQUIRE(created.ok());
  }
  const absl::Status read = h.pool().Read([](pqxx::work& tx) {
    tx.exec("SELECT note FROM incident.secrets");
    return absl::OkStatus();
  });
  CHECK(read.code() == absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace tiquete::directory::testing
