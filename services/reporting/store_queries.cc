// The read side of ReportStore: rollup sums, the facts path, the trend and the live figures.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "services/reporting/store.h"
#include "services/reporting/store_internal.h"

namespace tiquete::reporting {
namespace si = store_internal;
namespace {

// $1..$6 the grain plan, $7..$11 the dimension filters.
std::string Where(char cohort) {
  return absl::StrCat(
      " WHERE cohort = '", std::string(1, cohort),
      "' AND ((grain = 'm' AND bucket >= $1::date AND bucket < $2::date) OR (grain = 'd' AND "
      "((bucket >= $3::date AND bucket < $4::date) OR (bucket >= $5::date AND bucket < "
      "$6::date)))) AND ($7 = '' OR group_id = $7) AND ($8::int = 0 OR level = $8::int) AND "
      "($9 = '' OR category_id = $9) AND ($10 = '' OR service_id = $10) AND "
      "($11::int = 0 OR priority = $11::int)");
}

struct PlanArgs {
  std::string m1, m2, d1, d2, d3, d4;
};

PlanArgs ArgsOf(const GrainPlan& plan) {
  PlanArgs a;
  a.m1 = FormatDay(plan.month_from);
  a.m2 = FormatDay(plan.month_to);
  // An empty range (from == to) selects nothing.
  a.d1 = a.d2 = a.d3 = a.d4 = FormatDay(plan.month_from);
  if (!plan.days.empty()) {
    a.d1 = FormatDay(plan.days[0].from);
    a.d2 = FormatDay(plan.days[0].to);
  }
  if (plan.days.size() > 1) {
    a.d3 = FormatDay(plan.days[1].from);
    a.d4 = FormatDay(plan.days[1].to);
  }
  return a;
}

#define TIQ_RANGE_ARGS(a, f) \
  a.m1, a.m2, a.d1, a.d2, a.d3, a.d4, f.group_id, f.level, f.category_id, f.service_id, f.priority

std::string Sums(int first, int last) {
  std::string out;
  const auto& m = MeasureColumns();
  for (int i = first; i <= last; ++i) absl::StrAppend(&out, ", sum(", m[i], ")::bigint");
  return out;
}

// Sums rollup-shaped rows of `table` for the plan into `out`.
void Summarize(pqxx::work& tx, const std::string& table, const DimFilter& f, const GrainPlan& plan,
               KpiInputs* out) {
  const PlanArgs a = ArgsOf(plan);
  // Opened cohort: totals and the volume breakdowns in one scan.
  pqxx::result o = tx.exec_params(
      absl::StrCat("SELECT GROUPING(service_id, priority, group_id, category_id), service_id, "
                   "priority, group_id, category_id",
                   Sums(kCount, kStateCancelled), " FROM ", table, Where('o'),
                   " GROUP BY GROUPING SETS ((), (service_id), (priority), (group_id), "
                   "(category_id))"),
      TIQ_RANGE_ARGS(a, f));
  for (const auto& row : o) {
    const int mask = row[0].as<int>();
    const int64_t n = row[5].is_null() ? 0 : row[5].as<long long>();
    switch (mask) {
      case 15:
        for (int i = kCount; i <= kStateCancelled; ++i) {
          out->opened.measures[i] = row[5 + i].is_null() ? 0 : row[5 + i].as<long long>();
        }
        break;
      case 7:
        out->breakdowns["service"].emplace_back(row[1].as<std::string>(), n);
        break;
      case 11:
        out->breakdowns["priority"].emplace_back(row[2].as<std::string>(), n);
        break;
      case 13:
        out->breakdowns["group"].emplace_back(row[3].as<std::string>(), n);
        break;
      case 14:
        out->breakdowns["category"].emplace_back(row[4].as<std::string>(), n);
        break;
    }
  }
  // Resolved cohort: every measure, by level and by analyst.
  pqxx::result r =
      tx.exec_params(absl::StrCat("SELECT GROUPING(level, assignee_id), level, assignee_id",
                                  Sums(0, kMeasureCount - 1), " FROM ", table, Where('r'),
                                  " GROUP BY GROUPING SETS ((), (level), (assignee_id))"),
                     TIQ_RANGE_ARGS(a, f));
  for (const auto& row : r) {
    const int mask = row[0].as<int>();
    const int64_t n = row[3].is_null() ? 0 : row[3].as<long long>();
    if (mask == 3) {
      for (int i = 0; i < kMeasureCount; ++i) {
        out->resolved.measures[i] = row[3 + i].is_null() ? 0 : row[3 + i].as<long long>();
      }
    } else if (mask == 1) {
      out->breakdowns["level"].emplace_back(row[1].as<std::string>(), n);
    } else if (mask == 2) {
      out->breakdowns["analyst"].emplace_back(row[2].as<std::string>(), n);
    }
  }
  // The resolution-time histograms, only for the total.
  std::string hist;
  for (const char* column : {"hist_cal", "hist_bus"}) {
    for (int b = 1; b <= kHistogramBins; ++b) {
      absl::StrAppend(&hist, hist.empty() ? "" : ", ", "coalesce(sum(", column, "[", b,
                      "]), 0)::bigint");
    }
  }
  pqxx::result h = tx.exec_params(absl::StrCat("SELECT ", hist, " FROM ", table, Where('r')),
                                  TIQ_RANGE_ARGS(a, f));
  for (int b = 0; b < kHistogramBins; ++b) {
    out->resolved.calendar[b] = h[0][b].as<long long>();
    out->resolved.business[b] = h[0][kHistogramBins + b].as<long long>();
  }
  pqxx::result c = tx.exec_params(
      absl::StrCat("SELECT ci_id, sum(n)::bigint FROM ", table, Where('c'), " GROUP BY ci_id"),
      TIQ_RANGE_ARGS(a, f));
  for (const auto& row : c) {
    out->breakdowns["ci"].emplace_back(row[0].as<std::string>(), row[1].as<long long>());
  }
}

// The grain plan over rollup_dash, parameters $1..$6.
constexpr char kDashPlan[] =
    " AND ((grain = 'm' AND bucket >= $1::date AND bucket < $2::date) OR (grain = 'd' AND "
    "((bucket >= $3::date AND bucket < $4::date) OR (bucket >= $5::date AND bucket < "
    "$6::date))))";

// The same figures as Summarize(rollup) for a dashboard without dimension filters, from the
// dashboard rollup: the total rows of both cohorts, then the breakdown rows.
void SummarizeDash(pqxx::work& tx, const GrainPlan& plan, KpiInputs* out) {
  const PlanArgs a = ArgsOf(plan);
  std::string hist;
  for (const char* column : {"hist_cal", "hist_bus"}) {
    for (int b = 1; b <= kHistogramBins; ++b) {
      absl::StrAppend(&hist, ", coalesce(sum(", column, "[", b, "]), 0)::bigint");
    }
  }
  pqxx::result t =
      tx.exec_params(absl::StrCat("SELECT cohort::text", Sums(0, kMeasureCount - 1), hist,
                                  " FROM rollup_dash WHERE cohort IN ('o', 'r') AND dim = 't'",
                                  kDashPlan, " GROUP BY cohort"),
                     a.m1, a.m2, a.d1, a.d2, a.d3, a.d4);
  for (const auto& row : t) {
    Aggregate& agg = row[0].as<std::string>() == "o" ? out->opened : out->resolved;
    for (int i = 0; i < kMeasureCount; ++i) agg.measures[i] = row[1 + i].as<long long>();
    for (int b = 0; b < kHistogramBins; ++b) {
      agg.calendar[b] = row[1 + kMeasureCount + b].as<long long>();
      agg.business[b] = row[1 + kMeasureCount + kHistogramBins + b].as<long long>();
    }
  }
  // The opened cohort has no business histogram; only the resolved one's are reported.
  out->opened.calendar = out->opened.business = Histogram{};
  pqxx::result b = tx.exec_params(
      absl::StrCat("SELECT cohort::text || dim::text, key, sum(n)::bigint FROM rollup_dash "
                   "WHERE dim <> 't'",
                   kDashPlan, " GROUP BY cohort, dim, key"),
      a.m1, a.m2, a.d1, a.d2, a.d3, a.d4);
  static const std::map<std::string, std::string> kNames = {
      {"og", "group"}, {"ok", "category"}, {"os", "service"}, {"op", "priority"},
      {"rl", "level"}, {"ra", "analyst"},  {"ci", "ci"}};
  for (const auto& row : b) {
    auto name = kNames.find(row[0].as<std::string>());
    if (name == kNames.end()) continue;
    out->breakdowns[name->second].emplace_back(row[1].as<std::string>(), row[2].as<long long>());
  }
}

bool Selected(const RollupKey& k, const DimFilter& f) {
  return (f.group_id.empty() || k.group_id == f.group_id) && (f.level == 0 || k.level == f.level) &&
         (f.category_id.empty() || k.category_id == f.category_id) &&
         (f.service_id.empty() || k.service_id == f.service_id) &&
         (f.priority == 0 || k.priority == f.priority);
}

// Sums daily contributions of facts into the figures Summarize() reads from rollup rows: the
// same period, dimension filters and breakdowns (the facts path of SummarizeFacts).
class DeltaSummary {
 public:
  DeltaSummary(const DimFilter& f, const Period& period, KpiInputs* out)
      : f_(f), from_(period.from), to_(period.to + 1), out_(out) {}

  void Add(const RollupDelta& d) {
    const RollupKey& key = d.key;
    if (key.bucket < from_ || key.bucket >= to_ || !Selected(key, f_)) return;
    const int64_t n = d.measures[kCount];
    if (key.cohort == 'o') {
      for (int i = kCount; i <= kStateCancelled; ++i) out_->opened.measures[i] += d.measures[i];
      groups_["service"][key.service_id] += n;
      groups_["priority"][std::to_string(key.priority)] += n;
      groups_["group"][key.group_id] += n;
      groups_["category"][key.category_id] += n;
    } else if (key.cohort == 'r') {
      for (int i = 0; i < kMeasureCount; ++i) out_->resolved.measures[i] += d.measures[i];
      for (int b = 0; b < kHistogramBins; ++b) {
        out_->resolved.calendar[b] += d.calendar[b];
        out_->resolved.business[b] += d.business[b];
      }
      groups_["level"][std::to_string(key.level)] += n;
      groups_["analyst"][key.assignee_id] += n;
    } else if (key.cohort == 'c') {
      groups_["ci"][key.ci_id] += n;
    }
  }

  void Finish() {
    for (const auto& [name, values] : groups_) {
      auto& rows = out_->breakdowns[name];
      for (const auto& [value, n] : values) rows.emplace_back(value, n);
    }
  }

 private:
  const DimFilter& f_;
  absl::CivilDay from_, to_;
  KpiInputs* out_;
  std::map<std::string, std::map<std::string, int64_t>> groups_;
};

bool HasDims(const DimFilter& f) {
  return !f.group_id.empty() || f.level != 0 || !f.category_id.empty() || !f.service_id.empty() ||
         f.priority != 0;
}

// Conditions on facts for the CI / org-unit / dimension filters, parameters $1..$7.
constexpr char kFactFilter[] =
    " version > 0 AND ($1 = '' OR org_unit_id = $1) AND ($2 = '' OR ci_ids @> ARRAY[$2]) AND "
    "($3 = '' OR group_id = $3) AND ($4::int = 0 OR level = $4::int) AND "
    "($5 = '' OR category_id = $5) AND ($6 = '' OR service_id = $6) AND "
    "($7::int = 0 OR priority = $7::int)";
#define TIQ_FACT_ARGS(f) \
  f.org_unit_id, f.ci_id, f.group_id, f.level, f.category_id, f.service_id, f.priority

}  // namespace

absl::Status ReportStore::SummarizeRollups(const DimFilter& filter, const Period& period,
                                           KpiInputs* out) {
  return pool_.Read([&](pqxx::work& tx) {
    *out = KpiInputs();
    if (HasDims(filter)) {
      Summarize(tx, "rollup", filter, PlanGrains(period), out);
    } else {
      SummarizeDash(tx, PlanGrains(period), out);
    }
    return absl::OkStatus();
  });
}

absl::Status ReportStore::SummarizeFacts(const DimFilter& filter, const Period& period,
                                         KpiInputs* out) {
  const auto from = si::TimeParam(absl::FromCivil(period.from, zone_));
  const auto to = si::TimeParam(absl::FromCivil(period.to + 1, zone_));
  return pool_.Read([&](pqxx::work& tx) {
    *out = KpiInputs();
    // Only the CI and org-unit filters select facts here; the dimension filters apply to the
    // contributions, exactly as they apply to rollup rows.
    // A CI selects its facts through fact_ci (by opened or resolved time); an org unit
    // through the fact indexes on (org_unit_id, opened_at / resolved_at).
    pqxx::result facts =
        filter.ci_id.empty()
            ? tx.exec_params(
                  absl::StrCat("SELECT ", si::FactColumns(),
                               " FROM fact_incident WHERE version > 0 AND org_unit_id = $1 "
                               "AND ((opened_at >= $2 AND opened_at < $3) OR (resolved_at >= $2 "
                               "AND resolved_at < $3))"),
                  filter.org_unit_id, from, to)
            : tx.exec_params(
                  absl::StrCat("SELECT ", si::FactColumns(),
                               " FROM fact_incident WHERE version > 0 AND ($1 = '' OR "
                               "org_unit_id = $1) AND number IN (SELECT number FROM fact_ci "
                               "WHERE ci_id = $2 AND opened_at >= $3 AND opened_at < $4 UNION "
                               "SELECT number FROM fact_ci WHERE ci_id = $2 AND resolved_at >= "
                               "$3 AND resolved_at < $4)"),
                  filter.org_unit_id, filter.ci_id, from, to);
    // Summed here, not in SQL: a few thousand facts add up faster in memory than through a
    // temporary rollup table (which cost a catalog write and an upsert per dashboard).
    DeltaSummary summary(filter, period, out);
    for (const auto& row : facts) {
      for (const RollupDelta& d : Contributions(si::FactFromRow(row), 'd', zone_)) summary.Add(d);
    }
    summary.Finish();
    return absl::OkStatus();
  });
}

absl::Status ReportStore::IntakeChannels(const Period& period, std::vector<ChannelCounts>* out) {
  return pool_.Read([&](pqxx::work& tx) {
    out->clear();
    pqxx::result r = tx.exec_params(
        "SELECT channel, sum(received)::bigint, sum(duplicates)::bigint, "
        "sum(handed_off)::bigint FROM intake_daily WHERE day >= $1::date AND day <= $2::date "
        "GROUP BY channel ORDER BY channel",
        FormatDay(period.from), FormatDay(period.to));
    for (const auto& row : r) {
      out->push_back({row[0].as<int>(), row[1].as<long long>(), row[2].as<long long>(),
                      row[3].as<long long>()});
    }
    return absl::OkStatus();
  });
}

absl::Status ReportStore::MonthlyOpened(const DimFilter& f, absl::CivilMonth last,
                                        std::vector<MonthTotal>* out) {
  const absl::CivilDay end(last + 1);
  return pool_.Read([&](pqxx::work& tx) {
    out->clear();
    pqxx::result r;
    if (!f.org_unit_id.empty()) {
      r = tx.exec_params(
          absl::StrCat("SELECT to_char(date_trunc('month', opened_at AT TIME ZONE $8), "
                       "'YYYY-MM-DD'), count(*)::bigint FROM fact_incident WHERE",
                       kFactFilter, " AND opened_at < ($9::date::timestamp AT TIME ZONE $8) ",
                       "GROUP BY 1 ORDER BY 1"),
          TIQ_FACT_ARGS(f), zone_.name(), FormatDay(end));
    } else if (!HasDims(f)) {
      // Opened per month from the dashboard rollup: the total rows, or one CI's rows (the CI
      // cohort counts each incident once per linked CI, by the day it was opened).
      r = tx.exec_params(
          "SELECT to_char(bucket, 'YYYY-MM-DD'), sum(n)::bigint FROM rollup_dash WHERE "
          "grain = 'm' AND bucket < $1::date AND ((cohort = 'o' AND dim = 't' AND $2 = '') OR "
          "(cohort = 'c' AND dim = 'i' AND key = $2)) GROUP BY bucket ORDER BY bucket",
          FormatDay(end), f.ci_id);
    } else {
      r = tx.exec_params(
          "SELECT to_char(bucket, 'YYYY-MM-DD'), sum(n)::bigint FROM rollup WHERE "
          "cohort = CASE WHEN $7 = '' THEN 'o' ELSE 'c' END::\"char\" AND grain = 'm' AND "
          "bucket < $1::date AND ($2 = '' OR group_id = $2) AND "
          "($3::int = 0 OR level = $3::int) AND ($4 = '' OR category_id = $4) AND "
          "($5 = '' OR service_id = $5) AND ($6::int = 0 OR priority = $6::int) AND "
          "ci_id = $7 GROUP BY bucket ORDER BY bucket",
          FormatDay(end), f.group_id, f.level, f.category_id, f.service_id, f.priority, f.ci_id);
    }
    for (const auto& row : r) {
      auto day = ParseDay(row[0].as<std::string>());
      if (day) out->push_back({absl::CivilMonth(*day), row[1].as<long long>()});
    }
    return absl::OkStatus();
  });
}

absl::Status ReportStore::Live(const DimFilter& f, absl::Time now, int64_t max_wait_hours,
                               LiveSnapshot* out) {
  const auto now_param = si::TimeParam(now);
  return pool_.Read([&](pqxx::work& tx) {
    *out = LiveSnapshot();
    const std::string open =
        absl::StrCat(" FROM fact_incident WHERE state IN (1, 2, 3, 4) AND", kFactFilter);
    // One scan of the open facts: per assignee, summed here for the totals.
    pqxx::result w = tx.exec_params(
        absl::StrCat(
            "SELECT assignee_id, count(*), count(*) FILTER (WHERE state = 4), "
            "extract(epoch FROM $8::timestamptz - min(opened_at)) / 3600, "
            "count(*) FILTER (WHERE opened_at < $8::timestamptz - make_interval(hours => $9)), "
            "count(*) FILTER (WHERE (response_at_risk OR resolution_at_risk) AND "
            "response_outcome <> 2 AND resolution_outcome <> 2), "
            "count(*) FILTER (WHERE response_outcome = 2 OR resolution_outcome = 2)",
            open, " GROUP BY assignee_id ORDER BY count(*) DESC, assignee_id"),
        TIQ_FACT_ARGS(f), now_param, static_cast<int>(max_wait_hours));
    for (const auto& row : w) {
      LiveSnapshot::Load load{row[0].as<std::string>(), row[1].as<long long>(),
                              row[2].as<long long>(), row[3].is_null() ? 0.0 : row[3].as<double>()};
      out->open += load.open;
      out->pending += load.pending;
      out->oldest_hours = out->workload.empty() ? load.oldest_hours
                                                : std::max(out->oldest_hours, load.oldest_hours);
      out->over_threshold += row[4].as<long long>();
      out->at_risk += row[5].as<long long>();
      out->breached += row[6].as<long long>();
      out->workload.push_back(std::move(load));
    }
    return absl::OkStatus();
  });
}

}  // namespace tiquete::reporting
