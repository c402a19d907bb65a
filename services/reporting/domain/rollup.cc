#include "services/reporting/domain/rollup.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::reporting {
namespace {

namespace v1 = incident::v1;

auto Tie(const RollupKey& k) {
  return std::tie(k.cohort, k.grain, k.bucket, k.group_id, k.level, k.category_id, k.service_id,
                  k.priority, k.assignee_id, k.ci_id);
}

absl::CivilDay Bucket(absl::Time t, char grain, absl::TimeZone zone) {
  const absl::CivilDay day = absl::ToCivilDay(t, zone);
  if (grain == 'm') return absl::CivilDay(absl::CivilMonth(day));
  return day;
}

RollupKey BaseKey(const IncidentFact& f, char cohort, char grain, absl::Time at,
                  absl::TimeZone zone) {
  RollupKey k;
  k.cohort = cohort;
  k.grain = grain;
  k.bucket = Bucket(at, grain, zone);
  k.group_id = f.group_id;
  k.level = f.level;
  k.category_id = f.category_id;
  k.service_id = f.service_id;
  k.priority = f.priority;
  return k;
}

}  // namespace

const std::array<const char*, kMeasureCount>& MeasureColumns() {
  static const std::array<const char*, kMeasureCount> kColumns = {"n",
                                                                  "st_open",
                                                                  "st_pending",
                                                                  "st_resolved",
                                                                  "st_closed",
                                                                  "st_cancelled",
                                                                  "res_s",
                                                                  "bus_n",
                                                                  "bus_s",
                                                                  "fcr",
                                                                  "reopened",
                                                                  "resp_met",
                                                                  "resp_breached",
                                                                  "resol_met",
                                                                  "resol_breached",
                                                                  "surveys",
                                                                  "survey_points",
                                                                  "rating1",
                                                                  "rating2",
                                                                  "rating3",
                                                                  "rating4",
                                                                  "rating5"};
  return kColumns;
}

bool RollupKey::operator<(const RollupKey& o) const { return Tie(*this) < Tie(o); }
bool RollupKey::operator==(const RollupKey& o) const { return Tie(*this) == Tie(o); }

namespace {
auto TieDash(const DashKey& k) { return std::tie(k.cohort, k.grain, k.dim, k.bucket, k.key); }

template <typename Delta>
bool AllZero(const Delta& d) {
  for (int64_t m : d.measures) {
    if (m != 0) return false;
  }
  for (int i = 0; i < kHistogramBins; ++i) {
    if (d.calendar[i] != 0 || d.business[i] != 0) return false;
  }
  return true;
}

template <typename Delta>
void AddInto(Delta& into, const RollupDelta& d, bool count_only) {
  if (count_only) {
    into.measures[kCount] += d.measures[kCount];
    return;
  }
  for (int i = 0; i < kMeasureCount; ++i) into.measures[i] += d.measures[i];
  for (int i = 0; i < kHistogramBins; ++i) {
    into.calendar[i] += d.calendar[i];
    into.business[i] += d.business[i];
  }
}
}  // namespace

bool DashKey::operator<(const DashKey& o) const { return TieDash(*this) < TieDash(o); }
bool DashKey::operator==(const DashKey& o) const { return TieDash(*this) == TieDash(o); }
bool DashDelta::zero() const { return AllZero(*this); }

std::vector<DashDelta> Coarsen(const std::vector<RollupDelta>& detail) {
  std::map<DashKey, DashDelta> merged;
  for (const RollupDelta& d : detail) {
    auto add = [&](char dim, const std::string& key, bool count_only) {
      DashKey k{d.key.cohort, d.key.grain, d.key.bucket, dim, key};
      DashDelta& m = merged[k];
      m.key = k;
      AddInto(m, d, count_only);
    };
    switch (d.key.cohort) {
      case 'o':
        add('t', "", false);
        add('g', d.key.group_id, true);
        add('k', d.key.category_id, true);
        add('s', d.key.service_id, true);
        add('p', std::to_string(d.key.priority), true);
        break;
      case 'r':
        add('t', "", false);
        add('l', std::to_string(d.key.level), true);
        add('a', d.key.assignee_id, true);
        break;
      case 'c':
        add('i', d.key.ci_id, true);
        break;
    }
  }
  std::vector<DashDelta> out;
  for (auto& [key, delta] : merged) {
    if (!delta.zero()) out.push_back(std::move(delta));
  }
  return out;
}

std::vector<RollupDelta> MergeDeltas(std::vector<RollupDelta> deltas) {
  std::map<RollupKey, RollupDelta> merged;
  for (const RollupDelta& d : deltas) {
    RollupDelta& m = merged[d.key];
    m.key = d.key;
    AddInto(m, d, false);
  }
  std::vector<RollupDelta> out;
  for (auto& [key, delta] : merged) {
    if (!delta.zero()) out.push_back(std::move(delta));
  }
  return out;
}

bool RollupDelta::zero() const {
  for (int64_t m : measures) {
    if (m != 0) return false;
  }
  for (int64_t c : calendar) {
    if (c != 0) return false;
  }
  for (int64_t c : business) {
    if (c != 0) return false;
  }
  return true;
}

std::vector<RollupDelta> Contributions(const IncidentFact& f, char grain, absl::TimeZone zone) {
  std::vector<RollupDelta> out;
  if (!f.counted()) return out;

  RollupDelta opened;
  opened.key = BaseKey(f, 'o', grain, f.opened_at, zone);
  auto& o = opened.measures;
  o[kCount] = 1;
  o[kStateOpen] = f.state == v1::NEW || f.state == v1::ASSIGNED || f.state == v1::IN_PROGRESS;
  o[kStatePending] = f.state == v1::PENDING;
  o[kStateResolved] = f.state == v1::RESOLVED;
  o[kStateClosed] = f.state == v1::CLOSED;
  o[kStateCancelled] = f.state == v1::CANCELLED;
  out.push_back(opened);

  for (const std::string& ci : f.ci_ids) {
    RollupDelta c;
    c.key = BaseKey(f, 'c', grain, f.opened_at, zone);
    c.key.ci_id = ci;
    c.measures[kCount] = 1;
    out.push_back(c);
  }

  if (f.resolved()) {
    RollupDelta r;
    r.key = BaseKey(f, 'r', grain, f.resolved_at, zone);
    r.key.level = f.resolved_level;
    r.key.assignee_id = f.resolved_by;
    auto& m = r.measures;
    const int64_t seconds = std::max<int64_t>(0, absl::ToInt64Seconds(f.resolved_at - f.opened_at));
    m[kCount] = 1;
    m[kStateClosed] = f.state == v1::CLOSED;
    m[kResolutionSeconds] = seconds;
    r.calendar[HistogramBin(seconds / 60.0)] = 1;
    if (f.business_resolution_seconds >= 0) {
      m[kBusinessResolved] = 1;
      m[kBusinessResolutionSeconds] = f.business_resolution_seconds;
      r.business[HistogramBin(f.business_resolution_seconds / 60.0)] = 1;
    }
    m[kFirstContact] = f.first_contact();
    m[kReopened] = f.reopen_count > 0;
    m[kResponseMet] = f.response == SlaOutcome::kMet;
    m[kResponseBreached] = f.response == SlaOutcome::kBreached;
    m[kResolutionMet] = f.resolution == SlaOutcome::kMet;
    m[kResolutionBreached] = f.resolution == SlaOutcome::kBreached;
    if (f.survey_rating >= 1 && f.survey_rating <= 5) {
      m[kSurveys] = 1;
      m[kSurveyPoints] = f.survey_rating;
      m[kRating1 + f.survey_rating - 1] = 1;
    }
    out.push_back(r);
  }
  return out;
}

std::vector<RollupDelta> Deltas(const IncidentFact* before, const IncidentFact& after,
                                absl::TimeZone zone) {
  std::map<RollupKey, RollupDelta> merged;
  auto add = [&](const std::vector<RollupDelta>& rows, int sign) {
    for (const RollupDelta& d : rows) {
      RollupDelta& m = merged[d.key];
      m.key = d.key;
      for (int i = 0; i < kMeasureCount; ++i) m.measures[i] += sign * d.measures[i];
      for (int i = 0; i < kHistogramBins; ++i) {
        m.calendar[i] += sign * d.calendar[i];
        m.business[i] += sign * d.business[i];
      }
    }
  };
  for (char grain : {'d', 'm'}) {
    if (before) add(Contributions(*before, grain, zone), -1);
    add(Contributions(after, grain, zone), +1);
  }
  std::vector<RollupDelta> out;
  for (auto& [key, delta] : merged) {
    if (!delta.zero()) out.push_back(std::move(delta));
  }
  return out;
}

}  // namespace tiquete::reporting
