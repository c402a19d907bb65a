#include <catch2/catch.hpp>

#include "common/errors.h"
#include "services/incident/domain/priority.h"

using namespace tiquete::incident;  // NOLINT: test

TEST_CASE("the default matrix gives the ITIL priority for all nine cells", "[priority]") {
  const PriorityMatrix m;
  const struct {
    v1::Level impact, urgency;
    v1::Priority expected;
  } cells[] = {
      {v1::HIGH, v1::HIGH, v1::P1},     {v1::HIGH, v1::MEDIUM, v1::P2},
      {v1::MEDIUM, v1::HIGH, v1::P2},   {v1::HIGH, v1::LOW, v1::P3},
      {v1::MEDIUM, v1::MEDIUM, v1::P3}, {v1::LOW, v1::HIGH, v1::P3},
      {v1::MEDIUM, v1::LOW, v1::P4},    {v1::LOW, v1::MEDIUM, v1::P4},
      {v1::LOW, v1::LOW, v1::P5},
  };
  for (const auto& c : cells) {
    INFO(v1::Level_Name(c.impact) << "/" << v1::Level_Name(c.urgency));
    CHECK(m.For(c.impact, c.urgency) == c.expected);
  }
}

TEST_CASE("a configured matrix replaces the default", "[priority]") {
  auto m = PriorityMatrix::Parse("112223334");
  REQUIRE(m.ok());
  CHECK(m->For(v1::HIGH, v1::MEDIUM) == v1::P1);
  CHECK(m->For(v1::LOW, v1::LOW) == v1::P4);
  CHECK_FALSE(PriorityMatrix::Parse("12323434").ok());   // eight cells
  CHECK_FALSE(PriorityMatrix::Parse("123234346").ok());  // 6 is no priority
  CHECK(PriorityMatrix::Validate("123234345").empty());
}

TEST_CASE("an unspecified impact or urgency counts as medium", "[priority]") {
  CHECK(PriorityMatrix().For(v1::LEVEL_UNSPECIFIED, v1::LEVEL_UNSPECIFIED) == v1::P3);
}

TEST_CASE("overriding the matrix priority needs a justification", "[priority]") {
  auto missing = CheckPriorityOverride(v1::P3, v1::P1, "  ");
  CHECK(missing.code() == absl::StatusCode::kInvalidArgument);
  CHECK(tiquete::ErrorReason(missing) == "JUSTIFICATION_REQUIRED");
  CHECK(tiquete::ErrorField(missing) == "justification");
  CHECK(CheckPriorityOverride(v1::P3, v1::P1, "rector's office cannot enrol students").ok());
  // Choosing the matrix's own value is no override.
  CHECK(CheckPriorityOverride(v1::P3, v1::P3, "").ok());
  CHECK_FALSE(CheckPriorityOverride(v1::P3, v1::PRIORITY_UNSPECIFIED, "x").ok());
}
