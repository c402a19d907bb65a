#include <atomic>
#include <set>
#include <thread>

#include <google/protobuf/wrappers.pb.h>
#include <catch2/catch.hpp>

#include "common/events.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "common/testing/test_db.h"
#include "common/testing/test_redis.h"

using tiquete::EventConsumer;
using tiquete::OutboxRelay;
using tiquete::testing::TestDatabase;
using tiquete::testing::TestRedis;

namespace {

// A producer schema and a consumer schema in one database, both migrated.
struct Fixture {
  TestDatabase db{{"producer", "consumer"}};
  std::unique_ptr<tiquete::PgPool> producer = db.PoolFor("producer");
  std::unique_ptr<tiquete::PgPool> consumer = db.PoolFor("consumer");
  Fixture() {
    for (const char* schema : {"producer", "consumer"}) {
      auto conn = tiquete::ConnectPg(db.UrlFor(schema), schema);
      REQUIRE(
          tiquete::ApplyMigrations(*conn, schema, {{"common", &tiquete::CommonMigrations()}}).ok());
    }
    REQUIRE(consumer
                ->Transact([](pqxx::work& tx) {
                  tx.exec("CREATE TABLE received (event_id uuid PRIMARY KEY, value text)");
                  return absl::OkStatus();
                })
                .ok());
  }
  absl::Status Emit(const std::string& value) {
    return producer->Transact([&](pqxx::work& tx) {
      google::protobuf::StringValue payload;
      payload.set_value(value);
      tiquete::AppendEvent(tx, {"test.thing.created", "thing", value, &payload, "tester"});
      return absl::OkStatus();
    });
  }
  long Received() {
    long n = 0;
    REQUIRE(consumer
                ->Read([&](pqxx::work& tx) {
                  n = tx.exec("SELECT count(*) FROM received")[0][0].as<long>();
                  return absl::OkStatus();
                })
                .ok());
    return n;
  }
};

tiquete::RelayOptions Relay() {
  tiquete::RelayOptions o;
  o.stream = "tiquete.producer.events";
  o.producer = "producer";
  o.poll_interval = absl::Milliseconds(50);
  o.retry_backoff = absl::Milliseconds(50);
  return o;
}

tiquete::ConsumerOptions Consumer(const std::string& name) {
  tiquete::ConsumerOptions o;
  o.stream = "tiquete.producer.events";
  o.group = "consumer";
  o.consumer = name;
  o.block = absl::Milliseconds(100);
  o.reclaim_idle = absl::Milliseconds(200);
  o.reclaim_interval = absl::Milliseconds(100);
  o.max_attempts = 3;
  return o;
}

// Records each event once; counts every call so double handling would show.
struct CountingHandler {
  std::atomic<int> calls{0};
  tiquete::EventHandler Fn() {
    return [this](pqxx::work& tx, const tiquete::events::v1::Event& e) {
      ++calls;
      google::protobuf::StringValue payload;
      e.payload().UnpackTo(&payload);
      tx.exec_params("INSERT INTO received VALUES ($1, $2)", e.id(), payload.value());
      return absl::OkStatus();
    };
  }
};

bool WaitFor(const std::function<bool()>& done, absl::Duration limit = absl::Seconds(20)) {
  const absl::Time until = absl::Now() + limit;
  while (absl::Now() < until) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
}

long PendingCount(TestRedis& redis) {
  auto conn = tiquete::RedisConnection::Connect(redis.address());
  REQUIRE(conn.ok());
  auto r = (*conn)->Command({"XPENDING", "tiquete.producer.events", "consumer"});
  REQUIRE(r.ok());
  return (*r)->element[0]->integer;
}

}  // namespace

TEST_CASE("an event written in a rolled-back transaction is never published", "[events]") {
  Fixture f;
  absl::Status s = f.producer->Transact([](pqxx::work& tx) {
    tiquete::AppendEvent(tx, {"test.thing.created", "thing", "x", nullptr, ""});
    return absl::InvalidArgumentError("the change itself was refused");
  });
  CHECK_FALSE(s.ok());
  long rows = -1;
  REQUIRE(f.producer
              ->Read([&](pqxx::work& tx) {
                rows = tx.exec("SELECT count(*) FROM outbox")[0][0].as<long>();
                return absl::OkStatus();
              })
              .ok());
  CHECK(rows == 0);
}

TEST_CASE("committed events reach the handler once, with their payload", "[events]") {
  Fixture f;
  TestRedis redis;
  for (int i = 0; i < 25; ++i) REQUIRE(f.Emit("v" + std::to_string(i)).ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  auto published = relay.PublishBatch();
  REQUIRE(published.ok());
  CHECK(*published == 25);
  CHECK(*relay.PublishBatch() == 0);  // nothing is published twice
  CountingHandler handler;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), handler.Fn());
  REQUIRE(consumer.PollOnce().ok());
  CHECK(f.Received() == 25);
  CHECK(handler.calls == 25);
  CHECK(PendingCount(redis) == 0);
}

TEST_CASE("a redelivered event is acknowledged without running the handler again", "[events]") {
  Fixture f;
  TestRedis redis;
  REQUIRE(f.Emit("once").ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(relay.PublishBatch().ok());
  // The relay crashed after XADD but before marking the row: it publishes the row again.
  REQUIRE(f.producer
              ->Transact([](pqxx::work& tx) {
                tx.exec("UPDATE outbox SET published_at = NULL");
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(*relay.PublishBatch() == 1);
  CountingHandler handler;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), handler.Fn());
  REQUIRE(*consumer.PollOnce() == 2);
  CHECK(handler.calls == 1);
  CHECK(f.Received() == 1);
  CHECK(PendingCount(redis) == 0);
}

TEST_CASE(
    "with Redis stopped while writes continue, every event arrives exactly once after it "
    "returns",
    "[events]") {
  Fixture f;
  TestRedis redis;
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  CountingHandler handler;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), handler.Fn());
  relay.Start();
  consumer.Start();
  std::atomic<bool> writing{true};
  std::atomic<int> written{0};
  std::atomic<int> write_errors{0};
  std::thread writer([&] {
    while (writing.load()) {
      if (!f.Emit("w" + std::to_string(written.load())).ok()) ++write_errors;
      ++written;
      absl::SleepFor(absl::Milliseconds(2));
    }
  });
  REQUIRE(WaitFor([&] { return f.Received() >= 50; }));
  redis.Stop();
  const int at_stop = written.load();
  REQUIRE(WaitFor([&] { return written.load() >= at_stop + 200; }));  // writes go on
  redis.Start();
  absl::SleepFor(absl::Milliseconds(300));
  writing = false;
  writer.join();
  REQUIRE(write_errors == 0);  // PostgreSQL writes never depended on Redis
  const long total = written.load();
  CHECK(WaitFor([&] { return f.Received() == total; }, absl::Seconds(30)));
  relay.Stop();
  consumer.Stop();
  CHECK(f.Received() == total);
  CHECK(handler.calls == total);
}

TEST_CASE("entries left pending by a dead consumer are reclaimed by a live one", "[events]") {
  Fixture f;
  TestRedis redis;
  for (int i = 0; i < 5; ++i) REQUIRE(f.Emit("r" + std::to_string(i)).ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(relay.PublishBatch().ok());
  {
    // A consumer that reads and then dies before acknowledging.
    auto conn = tiquete::RedisConnection::Connect(redis.address());
    REQUIRE(conn.ok());
    REQUIRE(
        (*conn)->Command({"XGROUP", "CREATE", "tiquete.producer.events", "consumer", "0"}).ok());
    REQUIRE((*conn)
                ->Command({"XREADGROUP", "GROUP", "consumer", "dead", "COUNT", "10", "STREAMS",
                           "tiquete.producer.events", ">"})
                .ok());
  }
  CHECK(PendingCount(redis) == 5);
  CountingHandler handler;
  EventConsumer live(*f.consumer, redis.address(), Consumer("live"), handler.Fn());
  CHECK(*live.PollOnce() == 0);  // nothing new for it
  absl::SleepFor(absl::Milliseconds(250));
  CHECK(*live.ReclaimOnce() == 5);
  CHECK(f.Received() == 5);
  CHECK(PendingCount(redis) == 0);
}

TEST_CASE("an event that keeps failing is dead-lettered with the reason and acknowledged",
          "[events]") {
  Fixture f;
  TestRedis redis;
  REQUIRE(f.Emit("poison").ok());
  REQUIRE(f.Emit("fine").ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(relay.PublishBatch().ok());
  std::atomic<int> poison_calls{0};
  auto handler = [&](pqxx::work& tx, const tiquete::events::v1::Event& e) -> absl::Status {
    google::protobuf::StringValue payload;
    e.payload().UnpackTo(&payload);
    if (payload.value() == "poison") {
      ++poison_calls;
      return absl::InvalidArgumentError("cannot handle poison");
    }
    tx.exec_params("INSERT INTO received VALUES ($1, $2)", e.id(), payload.value());
    return absl::OkStatus();
  };
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), handler);
  REQUIRE(consumer.PollOnce().ok());
  CHECK(f.Received() == 1);  // the good event is not held up by the bad one
  for (int i = 0; i < 3; ++i) {
    absl::SleepFor(absl::Milliseconds(250));
    REQUIRE(consumer.ReclaimOnce().ok());
  }
  CHECK(poison_calls == 3);
  CHECK(PendingCount(redis) == 0);
  std::string reason;
  int attempts = 0;
  REQUIRE(f.consumer
              ->Read([&](pqxx::work& tx) {
                auto r = tx.exec("SELECT reason, attempts FROM dead_letters");
                REQUIRE(r.size() == 1);
                reason = r[0][0].as<std::string>();
                attempts = r[0][1].as<int>();
                return absl::OkStatus();
              })
              .ok());
  CHECK(reason.find("cannot handle poison") != std::string::npos);
  CHECK(attempts == 3);
}

TEST_CASE("a malformed stream entry is dead-lettered, not retried forever", "[events]") {
  Fixture f;
  TestRedis redis;
  auto conn = tiquete::RedisConnection::Connect(redis.address());
  REQUIRE(conn.ok());
  REQUIRE((*conn)->Command({"XADD", "tiquete.producer.events", "*", "event", "garbage"}).ok());
  CountingHandler handler;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), handler.Fn());
  REQUIRE(*consumer.PollOnce() == 1);
  CHECK(handler.calls == 0);
  CHECK(PendingCount(redis) == 0);
  long dead = 0;
  REQUIRE(f.consumer
              ->Read([&](pqxx::work& tx) {
                dead = tx.exec("SELECT count(*) FROM dead_letters")[0][0].as<long>();
                return absl::OkStatus();
              })
              .ok());
  CHECK(dead == 1);
}
