// The clock side of the store: applying ticket changes, the due-time scanner's claims and
// the clock reads.
#include <deque>
#include <map>
#include <set>

#include <prometheus/counter.h>

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

// Writes clocks this transaction read FOR UPDATE (the scanner's and the calendar
// reschedule's), each at its next row version, so that an event batch which read one before
// finds it changed.
absl::Status WriteLockedClocks(pqxx::work& tx, std::vector<SlaClock>& clocks,
                               const AgreementBook& book) {
  std::vector<ClockWrite> writes;
  std::vector<int64_t> expected;
  for (SlaClock& c : clocks) {
    expected.push_back(c.version++);
    writes.push_back({&c, CalendarVersion(book, c.calendar_id)});
  }
  const int64_t written = WriteClockBatch(tx, writes, expected, {});
  if (written != static_cast<int64_t>(clocks.size())) {
    return absl::InternalError(
        absl::StrCat("only ", written, " of ", clocks.size(), " locked clocks were written"));
  }
  return absl::OkStatus();
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

}  // namespace

absl::StatusOr<ApplyOutcome> SlaStore::ApplyTicketFacts(pqxx::work& tx, const TicketFacts& facts,
                                                        absl::Time at, const std::string& cause) {
  auto outcomes = ApplyTicketChanges(tx, {TicketChange{facts, at, cause}});
  if (!outcomes.ok()) return outcomes.status();
  return outcomes->front();
}

namespace {

// A ticket of the batch as the engine knows it while the batch is applied in memory.
struct BatchTicket {
  TicketClocks t;
  std::vector<bool> created;          // per clock: started by this batch (not in the database yet)
  std::vector<bool> changed;          // per clock: changed by this batch
  std::vector<int64_t> read_version;  // per stored clock: its row version when read
  bool applied = false;               // some change was applied: its facts are written
  bool cached = false;                // taken from the clock cache, neither read nor locked
  std::string xmin;                   // the ticket row's xmin when locked (or cached)
  int64_t stale = 0;                  // changes older than the version applied before them
  bool duplicate = false;             // a change of the version applied last came again
};

// A segment one change closed, with the clock it belongs to.
struct BatchSegment {
  BatchTicket* ticket;
  size_t index;
  ClockSegment segment;
};

// A clock as it was right after one change's transitions (what that change's events carry).
struct ClockSnapshot {
  BatchTicket* ticket;
  size_t index;
  SlaClock clock;
};

// The events one change produces, in the order the one-at-a-time path appends them: its
// firings first, then its stop / cancel outcomes.
struct ChangeEvents {
  size_t change;
  std::vector<std::pair<ClockSnapshot, Firing>> firings;
  std::vector<std::pair<ClockSnapshot, std::string>> outcomes;
};

}  // namespace

absl::StatusOr<std::vector<ApplyOutcome>> SlaStore::ApplyTicketChanges(
    pqxx::work& tx, const std::vector<TicketChange>& changes, ClockLocking locking) {
  // The first attempt as asked, the next ones with every ticket and clock read locked.
  constexpr int kAttempts = 4;
  for (int attempt = 1;; ++attempt) {
    const ClockLocking mode = attempt == 1 ? locking : ClockLocking::kLock;
    tx.exec0("SAVEPOINT sla_apply");
    absl::StatusOr<std::vector<ApplyOutcome>> applied;
    try {
      applied = ApplyTicketChangesOnce(tx, changes, mode);
    } catch (const pqxx::unique_violation& e) {
      // A cached ticket whose clock another replica created meanwhile: the clock is inserted
      // twice. Found and undone like any other stale cache entry.
      if (mode != ClockLocking::kOptimistic) throw;
      applied = absl::AbortedError(e.what());
    } catch (const pqxx::deadlock_detected& e) {
      // Batches take ticket rows in ticket order, then their clocks; but a cached ticket is
      // taken at the write, after the tickets the batch locked while reading, so two batches
      // sharing two tickets and holding different cache states (two replicas) can meet in
      // opposite orders. PostgreSQL breaks the tie; the loser goes round again.
      applied = absl::AbortedError(e.what());
    }
    if (applied.ok()) {
      tx.exec0("RELEASE SAVEPOINT sla_apply");
      return applied;
    }
    // On another error (or after the last attempt) the caller rolls the transaction, or its
    // own savepoint, back.
    if (applied.status().code() != absl::StatusCode::kAborted || attempt == kAttempts) {
      return applied;
    }
    // A clock written by the scanner or a calendar reschedule after it was read, a cached
    // ticket written by someone else, or a deadlock: the attempt's writes are undone and the
    // batch is applied again, read from the database with its tickets and clocks locked.
    tx.exec0("ROLLBACK TO SAVEPOINT sla_apply");
    for (const TicketChange& change : changes) clock_cache_.Erase(change.facts.number);
    ++optimistic_retries_;
    if (retries_metric_ != nullptr) retries_metric_->Increment();
    log::Info("an event batch met a concurrent write; applied again with its rows locked",
              {{"changes", std::to_string(changes.size())},
               {"attempt", std::to_string(attempt + 1)},
               {"reason", std::string(applied.status().message().substr(0, 200))}});
  }
}

absl::StatusOr<std::vector<ApplyOutcome>> SlaStore::ApplyTicketChangesOnce(
    pqxx::work& tx, const std::vector<TicketChange>& changes, ClockLocking locking) {
  std::vector<ApplyOutcome> outcomes(changes.size());
  if (changes.empty()) return outcomes;

  // ---- lock and read: one statement for the tickets, one for their clocks ----
  std::map<std::string, BatchTicket> tickets;  // sorted: the lock order
  for (const TicketChange& change : changes) {
    if (change.facts.number.empty()) {
      return absl::InvalidArgumentError("an incident change without a ticket number");
    }
    tickets[change.facts.number];
  }
  // Tickets this engine wrote last are taken from the clock cache (optimistic only): neither
  // read nor locked here, their row is written below only if nobody wrote it since.
  std::vector<std::string> numbers, known_numbers;
  numbers.reserve(tickets.size());
  for (auto& [number, ticket] : tickets) {
    TicketClockCache::Entry cached;
    if (locking == ClockLocking::kOptimistic) {
      ticket.cached = clock_cache_.Take(number, &cached);
      if (prometheus::Counter* c = ticket.cached ? cache_hits_metric_ : cache_misses_metric_) {
        c->Increment();
      }
    }
    if (ticket.cached) {
      ticket.t = std::move(cached.state);
      ticket.xmin = std::move(cached.xmin);
      continue;
    }
    numbers.push_back(number);
  }
  std::set<std::string> unlocked(numbers.begin(), numbers.end());
  auto read_ticket = [&](const pqxx::row& row) {
    BatchTicket& ticket = tickets.at(row[0].as<std::string>());
    unlocked.erase(row[0].as<std::string>());
    TicketClocks& t = ticket.t;
    t.known = row[1].as<bool>();
    if (!t.known) return;
    TicketFacts& f = t.facts;
    f.number = row[0].as<std::string>();
    f.state = row[2].as<std::string>();
    f.pending_reason = row[3].as<std::string>();
    f.priority = row[4].as<int>();
    f.service_id = row[5].as<std::string>();
    f.category_id = row[6].as<std::string>();
    f.group_id = row[7].as<std::string>();
    f.group_level = row[8].as<std::string>();
    f.created_at = TimeOr(row[9], absl::InfinitePast());
    f.first_response_at = TimeOr(row[10], absl::InfiniteFuture());
    f.version = row[11].as<int64_t>();
    ticket.xmin = row[12].as<std::string>();
    f.restricted = row[13].as<bool>();
  };
  // New tickets are held by their insert; the rest are locked by a second statement, whose
  // fresh snapshot sees every row the insert skipped (it waited for a concurrent insert of
  // the same number to commit). Both go in number order, so batches cannot deadlock.
  if (!numbers.empty()) {
    for (const auto& row : tx.exec_prepared("sla_insert_tickets", pg_array::Text(numbers))) {
      read_ticket(row);
    }
  }
  if (!unlocked.empty()) {
    const std::vector<std::string> rest(unlocked.begin(), unlocked.end());
    for (const auto& row : tx.exec_prepared("sla_lock_known_tickets", pg_array::Text(rest))) {
      read_ticket(row);
    }
    if (!unlocked.empty()) {
      return absl::InternalError(
          absl::StrCat("ticket ", *unlocked.begin(), " could be neither inserted nor locked"));
    }
  }
  // Tickets seen for the first time have no clocks yet: only the known ones not cached are
  // read; with kLock every clock is read, locked.
  for (auto& [number, ticket] : tickets) {
    if (ticket.t.known && !ticket.cached) known_numbers.push_back(number);
  }
  if (!known_numbers.empty()) {
    const char* read = locking == ClockLocking::kLock ? "sla_lock_clocks_of_tickets"
                                                      : "sla_read_clocks_of_tickets";
    for (const auto& row : tx.exec_prepared(read, pg_array::Text(known_numbers))) {
      SlaClock c = ClockFromRow(row);
      BatchTicket& ticket = tickets.at(c.ticket);
      ticket.t.clocks.push_back(std::move(c));
    }
  }
  for (auto& [number, ticket] : tickets) {
    ticket.created.assign(ticket.t.clocks.size(), false);
    ticket.changed.assign(ticket.t.clocks.size(), false);
    for (const SlaClock& c : ticket.t.clocks) ticket.read_version.push_back(c.version);
  }
  auto book = Book(tx);
  if (!book.ok()) return book.status();

  // ---- the domain, in memory, in the order given ----
  std::vector<ChangeEvents> produced;
  std::vector<BatchSegment> segments;
  for (size_t i = 0; i < changes.size(); ++i) {
    const TicketChange& change = changes[i];
    BatchTicket& ticket = tickets.at(change.facts.number);
    TicketClocks& t = ticket.t;
    if (t.known && change.facts.version == t.facts.version) {
      // The incident service gives every change of an incident its own version (the events
      // of one change, e.g. assigned and state_changed, carry the same snapshot), so this is
      // the snapshot applied last, delivered again or by a sibling event. The incident-event
      // consumer does not record processed event ids: this check makes redelivery harmless.
      outcomes[i].duplicate = true;
      ticket.duplicate = true;
      continue;
    }
    if (t.known && change.facts.version < t.facts.version) {
      // A newer snapshot was applied already (events reordered between replicas, or earlier
      // in this batch): applying this one would move the ticket back in time.
      ++ticket.stale;
      outcomes[i].stale = true;
      continue;
    }
    auto plan = sla::ApplyTicketFacts(t, change.facts, change.at, **book);
    if (!plan.ok()) return plan.status();
    for (const std::string& note : plan->notes) {
      log::Warning(note, {{"ticket", change.facts.number}});
    }
    ticket.applied = true;
    ticket.created.resize(t.clocks.size(), false);
    ticket.changed.resize(t.clocks.size(), false);
    ChangeEvents events{i, {}, {}};
    for (const ClockChange& cc : plan->changes) {
      if (cc.created) ticket.created[cc.index] = true;
      ticket.changed[cc.index] = true;
      for (const ClockSegment& seg : cc.closed) segments.push_back({&ticket, cc.index, seg});
    }
    for (const ClockChange& cc : plan->changes) {
      for (const Firing& f : cc.firings) {
        events.firings.push_back({{&ticket, cc.index, t.clocks[cc.index]}, f});
      }
    }
    for (const ClockChange& cc : plan->changes) {
      for (const std::string& transition : cc.transitions) {
        if (transition == "stopped" || transition == "cancelled") {
          events.outcomes.push_back({{&ticket, cc.index, t.clocks[cc.index]}, transition});
        }
      }
    }
    // Each write of a clock bumps its row version: a new clock is stored at version 1.
    for (const ClockChange& cc : plan->changes) {
      SlaClock& c = t.clocks[cc.index];
      c.version = cc.created ? 1 : c.version + 1;
    }
    outcomes[i].changed_clocks = static_cast<int>(plan->changes.size());
    if (!events.firings.empty() || !events.outcomes.empty()) produced.push_back(std::move(events));
  }

  // ---- the writes ----
  // Ticket rows first, in ticket order, so that a batch holds a ticket's row before any of
  // its clocks, as the locking reads do. Written: the tickets with a change applied or
  // counted stale, and cached ones with a repeated snapshot (decided from the cached state,
  // which the write checks: it may be the state of a batch that was rolled back, ahead of the
  // database).
  auto written_by_batch = [](const BatchTicket& ticket) {
    return ticket.applied || ticket.stale > 0 || (ticket.cached && ticket.duplicate);
  };
  std::vector<TicketWrite> ticket_writes;
  for (auto& [number, ticket] : tickets) {
    if (written_by_batch(ticket)) {
      ticket_writes.push_back(
          {&ticket.t.facts, ticket.stale, ticket.cached ? ticket.xmin : std::string()});
    }
  }
  const TicketsWritten written = WriteTickets(tx, ticket_writes);
  if (written.tickets != static_cast<int64_t>(ticket_writes.size())) {
    // Only with kOptimistic: a cached ticket's row is not the one cached (someone else applied
    // an event to it, or the batch that cached it was rolled back).
    return absl::AbortedError(absl::StrCat(
        ticket_writes.size() - written.tickets,
        " cached tickets of the batch were written by someone else; the batch must be applied "
        "again, read and locked"));
  }
  const AgreementBook& agreements = **book;
  // New clocks are inserted as they are at the end of the batch.
  std::vector<ClockWrite> created;
  std::vector<std::pair<BatchTicket*, size_t>> created_at;
  for (auto& [number, ticket] : tickets) {
    for (size_t k = 0; k < ticket.t.clocks.size(); ++k) {
      if (!ticket.created[k]) continue;
      const SlaClock& c = ticket.t.clocks[k];
      created.push_back({&c, CalendarVersion(agreements, c.calendar_id)});
      created_at.emplace_back(&ticket, k);
    }
  }
  const std::vector<int64_t> ids = InsertClocks(tx, created);
  for (size_t k = 0; k < ids.size(); ++k) {
    created_at[k].first->t.clocks[created_at[k].second].id = ids[k];
  }
  // Clocks already stored, and new ones changed again after the change that started them
  // (stored at version 1 by the insert), are updated with their final state and version.
  std::vector<ClockWrite> updated;
  std::vector<int64_t> expected;  // each updated clock's row version now (as read, or 1)
  for (auto& [number, ticket] : tickets) {
    for (size_t k = 0; k < ticket.t.clocks.size(); ++k) {
      const SlaClock& c = ticket.t.clocks[k];
      if (!ticket.changed[k] || (ticket.created[k] && c.version <= 1)) continue;
      updated.push_back({&c, CalendarVersion(agreements, c.calendar_id)});
      expected.push_back(ticket.created[k] ? 1 : ticket.read_version[k]);
    }
  }
  std::vector<SegmentWrite> segment_writes;
  segment_writes.reserve(segments.size());
  for (const BatchSegment& seg : segments) {
    segment_writes.push_back({seg.ticket->t.clocks[seg.index].id, &seg.segment});
  }
  const int64_t clocks_written = WriteClockBatch(tx, updated, expected, segment_writes);
  if (clocks_written != static_cast<int64_t>(updated.size())) {
    // Only with kOptimistic: the scanner or a calendar reschedule wrote a clock of the batch
    // after it was read (or cached).
    return absl::AbortedError(
        absl::StrCat(updated.size() - clocks_written,
                     " of the batch's clocks changed after they were read or cached; the batch "
                     "must be applied again, read and locked"));
  }

  // The next event of these tickets starts from this state, if nobody writes the ticket row
  // in between (and only once this transaction commits: see TicketClockCache). A ticket not
  // written was read and locked here, unchanged.
  for (auto& [number, ticket] : tickets) {
    clock_cache_.Put(number, written_by_batch(ticket) ? written.ticket_xmin : ticket.xmin,
                     ticket.t);
  }
  if (produced.empty()) return outcomes;

  // ---- firings and outbox events, in the order of the changes ----
  for (ChangeEvents& events : produced) {
    for (auto& [snapshot, firing] : events.firings) {
      snapshot.clock.id = snapshot.ticket->t.clocks[snapshot.index].id;
    }
    for (auto& [snapshot, transition] : events.outcomes) {
      snapshot.clock.id = snapshot.ticket->t.clocks[snapshot.index].id;
    }
  }
  const absl::Time now = clock_.Now();
  // A firing records the change that revealed it: one statement per distinct cause (firings
  // are rare on the event path: most are the scanner's).
  std::map<std::pair<int64_t, int>, std::string> recorded;
  {
    std::vector<std::string> causes;
    std::map<std::string, std::vector<FiringWrite>> by_cause;
    for (const ChangeEvents& events : produced) {
      const std::string& cause = changes[events.change].cause;
      for (const auto& [snapshot, firing] : events.firings) {
        if (!by_cause.count(cause)) causes.push_back(cause);
        by_cause[cause].push_back({snapshot.clock.id, firing.percent, firing.crossed_at});
      }
    }
    for (const std::string& cause : causes) {
      recorded.merge(InsertFirings(tx, by_cause[cause], now, cause));
    }
  }
  std::deque<v1::ClockFiring> firing_payloads;
  std::deque<v1::ClockOutcome> outcome_payloads;
  std::vector<EventSpec> specs;
  for (const ChangeEvents& events : produced) {
    for (const auto& [snapshot, f] : events.firings) {
      const SlaClock& c = snapshot.clock;
      auto it = recorded.find({c.id, f.percent});
      if (it == recorded.end()) continue;  // already recorded by another replica or path
      ++outcomes[events.change].firings;
      v1::ClockFiring& payload = firing_payloads.emplace_back();
      payload.set_firing_id(it->second);
      *payload.mutable_clock() = ClockToProto(c, agreements.Calendar(c.calendar_id), now);
      payload.set_percent(f.percent);
      *payload.mutable_due_time() = ToProtoTime(f.crossed_at);
      *payload.mutable_fired_time() = ToProtoTime(now);
      if (const PolicySpec* policy = agreements.Policy(c.policy_id)) {
        for (const PlannedAction& a :
             ActionsAt(*policy, c.kind == ClockKind::kResponse, f.percent, c.group_level)) {
          auto* step = payload.add_actions();
          step->set_action(EscalationActionName(a.action));
          step->set_to_group_id(a.to_group_id);
        }
      }
      specs.push_back({f.percent >= 100 ? "sla.clock.breached" : "sla.clock.warning", "clock",
                       std::to_string(c.id), &payload, ""});
    }
    for (const auto& [snapshot, transition] : events.outcomes) {
      const SlaClock& c = snapshot.clock;
      v1::ClockOutcome& payload = outcome_payloads.emplace_back();
      *payload.mutable_clock() = ClockToProto(c, agreements.Calendar(c.calendar_id), now);
      payload.set_met(!c.breached);
      specs.push_back(
          {absl::StrCat("sla.clock.", transition), "clock", std::to_string(c.id), &payload, ""});
    }
  }
  AppendEvents(tx, specs);
  return outcomes;
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
    if (absl::Status s = WriteLockedClocks(tx, clocks, **book); !s.ok()) return s;
    std::vector<PendingFiring> firings;
    for (size_t i = 0; i < clocks.size(); ++i) {
      for (const Firing& f : fired_per_clock[i]) firings.push_back({&clocks[i], f});
    }
    // This engine's cached copies of these clocks are stale now (another replica's would be
    // caught by the version check of the event path's writes).
    for (const SlaClock& c : clocks) clock_cache_.Erase(c.ticket);
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
    // One calendar at a time, its id and version given as values: the planner then sees that
    // (nearly) no running clock is behind and walks clocks_running_calendar. Joined to the
    // calendars table it guessed a third of all clocks were and scanned the whole table, 0.6 s
    // at 1,000,000 clocks, every reschedule interval.
    std::vector<SlaClock> clocks;
    for (const auto& calendar : tx.exec("SELECT id::text, version FROM calendars ORDER BY id")) {
      if (static_cast<int>(clocks.size()) >= limit) break;
      auto rows = tx.exec_params(
          absl::StrCat("SELECT ", ClockColumns("c"),
                       " FROM clocks c WHERE c.state = 'running' AND c.calendar_id = $1::uuid "
                       "AND c.calendar_version < $2 ORDER BY c.calendar_version LIMIT $3 "
                       "FOR UPDATE SKIP LOCKED"),
          calendar[0].as<std::string>(), calendar[1].as<int64_t>(),
          limit - static_cast<int>(clocks.size()));
      for (const auto& row : rows) {
        SlaClock c = ClockFromRow(row);
        const BusinessCalendar* cal = (*book)->Calendar(c.calendar_id);
        if (cal == nullptr) continue;
        Reschedule(c, *cal);
        clocks.push_back(std::move(c));
      }
    }
    if (absl::Status s = WriteLockedClocks(tx, clocks, **book); !s.ok()) return s;
    for (const SlaClock& c : clocks) clock_cache_.Erase(c.ticket);
    done = static_cast<int>(clocks.size());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return done;
}

namespace {

// A clock's ticket is not restricted (a possible security incident), or the caller may see it.
constexpr char kVisibleTicket[] =
    "NOT EXISTS (SELECT 1 FROM tickets t WHERE t.number = c.ticket AND t.restricted)";

}  // namespace

absl::StatusOr<std::vector<SlaClock>> SlaStore::ClocksOfTicket(const std::string& number) {
  return ClocksOfTickets({number});
}

absl::StatusOr<std::vector<std::string>> SlaStore::RestrictedAmong(
    const std::vector<std::string>& numbers) {
  std::vector<std::string> out;
  absl::Status status = pool_.ReadAutocommit([&](pqxx::transaction_base& tx) -> absl::Status {
    out.clear();
    for (const auto& row :
         tx.exec_params("SELECT number FROM tickets WHERE number = ANY($1::text[]) AND restricted",
                        PgTextArray(numbers))) {
      out.push_back(row[0].as<std::string>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<SlaClock>> SlaStore::ClocksOfTickets(
    const std::vector<std::string>& numbers) {
  std::vector<SlaClock> out;
  absl::Status status = pool_.ReadAutocommit([&](pqxx::transaction_base& tx) -> absl::Status {
    out.clear();
    auto rows = tx.exec_params(
        absl::StrCat("SELECT ", ClockColumns("c"),
                     " FROM clocks c WHERE c.ticket = ANY($1::text[]) ORDER BY c.ticket,"
                     " c.kind <> 'response', c.kind <> 'resolution', c.period, c.id"),
        PgTextArray(numbers));
    for (const auto& row : rows) out.push_back(ClockFromRow(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::pair<SlaClock, Segments>> SlaStore::ClockWithSegments(int64_t id,
                                                                          bool include_restricted) {
  std::pair<SlaClock, Segments> out;
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    auto rows = tx.exec_params(
        absl::StrCat("SELECT ", ClockColumns("c"),
                     " FROM clocks c WHERE c.id = $1 AND ($2::boolean OR ", kVisibleTicket, ")"),
        id, include_restricted);
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
      "AND ($10::boolean OR ",
      kVisibleTicket,
      ") "
      "ORDER BY c.due_at NULLS LAST, c.id LIMIT $9");
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    out.clear();
    // The first page starts before every due time (1900-01-01, well inside timestamptz).
    constexpr int64_t kBeforeAnyDueTime = -2208988800LL * 1000000;
    const std::optional<int64_t> after = q.after_due == absl::InfinitePast()
                                             ? std::optional<int64_t>(kBeforeAnyDueTime)
                                             : Micros(q.after_due);
    auto rows =
        tx.exec_params(sql, q.group_id, q.group_level, q.kind, PgTextArray(q.only_groups), q.status,
                       absl::ToUnixMicros(now), after, q.after_id, q.limit, q.include_restricted);
    for (const auto& row : rows) out.push_back(ClockFromRow(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::sla
