// The clock side of the store: applying ticket changes, the due-time scanner's claims and
// the clock reads.
#include "absl/strings/str_cat.h"
#include "common/events.h"
#include "common/log.h"
#include "common/pg.h"
#include "services/sla/proto_mapping.h"
#include "services/sla/store.h"
#include "services/sla/store_internal.h"

namespace tiquete::sla {

using namespace store_internal;

namespace {

int64_t CalendarVersion(const AgreementBook& book, const std::string& calendar_id) {
  const BusinessCalendar* cal = book.Calendar(calendar_id);
  return cal == nullptr ? 0 : cal->spec().version;
}

// A firing to record, with the clock as it is after the transition that revealed it.
struct PendingFiring {
  const SlaClock* clock;
  Firing firing;
};

// Records each firing once (the unique (clock, percent) key decides, in one statement) and
// appends the event of each newly recorded one.
void RecordFirings(pqxx::work& tx, const std::vector<PendingFiring>& pending, absl::Time fired_at,
                   const std::string& fired_by, const AgreementBook& book,
                   std::vector<FiringRecord>* out) {
  if (pending.empty()) return;
  std::vector<FiringWrite> writes;
  for (const PendingFiring& p : pending) {
    writes.push_back({p.clock->id, p.firing.percent, p.firing.crossed_at});
  }
  const auto recorded = InsertFirings(tx, writes, fired_at, fired_by);
  for (const PendingFiring& p : pending) {
    const SlaClock& c = *p.clock;
    const Firing& f = p.firing;
    auto it = recorded.find({c.id, f.percent});
    if (it == recorded.end()) continue;  // already recorded by another replica or path
    FiringRecord record{it->second, c.id, c.ticket, f.percent, f.crossed_at, fired_at};
    v1::ClockFiring payload;
    payload.set_firing_id(record.id);
    *payload.mutable_clock() = ClockToProto(c, book.Calendar(c.calendar_id), fired_at);
    payload.set_percent(f.percent);
    *payload.mutable_due_time() = ToProtoTime(f.crossed_at);
    *payload.mutable_fired_time() = ToProtoTime(fired_at);
    if (const PolicySpec* policy = book.Policy(c.policy_id)) {
      for (const PlannedAction& a :
           ActionsAt(*policy, c.kind == ClockKind::kResponse, f.percent, c.group_level)) {
        auto* step = payload.add_actions();
        step->set_action(EscalationActionName(a.action));
        step->set_to_group_id(a.to_group_id);
      }
    }
    AppendEvent(tx, {f.percent >= 100 ? "sla.clock.breached" : "sla.clock.warning", "clock",
                     std::to_string(c.id), &payload, ""});
    if (out) out->push_back(std::move(record));
  }
}

void AppendOutcome(pqxx::work& tx, const SlaClock& c, const BusinessCalendar* cal, absl::Time now,
                   const std::string& transition) {
  v1::ClockOutcome payload;
  *payload.mutable_clock() = ClockToProto(c, cal, now);
  payload.set_met(!c.breached);
  AppendEvent(
      tx, {absl::StrCat("sla.clock.", transition), "clock", std::to_string(c.id), &payload, ""});
}

}  // namespace

absl::StatusOr<ApplyOutcome> SlaStore::ApplyTicketFacts(pqxx::work& tx, const TicketFacts& facts,
                                                        absl::Time at, const std::string& cause) {
  ApplyOutcome outcome;
  auto ticket_row = tx.exec_prepared1("sla_lock_ticket", facts.number);
  TicketClocks t;
  t.known = ticket_row[0].as<bool>();
  if (t.known) {
    TicketFacts& f = t.facts;
    f.number = facts.number;
    f.state = ticket_row[1].as<std::string>();
    f.pending_reason = ticket_row[2].as<std::string>();
    f.priority = ticket_row[3].as<int>();
    f.service_id = ticket_row[4].as<std::string>();
    f.category_id = ticket_row[5].as<std::string>();
    f.group_id = ticket_row[6].as<std::string>();
    f.group_level = ticket_row[7].as<std::string>();
    f.created_at = TimeOr(ticket_row[8], absl::InfinitePast());
    f.first_response_at = TimeOr(ticket_row[9], absl::InfiniteFuture());
    f.version = ticket_row[10].as<int64_t>();
    if (facts.version < f.version) {
      // A newer snapshot was applied already (events reordered between replicas): applying
      // this one would move the ticket back in time.
      tx.exec_prepared0("sla_stale_ticket", facts.number);
      outcome.stale = true;
      return outcome;
    }
  }
  // A ticket seen for the first time has no clocks yet: skip the read.
  if (t.known) {
    for (const auto& row : tx.exec_prepared("sla_lock_clocks", facts.number)) {
      t.clocks.push_back(ClockFromRow(row));
    }
  }
  auto book = Book(tx);
  if (!book.ok()) return book.status();
  auto plan = sla::ApplyTicketFacts(t, facts, at, **book);
  if (!plan.ok()) return plan.status();
  for (const std::string& note : plan->notes) {
    log::Warning(note, {{"ticket", facts.number}});
  }
  std::vector<ClockWrite> created, updated;
  for (const ClockChange& change : plan->changes) {
    const SlaClock& c = t.clocks[change.index];
    (change.created ? created : updated).push_back({&c, CalendarVersion(**book, c.calendar_id)});
  }
  const std::vector<int64_t> ids = InsertClocks(tx, created);
  for (size_t i = 0, k = 0; i < plan->changes.size(); ++i) {
    if (plan->changes[i].created) t.clocks[plan->changes[i].index].id = ids[k++];
  }
  std::vector<SegmentWrite> segments;
  std::vector<PendingFiring> firings;
  for (const ClockChange& change : plan->changes) {
    const SlaClock& c = t.clocks[change.index];
    for (const ClockSegment& seg : change.closed) segments.push_back({c.id, &seg});
    for (const Firing& f : change.firings) firings.push_back({&c, f});
  }
  WriteClocks(tx, updated, segments, &facts);
  const absl::Time now = clock_.Now();
  std::vector<FiringRecord> fired;
  RecordFirings(tx, firings, now, cause, **book, &fired);
  outcome.firings = static_cast<int>(fired.size());
  for (const ClockChange& change : plan->changes) {
    const SlaClock& c = t.clocks[change.index];
    for (const std::string& transition : change.transitions) {
      if (transition == "stopped" || transition == "cancelled") {
        AppendOutcome(tx, c, (*book)->Calendar(c.calendar_id), now, transition);
      }
    }
  }
  outcome.changed_clocks = static_cast<int>(plan->changes.size());
  return outcome;
}

absl::StatusOr<ScanResult> SlaStore::FireDue(absl::Time now, int limit,
                                             const std::string& fired_by) {
  ScanResult result;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    result = ScanResult();
    auto book = Book(tx);
    if (!book.ok()) return book.status();
    auto rows = tx.exec_prepared("sla_claim_due", Micros(now), limit);
    result.clocks = static_cast<int>(rows.size());
    std::vector<SlaClock> clocks;
    clocks.reserve(rows.size());
    std::vector<ClockWrite> writes;
    std::vector<std::vector<Firing>> fired_per_clock;
    for (const auto& row : rows) {
      clocks.push_back(ClockFromRow(row));
      SlaClock& c = clocks.back();
      const BusinessCalendar* cal = (*book)->Calendar(c.calendar_id);
      if (cal == nullptr) {
        log::Error("clock due but its calendar is unusable; left for the next pass",
                   {{"clock_id", std::to_string(c.id)}, {"calendar_id", c.calendar_id}});
        clocks.pop_back();
        continue;
      }
      // Nothing crossed (a calendar edit moved the crossing later): the row still gets its new
      // schedule so it leaves the due queue.
      fired_per_clock.push_back(sla::FireDue(c, *cal, now));
    }
    std::vector<PendingFiring> firings;
    for (size_t i = 0; i < clocks.size(); ++i) {
      writes.push_back({&clocks[i], CalendarVersion(**book, clocks[i].calendar_id)});
      for (const Firing& f : fired_per_clock[i]) firings.push_back({&clocks[i], f});
    }
    WriteClocks(tx, writes, {}, nullptr);
    RecordFirings(tx, firings, clock_.Now(), fired_by, **book, &result.fired);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<int> SlaStore::RescheduleForCalendarChanges(int limit) {
  int done = 0;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    done = 0;
    auto book = Book(tx);
    if (!book.ok()) return book.status();
    auto rows =
        tx.exec_params(absl::StrCat("SELECT ", ClockColumns("c"),
                                    " FROM clocks c JOIN calendars k ON k.id = c.calendar_id "
                                    "WHERE c.state = 'running' AND c.calendar_version < k.version "
                                    "LIMIT $1 FOR UPDATE OF c SKIP LOCKED"),
                       limit);
    std::vector<SlaClock> clocks;
    clocks.reserve(rows.size());
    std::vector<ClockWrite> writes;
    for (const auto& row : rows) {
      clocks.push_back(ClockFromRow(row));
      const BusinessCalendar* cal = (*book)->Calendar(clocks.back().calendar_id);
      if (cal == nullptr) {
        clocks.pop_back();
        continue;
      }
      Reschedule(clocks.back(), *cal);
    }
    for (const SlaClock& c : clocks) writes.push_back({&c, CalendarVersion(**book, c.calendar_id)});
    WriteClocks(tx, writes, {}, nullptr);
    done = static_cast<int>(writes.size());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return done;
}

absl::StatusOr<std::vector<SlaClock>> SlaStore::ClocksOfTicket(const std::string& number) {
  std::vector<SlaClock> out;
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    out.clear();
    auto rows = tx.exec_params(
        absl::StrCat("SELECT ", ClockColumns("c"),
                     " FROM clocks c WHERE c.ticket = $1 "
                     "ORDER BY c.kind <> 'response', c.kind <> 'resolution', c.period, c.id"),
        number);
    for (const auto& row : rows) out.push_back(ClockFromRow(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::pair<SlaClock, Segments>> SlaStore::ClockWithSegments(int64_t id) {
  std::pair<SlaClock, Segments> out;
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    auto rows = tx.exec_params(
        absl::StrCat("SELECT ", ClockColumns("c"), " FROM clocks c WHERE c.id = $1"), id);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("clock ", id, " not found"));
    out.first = ClockFromRow(rows[0]);
    out.second.clear();
    for (const auto& r : tx.exec_params(
             "SELECT seq, ts_to_us(started_at), ts_to_us(ended_at), running, calendar_id::text, "
             "business_seconds, note FROM clock_segments WHERE clock_id = $1 ORDER BY seq",
             id)) {
      ClockSegment s;
      s.seq = r[0].as<int>();
      s.from = TimeOr(r[1], absl::InfinitePast());
      s.to = TimeOr(r[2], absl::InfinitePast());
      s.running = r[3].as<bool>();
      s.calendar_id = r[4].as<std::string>();
      s.business_seconds = r[5].as<int64_t>();
      s.note = r[6].as<std::string>();
      out.second.push_back(std::move(s));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<SlaClock>> SlaStore::ListClocks(const ClockQuery& q, absl::Time now) {
  std::vector<SlaClock> out;
  // One statement whose filters are all parameters ("'' means any"), so no SQL is assembled
  // from input. Breached: fired, or past its due time. At risk: a warning fired, not breached.
  const std::string sql = absl::StrCat(
      "SELECT ", ClockColumns("c"),
      " FROM clocks c WHERE c.state IN ('running', 'paused') "
      "AND ($1 = '' OR c.group_id = $1) AND ($2 = '' OR c.group_level = $2) "
      "AND ($3 = '' OR c.kind = $3) "
      "AND (cardinality($4::text[]) = 0 OR c.group_id = ANY($4::text[])) "
      "AND CASE $5 "
      "  WHEN 'live' THEN true "
      "  WHEN 'breached' THEN (c.breached OR c.due_at <= us_to_ts($6)) "
      "  WHEN 'at_risk' THEN (c.fired_percent > 0 AND NOT c.breached "
      "                      AND (c.due_at IS NULL OR c.due_at > us_to_ts($6))) "
      "  ELSE (c.fired_percent > 0 OR c.breached OR c.due_at <= us_to_ts($6)) END "
      "AND CASE WHEN $7::bigint IS NULL THEN (c.due_at IS NULL AND c.id > $8) "
      "         ELSE (c.due_at > us_to_ts($7) OR (c.due_at = us_to_ts($7) AND c.id > $8) "
      "               OR c.due_at IS NULL) END "
      "ORDER BY c.due_at NULLS LAST, c.id LIMIT $9");
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    out.clear();
    // The first page starts before every due time (1900-01-01, well inside timestamptz).
    constexpr int64_t kBeforeAnyDueTime = -2208988800LL * 1000000;
    const std::optional<int64_t> after = q.after_due == absl::InfinitePast()
                                             ? std::optional<int64_t>(kBeforeAnyDueTime)
                                             : Micros(q.after_due);
    auto rows = tx.exec_params(sql, q.group_id, q.group_level, q.kind, TextArray(q.only_groups),
                               q.status, absl::ToUnixMicros(now), after, q.after_id, q.limit);
    for (const auto& row : rows) out.push_back(ClockFromRow(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::sla
