#include <catch2/catch.hpp>

#include "common/clock.h"

TEST_CASE("a fake clock moves only when told") {
  tiquete::FakeClock clock(absl::FromUnixSeconds(1000));
  CHECK(clock.Now() == absl::FromUnixSeconds(1000));
  clock.Advance(absl::Minutes(90));
  CHECK(clock.Now() == absl::FromUnixSeconds(1000 + 5400));
  clock.Set(absl::FromUnixSeconds(5));
  CHECK(clock.Now() == absl::FromUnixSeconds(5));
}

TEST_CASE("the system clock follows real time") {
  absl::Time before = absl::Now();
  absl::Time t = tiquete::SystemClock::Get()->Now();
  CHECK(t >= before);
  CHECK(t - before < absl::Seconds(5));
}
