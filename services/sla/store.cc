#include "services/sla/store.h"

#include <tuple>

#include <prometheus/counter.h>
#include <prometheus/family.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/log.h"
#include "common/metrics.h"
#include "services/sla/proto_mapping.h"
#include "services/sla/store_internal.h"

namespace tiquete::sla {
namespace store_internal {

std::optional<int64_t> Micros(absl::Time t) {
  if (!Finite(t)) return std::nullopt;
  return absl::ToUnixMicros(t);
}

absl::Time TimeOr(const pqxx::field& f, absl::Time if_null) {
  return f.is_null() ? if_null : absl::FromUnixMicros(f.as<int64_t>());
}

std::string IntArray(const std::vector<int>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

std::string Int64Array(const std::vector<int64_t>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

std::vector<std::string> SplitList(const pqxx::field& f) {
  if (f.is_null()) return {};
  const std::string s = f.as<std::string>();
  if (s.empty()) return {};
  return absl::StrSplit(s, ',');
}

std::string ClockColumns(const std::string& a) {
  return absl::StrCat(
      a, ".id, ", a, ".ticket, ", a, ".kind, ", a, ".period, ", a, ".policy_id::text, ", a,
      ".calendar_id::text, ", a, ".priority, ", a, ".target_seconds, array_to_string(", a,
      ".thresholds, ','), ", a, ".group_id, ", a, ".group_level, ", a, ".state, ts_to_us(", a,
      ".started_at), ts_to_us(", a, ".stopped_at), ts_to_us(", a, ".segment_since), ", a,
      ".segment_note, ", a, ".closed_segments, ", a, ".elapsed_seconds, ts_to_us(", a, ".due_at), ",
      a, ".fired_percent, ts_to_us(", a, ".next_fire_at), ", a, ".next_fire_percent, ", a,
      ".breached, ", a, ".version");
}

SlaClock ClockFromRow(const pqxx::row& r) {
  SlaClock c;
  c.id = r[0].as<int64_t>();
  c.ticket = r[1].as<std::string>();
  ParseClockKind(r[2].as<std::string>(), &c.kind);
  c.period = r[3].as<int>();
  c.policy_id = r[4].as<std::string>();
  c.calendar_id = r[5].as<std::string>();
  c.priority = r[6].as<int>();
  c.target_seconds = r[7].as<int64_t>();
  for (const std::string& t : SplitList(r[8])) {
    int v = 0;
    if (absl::SimpleAtoi(t, &v)) c.thresholds.push_back(v);
  }
  c.group_id = r[9].as<std::string>();
  c.group_level = r[10].as<std::string>();
  ParseClockState(r[11].as<std::string>(), &c.state);
  c.started_at = TimeOr(r[12], absl::InfinitePast());
  c.stopped_at = TimeOr(r[13], absl::InfiniteFuture());
  c.segment_since = TimeOr(r[14], absl::InfinitePast());
  c.segment_note = r[15].as<std::string>();
  c.closed_segments = r[16].as<int>();
  c.elapsed_seconds = r[17].as<int64_t>();
  c.due_at = TimeOr(r[18], absl::InfiniteFuture());
  c.fired_percent = r[19].as<int>();
  c.next_fire_at = TimeOr(r[20], absl::InfiniteFuture());
  c.next_fire_percent = r[21].as<int>();
  c.breached = r[22].as<bool>();
  c.version = r[23].as<int64_t>();
  return c;
}

namespace {

// The segment columns as parallel arrays, in the order of the statements' unnest.
struct SegmentArrays {
  std::vector<int64_t> clock, business;
  std::vector<int> seq;
  std::vector<absl::Time> from, to;
  std::vector<bool> running;
  std::vector<std::string> calendar, note;

  explicit SegmentArrays(const std::vector<SegmentWrite>& writes) {
    for (const SegmentWrite& w : writes) {
      clock.push_back(w.clock_id);
      seq.push_back(w.segment->seq);
      from.push_back(w.segment->from);
      to.push_back(w.segment->to);
      running.push_back(w.segment->running);
      calendar.push_back(w.segment->calendar_id);
      business.push_back(w.segment->business_seconds);
      note.push_back(w.segment->note);
    }
  }
};

// The clock columns as parallel arrays, in the order of the statements' unnest.
struct ClockArrays {
  std::vector<int64_t> id, target, elapsed, calendar_version;
  std::vector<int> period, priority, closed, fired, next_pct;
  std::vector<std::string> ticket, kind, policy, calendar, thresholds, group, level, state, note;
  std::vector<absl::Time> started, stopped, since, due, next_at;
  std::vector<bool> breached;

  explicit ClockArrays(const std::vector<ClockWrite>& writes) {
    for (const ClockWrite& w : writes) {
      const SlaClock& c = *w.clock;
      id.push_back(c.id);
      ticket.push_back(c.ticket);
      kind.push_back(ClockKindName(c.kind));
      period.push_back(c.period);
      policy.push_back(c.policy_id);
      calendar.push_back(c.calendar_id);
      priority.push_back(c.priority);
      target.push_back(c.target_seconds);
      thresholds.push_back(IntArray(c.thresholds));
      group.push_back(c.group_id);
      level.push_back(c.group_level);
      state.push_back(ClockStateName(c.state));
      started.push_back(c.started_at);
      stopped.push_back(c.stopped_at);
      since.push_back(c.segment_since);
      note.push_back(c.segment_note);
      closed.push_back(c.closed_segments);
      elapsed.push_back(c.elapsed_seconds);
      due.push_back(c.due_at);
      fired.push_back(c.fired_percent);
      next_at.push_back(c.next_fire_at);
      next_pct.push_back(c.next_fire_percent);
      breached.push_back(c.breached);
      calendar_version.push_back(w.calendar_version);
    }
  }
};

}  // namespace

std::vector<int64_t> InsertClocks(pqxx::work& tx, const std::vector<ClockWrite>& clocks) {
  if (clocks.empty()) return {};
  const ClockArrays a(clocks);
  auto rows = tx.exec_prepared(
      "sla_insert_clocks", pg_array::Text(a.ticket), pg_array::Text(a.kind),
      pg_array::Integer(a.period), pg_array::Uuid(a.policy), pg_array::Uuid(a.calendar),
      pg_array::Smallint(a.priority), pg_array::Bigint(a.target), pg_array::Text(a.thresholds),
      pg_array::Text(a.group), pg_array::Text(a.level), pg_array::Text(a.state),
      pg_array::Timestamptz(a.started), pg_array::Timestamptz(a.stopped),
      pg_array::Timestamptz(a.since), pg_array::Text(a.note), pg_array::Integer(a.closed),
      pg_array::Bigint(a.elapsed), pg_array::Timestamptz(a.due), pg_array::Integer(a.fired),
      pg_array::Timestamptz(a.next_at), pg_array::Integer(a.next_pct),
      pg_array::Boolean(a.breached), pg_array::Bigint(a.calendar_version));
  // (ticket, kind, period) is unique, so it maps each returned id back to its clock.
  std::map<std::tuple<std::string, std::string, int>, int64_t> by_key;
  for (const auto& row : rows) {
    by_key[{row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<int>()}] =
        row[0].as<int64_t>();
  }
  std::vector<int64_t> ids;
  for (size_t i = 0; i < clocks.size(); ++i)
    ids.push_back(by_key[{a.ticket[i], a.kind[i], a.period[i]}]);
  return ids;
}

TicketsWritten WriteTickets(pqxx::work& tx, const std::vector<TicketWrite>& tickets) {
  if (tickets.empty()) return {};
  std::vector<std::string> number, state, reason, service, category, group, level;
  std::vector<int> priority;
  std::vector<absl::Time> created, first_response;
  std::vector<int64_t> ticket_version, stale;
  std::vector<bool> restricted;
  std::vector<std::string> xmins;  // 0 is never a row's xmin: it stands for "not checked"
  for (const TicketWrite& w : tickets) {
    const TicketFacts* t = w.facts;
    stale.push_back(w.stale);
    xmins.push_back(w.expected_xmin.empty() ? "0" : w.expected_xmin);
    number.push_back(t->number);
    state.push_back(t->state);
    reason.push_back(t->pending_reason);
    priority.push_back(t->priority);
    service.push_back(t->service_id);
    category.push_back(t->category_id);
    group.push_back(t->group_id);
    level.push_back(t->group_level);
    created.push_back(t->created_at);
    first_response.push_back(t->first_response_at);
    ticket_version.push_back(t->version);
    restricted.push_back(t->restricted);
  }
  const auto written = tx.exec_prepared1(
      "sla_write_tickets", pg_array::Text(number), pg_array::Text(state), pg_array::Text(reason),
      pg_array::Smallint(priority), pg_array::Text(service), pg_array::Text(category),
      pg_array::Text(group), pg_array::Text(level), pg_array::Timestamptz(created),
      pg_array::Timestamptz(first_response), pg_array::Bigint(ticket_version), PgTextArray(xmins),
      pg_array::Bigint(stale), pg_array::Boolean(restricted));
  return {written[0].as<int64_t>(), written[1].is_null() ? "" : written[1].as<std::string>()};
}

int64_t WriteClockBatch(pqxx::work& tx, const std::vector<ClockWrite>& clocks,
                        const std::vector<int64_t>& expected_versions,
                        const std::vector<SegmentWrite>& segments) {
  if (clocks.empty() && segments.empty()) return 0;
  const ClockArrays a(clocks);
  std::vector<int64_t> version;
  for (const ClockWrite& w : clocks) version.push_back(w.clock->version);
  const SegmentArrays g(segments);
  return tx
      .exec_prepared1(
          "sla_write_clock_batch", pg_array::Bigint(a.id), pg_array::Uuid(a.policy),
          pg_array::Uuid(a.calendar), pg_array::Smallint(a.priority), pg_array::Bigint(a.target),
          pg_array::Text(a.thresholds), pg_array::Text(a.group), pg_array::Text(a.level),
          pg_array::Text(a.state), pg_array::Timestamptz(a.stopped), pg_array::Timestamptz(a.since),
          pg_array::Text(a.note), pg_array::Integer(a.closed), pg_array::Bigint(a.elapsed),
          pg_array::Timestamptz(a.due), pg_array::Integer(a.fired),
          pg_array::Timestamptz(a.next_at), pg_array::Integer(a.next_pct),
          pg_array::Boolean(a.breached), pg_array::Bigint(a.calendar_version),
          pg_array::Bigint(version), pg_array::Bigint(g.clock), pg_array::Integer(g.seq),
          pg_array::Timestamptz(g.from), pg_array::Timestamptz(g.to), pg_array::Boolean(g.running),
          pg_array::Uuid(g.calendar), pg_array::Bigint(g.business), pg_array::Text(g.note),
          pg_array::Bigint(expected_versions))[0]
      .as<int64_t>();
}

std::map<std::pair<int64_t, int>, std::string> InsertFirings(
    pqxx::work& tx, const std::vector<FiringWrite>& firings, absl::Time fired_at,
    const std::string& fired_by) {
  std::map<std::pair<int64_t, int>, std::string> out;
  if (firings.empty()) return out;
  std::vector<int64_t> clock;
  std::vector<int> percent;
  std::vector<absl::Time> crossed;
  for (const FiringWrite& f : firings) {
    clock.push_back(f.clock_id);
    percent.push_back(f.percent);
    crossed.push_back(f.crossed_at);
  }
  for (const auto& row :
       tx.exec_prepared("sla_insert_firings", pg_array::Bigint(clock), pg_array::Integer(percent),
                        pg_array::Timestamptz(crossed), Micros(fired_at), fired_by)) {
    out[{row[1].as<int64_t>(), row[2].as<int>()}] = row[0].as<std::string>();
  }
  return out;
}

}  // namespace store_internal

using namespace store_internal;

std::vector<std::pair<std::string, std::string>> SlaPreparedStatements() {
  const std::string cols = ClockColumns("c");
  const std::string ticket_cols =
      "number, known, state, pending_reason, priority, service_id, category_id, group_id, "
      "group_level, ts_to_us(created_at), ts_to_us(first_response_at), version, xmin::text, "
      "restricted";
  return {
      // Creates the rows of the tickets seen for the first time (the insert holds them) and
      // then locks the others (sla_lock_known_tickets), each in ticket order: the same order
      // for every replica and consumer, so two batches sharing tickets wait for each other
      // instead of deadlocking. Events of one ticket serialize here, whichever replica
      // handles them. Known tickets are locked, not rewritten (they are updated once, with
      // the facts applied, at the end of the batch).
      {"sla_insert_tickets",
       absl::StrCat("INSERT INTO tickets (number) SELECT n FROM unnest($1::text[]) AS u(n) "
                    "ORDER BY n COLLATE \"C\" ON CONFLICT (number) DO NOTHING RETURNING ",
                    ticket_cols)},
      {"sla_lock_known_tickets",
       absl::StrCat("SELECT ", ticket_cols,
                    " FROM tickets WHERE number = ANY($1::text[]) ORDER BY number FOR UPDATE")},
      {"sla_lock_clocks_of_tickets",
       absl::StrCat("SELECT ", cols,
                    " FROM clocks c WHERE c.ticket = ANY($1::text[]) ORDER BY c.ticket, c.id "
                    "FOR UPDATE")},
      {"sla_read_clocks_of_tickets",
       absl::StrCat("SELECT ", cols,
                    " FROM clocks c WHERE c.ticket = ANY($1::text[]) ORDER BY c.ticket, c.id")},
      {"sla_insert_clocks",
       "INSERT INTO clocks (ticket, kind, period, policy_id, calendar_id, priority, "
       "target_seconds, thresholds, group_id, group_level, state, started_at, stopped_at, "
       "segment_since, segment_note, closed_segments, elapsed_seconds, due_at, fired_percent, "
       "next_fire_at, next_fire_percent, breached, calendar_version) "
       "SELECT ticket, kind, period, policy_id, calendar_id, priority, target_seconds, "
       "thresholds::integer[], group_id, group_level, state, started, stopped, since, note, "
       "closed, elapsed, due, fired, next_at, next_pct, breached, calendar_version "
       "FROM unnest($1::text[], $2::text[], $3::integer[], $4::uuid[], $5::uuid[], "
       "$6::smallint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], "
       "$12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::text[], "
       "$16::integer[], $17::bigint[], $18::timestamptz[], $19::integer[], "
       "$20::timestamptz[], $21::integer[], $22::boolean[], $23::bigint[]) "
       "WITH ORDINALITY AS u(ticket, kind, period, policy_id, calendar_id, priority, "
       "target_seconds, thresholds, group_id, group_level, state, started, stopped, since, note, "
       "closed, elapsed, due, fired, next_at, next_pct, breached, calendar_version, ord) "
       "ORDER BY ord RETURNING id, ticket, kind, period"},
      // The batch form of the ticket write, first of a batch's writes: the facts applied to each
      // ticket (with its stale count, $13), only while the row's xmin is still the one expected
      // ($12; 0: not checked, the row is locked). Rows are taken in the order given (ticket
      // order), before any of their clocks, as the locking reads take them.
      {"sla_write_tickets",
       "WITH facts AS (UPDATE tickets t SET known = true, state = k.state, "
       "pending_reason = k.reason, priority = k.priority, service_id = k.service_id, "
       "category_id = k.category_id, group_id = k.group_id, group_level = k.group_level, "
       "created_at = k.created, first_response_at = k.first_response, "
       "version = k.version, stale_events = t.stale_events + k.stale, restricted = k.restricted, "
       "updated_at = clock_timestamp() FROM unnest($1::text[], $2::text[], $3::text[], "
       "$4::smallint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], "
       "$10::timestamptz[], $11::bigint[], $12::xid[], $13::bigint[], $14::boolean[]) AS "
       "k(number, state, reason, priority, service_id, category_id, group_id, group_level, "
       "created, first_response, version, expected_xmin, stale, restricted) "
       "WHERE t.number = k.number AND "
       "(k.expected_xmin = '0'::xid OR t.xmin = k.expected_xmin) RETURNING t.xmin::text AS xmin) "
       "SELECT count(*), max(xmin) FROM facts"},
      // The batch form of the clock write: clock versions are given ($21: the applied changes
      // are counted in memory), each clock written only while its row version is the one read
      // ($30); segments are plain inserts (a segment's number comes from its clock's count of
      // closed segments, read locked or version-checked: a second one is a bug, and fails the
      // batch instead of vanishing).
      {"sla_write_clock_batch",
       "WITH u AS (SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::uuid[], $4::smallint[], "
       "$5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], "
       "$11::timestamptz[], $12::text[], $13::integer[], $14::bigint[], $15::timestamptz[], "
       "$16::integer[], $17::timestamptz[], $18::integer[], $19::boolean[], $20::bigint[], "
       "$21::bigint[], $30::bigint[]) AS u(id, policy_id, calendar_id, priority, "
       "target_seconds, thresholds, group_id, group_level, state, stopped, since, note, closed, "
       "elapsed, due, fired, next_at, next_pct, breached, calendar_version, version, expected)), "
       "updated AS (UPDATE clocks c SET policy_id = u.policy_id, calendar_id = u.calendar_id, "
       "priority = u.priority, target_seconds = u.target_seconds, "
       "thresholds = u.thresholds::integer[], group_id = u.group_id, "
       "group_level = u.group_level, state = u.state, stopped_at = u.stopped, "
       "segment_since = u.since, segment_note = u.note, closed_segments = u.closed, "
       "elapsed_seconds = u.elapsed, due_at = u.due, fired_percent = u.fired, "
       "next_fire_at = u.next_at, next_fire_percent = u.next_pct, "
       "breached = u.breached, calendar_version = u.calendar_version, version = u.version, "
       "updated_at = clock_timestamp() FROM u WHERE c.id = u.id AND c.version = u.expected "
       "RETURNING 1), "
       "segments AS (INSERT INTO clock_segments (clock_id, seq, started_at, ended_at, running, "
       "calendar_id, business_seconds, note) SELECT clock_id, seq, f, t, running, calendar_id, "
       "business, note FROM unnest($22::bigint[], $23::integer[], $24::timestamptz[], "
       "$25::timestamptz[], $26::boolean[], $27::uuid[], $28::bigint[], $29::text[]) "
       "AS s(clock_id, seq, f, t, running, calendar_id, business, note) RETURNING 1) "
       "SELECT (SELECT count(*) FROM updated), (SELECT count(*) FROM segments)"},
      // ON CONFLICT: a firing already recorded (by another replica, or by the event path) is
      // never recorded twice, so its event is never emitted twice.
      {"sla_insert_firings",
       "INSERT INTO clock_firings (clock_id, percent, crossed_at, fired_at, fired_by) "
       "SELECT clock_id, percent, crossed, us_to_ts($4), $5 FROM unnest($1::bigint[], "
       "$2::integer[], $3::timestamptz[]) AS f(clock_id, percent, crossed) "
       "ON CONFLICT (clock_id, percent) DO NOTHING RETURNING id::text, clock_id, percent"},
      // The scanner's claim: due clocks, oldest first; clocks another replica holds (or an
      // event batch is writing) are skipped and picked up by the next pass.
      {"sla_claim_due", absl::StrCat("SELECT ", cols,
                                     " FROM clocks c WHERE c.next_fire_at <= us_to_ts($1) "
                                     "ORDER BY c.next_fire_at LIMIT $2 FOR UPDATE SKIP LOCKED")},
  };
}

PgPoolOptions SlaPoolOptions(std::string url, std::string schema, int size,
                             absl::Duration acquire_timeout) {
  PgPoolOptions options;
  options.url = std::move(url);
  options.schema = std::move(schema);
  options.size = size;
  options.acquire_timeout = acquire_timeout;
  options.prepared = SlaPreparedStatements();
  return options;
}

SlaStore::SlaStore(PgPool& pool, Clock& clock, size_t clock_cache_tickets)
    : pool_(pool), clock_(clock), clock_cache_(clock_cache_tickets) {}

void SlaStore::ExportMetrics(Metrics& metrics) {
  const prometheus::Labels constant = {{"service", metrics.service()}};
  retries_metric_ = &prometheus::BuildCounter()
                         .Name("tiquete_sla_event_batch_retries_total")
                         .Help(
                             "Incident-event batches applied again, read and locked, after a "
                             "clock or a cached ticket changed under them")
                         .Labels(constant)
                         .Register(metrics.registry())
                         .Add({});
  auto& lookups = prometheus::BuildCounter()
                      .Name("tiquete_sla_clock_cache_lookups_total")
                      .Help("Tickets of incident-event batches looked up in the clock cache")
                      .Labels(constant)
                      .Register(metrics.registry());
  cache_hits_metric_ = &lookups.Add({{"result", "hit"}});
  cache_misses_metric_ = &lookups.Add({{"result", "miss"}});
}

void SlaStore::BumpRevision(pqxx::work& tx) {
  tx.exec0("UPDATE agreement_revision SET revision = revision + 1");
  book_dirty_ = true;
}

absl::StatusOr<std::shared_ptr<const AgreementBook>> SlaStore::LoadBook(pqxx::work& tx) {
  std::vector<BusinessCalendar> calendars;
  for (CalendarRecord& record : LoadCalendars(tx)) {
    auto cal = BusinessCalendar::Create(record.spec);
    if (!cal.ok()) {
      // Writes are validated, so this means the zone database lost a zone: keep serving the
      // other calendars and say which one is unusable.
      log::Error("calendar unusable",
                 {{"calendar_id", record.spec.id}, {"error", cal.status().ToString()}});
      continue;
    }
    calendars.push_back(*std::move(cal));
  }
  std::vector<PolicySpec> policies;
  for (PolicyRecord& record : LoadPolicies(tx)) policies.push_back(std::move(record.spec));
  return std::make_shared<const AgreementBook>(std::move(policies), std::move(calendars));
}

absl::StatusOr<std::shared_ptr<const AgreementBook>> SlaStore::Book(pqxx::work& tx) {
  std::lock_guard lock(book_mu_);
  const absl::Time real_now = absl::Now();  // cache freshness is about real time, not SLA time
  if (book_ && !book_dirty_ && real_now - book_checked_ < book_check_interval_) return book_;
  const int64_t revision = tx.exec1("SELECT revision FROM agreement_revision")[0].as<int64_t>();
  book_checked_ = real_now;
  if (book_ && !book_dirty_ && revision == book_revision_) return book_;
  book_dirty_ = false;
  auto loaded = LoadBook(tx);
  if (!loaded.ok()) return loaded.status();
  book_ = *loaded;
  book_revision_ = revision;
  return book_;
}

absl::StatusOr<std::shared_ptr<const AgreementBook>> SlaStore::Book() {
  std::shared_ptr<const AgreementBook> out;
  absl::Status s = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    auto book = Book(tx);
    if (!book.ok()) return book.status();
    out = *book;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

bool SlaStore::TicketRestricted(pqxx::work& tx, const std::string& number) {
  auto rows = tx.exec_params("SELECT restricted FROM tickets WHERE number = $1", number);
  return !rows.empty() && rows[0][0].as<bool>();
}

std::string SlaStore::RecordedAction(pqxx::work& tx, const std::string& firing_id,
                                     const std::string& action) {
  auto rows =
      tx.exec_params("SELECT outcome FROM escalation_actions WHERE firing_id = $1 AND action = $2",
                     firing_id, action);
  return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

void SlaStore::RecordAction(pqxx::work& tx, const std::string& firing_id, const std::string& action,
                            const std::string& outcome, const std::string& detail) {
  tx.exec_params(
      "INSERT INTO escalation_actions (firing_id, action, outcome, detail) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT DO NOTHING",
      firing_id, action, outcome, detail);
}

}  // namespace tiquete::sla
