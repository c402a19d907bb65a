// Properties of the business-time arithmetic over many random instants and durations.
#include <random>

#include <catch2/catch.hpp>

#include "services/sla/domain/calendar.h"
#include "services/sla/tests/test_times.h"

using tiquete::sla::BusinessCalendar;
using tiquete::sla::CalendarSpec;
using tiquete::sla::testing::Local;

namespace {

std::vector<BusinessCalendar> Calendars() {
  CalendarSpec closures = tiquete::sla::DefaultOfficeCalendarSpec();
  closures.closures.push_back({"", Local(2026, 3, 10, 9), Local(2026, 3, 12, 15), "paro"});
  closures.closures.push_back(
      {"", Local(2026, 12, 21), Local(2027, 1, 12), "vacaciones colectivas"});
  CalendarSpec night = tiquete::sla::DefaultOfficeCalendarSpec();
  night.week[5] = {{8 * 60, 12 * 60}};
  night.week[6] = {{0, 30}, {23 * 60, 24 * 60}};
  std::vector<BusinessCalendar> out;
  out.push_back(*BusinessCalendar::Create(tiquete::sla::DefaultOfficeCalendarSpec()));
  out.push_back(*BusinessCalendar::Create(tiquete::sla::TwentyFourSevenCalendarSpec()));
  out.push_back(*BusinessCalendar::Create(closures));
  out.push_back(*BusinessCalendar::Create(night));
  return out;
}

// Random instants over 2025–2027, with seconds and sub-seconds, so starts fall in nights,
// weekends, holidays and lunch breaks as often as in office hours.
absl::Time RandomInstant(std::mt19937_64& rng) {
  std::uniform_int_distribution<int64_t> micros(0, int64_t{3} * 365 * 86400 * 1000000);
  return Local(2025, 1, 1) + absl::Microseconds(micros(rng));
}

int64_t RandomSeconds(std::mt19937_64& rng) {
  std::uniform_int_distribution<int64_t> minutes(0, 20000);
  std::uniform_int_distribution<int64_t> seconds(0, 59);
  return minutes(rng) * 60 + seconds(rng);
}

}  // namespace

TEST_CASE("adding business time then measuring it gives back the same amount") {
  std::mt19937_64 rng(20260101);
  for (const BusinessCalendar& cal : Calendars()) {
    for (int i = 0; i < 400; ++i) {
      const absl::Time start = RandomInstant(rng);
      const int64_t s = RandomSeconds(rng);
      const absl::Time due = cal.AddBusinessSeconds(start, s);
      INFO(cal.spec().name << " start " << cal.FormatLocal(start) << " + " << s << " s");
      CHECK(due >= start);
      CHECK(cal.BusinessSeconds(start, due) == s);
    }
  }
}

TEST_CASE("adding then subtracting business time round-trips to the first open instant") {
  std::mt19937_64 rng(7);
  for (const BusinessCalendar& cal : Calendars()) {
    for (int i = 0; i < 400; ++i) {
      const absl::Time start = RandomInstant(rng);
      const int64_t s = RandomSeconds(rng) + 1;
      const absl::Time due = cal.AddBusinessSeconds(start, s);
      INFO(cal.spec().name << " start " << cal.FormatLocal(start) << " + " << s << " s");
      CHECK(cal.SubtractBusinessSeconds(due, s) == cal.NextOpen(start));
      if (cal.IsOpen(start)) CHECK(cal.SubtractBusinessSeconds(due, s) == start);
    }
  }
}

TEST_CASE("business time added in two steps equals adding it at once") {
  std::mt19937_64 rng(42);
  for (const BusinessCalendar& cal : Calendars()) {
    for (int i = 0; i < 300; ++i) {
      const absl::Time start = RandomInstant(rng);
      const int64_t a = RandomSeconds(rng);
      const int64_t b = RandomSeconds(rng) + 1;
      CHECK(cal.AddBusinessSeconds(cal.AddBusinessSeconds(start, a), b) ==
            cal.AddBusinessSeconds(start, a + b));
    }
  }
}

TEST_CASE("more business time never gives an earlier due time") {
  std::mt19937_64 rng(99);
  for (const BusinessCalendar& cal : Calendars()) {
    for (int i = 0; i < 300; ++i) {
      const absl::Time start = RandomInstant(rng);
      const int64_t a = RandomSeconds(rng);
      const int64_t b = a + RandomSeconds(rng);
      CHECK(cal.AddBusinessSeconds(start, a) <= cal.AddBusinessSeconds(start, b));
    }
  }
}

TEST_CASE("business seconds are additive over any split point") {
  std::mt19937_64 rng(3);
  for (const BusinessCalendar& cal : Calendars()) {
    for (int i = 0; i < 300; ++i) {
      absl::Time a = RandomInstant(rng), b = RandomInstant(rng), c = RandomInstant(rng);
      if (a > b) std::swap(a, b);
      if (b > c) std::swap(b, c);
      if (a > b) std::swap(a, b);
      // Whole seconds: truncation happens once per measurement, so allow one second.
      const int64_t whole = cal.BusinessSeconds(a, c);
      const int64_t parts = cal.BusinessSeconds(a, b) + cal.BusinessSeconds(b, c);
      CHECK(whole - parts >= 0);
      CHECK(whole - parts <= 1);
    }
  }
}
