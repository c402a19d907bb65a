#include "services/reporting/domain/period.h"

#include <cstdio>

#include "absl/strings/str_format.h"

namespace tiquete::reporting {

std::optional<absl::CivilDay> ParseDay(const std::string& text) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
    return std::nullopt;
  }
  const absl::CivilDay day(y, m, d);
  // CivilDay normalises 2026-02-30 to 2026-03-02; a real date survives the round trip.
  if (day.year() != y || day.month() != m || day.day() != d) return std::nullopt;
  return day;
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string FormatMonth(absl::CivilMonth month) {
  return absl::StrFormat("%04d-%02d", month.year(), month.month());
}

GrainPlan PlanGrains(const Period& period) {
  GrainPlan plan;
  const absl::CivilDay end = period.to + 1;  // exclusive
  // The first month starting on or after `from`, and the last month ending on or before `to`.
  absl::CivilDay first_full(absl::CivilMonth(period.from));
  if (first_full < period.from) first_full = absl::CivilDay(absl::CivilMonth(period.from) + 1);
  const absl::CivilDay last_full_end = absl::CivilDay(absl::CivilMonth(end));
  if (first_full < last_full_end) {
    plan.month_from = first_full;
    plan.month_to = last_full_end;
    if (period.from < first_full) plan.days.push_back({period.from, first_full});
    if (last_full_end < end) plan.days.push_back({last_full_end, end});
  } else {
    plan.month_from = plan.month_to = period.from;
    if (period.from < end) plan.days.push_back({period.from, end});
  }
  return plan;
}

}  // namespace tiquete::reporting
