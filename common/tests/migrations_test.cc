#include <thread>

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "common/testing/test_db.h"

using tiquete::Migration;
using tiquete::MigrationSet;
using tiquete::testing::TestDatabase;

namespace {

long Scalar(const TestDatabase& db, const std::string& sql) {
  auto conn = tiquete::ConnectPg(db.UrlFor("svc"), "svc");
  pqxx::read_transaction tx(*conn);
  return tx.exec(sql)[0][0].as<long>();
}

}  // namespace

TEST_CASE("migrations apply once and are recorded with their checksum", "[migrations]") {
  TestDatabase db;
  const std::vector<Migration> own = {{1, "0001_items", "CREATE TABLE items (id int);"},
                                      {2, "0002_more", "ALTER TABLE items ADD name text;"}};
  auto conn = tiquete::ConnectPg(db.UrlFor("svc"), "svc");
  const std::vector<MigrationSet> sets = {{"common", &tiquete::CommonMigrations()}, {"svc", &own}};
  REQUIRE(tiquete::ApplyMigrations(*conn, "svc", sets).ok());
  REQUIRE(tiquete::ApplyMigrations(*conn, "svc", sets).ok());  // second start: nothing to do
  CHECK(Scalar(db, "SELECT count(*) FROM schema_migrations WHERE component = 'svc'") == 2);
  CHECK(Scalar(db, "SELECT count(*) FROM schema_migrations WHERE component = 'common'") ==
        static_cast<long>(tiquete::CommonMigrations().size()));
  CHECK(Scalar(db, "SELECT count(*) FROM schema_migrations WHERE checksum = '" +
                       tiquete::Sha256Hex(own[0].sql) + "'") == 1);
}

TEST_CASE("an applied migration whose file changed stops start-up and applies nothing",
          "[migrations]") {
  TestDatabase db;
  auto conn = tiquete::ConnectPg(db.UrlFor("svc"), "svc");
  const std::vector<Migration> v1 = {{1, "0001_items", "CREATE TABLE items (id int);"}};
  REQUIRE(tiquete::ApplyMigrations(*conn, "svc", {{"svc", &v1}}).ok());
  const std::vector<Migration> edited = {{1, "0001_items", "CREATE TABLE items (id bigint);"},
                                         {2, "0002_other", "CREATE TABLE other (id int);"}};
  absl::Status s = tiquete::ApplyMigrations(*conn, "svc", {{"svc", &edited}});
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(tiquete::ErrorReason(s) == "MIGRATION_CHANGED");
  CHECK(s.message().find("0001_items") != absl::string_view::npos);
  CHECK(Scalar(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'other'") == 0);
}

TEST_CASE("a failing migration is reported and leaves no partial change", "[migrations]") {
  TestDatabase db;
  auto conn = tiquete::ConnectPg(db.UrlFor("svc"), "svc");
  const std::vector<Migration> bad = {
      {1, "0001_half", "CREATE TABLE half (id int); CREATE TABLE half (id int);"}};
  absl::Status s = tiquete::ApplyMigrations(*conn, "svc", {{"svc", &bad}});
  CHECK_FALSE(s.ok());
  CHECK(tiquete::ErrorReason(s) == "MIGRATION_FAILED");
  CHECK(Scalar(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'half'") == 0);
}

TEST_CASE("two replicas starting at once apply each migration once", "[migrations]") {
  TestDatabase db;
  // pg_sleep widens the window in which a second replica would apply it again.
  const std::vector<Migration> own = {
      {1, "0001_slow", "SELECT pg_sleep(0.3); CREATE TABLE once (id int);"}};
  std::vector<absl::Status> results(4);
  std::vector<std::thread> replicas;
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&, i] {
      auto conn = tiquete::ConnectPg(db.UrlFor("svc"), "svc");
      results[i] = tiquete::ApplyMigrations(
          *conn, "svc", {{"common", &tiquete::CommonMigrations()}, {"svc", &own}});
    });
  }
  for (auto& t : replicas) t.join();
  for (const auto& r : results) CHECK(r.ok());
  CHECK(Scalar(db, "SELECT count(*) FROM schema_migrations WHERE component = 'svc'") == 1);
}
