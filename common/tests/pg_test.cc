#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "absl/time/time.h"
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

namespace {

// The elements of a binary array parameter as the server reads them, rendered by `render`
// (an expression of v, the element), in order; "<null>" for a NULL element.
std::vector<std::string> ElementsAsServerReadsThem(PgPool& pool, const std::string& type,
                                                   const std::string& render,
                                                   const pqxx::binarystring& array) {
  std::vector<std::string> out;
  absl::Status s = pool.Read([&](pqxx::work& tx) {
    out.clear();
    for (const auto& row :
         tx.exec_params("SELECT coalesce(" + render + ", '<null>') FROM unnest($1::" + type +
                            "[]) WITH ORDINALITY AS u(v, n) ORDER BY n",
                        array)) {
      out.push_back(row[0].as<std::string>());
    }
    return absl::OkStatus();
  });
  REQUIRE(s.ok());
  return out;
}

}  // namespace

TEST_CASE("binary array parameters reach PostgreSQL element for element", "[pg]") {
  namespace pga = tiquete::pg_array;
  TestDatabase db;
  auto pool = db.PoolFor("svc");
  CHECK(ElementsAsServerReadsThem(*pool, "bigint", "v::text",
                                  pga::Bigint({0, -1, 42, std::numeric_limits<int64_t>::max(),
                                               std::numeric_limits<int64_t>::min()})) ==
        std::vector<std::string>{"0", "-1", "42", "9223372036854775807", "-9223372036854775808"});
  CHECK(ElementsAsServerReadsThem(*pool, "integer", "v::text",
                                  pga::Integer({0, -1, 75, std::numeric_limits<int>::max(),
                                                std::numeric_limits<int>::min()})) ==
        std::vector<std::string>{"0", "-1", "75", "2147483647", "-2147483648"});
  CHECK(ElementsAsServerReadsThem(*pool, "smallint", "v::text",
                                  pga::Smallint({-32768, 32767, 5, -2})) ==
        std::vector<std::string>{"-32768", "32767", "5", "-2"});
  CHECK_THROWS_AS(pga::Smallint({40000}), std::out_of_range);
  CHECK(ElementsAsServerReadsThem(*pool, "boolean", "v::text", pga::Boolean({true, false})) ==
        std::vector<std::string>{"true", "false"});

  const std::vector<std::string> texts = {"plain",       "",         "with \"quotes\"",
                                          "back\\slash", "a,b",      "{braces}",
                                          "NULL",        "Bogotá ñ", "multi\nline"};
  CHECK(ElementsAsServerReadsThem(*pool, "text", "v", pga::Text(texts)) == texts);
  CHECK(ElementsAsServerReadsThem(*pool, "bytea", "encode(v, 'hex')",
                                  pga::Bytea({"", std::string("\0\x01\xff", 3), "abc"})) ==
        std::vector<std::string>{"", "0001ff", "616263"});

  CHECK(ElementsAsServerReadsThem(*pool, "uuid", "v::text",
                                  pga::Uuid({"00000000-0000-4000-8000-000000000101",
                                             "F47AC10B-58CC-4372-A567-0E02B2C3D479"})) ==
        std::vector<std::string>{"00000000-0000-4000-8000-000000000101",
                                 "f47ac10b-58cc-4372-a567-0e02b2c3d479"});
  for (const char* bad :
       {"", "f47ac10b58cc4372a5670e02b2c3d479", "f47ac10b-58cc-4372-a567-0e02b2c3d47",
        "f47ac10b-58cc-4372-a567-0e02b2c3d4799", "g47ac10b-58cc-4372-a567-0e02b2c3d479",
        "f47ac10b_58cc-4372-a567-0e02b2c3d479"}) {
    CHECK_THROWS_AS(pga::Uuid({bad}), std::invalid_argument);
  }

  // Before 1970, before 2000 (the binary epoch), after it, with microseconds; infinite → NULL.
  const absl::Time t2026 = absl::FromUnixMicros(1795774272345678);  // 2026-11-27 10:11:12.345678
  CHECK(ElementsAsServerReadsThem(
            *pool, "timestamptz", "((extract(epoch FROM v) * 1000000)::bigint)::text",
            pga::Timestamptz({absl::UnixEpoch(), absl::FromUnixMicros(-1), t2026,
                              absl::InfiniteFuture(), absl::InfinitePast(),
                              absl::FromUnixMicros(946684799999999)})) ==
        std::vector<std::string>{"0", "-1", "1795774272345678", "<null>", "<null>",
                                 "946684799999999"});

  // The first instant PostgreSQL holds, and one before it.
  const absl::Time first = absl::FromUnixMicros(-211813488000000000LL + 946684800000000LL);
  CHECK(ElementsAsServerReadsThem(
            *pool, "timestamptz", "to_char(v AT TIME ZONE 'UTC', 'YYYY-MM-DD BC')",
            pga::Timestamptz({first})) == std::vector<std::string>{"4714-11-24 BC"});
  CHECK_THROWS_AS(pga::Timestamptz({first - absl::Microseconds(1)}), std::out_of_range);
  CHECK_THROWS_AS(
      pga::Timestamptz({absl::FromUnixSeconds(std::numeric_limits<int64_t>::min() / 2)}),
      std::out_of_range);

  CHECK(ElementsAsServerReadsThem(*pool, "bigint", "v::text", pga::Bigint({})).empty());
  CHECK(ElementsAsServerReadsThem(*pool, "text", "v", pga::Text({})).empty());
  // The element type is part of the array: an integer[] is refused where a bigint[] is due.
  absl::Status wrong = pool->Read([&](pqxx::work& tx) {
    tx.exec_params("SELECT cardinality($1::bigint[])", pga::Integer({1}));
    return absl::OkStatus();
  });
  CHECK_FALSE(wrong.ok());
}

TEST_CASE("outbox hooks run once per committed transaction that marked an outbox write", "[pg]") {
  TestDatabase db;
  auto pool = db.PoolFor("svc");
  CreateTable(*pool);
  int runs = 0;
  const int hook = pool->AddOutboxHook([&] { ++runs; });
  auto write = [&](int id, bool mark) {
    return pool->Transact([&](pqxx::work& tx) {
      tx.exec_params("INSERT INTO items VALUES ($1, 'x')", id);
      if (mark) tiquete::MarkOutboxWritten();
      return absl::OkStatus();
    });
  };
  REQUIRE(write(1, true).ok());
  CHECK(runs == 1);
  REQUIRE(write(2, false).ok());  // committed, but no outbox row: nothing to publish
  CHECK(runs == 1);
  // Rolled back after marking: its rows are gone, so nobody is woken.
  CHECK_FALSE(pool->Transact([](pqxx::work& tx) {
                    tx.exec("INSERT INTO items VALUES (3, 'x')");
                    tiquete::MarkOutboxWritten();
                    return absl::AbortedError("changed my mind");
                  })
                  .ok());
  CHECK(runs == 1);
  // An attempt that marked and then lost its connection is retried; the retry did not mark.
  int attempts = 0;
  absl::Status retried = pool->Transact([&](pqxx::work& tx) {
    if (++attempts == 1) {
      tiquete::MarkOutboxWritten();
      tx.exec("SELECT pg_terminate_backend(pg_backend_pid())");
    }
    tx.exec("INSERT INTO items VALUES (4, 'x')");
    return absl::OkStatus();
  });
  REQUIRE(retried.ok());
  CHECK(attempts == 2);
  CHECK(runs == 1);
  // A transaction inside another's work marks only itself.
  REQUIRE(pool->Transact([&](pqxx::work& tx) {
                tx.exec("INSERT INTO items VALUES (5, 'x')");
                REQUIRE(write(6, true).ok());
                CHECK(runs == 2);
                return absl::OkStatus();
              })
              .ok());
  CHECK(runs == 2);
  // Outside any Transact a mark is ignored; a removed hook is never run again.
  tiquete::MarkOutboxWritten();
  pool->RemoveOutboxHook(hook);
  REQUIRE(write(7, true).ok());
  CHECK(runs == 2);
  CHECK(Count(*pool) == 6);
}
