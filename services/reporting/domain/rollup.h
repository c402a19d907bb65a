// What one incident fact adds to the rollups, so that rollups are always the sum of their
// facts' contributions: on every change the store subtracts the old contributions and adds the
// new ones in the same transaction.
//
// Three cohorts, each kept per day and per month:
// - 'o' opened: by the day it was opened and its current group, level, category, service and
//   priority (state counts of the cohort);
// - 'r' resolved: by the day of its latest resolution and the level and assignee holding it then
//   (resolution time histograms, SLA outcomes, FCR, reopenings, surveys);
// - 'c' CI: one row per linked CI, by the day it was opened (cases per information system).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/reporting/domain/fact.h"
#include "services/reporting/domain/stats.h"

namespace tiquete::reporting {

enum Measure : int {
  kCount,                      // incidents
  kStateOpen,                  // 'o': new, assigned, in progress
  kStatePending,               // 'o'
  kStateResolved,              // 'o'
  kStateClosed,                // 'o' and 'r' (closed ones are offered a survey)
  kStateCancelled,             // 'o'
  kResolutionSeconds,          // 'r': calendar, summed
  kBusinessResolved,           // 'r': incidents whose business time is known
  kBusinessResolutionSeconds,  // 'r': summed
  kFirstContact,               // 'r'
  kReopened,                   // 'r': reopened at least once
  kResponseMet,
  kResponseBreached,
  kResolutionMet,
  kResolutionBreached,
  kSurveys,
  kSurveyPoints,
  kRating1,
  kRating2,
  kRating3,
  kRating4,
  kRating5,
  kMeasureCount
};
// Column names of the measures in the rollup table, in Measure order.
const std::array<const char*, kMeasureCount>& MeasureColumns();

struct RollupKey {
  char cohort = 'o';  // 'o', 'r', 'c'
  char grain = 'd';   // 'd' day, 'm' month (bucket is then the 1st)
  absl::CivilDay bucket;
  std::string group_id;
  int level = 0;
  std::string category_id;
  std::string service_id;
  int priority = 0;
  std::string assignee_id;  // 'r' only
  std::string ci_id;        // 'c' only
  bool operator<(const RollupKey& o) const;
  bool operator==(const RollupKey& o) const;
};

struct RollupDelta {
  RollupKey key;
  std::array<int64_t, kMeasureCount> measures{};
  Histogram calendar{};  // resolution minutes ('r')
  Histogram business{};
  bool zero() const;
};

// The dashboard rollup (table rollup_dash) serves dashboards without a dimension filter from a
// few rows per bucket instead of one per dimension combination: per cohort, grain and bucket one
// total row (dim 't', every measure and both histograms) and one row per breakdown value the
// dashboard lists, carrying the count only: opened by group 'g', category 'k', service 's' and
// priority 'p'; resolved by level 'l' and analyst 'a'; CI cohort by CI 'i'. It is a linear
// projection of the detailed rollup, so its deltas are the projection of the detailed deltas.
struct DashKey {
  char cohort = 'o';
  char grain = 'd';
  absl::CivilDay bucket;
  char dim = 't';
  std::string key;  // "" for 't'; the id, or the enum number as text for level and priority
  bool operator<(const DashKey& o) const;
  bool operator==(const DashKey& o) const;
};

struct DashDelta {
  DashKey key;
  std::array<int64_t, kMeasureCount> measures{};
  Histogram calendar{};
  Histogram business{};
  bool zero() const;
};

// Projects detailed rollup deltas (or contributions) onto the dashboard rollup, merged by key,
// zero rows dropped, sorted by key.
std::vector<DashDelta> Coarsen(const std::vector<RollupDelta>& detail);

// Merges deltas by key (sums), drops zero rows, sorts by key: several incidents' deltas become
// one upsert per rollup row.
std::vector<RollupDelta> MergeDeltas(std::vector<RollupDelta> deltas);

// Contributions of one fact at one grain ('d' or 'm'); bucket days are local to `zone`.
std::vector<RollupDelta> Contributions(const IncidentFact& fact, char grain, absl::TimeZone zone);
// new − old at both grains, merged by key, zero rows dropped, sorted by key (a fixed lock
// order for the upserts).
std::vector<RollupDelta> Deltas(const IncidentFact* before, const IncidentFact& after,
                                absl::TimeZone zone);

}  // namespace tiquete::reporting
