#include <atomic>
#include <mutex>
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

// Runs `sql` on `pool`: the first column of its first row, or the rows it changed when it
// returns none.
long RunScalar(tiquete::PgPool& pool, const std::string& sql) {
  long n = -1;
  REQUIRE(pool.Transact([&](pqxx::work& tx) {
                auto r = tx.exec(sql);
                n = r.empty() ? static_cast<long>(r.affected_rows()) : r[0][0].as<long>();
                return absl::OkStatus();
              })
              .ok());
  return n;
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
  const long rows = RunScalar(*f.producer, "SELECT count(*) FROM outbox");
  CHECK(rows == 0);
}

TEST_CASE("event ids are time-ordered UUIDs (version 7), so later events sort after earlier ones",
          "[events]") {
  Fixture f;
  // Drawn by the outbox's default (AppendEvent) and by NewEventId() (AppendEvents), in turn.
  for (int i = 0; i < 4; ++i) {
    if (i % 2 == 0) {
      REQUIRE(f.Emit("t" + std::to_string(i)).ok());
    } else {
      REQUIRE(f.producer
                  ->Transact([&](pqxx::work& tx) {
                    google::protobuf::StringValue payload;
                    payload.set_value("t" + std::to_string(i));
                    tiquete::AppendEvents(tx, {{"test.thing.created", "thing", "t", &payload, ""}});
                    return absl::OkStatus();
                  })
                  .ok());
    }
    absl::SleepFor(absl::Milliseconds(5));  // ids share their first 48 bits within a millisecond
  }
  std::vector<std::string> ids;
  REQUIRE(f.producer
              ->Read([&](pqxx::work& tx) {
                for (const auto& r : tx.exec("SELECT event_id::text FROM outbox ORDER BY sequence"))
                  ids.push_back(r[0].as<std::string>());
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(ids.size() == 4);
  for (const std::string& id : ids) {
    REQUIRE(id.size() == 36);
    for (size_t i = 0; i < id.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      CHECK(
          (dash ? id[i] == '-' : std::string("0123456789abcdef").find(id[i]) != std::string::npos));
    }
    CHECK(id[14] == '7');                                          // version
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);  // RFC 9562 variant
    // The first 12 hex digits are the Unix milliseconds: within a minute of now.
    const int64_t ms = std::stoll(id.substr(0, 8) + id.substr(9, 4), nullptr, 16);
    CHECK(std::abs(ms - absl::ToUnixMillis(absl::Now())) < 60000);
  }
  CHECK(ids[0] < ids[1]);
  CHECK(ids[1] < ids[2]);
  CHECK(ids[2] < ids[3]);
  // Random below the milliseconds: a thousand drawn at once are all different.
  std::set<std::string> drawn;
  for (int i = 0; i < 1000; ++i) drawn.insert(tiquete::NewEventId());
  CHECK(drawn.size() == 1000);
}

TEST_CASE("events the relay could not hand to Redis stay unpublished and go out later",
          "[events]") {
  Fixture f;
  for (int i = 0; i < 3; ++i) REQUIRE(f.Emit("u" + std::to_string(i)).ok());
  auto unpublished = [&] {
    return RunScalar(*f.producer, "SELECT count(*) FROM outbox WHERE published_at IS NULL");
  };
  {
    // Nothing listens on this port: the rows were taken and marked, and the mark rolled back.
    OutboxRelay down(*f.producer, {"127.0.0.1", tiquete::testing::FreeTcpPort()}, Relay());
    CHECK_FALSE(down.PublishBatch().ok());
  }
  CHECK(unpublished() == 3);
  TestRedis redis;
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(*relay.PublishBatch() == 3);
  CHECK(unpublished() == 0);
  CountingHandler handler;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), handler.Fn());
  REQUIRE(consumer.PollOnce().ok());
  CHECK(handler.calls == 3);
}

TEST_CASE("published rows are kept for a while and then pruned, unpublished rows never",
          "[events]") {
  Fixture f;
  TestRedis redis;
  for (int i = 0; i < 3; ++i) REQUIRE(f.Emit("p" + std::to_string(i)).ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(*relay.PublishBatch() == 3);
  REQUIRE(f.Emit("waiting").ok());  // never published
  auto exec = [&](const std::string& sql) { return RunScalar(*f.producer, sql); };
  // Two published a day and an hour ago, one just now; the waiting one is old but unpublished.
  exec(
      "UPDATE outbox SET published_at = clock_timestamp() - interval '25 hours' "
      "WHERE aggregate_id IN ('p0', 'p1')");
  exec(
      "UPDATE outbox SET occurred_at = clock_timestamp() - interval '3 days' "
      "WHERE aggregate_id = 'waiting'");
  REQUIRE(*relay.PrunePublished() == 2);
  CHECK(exec("SELECT count(*) FROM outbox WHERE aggregate_id IN ('p0', 'p1')") == 0);
  CHECK(exec("SELECT count(*) FROM outbox WHERE aggregate_id = 'p2'") == 1);
  CHECK(exec("SELECT count(*) FROM outbox WHERE aggregate_id = 'waiting'") == 1);
  CHECK(*relay.PrunePublished() == 0);
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

TEST_CASE("a consumer that does not block answers an empty stream at once and still reads",
          "[events]") {
  Fixture f;
  TestRedis redis;
  tiquete::ConsumerOptions o = Consumer("c1");
  o.block = absl::ZeroDuration();
  CountingHandler handler;
  EventConsumer consumer(*f.consumer, redis.address(), o, handler.Fn());
  // With BLOCK, even 1 ms, an idle Redis answers at its next timer tick (up to 100 ms), which
  // stalled a loop polling several streams (20 polls with BLOCK 1 took 2.5 s here); without
  // it 20 polls take a few milliseconds, so half a second leaves room for a loaded machine.
  const absl::Time start = absl::Now();
  for (int i = 0; i < 20; ++i) REQUIRE(*consumer.PollOnce() == 0);
  CHECK(absl::Now() - start < absl::Milliseconds(500));
  REQUIRE(f.Emit("later").ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(*relay.PublishBatch() == 1);
  CHECK(*consumer.PollOnce() == 1);
  CHECK(handler.calls == 1);
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
  const long dead = RunScalar(*f.consumer, "SELECT count(*) FROM dead_letters");
  CHECK(dead == 1);
}

// ---------------------------------------------------------------------------------------------
// Set-based consumption (BatchEventHandler)

namespace {

std::string ValueOf(const tiquete::events::v1::Event& e) {
  google::protobuf::StringValue payload;
  e.payload().UnpackTo(&payload);
  return payload.value();
}

// Records every batch it is given (the values, in order) and inserts one row per event with one
// statement; fails the whole batch (after writing it) when an event's value is "poison".
struct RecordingBatchHandler {
  std::mutex mu;
  std::vector<std::vector<std::string>> batches;
  std::atomic<int> events{0};
  tiquete::BatchEventHandler Fn() {
    return [this](pqxx::work& tx,
                  const std::vector<const tiquete::events::v1::Event*>& batch) -> absl::Status {
      std::vector<std::string> values;
      std::string ids = "{", vals = "{";
      bool poisoned = false;
      for (const auto* e : batch) {
        values.push_back(ValueOf(*e));
        poisoned = poisoned || values.back() == "poison";
        ids += (ids.size() > 1 ? "," : "") + e->id();
        vals += (vals.size() > 1 ? ",\"" : "\"") + values.back() + "-batch\"";
      }
      {
        std::lock_guard lock(mu);
        batches.push_back(values);
      }
      events += static_cast<int>(batch.size());
      tx.exec_params("INSERT INTO received SELECT * FROM unnest($1::uuid[], $2::text[])", ids + "}",
                     vals + "}");
      if (poisoned) return absl::InvalidArgumentError("batch holds poison");
      return absl::OkStatus();
    };
  }
};

std::vector<std::string> ReceivedValues(Fixture& f) {
  std::vector<std::string> out;
  REQUIRE(f.consumer
              ->Read([&](pqxx::work& tx) {
                out.clear();
                for (const auto& r : tx.exec("SELECT value FROM received ORDER BY value")) {
                  out.push_back(r[0].as<std::string>());
                }
                return absl::OkStatus();
              })
              .ok());
  return out;
}

// One number read from the consumer's schema.
long ConsumerCount(Fixture& f, const std::string& sql) { return RunScalar(*f.consumer, sql); }

long ProcessedCount(Fixture& f) {
  return ConsumerCount(f, "SELECT count(*) FROM processed_events");
}

long StreamLength(TestRedis& redis) {
  auto conn = tiquete::RedisConnection::Connect(redis.address());
  REQUIRE(conn.ok());
  auto r = (*conn)->Command({"XLEN", "tiquete.producer.events"});
  REQUIRE(r.ok());
  return static_cast<long>((*r)->integer);
}

}  // namespace

TEST_CASE(
    "a commit that wrote events wakes the relay of its process, and rows other processes "
    "wrote wait for its poll",
    "[events]") {
  Fixture f;
  TestRedis redis;
  // No NOTIFY trigger is left on the outbox (common migration 0004): notifying commits queue
  // behind each other cluster-wide.
  CHECK(RunScalar(*f.producer,
                  "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'outbox'::regclass AND NOT "
                  "tgisinternal") == 0);
  tiquete::RelayOptions o = Relay();
  o.poll_interval = absl::Seconds(3);
  OutboxRelay relay(*f.producer, redis.address(), o);
  relay.Start();
  absl::SleepFor(absl::Milliseconds(200));  // the relay's first pass found nothing; it waits
  // Committed through the pool: published long before the next poll.
  const absl::Time committed = absl::Now();
  REQUIRE(f.Emit("hooked").ok());
  REQUIRE(WaitFor([&] { return StreamLength(redis) == 1; }, absl::Seconds(5)));
  CHECK(absl::Now() - committed < absl::Seconds(2));
  // Committed by another process (here a bare connection, outside PgPool::Transact): nothing
  // signals the relay, and the row is still published (by the poll: this does not time it).
  {
    auto conn = tiquete::ConnectPg(f.db.UrlFor("producer"), "producer");
    pqxx::work tx(*conn);
    google::protobuf::StringValue payload;
    payload.set_value("elsewhere");
    tiquete::AppendEvent(tx, {"test.thing.created", "thing", "elsewhere", &payload, "tester"});
    tx.commit();
  }
  CHECK(WaitFor([&] { return StreamLength(redis) == 2; }, absl::Seconds(10)));
  // A rolled-back transaction's events never reach the stream (pg_test counts the hook runs).
  REQUIRE_FALSE(
      f.producer
          ->Transact([](pqxx::work& tx) {
            google::protobuf::StringValue payload;
            tiquete::AppendEvent(tx, {"test.thing.created", "thing", "undone", &payload, "tester"});
            return absl::AbortedError("changed my mind");
          })
          .ok());
  absl::SleepFor(absl::Milliseconds(300));
  relay.Stop();
  CHECK(StreamLength(redis) == 2);
  CHECK(RunScalar(*f.producer, "SELECT count(*) FROM outbox") == 2);
}

TEST_CASE("a batch handler gets each read batch once, with only the events not seen before",
          "[events]") {
  Fixture f;
  TestRedis redis;
  for (int i = 0; i < 10; ++i) REQUIRE(f.Emit("b" + std::to_string(i)).ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(*relay.PublishBatch() == 10);
  // Three of them were processed earlier (say by a consumer that died before acknowledging).
  std::vector<std::string> seen_ids;
  REQUIRE(f.producer
              ->Read([&](pqxx::work& tx) {
                for (const auto& r :
                     tx.exec("SELECT event_id::text FROM outbox WHERE aggregate_id IN "
                             "('b1', 'b4', 'b7') ORDER BY sequence")) {
                  seen_ids.push_back(r[0].as<std::string>());
                }
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(seen_ids.size() == 3);
  REQUIRE(f.consumer
              ->Transact([&](pqxx::work& tx) {
                for (const std::string& id : seen_ids) {
                  tx.exec_params(
                      "INSERT INTO processed_events (event_id, stream) VALUES ($1, "
                      "'tiquete.producer.events')",
                      id);
                }
                return absl::OkStatus();
              })
              .ok());
  // A malformed entry in the same read batch is dead-lettered as before.
  {
    auto conn = tiquete::RedisConnection::Connect(redis.address());
    REQUIRE(conn.ok());
    REQUIRE((*conn)->Command({"XADD", "tiquete.producer.events", "*", "event", "garbage"}).ok());
  }
  CountingHandler per_event;
  RecordingBatchHandler batch;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), per_event.Fn(), batch.Fn());
  REQUIRE(*consumer.PollOnce() == 11);
  REQUIRE(batch.batches.size() == 1);
  CHECK(batch.batches[0] ==
        std::vector<std::string>{"b0", "b2", "b3", "b5", "b6", "b8", "b9"});  // stream order
  CHECK(per_event.calls == 0);
  CHECK(f.Received() == 7);
  CHECK(ProcessedCount(f) == 10);
  CHECK(PendingCount(redis) == 0);
  const long dead = RunScalar(*f.consumer, "SELECT count(*) FROM dead_letters");
  CHECK(dead == 1);
}

TEST_CASE("a redelivered batch is acknowledged without being applied again", "[events]") {
  Fixture f;
  TestRedis redis;
  for (int i = 0; i < 6; ++i) REQUIRE(f.Emit("r" + std::to_string(i)).ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(*relay.PublishBatch() == 6);
  CountingHandler per_event;
  RecordingBatchHandler batch;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), per_event.Fn(), batch.Fn());
  REQUIRE(*consumer.PollOnce() == 6);
  CHECK(batch.events == 6);
  // The relay crashed after XADD but before marking its rows: it publishes them all again,
  // plus one new event; and the same event twice within one read batch counts once.
  REQUIRE(f.Emit("r-new").ok());
  REQUIRE(f.producer
              ->Transact([](pqxx::work& tx) {
                tx.exec("UPDATE outbox SET published_at = NULL");
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(*relay.PublishBatch() == 7);
  REQUIRE(f.producer
              ->Transact([](pqxx::work& tx) {
                tx.exec("UPDATE outbox SET published_at = NULL WHERE aggregate_id = 'r-new'");
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(*relay.PublishBatch() == 1);
  REQUIRE(*consumer.PollOnce() == 8);
  REQUIRE(batch.batches.size() == 2);
  CHECK(batch.batches[1] == std::vector<std::string>{"r-new"});
  CHECK(batch.events == 7);
  CHECK(per_event.calls == 0);
  CHECK(f.Received() == 7);
  CHECK(ProcessedCount(f) == 7);
  CHECK(PendingCount(redis) == 0);
  // A batch made only of events already processed does not call the handler at all.
  REQUIRE(f.producer
              ->Transact([](pqxx::work& tx) {
                tx.exec("UPDATE outbox SET published_at = NULL");
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(*relay.PublishBatch() == 7);
  REQUIRE(*consumer.PollOnce() == 7);
  CHECK(batch.batches.size() == 2);
  CHECK(f.Received() == 7);
  CHECK(PendingCount(redis) == 0);
}

TEST_CASE(
    "a failing batch is rolled back and handled event by event: the poisoned event is "
    "dead-lettered, the others apply once",
    "[events]") {
  Fixture f;
  TestRedis redis;
  for (const char* v : {"p0", "p1", "poison", "p2"}) REQUIRE(f.Emit(v).ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(*relay.PublishBatch() == 4);
  std::atomic<int> per_event_calls{0}, poison_calls{0};
  auto per_event = [&](pqxx::work& tx, const tiquete::events::v1::Event& e) -> absl::Status {
    ++per_event_calls;
    if (ValueOf(e) == "poison") {
      ++poison_calls;
      return absl::InvalidArgumentError("cannot handle poison");
    }
    tx.exec_params("INSERT INTO received VALUES ($1, $2)", e.id(), ValueOf(e));
    return absl::OkStatus();
  };
  RecordingBatchHandler batch;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), per_event, batch.Fn());
  REQUIRE(*consumer.PollOnce() == 4);
  REQUIRE(batch.batches.size() == 1);
  CHECK(batch.batches[0].size() == 4);
  CHECK(per_event_calls == 4);
  // What the failed batch wrote, its processed_events claims included, was rolled back.
  CHECK(ReceivedValues(f) == std::vector<std::string>{"p0", "p1", "p2"});
  CHECK(ProcessedCount(f) == 3);
  CHECK(PendingCount(redis) == 1);  // the poisoned event waits for its retry
  for (int i = 0; i < 2; ++i) {
    absl::SleepFor(absl::Milliseconds(250));
    REQUIRE(consumer.ReclaimOnce().ok());
  }
  CHECK(poison_calls == 3);  // max_attempts
  CHECK(per_event_calls == 6);
  // Each retry first tried the poisoned event as a batch of its own.
  REQUIRE(batch.batches.size() == 3);
  CHECK(batch.batches[1] == std::vector<std::string>{"poison"});
  CHECK(PendingCount(redis) == 0);
  CHECK(ReceivedValues(f) == std::vector<std::string>{"p0", "p1", "p2"});
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

TEST_CASE(
    "with a batch handler and Redis stopped while writes continue, every event is applied "
    "exactly once after it returns",
    "[events]") {
  Fixture f;
  TestRedis redis;
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  CountingHandler per_event;
  RecordingBatchHandler batch;
  tiquete::ConsumerOptions options = Consumer("c1");
  options.batch = 50;
  EventConsumer consumer(*f.consumer, redis.address(), options, per_event.Fn(), batch.Fn());
  // A second consumer of the group shares the stream, so batches race for the same rows.
  EventConsumer other(*f.consumer, redis.address(), Consumer("c2"), per_event.Fn(), batch.Fn());
  relay.Start();
  consumer.Start();
  other.Start();
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
  REQUIRE(WaitFor([&] { return written.load() >= at_stop + 200; }));
  redis.Start();
  absl::SleepFor(absl::Milliseconds(300));
  writing = false;
  writer.join();
  REQUIRE(write_errors == 0);
  const long total = written.load();
  CHECK(WaitFor([&] { return f.Received() == total; }, absl::Seconds(30)));
  relay.Stop();
  consumer.Stop();
  other.Stop();
  CHECK(f.Received() == total);
  CHECK(batch.events + per_event.calls == total);  // nothing handled twice
  CHECK(per_event.calls == 0);                     // no batch failed
  CHECK(ProcessedCount(f) == total);
}

TEST_CASE("AppendEvents writes several events with one statement, in the order given", "[events]") {
  Fixture f;
  std::vector<std::string> ids;
  REQUIRE(f.producer
              ->Transact([&](pqxx::work& tx) {
                google::protobuf::StringValue a, b, c;
                a.set_value("first \"quoted\" \\ value");
                b.set_value(std::string("bin\0ary", 7));
                c.set_value("third");
                ids = tiquete::AppendEvents(tx, {{"test.thing.created", "thing", "a,1", &a, "x"},
                                                 {"test.thing.updated", "thing", "b{2}", &b, ""},
                                                 {"test.thing.deleted", "thing", "c", &c, "z"}});
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(ids.size() == 3);
  TestRedis redis;
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(*relay.PublishBatch() == 3);
  std::vector<std::string> values, aggregates, got_ids;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"),
                         [&](pqxx::work&, const tiquete::events::v1::Event& e) {
                           google::protobuf::StringValue payload;
                           REQUIRE(e.payload().UnpackTo(&payload));
                           values.push_back(payload.value());
                           aggregates.push_back(e.aggregate_id());
                           got_ids.push_back(e.id());
                           return absl::OkStatus();
                         });
  REQUIRE(*consumer.PollOnce() == 3);
  CHECK(got_ids == ids);
  CHECK(aggregates == std::vector<std::string>{"a,1", "b{2}", "c"});
  CHECK(values ==
        std::vector<std::string>{"first \"quoted\" \\ value", std::string("bin\0ary", 7), "third"});
}

TEST_CASE(
    "a consumer that leaves idempotency to its handler records no processed events and hands a "
    "redelivered event to the handler again",
    "[events]") {
  Fixture f;
  TestRedis redis;
  for (int i = 0; i < 4; ++i) REQUIRE(f.Emit("v" + std::to_string(i)).ok());
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(*relay.PublishBatch() == 4);
  // The handler is idempotent on its own: it keeps what it has seen in `received`.
  std::vector<std::vector<std::string>> batches;
  auto batch_fn = [&](pqxx::work& tx, const std::vector<const tiquete::events::v1::Event*>& batch) {
    std::vector<std::string> values;
    for (const auto* e : batch) {
      values.push_back(ValueOf(*e));
      tx.exec_params("INSERT INTO received VALUES ($1, $2) ON CONFLICT DO NOTHING", e->id(),
                     values.back());
    }
    batches.push_back(values);
    return absl::OkStatus();
  };
  CountingHandler per_event;
  tiquete::ConsumerOptions options = Consumer("c1");
  options.record_processed = false;
  EventConsumer consumer(*f.consumer, redis.address(), options, per_event.Fn(), batch_fn);
  REQUIRE(*consumer.PollOnce() == 4);
  REQUIRE(batches.size() == 1);
  CHECK(batches[0] == std::vector<std::string>{"v0", "v1", "v2", "v3"});
  CHECK(ProcessedCount(f) == 0);
  // The relay publishes everything again, and v0 a third time in the same read batch: the
  // handler sees each id of the batch once and decides itself.
  for (int round = 0; round < 2; ++round) {
    REQUIRE(f.producer
                ->Transact([&](pqxx::work& tx) {
                  tx.exec(round == 0 ? "UPDATE outbox SET published_at = NULL"
                                     : "UPDATE outbox SET published_at = NULL "
                                       "WHERE aggregate_id = 'v0'");
                  return absl::OkStatus();
                })
                .ok());
    REQUIRE(*relay.PublishBatch() == (round == 0 ? 4 : 1));
  }
  REQUIRE(*consumer.PollOnce() == 5);
  REQUIRE(batches.size() == 2);
  CHECK(batches[1] == std::vector<std::string>{"v0", "v1", "v2", "v3"});
  CHECK(per_event.calls == 0);
  CHECK(f.Received() == 4);
  CHECK(ProcessedCount(f) == 0);
  CHECK(PendingCount(redis) == 0);
  // The per-event path does the same: v0 twice in one read batch reaches the handler once
  // (CountingHandler's insert would fail on the second).
  tiquete::ConsumerOptions per_event_options = Consumer("c2");
  per_event_options.group = "per-event";
  per_event_options.record_processed = false;
  CountingHandler alone;
  EventConsumer per_event_consumer(*f.consumer, redis.address(), per_event_options, alone.Fn());
  REQUIRE(f.consumer
              ->Transact([](pqxx::work& tx) {
                tx.exec("DELETE FROM received");
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(*per_event_consumer.PollOnce() == 9);  // the group starts at the stream's beginning
  CHECK(alone.calls == 4);
  CHECK(f.Received() == 4);
  CHECK(ProcessedCount(f) == 0);
  CHECK(ConsumerCount(f, "SELECT count(*) FROM event_failures") == 0);
}

TEST_CASE(
    "a consumer limited to some event types acknowledges the others without handling or "
    "recording them",
    "[events]") {
  Fixture f;
  REQUIRE(f.producer
              ->Transact([&](pqxx::work& tx) {
                google::protobuf::StringValue a, b, c;
                a.set_value("kept");
                b.set_value("skipped");
                c.set_value("kept too");
                tiquete::AppendEvents(tx, {{"test.thing.created", "thing", "a", &a, ""},
                                           {"test.thing.updated", "thing", "b", &b, ""},
                                           {"test.thing.deleted", "thing", "c", &c, ""}});
                return absl::OkStatus();
              })
              .ok());
  TestRedis redis;
  OutboxRelay relay(*f.producer, redis.address(), Relay());
  REQUIRE(*relay.PublishBatch() == 3);
  CountingHandler per_event;
  RecordingBatchHandler batch;
  tiquete::ConsumerOptions options = Consumer("c1");
  options.types = {"test.thing.created", "test.thing.deleted"};
  EventConsumer consumer(*f.consumer, redis.address(), options, per_event.Fn(), batch.Fn());
  REQUIRE(*consumer.PollOnce() == 3);
  REQUIRE(batch.batches.size() == 1);
  CHECK(batch.batches[0] == std::vector<std::string>{"kept", "kept too"});
  CHECK(ProcessedCount(f) == 2);
  CHECK(PendingCount(redis) == 0);
  // A read batch with nothing of those types is acknowledged without a transaction.
  REQUIRE(f.producer
              ->Transact([&](pqxx::work& tx) {
                google::protobuf::StringValue d;
                d.set_value("skipped again");
                tiquete::AppendEvent(tx, {"test.thing.updated", "thing", "d", &d, ""});
                return absl::OkStatus();
              })
              .ok());
  REQUIRE(*relay.PublishBatch() == 1);
  REQUIRE(*consumer.PollOnce() == 1);
  CHECK(batch.batches.size() == 1);
  CHECK(per_event.calls == 0);
  CHECK(ProcessedCount(f) == 2);
  CHECK(PendingCount(redis) == 0);
}

TEST_CASE("a consumer prunes its processed events once they are older than it keeps them",
          "[events]") {
  Fixture f;
  TestRedis redis;
  auto id_at = [](absl::Duration age) { return tiquete::NewEventId(absl::Now() - age); };
  const std::vector<std::pair<std::string, std::string>> rows = {
      {id_at(absl::Hours(24 * 30)), "tiquete.producer.events"},  // a month old: pruned
      {id_at(absl::Hours(24 * 8)), "tiquete.producer.events"},   // eight days: pruned
      {id_at(absl::Hours(24 * 6)), "tiquete.producer.events"},   // six days: kept
      {id_at(absl::Minutes(1)), "tiquete.producer.events"},      // just now: kept
      {id_at(absl::Hours(24 * 30)), "tiquete.other.events"},     // another stream's: kept
  };
  REQUIRE(f.consumer
              ->Transact([&](pqxx::work& tx) {
                for (const auto& [id, stream] : rows) {
                  tx.exec_params("INSERT INTO processed_events (event_id, stream) VALUES ($1, $2)",
                                 id, stream);
                }
                return absl::OkStatus();
              })
              .ok());
  CountingHandler handler;
  EventConsumer consumer(*f.consumer, redis.address(), Consumer("c1"), handler.Fn());
  REQUIRE(*consumer.PruneProcessed(1) == 1);  // at most the limit, oldest first
  REQUIRE(*consumer.PruneProcessed() == 1);
  CHECK(*consumer.PruneProcessed() == 0);
  std::set<std::string> left;
  REQUIRE(f.consumer
              ->Read([&](pqxx::work& tx) {
                for (const auto& r : tx.exec("SELECT event_id::text FROM processed_events"))
                  left.insert(r[0].as<std::string>());
                return absl::OkStatus();
              })
              .ok());
  CHECK(left == std::set<std::string>{rows[2].first, rows[3].first, rows[4].first});
}
