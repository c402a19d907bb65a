// Counters, limits, sign-in throttling, sessions and CSRF on a fake clock.
#include <catch2/catch.hpp>

#include "gateway/access.h"
#include "gateway/credentials.h"
#include "gateway/sessions.h"
#include "gateway/tests/fakes.h"
#include "gateway/throttle.h"

using namespace tiquete;           // NOLINT
using namespace tiquete::gateway;  // NOLINT

namespace {

template <typename T>
T Sync(std::function<void(std::function<void(T)>)> start) {
  std::optional<T> out;
  start([&](T v) { out.emplace(std::move(v)); });
  REQUIRE(out.has_value());
  return *std::move(out);
}

LimitDecision Check(FixedWindowLimiter& l, const std::string& key) {
  auto d = Sync<absl::StatusOr<LimitDecision>>([&](auto done) { l.Check(key, done); });
  REQUIRE(d.ok());
  return *d;
}

LimitDecision CheckLogin(LoginThrottle& t, const std::string& email, const std::string& addr) {
  auto d = Sync<absl::StatusOr<LimitDecision>>([&](auto done) { t.Check(email, addr, done); });
  REQUIRE(d.ok());
  return *d;
}

void Fail(LoginThrottle& t, const std::string& email, const std::string& addr) {
  REQUIRE(Sync<absl::Status>([&](auto done) { t.RecordFailure(email, addr, done); }).ok());
}

}  // namespace

TEST_CASE("a fixed window allows the limit, refuses the rest and resets when the window ends") {
  FakeClock clock;
  InMemoryCounterStore store(&clock);
  FixedWindowLimiter limiter(&store, "rate:", 3, absl::Minutes(1));
  for (int i = 0; i < 3; ++i) CHECK(Check(limiter, "a").allowed);
  clock.Advance(absl::Seconds(20));
  LimitDecision refused = Check(limiter, "a");
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == absl::Seconds(40));
  CHECK(Check(limiter, "b").allowed);  // keys are independent
  clock.Advance(absl::Seconds(40));
  CHECK(Check(limiter, "a").allowed);
}

namespace {

// A shared store that counts the calls it gets and can be made to fail.
class CountingStore final : public CounterStore {
 public:
  explicit CountingStore(const Clock* clock) : inner_(clock) {}
  void IncrementBy(const std::string& key, int64_t n, absl::Duration window,
                   std::function<void(absl::StatusOr<WindowCount>)> done) override {
    ++calls;
    if (down) return done(absl::UnavailableError("redis down"));
    inner_.IncrementBy(key, n, window, std::move(done));
  }
  void Read(const std::string& key,
            std::function<void(absl::StatusOr<WindowCount>)> done) override {
    inner_.Read(key, std::move(done));
  }
  void Reset(const std::string& key, std::function<void(absl::Status)> done) override {
    inner_.Reset(key, std::move(done));
  }
  int64_t SharedCount(const std::string& key) {
    return Sync<absl::StatusOr<WindowCount>>([&](auto d) { inner_.Read(key, d); })->count;
  }
  int calls = 0;
  bool down = false;

 private:
  InMemoryCounterStore inner_;
};

int64_t Add(CounterStore& s, const std::string& key) {
  auto c = Sync<absl::StatusOr<WindowCount>>(
      [&](auto done) { s.Increment(key, absl::Minutes(1), done); });
  REQUIRE(c.ok());
  return c->count;
}

}  // namespace

TEST_CASE("rate counts are kept locally and settled with the shared store in batches") {
  FakeClock clock;
  CountingStore shared(&clock);
  BatchingCounterStore batching(&shared, &clock, {absl::Milliseconds(100), 64});
  CHECK(Add(batching, "k") == 1);  // the first request of a key asks the shared store
  CHECK(shared.calls == 1);
  for (int i = 2; i <= 50; ++i) CHECK(Add(batching, "k") == i);  // exact, without round trips
  CHECK(shared.calls == 1);
  CHECK(shared.SharedCount("k") == 1);
  clock.Advance(absl::Milliseconds(100));
  CHECK(Add(batching, "k") == 51);  // settles what was counted locally
  CHECK(shared.calls == 2);
  CHECK(shared.SharedCount("k") == 51);
  // Too many waiting increments settle before the interval ends.
  for (int i = 52; i <= 51 + 64; ++i) CHECK(Add(batching, "k") == i);
  CHECK(shared.calls == 3);
  CHECK(shared.SharedCount("k") == 51 + 64);
}

TEST_CASE("two replicas see each other's requests within one settle interval") {
  FakeClock clock;
  CountingStore shared(&clock);
  BatchingCounterStore a(&shared, &clock), b(&shared, &clock);
  for (int i = 0; i < 10; ++i) Add(a, "k");
  for (int i = 0; i < 5; ++i) Add(b, "k");
  clock.Advance(absl::Milliseconds(100));
  Add(a, "k");  // a settles its 10 more: shared 1 + 1 (b's first) + 10 = 12
  Add(b, "k");  // b settles its 5 more and learns a's: 17
  CHECK(shared.SharedCount("k") == 17);
  CHECK(Add(b, "k") == 18);
  clock.Advance(absl::Milliseconds(100));
  CHECK(Add(a, "k") == 13);              // answered from a's last settlement (12), then settled: 18
  CHECK(Add(a, "k") == 19);              // now including b's 6 settled requests
  CHECK(shared.SharedCount("k") == 18);  // b's last request is still counted in b only
}

TEST_CASE("a batched limiter refuses the request over the limit like the shared one") {
  FakeClock clock;
  CountingStore shared(&clock);
  BatchingCounterStore batching(&shared, &clock);
  FixedWindowLimiter limiter(&batching, "rate:", 100, absl::Minutes(1));
  for (int i = 0; i < 100; ++i) CHECK(Check(limiter, "p").allowed);
  LimitDecision refused = Check(limiter, "p");
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == absl::Minutes(1));
  CHECK(shared.calls < 10);
  // A new window asks the shared store again and starts from zero.
  clock.Advance(absl::Minutes(1));
  CHECK(Check(limiter, "p").allowed);
  CHECK(shared.SharedCount("rate:p") == 1);
}

TEST_CASE("a failed settlement is forgotten so the next request reports the store's error") {
  FakeClock clock;
  CountingStore shared(&clock);
  BatchingCounterStore batching(&shared, &clock);
  Add(batching, "k");
  shared.down = true;
  clock.Advance(absl::Seconds(1));
  CHECK(Add(batching, "k") == 2);  // answered locally; its settlement fails in the background
  auto next = Sync<absl::StatusOr<WindowCount>>(
      [&](auto done) { batching.Increment("k", absl::Minutes(1), done); });
  CHECK(next.status().code() == absl::StatusCode::kUnavailable);
  shared.down = false;
  // The window starts again from the shared count: the first request (settled) and this one.
  // The second request's increment, whose settlement failed, is lost (at most one batch).
  CHECK(Add(batching, "k") == 2);
  CHECK(batching.tracked_keys() == 1);
  clock.Advance(absl::Minutes(2));
  Add(batching, "other");  // ended windows are pruned
  CHECK(batching.tracked_keys() == 1);
}

TEST_CASE("a limit of zero turns the limiter off") {
  FakeClock clock;
  InMemoryCounterStore store(&clock);
  FixedWindowLimiter off(&store, "rate:", 0, absl::Minutes(1));
  CHECK_FALSE(off.enabled());
  for (int i = 0; i < 100; ++i) CHECK(Check(off, "a").allowed);
}

TEST_CASE("sign-in throttling counts failures per account and per address separately") {
  FakeClock clock;
  InMemoryCounterStore store(&clock);
  LoginThrottle throttle(&store, LoginPolicy{5, 8, absl::Minutes(15)});
  for (int i = 0; i < 4; ++i) Fail(throttle, "Ana@x.co", "10.0.0.1");
  CHECK(CheckLogin(throttle, "ana@x.co", "10.0.0.1").allowed);
  clock.Advance(absl::Minutes(5));
  Fail(throttle, "ana@x.co", "10.0.0.1");
  LimitDecision locked = CheckLogin(throttle, "ana@x.co", "10.0.0.9");  // any address
  CHECK_FALSE(locked.allowed);
  CHECK(locked.retry_after == absl::Minutes(10));  // the window opened at the first failure
  // Three more failures on other accounts exhaust the address (8), not those accounts.
  for (const char* e : {"b@x.co", "c@x.co", "d@x.co"}) Fail(throttle, e, "10.0.0.1");
  CHECK_FALSE(CheckLogin(throttle, "e@x.co", "10.0.0.1").allowed);
  CHECK(CheckLogin(throttle, "e@x.co", "10.0.0.2").allowed);
  clock.Advance(absl::Minutes(10));
  CHECK(CheckLogin(throttle, "ana@x.co", "10.0.0.1").allowed);
}

TEST_CASE("a successful sign-in clears the account's failures but not the address's") {
  FakeClock clock;
  InMemoryCounterStore store(&clock);
  LoginThrottle throttle(&store, LoginPolicy{2, 3, absl::Minutes(15)});
  Fail(throttle, "ana@x.co", "10.0.0.1");
  REQUIRE(Sync<absl::Status>([&](auto done) { throttle.RecordSuccess("ana@x.co", done); }).ok());
  Fail(throttle, "ana@x.co", "10.0.0.1");
  CHECK(CheckLogin(throttle, "ana@x.co", "10.0.0.2").allowed);  // one failure since success
  Fail(throttle, "ana@x.co", "10.0.0.1");
  CHECK_FALSE(CheckLogin(throttle, "zoe@x.co", "10.0.0.1").allowed);  // address saw three
}

TEST_CASE("sessions round-trip through their stored form, corrupt records are an error") {
  Session s;
  s.caller.set_person_id("p-1");
  s.caller.add_roles("agent_l1");
  s.caller.add_group_ids("g-1");
  s.caller.set_display_name("Laura Ospina");
  s.email = "laura@x.co";
  s.csrf_token = NewOpaqueToken();
  s.created = absl::FromUnixSeconds(1767225600);
  auto back = DecodeSession(EncodeSession(s));
  REQUIRE(back.ok());
  CHECK(back->caller.SerializeAsString() == s.caller.SerializeAsString());
  CHECK(back->email == s.email);
  CHECK(back->csrf_token == s.csrf_token);
  CHECK(back->created == s.created);
  CHECK_FALSE(DecodeSession("s1 x y z w").ok());
  CHECK_FALSE(DecodeSession("").ok());
}

TEST_CASE("session ids and CSRF tokens are 256-bit random base64url strings") {
  const std::string a = NewOpaqueToken();
  CHECK(a.size() == 43);
  CHECK(a != NewOpaqueToken());
  CHECK(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
}

TEST_CASE("the in-memory session store honours idle and absolute expiry") {
  FakeClock clock;
  InMemorySessionStore store(&clock, SessionLimits{absl::Minutes(30), absl::Hours(1)});
  Session s;
  s.created = clock.Now();
  auto id = Sync<absl::StatusOr<std::string>>([&](auto done) { store.Create(s, done); });
  REQUIRE(id.ok());
  auto get = [&] {
    auto r = Sync<absl::StatusOr<std::optional<Session>>>([&](auto done) { store.Get(*id, done); });
    REQUIRE(r.ok());
    return r->has_value();
  };
  clock.Advance(absl::Minutes(29));
  CHECK(get());
  clock.Advance(absl::Minutes(29));
  CHECK(get());  // idle refreshed by the previous read
  clock.Advance(absl::Minutes(3));
  CHECK_FALSE(get());  // 61 minutes: absolute limit
  CHECK_FALSE(get());
  auto other = Sync<absl::StatusOr<std::string>>([&](auto done) {
    Session t;
    t.created = clock.Now();
    store.Create(t, done);
  });
  clock.Advance(absl::Minutes(31));
  auto r =
      Sync<absl::StatusOr<std::optional<Session>>>([&](auto done) { store.Get(*other, done); });
  CHECK_FALSE(r->has_value());
}

TEST_CASE("CSRF tokens must match exactly, an empty expected token never matches") {
  CHECK(CsrfTokenMatches("abc", "abc"));
  CHECK_FALSE(CsrfTokenMatches("abc", "abd"));
  CHECK_FALSE(CsrfTokenMatches("abc", "ab"));
  CHECK_FALSE(CsrfTokenMatches("", ""));
  CHECK(IsUnsafeMethod("POST"));
  CHECK(IsUnsafeMethod("PATCH"));
  CHECK(IsUnsafeMethod("DELETE"));
  CHECK_FALSE(IsUnsafeMethod("GET"));
  CHECK_FALSE(IsUnsafeMethod("HEAD"));
}

TEST_CASE("verified API tokens are remembered for the TTL, failures never") {
  tiquete::FakeClock clock;
  tiquete::gateway::testing::FakeCredentials inner;
  VerifiedPerson ana;
  ana.set_person_id("p-ana");
  inner.AddToken("tqt_good", ana);
  CachedTokenCredentials cached(&inner, &clock, absl::Seconds(30));
  auto verify = [&](const std::string& secret) {
    return Sync<absl::StatusOr<VerifiedPerson>>(
        [&](auto done) { cached.VerifyApiToken(secret, "r-1", done); });
  };
  REQUIRE(verify("tqt_good").ok());
  REQUIRE(verify("tqt_good")->person_id() == "p-ana");
  CHECK(inner.token_checks == 1);  // the second came from the cache
  CHECK(verify("tqt_bad").status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(verify("tqt_bad").status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(inner.token_checks == 3);    // failures are asked again every time
  clock.Advance(absl::Seconds(31));  // a revocation takes effect within the TTL
  REQUIRE(verify("tqt_good").ok());
  CHECK(inner.token_checks == 4);
}
