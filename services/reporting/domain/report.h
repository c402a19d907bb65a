// Turns summed rollup measures into the KPI report and the monthly trend the API returns.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/reporting/domain/rollup.h"
#include "services/reporting/domain/stats.h"
#include "tiquete/reporting/v1/reporting.pb.h"

namespace tiquete::reporting {

struct Aggregate {
  std::array<int64_t, kMeasureCount> measures{};
  Histogram calendar{};
  Histogram business{};
};

// Breakdown names the store fills: "service", "ci", "priority", "group", "category" (opened
// cohort; "ci" from the CI cohort), "level" and "analyst" (resolved cohort). Keys are ids, or
// the enum number as text for priority and level.
using Breakdowns = std::map<std::string, std::vector<std::pair<std::string, int64_t>>>;

struct ChannelCounts {
  int channel = 0;  // incident.v1.Channel
  int64_t received = 0;
  int64_t duplicates = 0;
  int64_t handed_off = 0;
};

struct KpiInputs {
  Aggregate opened;
  Aggregate resolved;
  Breakdowns breakdowns;
  std::vector<ChannelCounts> channels;
};

void BuildKpis(const KpiInputs& in, v1::KpiReport* out);

struct MonthTotal {
  absl::CivilMonth month;
  int64_t count = 0;
};

// observed: monthly totals (gaps allowed, filled with zero) up to and including `last`;
// `last_partial` marks the last month as still running (kept out of the fit).
void BuildTrend(const std::vector<MonthTotal>& observed, absl::CivilMonth last, bool last_partial,
                int horizon, v1::TicketTrend* out);

}  // namespace tiquete::reporting
