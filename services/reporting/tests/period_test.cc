#include <catch2/catch.hpp>

#include "services/reporting/domain/period.h"

using namespace tiquete::reporting;
using absl::CivilDay;

TEST_CASE("dates must be real calendar days in YYYY-MM-DD") {
  CHECK(ParseDay("2026-02-28") == CivilDay(2026, 2, 28));
  CHECK_FALSE(ParseDay("2026-02-30"));
  CHECK_FALSE(ParseDay("2026-2-3"));
  CHECK_FALSE(ParseDay("2026-02-28x"));
  CHECK_FALSE(ParseDay(""));
  CHECK(FormatDay(CivilDay(2026, 3, 1)) == "2026-03-01");
}

TEST_CASE("a ragged period reads whole months monthly and the edges daily") {
  GrainPlan p = PlanGrains({CivilDay(2026, 1, 15), CivilDay(2026, 4, 10)});
  CHECK(p.month_from == CivilDay(2026, 2, 1));
  CHECK(p.month_to == CivilDay(2026, 4, 1));
  REQUIRE(p.days.size() == 2);
  CHECK(p.days[0].from == CivilDay(2026, 1, 15));
  CHECK(p.days[0].to == CivilDay(2026, 2, 1));
  CHECK(p.days[1].from == CivilDay(2026, 4, 1));
  CHECK(p.days[1].to == CivilDay(2026, 4, 11));
}

TEST_CASE("a whole month needs no daily rows") {
  GrainPlan p = PlanGrains({CivilDay(2026, 3, 1), CivilDay(2026, 3, 31)});
  CHECK(p.month_from == CivilDay(2026, 3, 1));
  CHECK(p.month_to == CivilDay(2026, 4, 1));
  CHECK(p.days.empty());
}

TEST_CASE("a period inside one month is read from daily rows only") {
  GrainPlan p = PlanGrains({CivilDay(2026, 3, 5), CivilDay(2026, 3, 20)});
  CHECK(p.month_from == p.month_to);
  REQUIRE(p.days.size() == 1);
  CHECK(p.days[0].from == CivilDay(2026, 3, 5));
  CHECK(p.days[0].to == CivilDay(2026, 3, 21));
}
