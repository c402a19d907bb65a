// The agreement side of the store: calendars (hours, closures) and policies. Every write bumps
// the agreement revision so each replica reloads its AgreementBook.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/pg.h"
#include "services/sla/store.h"
#include "services/sla/store_internal.h"

namespace tiquete::sla {

using namespace store_internal;

namespace {

constexpr char kCalendarColumns[] =
    "id::text, name, time_zone, always_open, colombian_holidays, version, ts_to_us(created_at), "
    "ts_to_us(updated_at)";

constexpr char kPolicyColumns[] =
    "id::text, name, description, kind, calendar_id::text, service_id, category_id, group_id, "
    "group_level, array_to_string(response_minutes, ','), array_to_string(resolution_minutes, "
    "','), array_to_string(warning_percents, ','), array_to_string(pause_on, ','), "
    "array_to_string(escalations, ','), array_to_string(escalation_path, ','), active, version, "
    "ts_to_us(created_at), ts_to_us(updated_at)";

std::vector<int64_t> Int64List(const pqxx::field& f) {
  std::vector<int64_t> out;
  for (const std::string& s : SplitList(f)) {
    int64_t v = 0;
    if (absl::SimpleAtoi(s, &v)) out.push_back(v);
  }
  return out;
}

PolicyRecord PolicyFromRow(const pqxx::row& r) {
  PolicyRecord rec;
  PolicySpec& p = rec.spec;
  p.id = r[0].as<std::string>();
  p.name = r[1].as<std::string>();
  p.description = r[2].as<std::string>();
  ParseAgreementKind(r[3].as<std::string>(), &p.kind);
  p.calendar_id = r[4].as<std::string>();
  p.service_id = r[5].as<std::string>();
  p.category_id = r[6].as<std::string>();
  p.group_id = r[7].as<std::string>();
  p.group_level = r[8].as<std::string>();
  const std::vector<int64_t> response = Int64List(r[9]);
  const std::vector<int64_t> resolution = Int64List(r[10]);
  for (size_t i = 0; i < 5 && i < response.size() && i < resolution.size(); ++i) {
    p.targets[i] = {response[i], resolution[i]};
  }
  p.warning_percents.clear();
  for (int64_t w : Int64List(r[11])) p.warning_percents.push_back(static_cast<int>(w));
  p.pause_on = SplitList(r[12]);
  p.escalations.clear();
  for (const std::string& code : SplitList(r[13])) {
    std::vector<std::string> parts = absl::StrSplit(code, ':');
    EscalationRule rule;
    if (parts.size() == 3 && absl::SimpleAtoi(parts[0], &rule.threshold_percent) &&
        ParseClockScope(parts[1], &rule.clocks) && ParseEscalationAction(parts[2], &rule.action)) {
      p.escalations.push_back(rule);
    }
  }
  p.escalation_path.clear();
  for (const std::string& code : SplitList(r[14])) {
    std::vector<std::string> parts = absl::StrSplit(code, absl::MaxSplits(':', 1));
    if (parts.size() == 2) p.escalation_path.push_back({parts[0], parts[1]});
  }
  p.active = r[15].as<bool>();
  p.version = r[16].as<int64_t>();
  rec.created_at = TimeOr(r[17], absl::InfinitePast());
  rec.updated_at = TimeOr(r[18], absl::InfinitePast());
  return rec;
}

// The array columns of a policy, in the order the INSERT / UPDATE statements take them.
struct PolicyArrays {
  std::string response, resolution, warnings, pause_on, escalations, path;
};
PolicyArrays ArraysOf(const PolicySpec& p) {
  std::vector<int64_t> response, resolution;
  for (const PriorityTargets& t : p.targets) {
    response.push_back(t.response_minutes);
    resolution.push_back(t.resolution_minutes);
  }
  std::vector<std::string> escalations, path;
  for (const EscalationRule& rule : p.escalations) {
    escalations.push_back(absl::StrCat(rule.threshold_percent, ":", ClockScopeName(rule.clocks),
                                       ":", EscalationActionName(rule.action)));
  }
  for (const EscalationStep& step : p.escalation_path) {
    path.push_back(absl::StrCat(step.from_level, ":", step.to_group_id));
  }
  return {Int64Array(response),    Int64Array(resolution),   IntArray(p.warning_percents),
          PgTextArray(p.pause_on), PgTextArray(escalations), PgTextArray(path)};
}

absl::Status CheckCalendarExists(pqxx::work& tx, const std::string& id) {
  auto rows = tx.exec_params("SELECT 1 FROM calendars WHERE id::text = $1", id);
  if (rows.empty()) {
    return InvalidField("calendar_id", "UNKNOWN_CALENDAR", absl::StrCat("no calendar ", id));
  }
  return absl::OkStatus();
}

void WriteShifts(pqxx::work& tx, const std::string& id, const CalendarSpec& spec) {
  tx.exec_params("DELETE FROM calendar_shifts WHERE calendar_id = $1", id);
  for (int d = 0; d < 7; ++d) {
    for (const Shift& s : spec.week[d]) {
      tx.exec_params(
          "INSERT INTO calendar_shifts (calendar_id, weekday, start_minute, end_minute) "
          "VALUES ($1, $2, $3, $4)",
          id, d, s.start_minute, s.end_minute);
    }
  }
}

absl::Status StaleOrMissing(pqxx::work& tx, const char* table, const std::string& what,
                            const std::string& id) {
  auto rows =
      tx.exec_params(absl::StrCat("SELECT version FROM ", table, " WHERE id::text = $1"), id);
  if (rows.empty()) return NotFound(what, id);
  return Error(absl::StatusCode::kAborted, "STALE_VERSION",
               absl::StrCat(what, " ", id, " changed since it was read (now version ",
                            rows[0][0].as<int64_t>(), ")"));
}

}  // namespace

namespace store_internal {

std::vector<CalendarRecord> LoadCalendars(pqxx::work& tx, const std::string& id) {
  std::vector<CalendarRecord> out;
  std::map<std::string, size_t> index;
  for (const auto& r : tx.exec_params(absl::StrCat("SELECT ", kCalendarColumns,
                                                   " FROM calendars WHERE ($1 = '' OR id::text = "
                                                   "$1) ORDER BY lower(name)"),
                                      id)) {
    CalendarRecord rec;
    rec.spec.id = r[0].as<std::string>();
    rec.spec.name = r[1].as<std::string>();
    rec.spec.time_zone = r[2].as<std::string>();
    rec.spec.always_open = r[3].as<bool>();
    rec.spec.colombian_holidays = r[4].as<bool>();
    rec.spec.version = r[5].as<int64_t>();
    rec.created_at = TimeOr(r[6], absl::InfinitePast());
    rec.updated_at = TimeOr(r[7], absl::InfinitePast());
    index[rec.spec.id] = out.size();
    out.push_back(std::move(rec));
  }
  for (const auto& r : tx.exec_params(
           "SELECT calendar_id::text, weekday, start_minute, end_minute FROM calendar_shifts "
           "WHERE ($1 = '' OR calendar_id::text = $1) ORDER BY calendar_id, weekday, start_minute",
           id)) {
    auto it = index.find(r[0].as<std::string>());
    if (it == index.end()) continue;
    out[it->second].spec.week[r[1].as<int>()].push_back({r[2].as<int>(), r[3].as<int>()});
  }
  for (const auto& r : tx.exec_params(
           "SELECT id::text, calendar_id::text, ts_to_us(starts_at), ts_to_us(ends_at), reason "
           "FROM calendar_closures WHERE ($1 = '' OR calendar_id::text = $1) ORDER BY starts_at",
           id)) {
    auto it = index.find(r[1].as<std::string>());
    if (it == index.end()) continue;
    out[it->second].spec.closures.push_back(
        {r[0].as<std::string>(), TimeOr(r[2], absl::InfinitePast()),
         TimeOr(r[3], absl::InfinitePast()), r[4].as<std::string>()});
  }
  return out;
}

std::vector<PolicyRecord> LoadPolicies(pqxx::work& tx, const std::string& id) {
  std::vector<PolicyRecord> out;
  for (const auto& r : tx.exec_params(absl::StrCat("SELECT ", kPolicyColumns,
                                                   " FROM policies WHERE ($1 = '' OR id::text = "
                                                   "$1) ORDER BY kind, lower(name)"),
                                      id)) {
    out.push_back(PolicyFromRow(r));
  }
  return out;
}

}  // namespace store_internal

// ---- Policies ----

absl::StatusOr<PolicyRecord> SlaStore::CreatePolicy(const PolicySpec& spec,
                                                    const std::string& idempotency_key,
                                                    const std::string& fingerprint) {
  std::string id;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    if (!idempotency_key.empty()) {
      auto claimed = ClaimIdempotencyKey(tx, "sla.policy", idempotency_key, fingerprint);
      if (!claimed.ok()) return claimed.status();
      if (claimed->has_value()) {
        id = **claimed;
        return absl::OkStatus();
      }
    }
    if (absl::Status s = CheckCalendarExists(tx, spec.calendar_id); !s.ok()) return s;
    const PolicyArrays a = ArraysOf(spec);
    auto row = tx.exec_params1(
        "INSERT INTO policies (name, description, kind, calendar_id, service_id, category_id, "
        "group_id, group_level, response_minutes, resolution_minutes, warning_percents, pause_on, "
        "escalations, escalation_path) VALUES ($1, $2, $3, $4::uuid, $5, $6, $7, $8, $9::bigint[], "
        "$10::bigint[], $11::integer[], $12::text[], $13::text[], $14::text[]) RETURNING id::text",
        spec.name, spec.description, std::string(AgreementKindName(spec.kind)), spec.calendar_id,
        spec.service_id, spec.category_id, spec.group_id, spec.group_level, a.response,
        a.resolution, a.warnings, a.pause_on, a.escalations, a.path);
    id = row[0].as<std::string>();
    if (!idempotency_key.empty()) RecordIdempotentResult(tx, "sla.policy", idempotency_key, id);
    BumpRevision(tx);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    if (status.code() == absl::StatusCode::kAlreadyExists) {
      return InvalidField("name", "DUPLICATE_NAME", "another policy has this name");
    }
    return status;
  }
  return GetPolicy(id);
}

absl::StatusOr<PolicyRecord> SlaStore::UpdatePolicy(const std::string& id, int64_t version,
                                                    const PolicySpec& spec) {
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    if (absl::Status s = CheckCalendarExists(tx, spec.calendar_id); !s.ok()) return s;
    const PolicyArrays a = ArraysOf(spec);
    auto rows = tx.exec_params(
        "UPDATE policies SET name = $3, description = $4, kind = $5, calendar_id = $6::uuid, "
        "service_id = $7, category_id = $8, group_id = $9, group_level = $10, "
        "response_minutes = $11::bigint[], resolution_minutes = $12::bigint[], "
        "warning_percents = $13::integer[], pause_on = $14::text[], escalations = $15::text[], "
        "escalation_path = $16::text[], version = version + 1, updated_at = clock_timestamp() "
        "WHERE id::text = $1 AND version = $2 RETURNING id",
        id, version, spec.name, spec.description, std::string(AgreementKindName(spec.kind)),
        spec.calendar_id, spec.service_id, spec.category_id, spec.group_id, spec.group_level,
        a.response, a.resolution, a.warnings, a.pause_on, a.escalations, a.path);
    if (rows.empty()) return StaleOrMissing(tx, "policies", "policy", id);
    BumpRevision(tx);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    if (status.code() == absl::StatusCode::kAlreadyExists) {
      return InvalidField("name", "DUPLICATE_NAME", "another policy has this name");
    }
    return status;
  }
  return GetPolicy(id);
}

absl::StatusOr<PolicyRecord> SlaStore::SetPolicyActive(const std::string& id, int64_t version,
                                                       bool active) {
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto rows = tx.exec_params(
        "UPDATE policies SET active = $3, version = version + 1, updated_at = clock_timestamp() "
        "WHERE id::text = $1 AND version = $2 RETURNING id",
        id, version, active);
    if (rows.empty()) return StaleOrMissing(tx, "policies", "policy", id);
    BumpRevision(tx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return GetPolicy(id);
}

absl::StatusOr<PolicyRecord> SlaStore::GetPolicy(const std::string& id) {
  std::vector<PolicyRecord> found;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    found = LoadPolicies(tx, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (found.empty()) return NotFound("policy", id);
  return found.front();
}

absl::StatusOr<std::vector<PolicyRecord>> SlaStore::ListPolicies(const std::string& kind,
                                                                 bool include_inactive) {
  std::vector<PolicyRecord> all;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    all = LoadPolicies(tx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  std::vector<PolicyRecord> out;
  for (PolicyRecord& p : all) {
    if (!include_inactive && !p.spec.active) continue;
    if (!kind.empty() && kind != AgreementKindName(p.spec.kind)) continue;
    out.push_back(std::move(p));
  }
  return out;
}

// ---- Calendars ----

absl::StatusOr<CalendarRecord> SlaStore::CreateCalendar(const CalendarSpec& spec,
                                                        const std::string& idempotency_key,
                                                        const std::string& fingerprint) {
  std::string id;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    if (!idempotency_key.empty()) {
      auto claimed = ClaimIdempotencyKey(tx, "sla.calendar", idempotency_key, fingerprint);
      if (!claimed.ok()) return claimed.status();
      if (claimed->has_value()) {
        id = **claimed;
        return absl::OkStatus();
      }
    }
    auto row = tx.exec_params1(
        "INSERT INTO calendars (name, time_zone, always_open, colombian_holidays) "
        "VALUES ($1, $2, $3, $4) RETURNING id::text",
        spec.name, spec.time_zone, spec.always_open, spec.colombian_holidays);
    id = row[0].as<std::string>();
    WriteShifts(tx, id, spec);
    if (!idempotency_key.empty()) {
      RecordIdempotentResult(tx, "sla.calendar", idempotency_key, id);
    }
    BumpRevision(tx);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    if (status.code() == absl::StatusCode::kAlreadyExists) {
      return InvalidField("name", "DUPLICATE_NAME", "another calendar has this name");
    }
    return status;
  }
  return GetCalendar(id);
}

absl::StatusOr<CalendarRecord> SlaStore::UpdateCalendar(const std::string& id, int64_t version,
                                                        const CalendarSpec& spec) {
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto rows = tx.exec_params(
        "UPDATE calendars SET name = $3, time_zone = $4, always_open = $5, "
        "colombian_holidays = $6, version = version + 1, updated_at = clock_timestamp() "
        "WHERE id::text = $1 AND version = $2 RETURNING id",
        id, version, spec.name, spec.time_zone, spec.always_open, spec.colombian_holidays);
    if (rows.empty()) return StaleOrMissing(tx, "calendars", "calendar", id);
    WriteShifts(tx, id, spec);
    BumpRevision(tx);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    if (status.code() == absl::StatusCode::kAlreadyExists) {
      return InvalidField("name", "DUPLICATE_NAME", "another calendar has this name");
    }
    return status;
  }
  return GetCalendar(id);
}

absl::StatusOr<CalendarRecord> SlaStore::GetCalendar(const std::string& id) {
  std::vector<CalendarRecord> found;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    found = LoadCalendars(tx, id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (found.empty()) return NotFound("calendar", id);
  return found.front();
}

absl::StatusOr<std::vector<CalendarRecord>> SlaStore::ListCalendars() {
  std::vector<CalendarRecord> out;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    out = LoadCalendars(tx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

// Closures change the calendar's version, so running clocks get rescheduled.
absl::StatusOr<CalendarRecord> SlaStore::AddClosure(const std::string& calendar_id,
                                                    const Closure& closure,
                                                    const std::string& idempotency_key,
                                                    const std::string& fingerprint) {
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    if (!idempotency_key.empty()) {
      auto claimed = ClaimIdempotencyKey(tx, "sla.closure", idempotency_key, fingerprint);
      if (!claimed.ok()) return claimed.status();
      if (claimed->has_value()) return absl::OkStatus();  // added by the first attempt
    }
    auto rows = tx.exec_params(
        "UPDATE calendars SET version = version + 1, updated_at = clock_timestamp() "
        "WHERE id::text = $1 RETURNING id",
        calendar_id);
    if (rows.empty()) return NotFound("calendar", calendar_id);
    auto added = tx.exec_params1(
        "INSERT INTO calendar_closures (calendar_id, starts_at, ends_at, reason) "
        "VALUES ($1::uuid, us_to_ts($2), us_to_ts($3), $4) RETURNING id::text",
        calendar_id, Micros(closure.from), Micros(closure.to), closure.reason);
    if (!idempotency_key.empty()) {
      RecordIdempotentResult(tx, "sla.closure", idempotency_key, added[0].as<std::string>());
    }
    BumpRevision(tx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return GetCalendar(calendar_id);
}

absl::StatusOr<CalendarRecord> SlaStore::RemoveClosure(const std::string& calendar_id,
                                                       const std::string& closure_id) {
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto removed = tx.exec_params(
        "DELETE FROM calendar_closures WHERE id::text = $1 AND calendar_id::text = $2 "
        "RETURNING id",
        closure_id, calendar_id);
    if (removed.empty()) return NotFound("closure", closure_id);
    tx.exec_params(
        "UPDATE calendars SET version = version + 1, updated_at = clock_timestamp() "
        "WHERE id::text = $1",
        calendar_id);
    BumpRevision(tx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return GetCalendar(calendar_id);
}

}  // namespace tiquete::sla
