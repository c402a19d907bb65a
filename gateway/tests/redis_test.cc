// The Redis client and the Redis-backed sessions and counters against a private redis-server.
#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "common/testing/test_redis.h"
#include "gateway/redis_client.h"
#include "gateway/redis_stores.h"

namespace tiquete::gateway {
namespace {

using ::tiquete::testing::TestRedis;

absl::StatusOr<RedisReplies> Exec(RedisClient& c, std::vector<RedisCommand> commands) {
  std::promise<absl::StatusOr<RedisReplies>> p;
  auto f = p.get_future();
  c.Execute(std::move(commands),
            [&p](absl::StatusOr<RedisReplies> r) { p.set_value(std::move(r)); });
  return f.get();
}

template <typename T>
T Wait(std::function<void(std::function<void(T)>)> start) {
  std::promise<T> p;
  auto f = p.get_future();
  start([&p](T v) { p.set_value(std::move(v)); });
  return f.get();
}

}  // namespace

TEST_CASE("pipelined commands get their replies in order, error replies included") {
  TestRedis redis;
  RedisClient client(redis.address(), absl::Seconds(2));
  auto r = Exec(client, {{"SET", "k", "v"}, {"GET", "k"}, {"INCR", "k"}, {"GET", "missing"}});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 4);
  CHECK((*r)[0].str == "OK");
  CHECK((*r)[1].str == "v");
  CHECK((*r)[2].type == RespValue::Type::kError);
  CHECK((*r)[3].type == RespValue::Type::kNil);
}

TEST_CASE("commands from many threads at once are all answered correctly") {
  TestRedis redis;
  RedisClient client(redis.address(), absl::Seconds(5));
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 1; i <= 200; ++i) {
        auto r = Exec(client, {{"INCR", "n" + std::to_string(t)}});
        if (!r.ok() || (*r)[0].integer != i) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(wrong == 0);
}

TEST_CASE("a stopped Redis fails commands with UNAVAILABLE and a restarted one is used again") {
  TestRedis redis;
  RedisClient client(redis.address(), absl::Seconds(1));
  REQUIRE(Exec(client, {{"PING"}}).ok());
  redis.Stop();
  auto down = Exec(client, {{"PING"}});
  CHECK(down.status().code() == absl::StatusCode::kUnavailable);
  redis.Start();
  auto up = Exec(client, {{"PING"}});
  INFO(up.status().ToString());
  REQUIRE(up.ok());
  CHECK((*up)[0].str == "PONG");
}

TEST_CASE("Redis sessions are found by id, refreshed on use, and gone after the idle time") {
  TestRedis redis;
  RedisClient client(redis.address(), absl::Seconds(2));
  FakeClock clock(absl::Now());
  RedisSessionStore store(&client, &clock, SessionLimits{absl::Milliseconds(700), absl::Hours(12)});
  Session s;
  s.caller.set_person_id("p-1");
  s.csrf_token = "csrf";
  s.created = clock.Now();
  auto id = Wait<absl::StatusOr<std::string>>([&](auto done) { store.Create(s, done); });
  REQUIRE(id.ok());
  auto get = [&] {
    auto r = Wait<absl::StatusOr<std::optional<Session>>>([&](auto d) { store.Get(*id, d); });
    REQUIRE(r.ok());
    return *r;
  };
  for (int i = 0; i < 3; ++i) {  // 3 × 400 ms > 700 ms, but each read refreshes
    absl::SleepFor(absl::Milliseconds(400));
    auto found = get();
    REQUIRE(found.has_value());
    CHECK(found->caller.person_id() == "p-1");
  }
  // The raw id is not a key: only its digest is.
  auto keys = Exec(client, {{"KEYS", "*"}});
  REQUIRE(keys.ok());
  REQUIRE((*keys)[0].elements.size() == 1);
  CHECK((*keys)[0].elements[0].str.find(*id) == std::string::npos);
  absl::SleepFor(absl::Milliseconds(900));
  CHECK_FALSE(get().has_value());
}

TEST_CASE("a Redis session past its absolute lifetime is refused and deleted") {
  TestRedis redis;
  RedisClient client(redis.address(), absl::Seconds(2));
  FakeClock clock(absl::Now());
  RedisSessionStore store(&client, &clock, SessionLimits{absl::Minutes(30), absl::Hours(12)});
  Session s;
  s.created = clock.Now();
  auto id = Wait<absl::StatusOr<std::string>>([&](auto done) { store.Create(s, done); });
  REQUIRE(id.ok());
  clock.Advance(absl::Hours(12));
  auto r = Wait<absl::StatusOr<std::optional<Session>>>([&](auto d) { store.Get(*id, d); });
  REQUIRE(r.ok());
  CHECK_FALSE(r->has_value());
  auto n = Exec(client, {{"DBSIZE"}});
  absl::SleepFor(absl::Milliseconds(50));
  n = Exec(client, {{"DBSIZE"}});
  CHECK((*n)[0].integer == 0);
  auto deleted = Wait<absl::Status>([&](auto d) { store.Delete(*id, d); });
  CHECK(deleted.ok());
}

TEST_CASE("Redis counters count within a fixed window and start again after it") {
  TestRedis redis;
  RedisClient client(redis.address(), absl::Seconds(2));
  RedisCounterStore counters(&client);
  for (int i = 1; i <= 3; ++i) {
    auto c = Wait<absl::StatusOr<WindowCount>>(
        [&](auto d) { counters.Increment("k", absl::Milliseconds(600), d); });
    REQUIRE(c.ok());
    CHECK(c->count == i);
    CHECK(c->remaining <= absl::Milliseconds(600));
    CHECK(c->remaining > absl::ZeroDuration());
  }
  auto read = Wait<absl::StatusOr<WindowCount>>([&](auto d) { counters.Read("k", d); });
  REQUIRE(read.ok());
  CHECK(read->count == 3);
  absl::SleepFor(absl::Milliseconds(700));
  auto fresh = Wait<absl::StatusOr<WindowCount>>(
      [&](auto d) { counters.Increment("k", absl::Milliseconds(600), d); });
  CHECK(fresh->count == 1);
  REQUIRE(Wait<absl::Status>([&](auto d) { counters.Reset("k", d); }).ok());
  auto none = Wait<absl::StatusOr<WindowCount>>([&](auto d) { counters.Read("k", d); });
  CHECK(none->count == 0);
}

TEST_CASE("sign-in throttling works on Redis counters too") {
  TestRedis redis;
  RedisClient client(redis.address(), absl::Seconds(2));
  RedisCounterStore counters(&client);
  LoginThrottle throttle(&counters, LoginPolicy{2, 10, absl::Minutes(15)});
  for (int i = 0; i < 2; ++i) {
    REQUIRE(
        Wait<absl::Status>([&](auto d) { throttle.RecordFailure("a@x.co", "1.2.3.4", d); }).ok());
  }
  auto d = Wait<absl::StatusOr<LimitDecision>>(
      [&](auto done) { throttle.Check("a@x.co", "1.2.3.4", done); });
  REQUIRE(d.ok());
  CHECK_FALSE(d->allowed);
  CHECK(d->retry_after > absl::Minutes(14));
}

}  // namespace tiquete::gateway
