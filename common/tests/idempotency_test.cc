#include <thread>

#include <google/protobuf/wrappers.pb.h>
#include <catch2/catch.hpp>

#include "common/errors.h"
#include "common/idempotency.h"
#include "common/migrations.h"
#include "common/testing/test_db.h"

using tiquete::testing::TestDatabase;

namespace {

struct Fixture {
  TestDatabase db;
  std::unique_ptr<tiquete::PgPool> pool = db.PoolFor("svc", 4);
  Fixture() {
    auto conn = tiquete::ConnectPg(db.UrlFor("svc"), "svc");
    REQUIRE(
        tiquete::ApplyMigrations(*conn, "svc", {{"common", &tiquete::CommonMigrations()}}).ok());
    REQUIRE(pool->Transact([](pqxx::work& tx) {
                  tx.exec("CREATE TABLE things (id serial PRIMARY KEY, name text)");
                  return absl::OkStatus();
                })
                .ok());
  }
  // The shape every store's create takes: claim the key, create, record the result.
  absl::StatusOr<std::string> Create(const std::string& key, const std::string& name,
                                     absl::Duration hold = absl::ZeroDuration()) {
    google::protobuf::StringValue request;
    request.set_value(name);
    std::string id;
    absl::Status s = pool->Transact([&](pqxx::work& tx) -> absl::Status {
      auto existing = tiquete::ClaimIdempotencyKey(tx, "things.create", key,
                                                   tiquete::RequestFingerprint(request));
      if (!existing.ok()) return existing.status();
      if (existing->has_value()) {
        id = **existing;
        return absl::OkStatus();
      }
      id = tx.exec_params("INSERT INTO things (name) VALUES ($1) RETURNING id", name)[0][0]
               .as<std::string>();
      absl::SleepFor(hold);
      tiquete::RecordIdempotentResult(tx, "things.create", key, id);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return id;
  }
  long Things() {
    long n = 0;
    REQUIRE(pool->Read([&](pqxx::work& tx) {
                  n = tx.exec("SELECT count(*) FROM things")[0][0].as<long>();
                  return absl::OkStatus();
                })
                .ok());
    return n;
  }
};

}  // namespace

TEST_CASE("a retried create with the same key returns the first result and creates nothing",
          "[idempotency]") {
  Fixture f;
  auto first = f.Create("key-1", "printer");
  auto retry = f.Create("key-1", "printer");
  REQUIRE(first.ok());
  REQUIRE(retry.ok());
  CHECK(*first == *retry);
  CHECK(f.Things() == 1);
  CHECK(*f.Create("", "no key") != *f.Create("", "no key"));  // no key: no deduplication
}

TEST_CASE("reusing a key for a different request is refused", "[idempotency]") {
  Fixture f;
  REQUIRE(f.Create("key-1", "printer").ok());
  auto other = f.Create("key-1", "scanner");
  CHECK(other.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(tiquete::ErrorReason(other.status()) == "IDEMPOTENCY_KEY_REUSED");
  CHECK(tiquete::ErrorField(other.status()) == "idempotency_key");
  CHECK(f.Things() == 1);
}

TEST_CASE("concurrent creates with the same key create one row", "[idempotency]") {
  Fixture f;
  std::vector<absl::StatusOr<std::string>> results(4, absl::UnknownError("not run"));
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back(
        [&, i] { results[i] = f.Create("same", "router", absl::Milliseconds(100)); });
  }
  for (auto& t : clients) t.join();
  for (const auto& r : results) {
    REQUIRE(r.ok());
    CHECK(*r == *results[0]);
  }
  CHECK(f.Things() == 1);
}
