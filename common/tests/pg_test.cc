#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "common/errors.h"
#include "common/pg.h"
#include "common/testing/test_db.h"

using tiquete::PgPool;
using tiquete::testing::TestDatabase;

namespace {

void CreateTable(PgPool& pool) {
  REQUIRE(pool.Transact([](pqxx::work& tx) {
                tx.exec("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)");
                return absl::OkStatus();
              })
              .ok());
}

long Count(PgPool& pool) {
  long n = -1;
  REQUIRE(pool.Read([&](pqxx::work& tx) {
                n = tx.exec("SELECT count(*) FROM items")[0][0].as<long>();
                return absl::OkStatus();
              })
              .ok());
  return n;
}

}  // namespace

TEST_CASE("a transaction whose work fails leaves nothing written", "[pg]") {
  TestDatabase db;
  auto pool = db.PoolFor("svc");
  CreateTable(*pool);
  absl::Status s = pool->Transact([](pqxx::work& tx) {
    tx.exec("INSERT INTO items VALUES (1, 'first')");
    return absl::FailedPreconditionError("rule broken after the first write");
  });
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(Count(*pool) == 0);
}

TEST_CASE("database errors map to status codes by meaning", "[pg]") {
  TestDatabase db;
  auto pool = db.PoolFor("svc");
  CreateTable(*pool);
  auto insert = [&](const char* sql) {
    return pool->Transact([&](pqxx::work& tx) {
      tx.exec(sql);
      return absl::OkStatus();
    });
  };
  REQUIRE(insert("INSERT INTO items VALUES (1, 'a')").ok());
  CHECK(insert("INSERT INTO items VALUES (1, 'b')").code() == absl::StatusCode::kAlreadyExists);
  CHECK(insert("INSERT INTO items VALUES (2, NULL)").code() == absl::StatusCode::kInvalidArgument);
  CHECK(insert("SELECT 1/0").code() == absl::StatusCode::kInvalidArgument);
  // The status says what failed, but not the row's values PostgreSQL quotes in its DETAIL:
  // statuses cross into other services and, through the gateway, to callers.
  const absl::Status duplicate = insert("INSERT INTO items VALUES (1, 'secreto')");
  CHECK(absl::StrContains(duplicate.message(), "duplicate key"));
  CHECK_FALSE(absl::StrContains(duplicate.message(), "(id)=(1)"));
  CHECK_FALSE(absl::StrContains(duplicate.message(), "DETAIL"));
  const absl::Status null_name = insert("INSERT INTO items VALUES (3, NULL)");
  CHECK_FALSE(absl::StrContains(null_name.message(), "Failing row"));
}

TEST_CASE("waiting for a connection past the timeout is UNAVAILABLE", "[pg]") {
  TestDatabase db;
  tiquete::PgPoolOptions options;
  options.url = db.UrlFor("svc");
  options.schema = "svc";
  options.size = 1;
  options.acquire_timeout = absl::Milliseconds(150);
  PgPool pool(options);
  std::unique_ptr<PgPool::Lease> held;
  REQUIRE(pool.Acquire(&held).ok());
  std::unique_ptr<PgPool::Lease> second;
  absl::Time start = absl::Now();
  absl::Status s = pool.Acquire(&second);
  CHECK(s.code() == absl::StatusCode::kUnavailable);
  CHECK(tiquete::ErrorReason(s) == "DATABASE_POOL_EXHAUSTED");
  CHECK(absl::Now() - start >= absl::Milliseconds(140));
  held.reset();
  CHECK(pool.Acquire(&second).ok());
}

TEST_CASE("the pool reconnects transparently after the server drops its connections", "[pg]") {
  TestDatabase db;
  auto pool = db.PoolFor("svc", 3);
  CreateTable(*pool);
  REQUIRE(pool->Ping().ok());
  // What a PostgreSQL restart looks like from the client: every backend is gone.
  {
    pqxx::connection admin(db.AdminUrl());
    pqxx::nontransaction tx(admin);
    tx.exec_params("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
                   db.RoleFor("svc"));
  }
  CHECK(pool->Transact([](pqxx::work& tx) {
              tx.exec("INSERT INTO items VALUES (7, 'after restart')");
              return absl::OkStatus();
            })
            .ok());
  CHECK(Count(*pool) == 1);
}

TEST_CASE("prepared statements exist on every pooled connection", "[pg]") {
  TestDatabase db;
  tiquete::PgPoolOptions options;
  options.url = db.UrlFor("svc");
  options.schema = "svc";
  options.size = 2;
  options.prepared = {{"answer", "SELECT 41 + $1::int"}};
  PgPool pool(options);
  int got = 0;
  REQUIRE(pool.Read([&](pqxx::work& tx) {
                got = tx.exec_prepared("answer", 1)[0][0].as<int>();
                return absl::OkStatus();
              })
              .ok());
  CHECK(got == 42);
}

TEST_CASE("a service role cannot read another service's schema", "[pg]") {
  TestDatabase db({"directory", "incident"});
  auto incident = db.PoolFor("incident");
  REQUIRE(incident
              ->Transact([](pqxx::work& tx) {
                tx.exec("CREATE TABLE incidents (id int)");
                return absl::OkStatus();
              })
              .ok());
  auto directory = db.PoolFor("directory");
  absl::Status s = directory->Read([](pqxx::work& tx) {
    tx.exec("SELECT * FROM incident.incidents");
    return absl::OkStatus();
  });
  CHECK(s.code() == absl::StatusCode::kPermissionDenied);
  absl::Status create = directory->Transact([](pqxx::work& tx) {
    tx.exec("CREATE TABLE incident.sneaky (id int)");
    return absl::OkStatus();
  });
  CHECK(create.code() == absl::StatusCode::kPermissionDenied);
}

TEST_CASE("a text array parameter reaches PostgreSQL element for element", "[pg]") {
  TestDatabase db;
  auto pool = db.PoolFor("svc");
  const std::vector<std::string> values = {
      "plain", "",     "with \"quotes\"", "back\\slash", "\\\"", "a,b",        "{braces}",
      "NULL",  " sp ", "Bogotá ñ",        "ends\\",      "\"",   "multi\nline"};
  std::vector<std::string> back;
  REQUIRE(pool->Read([&](pqxx::work& tx) {
                for (const auto& row :
                     tx.exec_params("SELECT v, v IS NULL FROM unnest($1::text[]) WITH "
                                    "ORDINALITY AS u(v, n) ORDER BY n",
                                    tiquete::PgTextArray(values))) {
                  CHECK_FALSE(row[1].as<bool>());
                  back.push_back(row[0].as<std::string>());
                }
                return absl::OkStatus();
              })
              .ok());
  CHECK(back == values);
  CHECK(tiquete::PgTextArray({}) == "{}");
}
