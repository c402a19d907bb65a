#include <catch2/catch.hpp>

#include "absl/strings/str_join.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/tests/test_times.h"

using tiquete::sla::BusinessCalendar;
using tiquete::sla::CalendarSpec;
using tiquete::sla::DefaultOfficeCalendarSpec;
using tiquete::sla::TwentyFourSevenCalendarSpec;
using tiquete::sla::ValidateCalendarSpec;
using tiquete::sla::testing::Local;

namespace {

BusinessCalendar Office() { return *BusinessCalendar::Create(DefaultOfficeCalendarSpec()); }

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;

}  // namespace

TEST_CASE("America/Bogota loads from the system time zone database at UTC-5") {
  absl::TimeZone tz;
  REQUIRE(absl::LoadTimeZone("America/Bogota", &tz));
  const auto info = tz.At(Local(2026, 6, 1, 12));
  CHECK(info.offset == -5 * 3600);
  CHECK_FALSE(info.is_dst);
}

TEST_CASE("a working day of the default calendar has nine business hours") {
  const BusinessCalendar cal = Office();
  CHECK(cal.BusinessSeconds(Local(2026, 2, 3), Local(2026, 2, 4)) == 9 * kHour);
  // A whole week: five working days, nothing on the weekend.
  CHECK(cal.BusinessSeconds(Local(2026, 2, 2), Local(2026, 2, 9)) == 45 * kHour);
}

TEST_CASE("the lunch break between split shifts is not business time") {
  const BusinessCalendar cal = Office();
  CHECK(cal.BusinessSeconds(Local(2026, 2, 3, 11, 30), Local(2026, 2, 3, 14, 30)) == kHour);
  CHECK(cal.AddBusinessSeconds(Local(2026, 2, 3, 11, 30), 60 * kMinute) ==
        Local(2026, 2, 3, 14, 30));
}

TEST_CASE("a clock started before opening counts from 07:00") {
  const BusinessCalendar cal = Office();
  CHECK(cal.AddBusinessSeconds(Local(2026, 2, 3, 5, 0), 30 * kMinute) == Local(2026, 2, 3, 7, 30));
}

TEST_CASE("a clock started after closing counts from the next working morning") {
  const BusinessCalendar cal = Office();
  CHECK(cal.AddBusinessSeconds(Local(2026, 2, 3, 19, 0), kHour) == Local(2026, 2, 4, 8, 0));
  CHECK(cal.NextOpen(Local(2026, 2, 3, 19, 0)) == Local(2026, 2, 4, 7, 0));
}

TEST_CASE("work that completes exactly at closing time is due at closing time") {
  const BusinessCalendar cal = Office();
  CHECK(cal.AddBusinessSeconds(Local(2026, 2, 3, 17, 0), kHour) == Local(2026, 2, 3, 18, 0));
  CHECK(cal.AddBusinessSeconds(Local(2026, 2, 3, 11, 0), kHour) == Local(2026, 2, 3, 12, 0));
}

TEST_CASE("weekends are skipped") {
  const BusinessCalendar cal = Office();
  // Friday 2026-01-16 17:30 + 1 h → Monday 2026-01-19 07:30.
  CHECK(cal.AddBusinessSeconds(Local(2026, 1, 16, 17, 30), kHour) == Local(2026, 1, 19, 7, 30));
  CHECK(cal.BusinessSeconds(Local(2026, 1, 17, 8), Local(2026, 1, 18, 20)) == 0);
}

TEST_CASE("a Monday holiday is skipped like a weekend day") {
  const BusinessCalendar cal = Office();
  // Friday 2026-01-09 17:30 + 1 h: Monday Jan 12 is Reyes Magos → Tuesday 07:30.
  CHECK(cal.AddBusinessSeconds(Local(2026, 1, 9, 17, 30), kHour) == Local(2026, 1, 13, 7, 30));
  CHECK(cal.IsHoliday(absl::CivilDay(2026, 1, 12)));
  CHECK(cal.OpenIntervals(absl::CivilDay(2026, 1, 12)).empty());
}

TEST_CASE("Holy Thursday and Good Friday close the office for the whole week-end") {
  const BusinessCalendar cal = Office();
  // Wednesday 2026-04-01 17:00 + 2 h → Monday 2026-04-06 08:00.
  CHECK(cal.AddBusinessSeconds(Local(2026, 4, 1, 17, 0), 2 * kHour) == Local(2026, 4, 6, 8, 0));
}

TEST_CASE("subtracting business time walks back over closed time") {
  const BusinessCalendar cal = Office();
  CHECK(cal.SubtractBusinessSeconds(Local(2026, 1, 13, 7, 30), kHour) == Local(2026, 1, 9, 17, 30));
  CHECK(cal.SubtractBusinessSeconds(Local(2026, 2, 3, 14, 30), kHour) == Local(2026, 2, 3, 11, 30));
}

TEST_CASE("an ad-hoc closure removes its hours from business time") {
  CalendarSpec spec = DefaultOfficeCalendarSpec();
  spec.closures.push_back({"", Local(2026, 2, 3, 9), Local(2026, 2, 3, 11), "corte de energía"});
  const BusinessCalendar cal = *BusinessCalendar::Create(spec);
  CHECK(cal.AddBusinessSeconds(Local(2026, 2, 3, 8), 2 * kHour) == Local(2026, 2, 3, 12));
  CHECK(cal.BusinessSeconds(Local(2026, 2, 3), Local(2026, 2, 4)) == 7 * kHour);
  CHECK_FALSE(cal.IsOpen(Local(2026, 2, 3, 10)));
  CHECK(cal.IsOpen(Local(2026, 2, 3, 11)));
}

TEST_CASE("overlapping closures are merged") {
  CalendarSpec spec = DefaultOfficeCalendarSpec();
  spec.closures.push_back({"", Local(2026, 2, 3, 8), Local(2026, 2, 3, 10), "a"});
  spec.closures.push_back({"", Local(2026, 2, 3, 9), Local(2026, 2, 4, 8), "b"});
  const BusinessCalendar cal = *BusinessCalendar::Create(spec);
  CHECK(cal.BusinessSeconds(Local(2026, 2, 3), Local(2026, 2, 5)) == (1 + 8) * kHour);
}

TEST_CASE("the 24x7 calendar counts every minute, holidays and nights included") {
  const BusinessCalendar cal = *BusinessCalendar::Create(TwentyFourSevenCalendarSpec());
  CHECK(cal.AddBusinessSeconds(Local(2026, 1, 10, 23), 2 * kHour) == Local(2026, 1, 11, 1));
  CHECK(cal.BusinessSeconds(Local(2026, 1, 12), Local(2026, 1, 13)) == 24 * kHour);
}

TEST_CASE("a 24x7 calendar with a closure still skips the closure") {
  CalendarSpec spec = TwentyFourSevenCalendarSpec();
  spec.closures.push_back({"", Local(2026, 1, 11, 0), Local(2026, 1, 11, 6), "mantenimiento"});
  const BusinessCalendar cal = *BusinessCalendar::Create(spec);
  CHECK(cal.AddBusinessSeconds(Local(2026, 1, 10, 23), 2 * kHour) == Local(2026, 1, 11, 7));
}

TEST_CASE("sub-second instants keep their precision and never drift") {
  const BusinessCalendar cal = Office();
  const absl::Time start = Local(2026, 2, 3, 8) + absl::Milliseconds(700);
  const absl::Time due = cal.AddBusinessSeconds(start, 90);
  CHECK(due - start == absl::Seconds(90));
  CHECK(cal.BusinessSeconds(start, due) == 90);
}

TEST_CASE("the due-time explanation names each stretch used and each closed day") {
  const BusinessCalendar cal = Office();
  std::vector<std::string> lines;
  const absl::Time due = cal.AddBusinessSeconds(Local(2026, 1, 9, 17, 30), kHour, &lines);
  CHECK(due == Local(2026, 1, 13, 7, 30));
  const std::string text = absl::StrJoin(lines, "\n");
  INFO(text);
  CHECK(text.find("Fri 2026-01-09 17:30–18:00: 30 min") != std::string::npos);
  CHECK(text.find("2026-01-10 (Sat): 0 min, no office hours") != std::string::npos);
  CHECK(text.find("holiday: Día de los Reyes Magos") != std::string::npos);
  CHECK(text.find("Tue 2026-01-13 07:00–07:30: 30 min") != std::string::npos);
}

TEST_CASE("calendar validation names the field at fault") {
  CalendarSpec spec = DefaultOfficeCalendarSpec();
  spec.time_zone = "America/Nowhere";
  spec.week[0] = {{8 * 60, 12 * 60}, {11 * 60, 13 * 60}};
  spec.week[1] = {{13 * 60, 12 * 60}};
  const auto problems = ValidateCalendarSpec(spec);
  std::vector<std::string> reasons;
  for (const auto& p : problems) reasons.push_back(p.field + ":" + p.reason);
  CHECK(reasons == std::vector<std::string>{"time_zone:UNKNOWN_TIME_ZONE",
                                            "week[0]:OVERLAPPING_SHIFTS", "week[1]:INVALID_SHIFT"});
  CHECK_FALSE(BusinessCalendar::Create(spec).ok());
}

TEST_CASE("a calendar with no office hours is refused instead of looping forever") {
  CalendarSpec spec = DefaultOfficeCalendarSpec();
  for (auto& day : spec.week) day.clear();
  const auto problems = ValidateCalendarSpec(spec);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].reason == "NO_OFFICE_HOURS");
}
