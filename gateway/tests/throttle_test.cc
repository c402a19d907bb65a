// Counters, limits, sign-in throttling, sessions and CSRF on a fake clock.
#include <catch2/catch.hpp>

#include "gateway/access.h"
#include "gateway/sessions.h"
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

TEST_CASE("sessions round-trip through their stored form; corrupt records are an error") {
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

TEST_CASE("CSRF tokens must match exactly; an empty expected token never matches") {
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
