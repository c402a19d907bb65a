#include <catch2/catch.hpp>

#include "services/sla/domain/holidays.h"

using absl::CivilDay;
using tiquete::sla::ColombianHolidays;
using tiquete::sla::EasterSunday;
using tiquete::sla::IsColombianHoliday;

namespace {

std::vector<CivilDay> Dates(int year) {
  std::vector<CivilDay> out;
  for (const auto& h : ColombianHolidays(year)) out.push_back(h.date);
  return out;
}

}  // namespace

TEST_CASE("the 2026 Colombian holidays are the eighteen of the official list") {
  const std::vector<CivilDay> expected = {
      CivilDay(2026, 1, 1),  CivilDay(2026, 1, 12),  CivilDay(2026, 3, 23), CivilDay(2026, 4, 2),
      CivilDay(2026, 4, 3),  CivilDay(2026, 5, 1),   CivilDay(2026, 5, 18), CivilDay(2026, 6, 8),
      CivilDay(2026, 6, 15), CivilDay(2026, 6, 29),  CivilDay(2026, 7, 20), CivilDay(2026, 8, 7),
      CivilDay(2026, 8, 17), CivilDay(2026, 10, 12), CivilDay(2026, 11, 2), CivilDay(2026, 11, 16),
      CivilDay(2026, 12, 8), CivilDay(2026, 12, 25),
  };
  CHECK(Dates(2026) == expected);
  for (const CivilDay& d : expected) CHECK(IsColombianHoliday(d));
}

TEST_CASE("Easter Sunday is computed for any Gregorian year") {
  CHECK(EasterSunday(2000) == CivilDay(2000, 4, 23));
  CHECK(EasterSunday(2024) == CivilDay(2024, 3, 31));
  CHECK(EasterSunday(2025) == CivilDay(2025, 4, 20));
  CHECK(EasterSunday(2026) == CivilDay(2026, 4, 5));
  CHECK(EasterSunday(2038) == CivilDay(2038, 4, 25));
  CHECK(EasterSunday(2285) == CivilDay(2285, 3, 22));  // earliest possible date
}

TEST_CASE("Ley 51 feasts move to the next Monday unless they already fall on one") {
  // Jan 6 2026 is a Tuesday: observed Monday Jan 12. Oct 12 2026 is a Monday: stays.
  CHECK_FALSE(IsColombianHoliday(CivilDay(2026, 1, 6)));
  CHECK(IsColombianHoliday(CivilDay(2026, 1, 12)));
  CHECK(IsColombianHoliday(CivilDay(2026, 10, 12)));
  CHECK_FALSE(IsColombianHoliday(CivilDay(2026, 10, 19)));
}

TEST_CASE("fixed-date holidays stay on their date even on a Sunday") {
  CHECK(absl::GetWeekday(CivilDay(2025, 7, 20)) == absl::Weekday::sunday);
  CHECK(IsColombianHoliday(CivilDay(2025, 7, 20)));
  CHECK_FALSE(IsColombianHoliday(CivilDay(2025, 7, 21)));
}

TEST_CASE("two feasts observed on the same Monday are one holiday") {
  // 2025: San Pedro (Sunday Jun 29) and the Sacred Heart (Easter + 71) both land on Jun 30.
  const auto holidays = ColombianHolidays(2025);
  CHECK(holidays.size() == 17);
  int on_june_30 = 0;
  for (const auto& h : holidays) {
    if (h.date == CivilDay(2025, 6, 30)) {
      ++on_june_30;
      CHECK(h.name.find("San Pedro") != std::string::npos);
      CHECK(h.name.find("Sagrado") != std::string::npos);
    }
  }
  CHECK(on_june_30 == 1);
}

TEST_CASE("years outside the precomputed table are computed on demand") {
  for (int year : {1950, 2250, 2400}) {
    for (const auto& h : ColombianHolidays(year)) CHECK(IsColombianHoliday(h.date));
    CHECK_FALSE(IsColombianHoliday(CivilDay(year, 2, 2)));
  }
}

TEST_CASE("every year has between 17 and 18 holiday days, all but the fixed ones on Mondays") {
  for (int year = 1984; year <= 2100; ++year) {
    const auto holidays = ColombianHolidays(year);
    CHECK(holidays.size() >= 17);
    CHECK(holidays.size() <= 18);
    for (const auto& h : holidays) {
      const bool fixed = (h.date.month() == 1 && h.date.day() == 1) ||
                         (h.date.month() == 5 && h.date.day() == 1) ||
                         (h.date.month() == 7 && h.date.day() == 20) ||
                         (h.date.month() == 8 && h.date.day() == 7) ||
                         (h.date.month() == 12 && (h.date.day() == 8 || h.date.day() == 25)) ||
                         h.name == "Jueves Santo" || h.name == "Viernes Santo";
      if (!fixed) CHECK(absl::GetWeekday(h.date) == absl::Weekday::monday);
    }
  }
}
