// Report periods in calendar days, and how a period is read from the two rollup grains: whole
// months from the monthly rows, the ragged edges from the daily rows.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"

namespace tiquete::reporting {

struct Period {
  absl::CivilDay from;  // inclusive
  absl::CivilDay to;    // inclusive
};

// "YYYY-MM-DD" → day; nullopt when malformed or not a real date (2026-02-30).
std::optional<absl::CivilDay> ParseDay(const std::string& text);
std::string FormatDay(absl::CivilDay day);
std::string FormatMonth(absl::CivilMonth month);  // "YYYY-MM"

struct DayRange {
  absl::CivilDay from;  // inclusive
  absl::CivilDay to;    // exclusive
};

struct GrainPlan {
  // Months [month_from, month_to) read from the monthly rows; empty when equal.
  absl::CivilDay month_from;
  absl::CivilDay month_to;
  std::vector<DayRange> days;  // at most two edges, read from the daily rows
};

GrainPlan PlanGrains(const Period& period);

}  // namespace tiquete::reporting
