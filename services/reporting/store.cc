#include "services/reporting/store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/reporting/domain/period.h"
#include "services/reporting/store_internal.h"

namespace tiquete::reporting {
namespace si = store_internal;

namespace store_internal {

std::string ArrayLiteral(const std::vector<std::optional<std::string>>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    if (!values[i]) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string ArrayLiteral(const std::vector<std::string>& values) {
  std::vector<std::optional<std::string>> v(values.begin(), values.end());
  return ArrayLiteral(v);
}

std::string HistogramLiteral(const Histogram& h) {
  return absl::StrCat("{", absl::StrJoin(h, ","), "}");
}

std::optional<std::string> TimeParam(absl::Time t) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return std::nullopt;
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

absl::Time TimeColumn(const pqxx::field& f) {
  if (f.is_null()) return absl::InfiniteFuture();
  return absl::FromUnixMicros(f.as<long long>());
}

std::string UpsertRollupSql(const std::string& table) {
  const auto& m = MeasureColumns();
  std::string cols, sel, unnest, names, set;
  for (int i = 0; i < kMeasureCount; ++i) {
    absl::StrAppend(&cols, ", ", m[i]);
    absl::StrAppend(&unnest, ", $", 11 + i, "::bigint[]");
    absl::StrAppend(&names, ", ", m[i]);
    absl::StrAppend(&set, i ? ", " : "", m[i], " = r.", m[i], " + excluded.", m[i]);
  }
  return absl::StrCat(
      "INSERT INTO ", table, " AS r (cohort, grain, bucket, group_id, level, category_id, ",
      "service_id, priority, assignee_id, ci_id", cols, ", hist_cal, hist_bus) ",
      "SELECT c::\"char\", g::\"char\", b::date, gr, l, cat, svc, p, a, ci", names,
      ", hc::integer[], hb::integer[] FROM unnest($1::text[], $2::text[], $3::text[], "
      "$4::text[], $5::smallint[], $6::text[], $7::text[], $8::smallint[], $9::text[], "
      "$10::text[]",
      unnest, ", $", 11 + kMeasureCount, "::text[], $", 12 + kMeasureCount,
      "::text[]) AS t(c, g, b, gr, l, cat, svc, p, a, ci", names,
      ", hc, hb) ON CONFLICT (cohort, grain, bucket, group_id, level, category_id, service_id, ",
      "priority, assignee_id, ci_id) DO UPDATE SET ", set,
      ", hist_cal = hist_add(r.hist_cal, excluded.hist_cal), ",
      "hist_bus = hist_add(r.hist_bus, excluded.hist_bus)");
}

void UpsertRollup(pqxx::work& tx, const std::string& table, const std::vector<RollupDelta>& rows) {
  if (rows.empty()) return;
  std::vector<std::string> cohort, grain, bucket, group, level, category, service, priority,
      assignee, ci;
  std::vector<std::vector<std::string>> measures(kMeasureCount);
  std::vector<std::optional<std::string>> cal, bus;
  const Histogram empty{};
  for (const RollupDelta& d : rows) {
    cohort.push_back(std::string(1, d.key.cohort));
    grain.push_back(std::string(1, d.key.grain));
    bucket.push_back(FormatDay(d.key.bucket));
    group.push_back(d.key.group_id);
    level.push_back(std::to_string(d.key.level));
    category.push_back(d.key.category_id);
    service.push_back(d.key.service_id);
    priority.push_back(std::to_string(d.key.priority));
    assignee.push_back(d.key.assignee_id);
    ci.push_back(d.key.ci_id);
    for (int i = 0; i < kMeasureCount; ++i) measures[i].push_back(std::to_string(d.measures[i]));
    cal.push_back(d.calendar == empty ? std::nullopt
                                      : std::optional<std::string>(HistogramLiteral(d.calendar)));
    bus.push_back(d.business == empty ? std::nullopt
                                      : std::optional<std::string>(HistogramLiteral(d.business)));
  }
  std::vector<std::string> m(kMeasureCount);
  for (int i = 0; i < kMeasureCount; ++i) m[i] = ArrayLiteral(measures[i]);
  // 22 measures: spelled out because pqxx 6.4 takes parameters only as a variadic pack.
  static_assert(kMeasureCount == 22);
#define TIQ_ARGS                                                                                  \
  ArrayLiteral(cohort), ArrayLiteral(grain), ArrayLiteral(bucket), ArrayLiteral(group),           \
      ArrayLiteral(level), ArrayLiteral(category), ArrayLiteral(service), ArrayLiteral(priority), \
      ArrayLiteral(assignee), ArrayLiteral(ci), m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7],   \
      m[8], m[9], m[10], m[11], m[12], m[13], m[14], m[15], m[16], m[17], m[18], m[19], m[20],    \
      m[21], ArrayLiteral(cal), ArrayLiteral(bus)
  if (table == "rollup") {
    tx.exec_prepared0("rep_upsert_rollup", TIQ_ARGS);
  } else {
    tx.exec_params0(UpsertRollupSql(table), TIQ_ARGS);
  }
#undef TIQ_ARGS
}

void UpsertDash(pqxx::work& tx, const std::string& table, const std::vector<DashDelta>& rows) {
  if (rows.empty()) return;
  const auto& m = MeasureColumns();
  std::string names, unnest, set;
  for (int i = 0; i < kMeasureCount; ++i) {
    absl::StrAppend(&names, ", ", m[i]);
    absl::StrAppend(&unnest, ", $", 6 + i, "::bigint[]");
    absl::StrAppend(&set, i ? ", " : "", m[i], " = r.", m[i], " + excluded.", m[i]);
  }
  // Only total rows carry histograms; NULL adds nothing.
  const std::string sql = absl::StrCat(
      "INSERT INTO ", table, " AS r (cohort, grain, dim, bucket, key", names,
      ", hist_cal, hist_bus) SELECT c::\"char\", g::\"char\", d::\"char\", b::date, k", names,
      ", hc::integer[], hb::integer[] FROM unnest($1::text[], $2::text[], $3::text[], "
      "$4::text[], $5::text[]",
      unnest, ", $", 6 + kMeasureCount, "::text[], $", 7 + kMeasureCount,
      "::text[]) AS t(c, g, d, b, k", names,
      ", hc, hb) ON CONFLICT (cohort, grain, dim, bucket, key) DO UPDATE SET ", set,
      ", hist_cal = hist_add(r.hist_cal, excluded.hist_cal), "
      "hist_bus = hist_add(r.hist_bus, excluded.hist_bus)");
  std::vector<std::string> cohort, grain, dim, bucket, key;
  std::vector<std::vector<std::string>> measures(kMeasureCount);
  std::vector<std::optional<std::string>> cal, bus;
  const Histogram empty{};
  for (const DashDelta& d : rows) {
    cohort.push_back(std::string(1, d.key.cohort));
    grain.push_back(std::string(1, d.key.grain));
    dim.push_back(std::string(1, d.key.dim));
    bucket.push_back(FormatDay(d.key.bucket));
    key.push_back(d.key.key);
    for (int i = 0; i < kMeasureCount; ++i) measures[i].push_back(std::to_string(d.measures[i]));
    cal.push_back(d.calendar == empty ? std::nullopt
                                      : std::optional<std::string>(HistogramLiteral(d.calendar)));
    bus.push_back(d.business == empty ? std::nullopt
                                      : std::optional<std::string>(HistogramLiteral(d.business)));
  }
  std::vector<std::string> params = {ArrayLiteral(cohort), ArrayLiteral(grain), ArrayLiteral(dim),
                                     ArrayLiteral(bucket), ArrayLiteral(key)};
  for (int i = 0; i < kMeasureCount; ++i) params.push_back(ArrayLiteral(measures[i]));
  params.push_back(ArrayLiteral(cal));
  params.push_back(ArrayLiteral(bus));
  tx.exec_params0(sql, pqxx::prepare::make_dynamic_params(params));
}

}  // namespace store_internal

namespace {

constexpr char kFactColumns[] =
    "number, version, type, state, channel, priority, level, resolved_level, requester_id, "
    "org_unit_id, category_id, service_id, ci_ids, group_id, assignee_id, first_assignee_id, "
    "resolved_by, escalated, reassigned, "
    "(extract(epoch FROM opened_at) * 1000000)::bigint, "
    "(extract(epoch FROM first_response_at) * 1000000)::bigint, "
    "(extract(epoch FROM resolved_at) * 1000000)::bigint, "
    "(extract(epoch FROM closed_at) * 1000000)::bigint, "
    "(extract(epoch FROM pending_since) * 1000000)::bigint, "
    "pending_seconds, reopen_count, survey_rating, response_outcome, resolution_outcome, "
    "response_at_risk, resolution_at_risk, business_resolution_seconds, "
    "business_response_seconds";

std::vector<std::string> ParseTextArray(const pqxx::field& f) {
  std::vector<std::string> out;
  if (f.is_null()) return out;
  auto parser = f.as_array();
  for (auto item = parser.get_next(); item.first != pqxx::array_parser::done;
       item = parser.get_next()) {
    if (item.first == pqxx::array_parser::string_value) out.push_back(item.second);
  }
  return out;
}

}  // namespace

namespace store_internal {

IncidentFact FactFromRow(const pqxx::row& r) {
  IncidentFact f;
  int i = 0;
  f.number = r[i++].as<std::string>();
  f.version = r[i++].as<long long>();
  f.type = r[i++].as<int>();
  f.state = r[i++].as<int>();
  f.channel = r[i++].as<int>();
  f.priority = r[i++].as<int>();
  f.level = r[i++].as<int>();
  f.resolved_level = r[i++].as<int>();
  f.requester_id = r[i++].as<std::string>();
  f.org_unit_id = r[i++].as<std::string>();
  f.category_id = r[i++].as<std::string>();
  f.service_id = r[i++].as<std::string>();
  f.ci_ids = ParseTextArray(r[i++]);
  f.group_id = r[i++].as<std::string>();
  f.assignee_id = r[i++].as<std::string>();
  f.first_assignee_id = r[i++].as<std::string>();
  f.resolved_by = r[i++].as<std::string>();
  f.escalated = r[i++].as<bool>();
  f.reassigned = r[i++].as<bool>();
  f.opened_at = si::TimeColumn(r[i++]);
  if (f.opened_at == absl::InfiniteFuture()) f.opened_at = absl::InfinitePast();
  f.first_response_at = si::TimeColumn(r[i++]);
  f.resolved_at = si::TimeColumn(r[i++]);
  f.closed_at = si::TimeColumn(r[i++]);
  f.pending_since = si::TimeColumn(r[i++]);
  f.pending_seconds = r[i++].as<long long>();
  f.reopen_count = r[i++].as<int>();
  f.survey_rating = r[i++].as<int>();
  f.response = static_cast<SlaOutcome>(r[i++].as<int>());
  f.resolution = static_cast<SlaOutcome>(r[i++].as<int>());
  f.response_at_risk = r[i++].as<bool>();
  f.resolution_at_risk = r[i++].as<bool>();
  f.business_resolution_seconds = r[i++].as<long long>();
  f.business_response_seconds = r[i++].as<long long>();
  return f;
}

std::string FactColumns() { return kFactColumns; }

}  // namespace store_internal

std::vector<std::pair<std::string, std::string>> PreparedStatements() {
  return {
      {"rep_load_fact",
       absl::StrCat("SELECT ", kFactColumns, " FROM fact_incident WHERE number = $1 FOR UPDATE")},
      {"rep_upsert_rollup", si::UpsertRollupSql("rollup")},
  };
}

std::optional<IncidentFact> LoadFactForUpdate(pqxx::work& tx, const std::string& number) {
  pqxx::result r = tx.exec_prepared("rep_load_fact", number);
  if (r.empty()) return std::nullopt;
  return si::FactFromRow(r[0]);
}

std::vector<IncidentFact> LoadFactsForUpdate(pqxx::work& tx,
                                             const std::vector<std::string>& numbers) {
  std::vector<IncidentFact> out;
  if (numbers.empty()) return out;
  // Locked in key order, the same order every writer uses.
  pqxx::result r = tx.exec_params(
      absl::StrCat("SELECT ", kFactColumns,
                   " FROM fact_incident WHERE number = ANY($1::text[]) ORDER BY number FOR UPDATE"),
      si::ArrayLiteral(numbers));
  out.reserve(r.size());
  for (const auto& row : r) out.push_back(si::FactFromRow(row));
  return out;
}

namespace {

// The fact columns SaveFacts writes, with the array type each is sent as.
struct FactColumn {
  const char* name;
  const char* type;
};
constexpr FactColumn kSaveColumns[] = {
    {"number", "text"},
    {"version", "bigint"},
    {"type", "smallint"},
    {"state", "smallint"},
    {"channel", "smallint"},
    {"priority", "smallint"},
    {"level", "smallint"},
    {"resolved_level", "smallint"},
    {"requester_id", "text"},
    {"org_unit_id", "text"},
    {"category_id", "text"},
    {"service_id", "text"},
    {"ci_ids", "text"},  // each element an array literal, cast per row
    {"group_id", "text"},
    {"assignee_id", "text"},
    {"first_assignee_id", "text"},
    {"resolved_by", "text"},
    {"escalated", "boolean"},
    {"reassigned", "boolean"},
    {"opened_at", "timestamptz"},
    {"first_response_at", "timestamptz"},
    {"resolved_at", "timestamptz"},
    {"closed_at", "timestamptz"},
    {"pending_since", "timestamptz"},
    {"pending_seconds", "bigint"},
    {"reopen_count", "integer"},
    {"survey_rating", "smallint"},
    {"response_outcome", "smallint"},
    {"resolution_outcome", "smallint"},
    {"response_at_risk", "boolean"},
    {"resolution_at_risk", "boolean"},
    {"business_resolution_seconds", "bigint"},
    {"business_response_seconds", "bigint"},
};
constexpr int kSaveColumnCount = sizeof(kSaveColumns) / sizeof(kSaveColumns[0]);

std::string SaveFactsSql() {
  std::string names, unnest, select, set;
  for (int i = 0; i < kSaveColumnCount; ++i) {
    const std::string name = kSaveColumns[i].name;
    absl::StrAppend(&names, i ? ", " : "", name);
    absl::StrAppend(&unnest, i ? ", " : "", "$", i + 1, "::", kSaveColumns[i].type, "[]");
    if (name == "org_unit_id") {
      absl::StrAppend(&select,
                      ", coalesce(nullif(org_unit_id, ''), (SELECT o.org_unit_id FROM "
                      "requester_org_unit o WHERE o.person_id = t.requester_id), '')");
    } else if (name == "ci_ids") {
      absl::StrAppend(&select, ", ci_ids::text[]");
    } else {
      absl::StrAppend(&select, i ? ", " : "", name);
    }
    if (name == "number") continue;
    if (name == "org_unit_id") {
      absl::StrAppend(&set,
                      ", org_unit_id = CASE WHEN f.org_unit_id <> '' THEN f.org_unit_id "
                      "ELSE excluded.org_unit_id END");
    } else {
      absl::StrAppend(&set, set.empty() ? "" : ", ", name, " = excluded.", name);
    }
  }
  return absl::StrCat("INSERT INTO fact_incident AS f (", names, ") SELECT ", select,
                      " FROM unnest(", unnest, ") AS t(", names,
                      ") ON CONFLICT (number) DO UPDATE SET ", set);
}

const char* Bool(bool b) { return b ? "t" : "f"; }

bool SameCiRows(const IncidentFact& a, const IncidentFact& b) {
  return a.ci_ids == b.ci_ids && a.opened_at == b.opened_at && a.resolved_at == b.resolved_at;
}

}  // namespace

void SaveFacts(pqxx::work& tx, const std::vector<FactChange>& changes,
               const std::vector<RollupDelta>& deltas) {
  if (!changes.empty()) {
    std::vector<std::vector<std::optional<std::string>>> cols(kSaveColumnCount);
    std::vector<std::string> ci_numbers, ci_ids;
    std::vector<std::optional<std::string>> ci_opened, ci_resolved;
    std::vector<std::string> gone_numbers, gone_ids;  // (CI, incident) rows being replaced
    for (const FactChange& c : changes) {
      const IncidentFact& f = c.after;
      const std::vector<std::optional<std::string>> row = {
          f.number,
          std::to_string(f.version),
          std::to_string(f.type),
          std::to_string(f.state),
          std::to_string(f.channel),
          std::to_string(f.priority),
          std::to_string(f.level),
          std::to_string(f.resolved_level),
          f.requester_id,
          f.org_unit_id,
          f.category_id,
          f.service_id,
          si::ArrayLiteral(f.ci_ids),
          f.group_id,
          f.assignee_id,
          f.first_assignee_id,
          f.resolved_by,
          Bool(f.escalated),
          Bool(f.reassigned),
          si::TimeParam(f.opened_at),
          si::TimeParam(f.first_response_at),
          si::TimeParam(f.resolved_at),
          si::TimeParam(f.closed_at),
          si::TimeParam(f.pending_since),
          std::to_string(f.pending_seconds),
          std::to_string(f.reopen_count),
          std::to_string(f.survey_rating),
          std::to_string(static_cast<int>(f.response)),
          std::to_string(static_cast<int>(f.resolution)),
          Bool(f.response_at_risk),
          Bool(f.resolution_at_risk),
          std::to_string(f.business_resolution_seconds),
          std::to_string(f.business_response_seconds)};
      for (int i = 0; i < kSaveColumnCount; ++i) cols[i].push_back(row[i]);
      if (c.before && SameCiRows(*c.before, f)) continue;
      if (c.before) {
        for (const std::string& ci : c.before->ci_ids) {
          gone_numbers.push_back(f.number);
          gone_ids.push_back(ci);
        }
      }
      for (const std::string& ci : f.ci_ids) {
        ci_numbers.push_back(f.number);
        ci_ids.push_back(ci);
        ci_opened.push_back(si::TimeParam(f.opened_at));
        ci_resolved.push_back(si::TimeParam(f.resolved_at));
      }
    }
    static const std::string kSql = SaveFactsSql();
    std::vector<std::string> params;
    params.reserve(kSaveColumnCount);
    for (const auto& col : cols) params.push_back(si::ArrayLiteral(col));
    tx.exec_params0(kSql, pqxx::prepare::make_dynamic_params(params));
    // The incidents' (CI, dates) rows are replaced by the new ones, found by primary key.
    if (!gone_ids.empty()) {
      tx.exec_params0(
          "DELETE FROM fact_ci c USING unnest($1::text[], $2::text[]) AS t(ci, n) "
          "WHERE c.ci_id = t.ci AND c.number = t.n",
          si::ArrayLiteral(gone_ids), si::ArrayLiteral(gone_numbers));
    }
    if (!ci_ids.empty()) {
      tx.exec_params0(
          "INSERT INTO fact_ci (ci_id, number, opened_at, resolved_at) "
          "SELECT DISTINCT ci, n, o, r FROM unnest($1::text[], $2::text[], $3::timestamptz[], "
          "$4::timestamptz[]) AS t(ci, n, o, r) ON CONFLICT (ci_id, number) DO NOTHING",
          si::ArrayLiteral(ci_ids), si::ArrayLiteral(ci_numbers), si::ArrayLiteral(ci_opened),
          si::ArrayLiteral(ci_resolved));
    }
  }
  si::UpsertRollup(tx, "rollup", deltas);
  si::UpsertDash(tx, "rollup_dash", Coarsen(deltas));
}

void CountIntake(pqxx::work& tx, absl::CivilDay day, int channel, IntakeCounter counter) {
  static const char* kColumn[] = {"received", "duplicates", "handed_off", "split"};
  const char* column = kColumn[static_cast<int>(counter)];
  // The column name comes from the fixed table above, never from input.
  tx.exec_params0(absl::StrCat("INSERT INTO intake_daily (day, channel, ", column,
                               ") VALUES ($1::date, $2, 1) ON CONFLICT (day, channel) DO UPDATE "
                               "SET ",
                               column, " = intake_daily.", column, " + 1"),
                  FormatDay(day), channel);
}

void AddIntake(pqxx::work& tx, const std::vector<IntakeDelta>& rows) {
  if (rows.empty()) return;
  std::vector<std::string> day, channel, c[4];
  for (const IntakeDelta& r : rows) {
    day.push_back(FormatDay(r.day));
    channel.push_back(std::to_string(r.channel));
    for (int i = 0; i < 4; ++i) c[i].push_back(std::to_string(r.counts[i]));
  }
  tx.exec_params0(
      "INSERT INTO intake_daily AS i (day, channel, received, duplicates, handed_off, split) "
      "SELECT * FROM unnest($1::date[], $2::smallint[], $3::bigint[], $4::bigint[], "
      "$5::bigint[], $6::bigint[]) ON CONFLICT (day, channel) DO UPDATE SET "
      "received = i.received + excluded.received, duplicates = i.duplicates + excluded.duplicates, "
      "handed_off = i.handed_off + excluded.handed_off, split = i.split + excluded.split",
      si::ArrayLiteral(day), si::ArrayLiteral(channel), si::ArrayLiteral(c[0]),
      si::ArrayLiteral(c[1]), si::ArrayLiteral(c[2]), si::ArrayLiteral(c[3]));
}

void RecordOrgUnit(pqxx::work& tx, const std::string& person_id, const std::string& org_unit_id,
                   int64_t version) {
  tx.exec_params0(
      "INSERT INTO requester_org_unit (person_id, org_unit_id, version) VALUES ($1, $2, $3) "
      "ON CONFLICT (person_id) DO UPDATE SET org_unit_id = excluded.org_unit_id, "
      "version = excluded.version WHERE requester_org_unit.version <= excluded.version",
      person_id, org_unit_id, static_cast<long long>(version));
  // The org unit of a fact is the requester's when the incident was first seen; only facts
  // that had none yet (directory event late) are filled in.
  tx.exec_params0(
      "UPDATE fact_incident SET org_unit_id = $2 WHERE requester_id = $1 AND org_unit_id = ''",
      person_id, org_unit_id);
}

absl::Status TruncateReadModel(PgPool& pool) {
  return pool.Transact([](pqxx::work& tx) {
    tx.exec(
        "TRUNCATE fact_incident, fact_ci, rollup, rollup_dash, intake_daily, requester_org_unit, "
        "processed_events, event_failures, dead_letters");
    return absl::OkStatus();
  });
}

}  // namespace tiquete::reporting
