// The SLA engine's storage: the only code that speaks SQL. Calendars and policies (cached in
// memory as an AgreementBook), tickets and their clocks, segments, firings and the escalation
// bookkeeping. Every write that others must learn about appends its event to the outbox in the
// same transaction.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "services/sla/clock_cache.h"
#include "services/sla/domain/ticket_clocks.h"

namespace prometheus {
class Counter;
}

namespace tiquete {
class Metrics;
}

namespace tiquete::sla {

// The schema's migrations (embedded from migrations/*.sql at build time).
const std::vector<Migration>& Migrations();

struct PolicyRecord {
  PolicySpec spec;
  absl::Time created_at;
  absl::Time updated_at;
};

struct CalendarRecord {
  CalendarSpec spec;
  absl::Time created_at;
  absl::Time updated_at;
};

// A firing the store recorded (by the scanner or while applying an event).
struct FiringRecord {
  std::string id;
  int64_t clock_id = 0;
  std::string ticket;
  int percent = 0;
  absl::Time crossed_at;
  absl::Time fired_at;
};

struct ScanResult {
  int clocks = 0;  // clocks claimed
  std::vector<FiringRecord> fired;
};

struct ApplyOutcome {
  bool stale = false;      // older than the version already applied: ignored, counted
  bool duplicate = false;  // the version already applied (a redelivery): ignored
  int changed_clocks = 0;
  int firings = 0;
};

// One incident change to apply (ApplyTicketChanges).
struct TicketChange {
  TicketFacts facts;
  absl::Time at;      // when the change happened at the incident service
  std::string cause;  // recorded on the firings it reveals ("event:<id>")
};

struct ClockQuery {
  std::string status;  // at_risk | breached | live | "" (at risk or breached)
  std::string group_id;
  std::string group_level;
  std::string kind;
  // Non-empty: only clocks of these groups (providers see their groups' tickets only).
  std::vector<std::string> only_groups;
  // Leave in the clocks of restricted tickets (possible security incidents): only for callers
  // who may see them. Off unless asked, so a new caller cannot leak them by omission.
  bool include_restricted = false;
  int limit = 50;
  // Keyset pagination: clocks due after (after_due, after_id).
  absl::Time after_due = absl::InfinitePast();
  int64_t after_id = 0;
};

// Statements prepared on every connection of the pool the store uses (see SlaPoolOptions).
std::vector<std::pair<std::string, std::string>> SlaPreparedStatements();
PgPoolOptions SlaPoolOptions(std::string url, std::string schema, int size,
                             absl::Duration acquire_timeout = absl::Seconds(2));

class SlaStore {
 public:
  // `pool` must have SlaPreparedStatements() prepared; `clock` stamps firings. The clocks of
  // the last `clock_cache_tickets` tickets an event changed are kept in memory (0: none).
  static constexpr size_t kDefaultClockCacheTickets = 50000;
  SlaStore(PgPool& pool, Clock& clock, size_t clock_cache_tickets = kDefaultClockCacheTickets);

  PgPool& pool() { return pool_; }

  // ---- Agreement book ----
  // The policies and calendars in force, reloaded when another writer bumped the revision
  // (checked at most every `book_check_interval` of real time) or this store wrote.
  absl::StatusOr<std::shared_ptr<const AgreementBook>> Book(pqxx::work& tx);
  absl::StatusOr<std::shared_ptr<const AgreementBook>> Book();
  void set_book_check_interval(absl::Duration d) { book_check_interval_ = d; }

  // ---- Incident events ----
  // Applies the ticket as it is after a change at `at`, inside the consumer's transaction:
  // locks the ticket and its clocks, runs the domain, persists clocks, segments and firings
  // and appends sla.clock.* events. `cause` is recorded on firings ("event:<id>").
  absl::StatusOr<ApplyOutcome> ApplyTicketFacts(pqxx::work& tx, const TicketFacts& facts,
                                                absl::Time at, const std::string& cause);
  // How ApplyTicketChanges keeps the scanner (and calendar rescheduling) from writing a clock
  // between its read and its write. Incident events never race each other on a clock: the
  // ticket row lock serialises them (a cached ticket's row is locked by its checked write,
  // before its clocks).
  enum class ClockLocking {
    // Read the clocks FOR UPDATE.
    kLock,
    // Read them without a lock and write each only if its row version is still the one read
    // (cheaper: a row lock writes every locked tuple). When a clock did change in between, the
    // attempt is rolled back to a savepoint and the changes are applied again with kLock.
    kOptimistic,
  };
  // The set-based form, for a whole batch of incident events: takes the tickets this engine
  // wrote last from the clock cache (kOptimistic only; checked when written, see
  // TicketClockCache), locks the others (new ones by their insert, then the rest, each in
  // ticket order) and reads their clocks (one statement), applies the domain in memory in the
  // order given (several changes of one ticket apply one after the other, exactly as if stored
  // in between), then writes new clocks, changed clocks, segments and tickets, firings and
  // outbox events with a few set-based statements. Returns one outcome per change. An error
  // leaves partial writes in tx: the caller rolls back.
  absl::StatusOr<std::vector<ApplyOutcome>> ApplyTicketChanges(
      pqxx::work& tx, const std::vector<TicketChange>& changes,
      ClockLocking locking = ClockLocking::kLock);
  // How many optimistic batches met a clock or a cached ticket written meanwhile and were
  // applied again locked.
  int64_t optimistic_retries() const { return optimistic_retries_.load(); }
  // Counts retries and clock cache lookups in tiquete_sla_event_batch_retries_total and
  // tiquete_sla_clock_cache_lookups_total{result} from now on.
  void ExportMetrics(Metrics& metrics);
  // Clocks kept from the event path's own writes (see TicketClockCache).
  const TicketClockCache& clock_cache() const { return clock_cache_; }

  // ---- Due-time scanner ----
  // Claims up to `limit` clocks whose next threshold is due at `now` (FOR UPDATE SKIP LOCKED,
  // so replicas never claim the same clock), records their firings (unique per clock and
  // threshold) and appends sla.clock.warning / sla.clock.breached, all in one transaction.
  absl::StatusOr<ScanResult> FireDue(absl::Time now, int limit, const std::string& fired_by);
  // Recomputes the schedule of running clocks whose calendar changed since it was computed.
  absl::StatusOr<int> RescheduleForCalendarChanges(int limit);

  // ---- Reads ----
  // Every clock of the ticket(s), restricted or not: the caller decides what it may show
  // (RestrictedAmong says which tickets are possible security incidents).
  absl::StatusOr<std::vector<SlaClock>> ClocksOfTicket(const std::string& number);
  // Every clock of these tickets, by ticket then as ClocksOfTicket orders them.
  absl::StatusOr<std::vector<SlaClock>> ClocksOfTickets(const std::vector<std::string>& numbers);
  // The restricted tickets (possible security incidents) among `numbers`.
  absl::StatusOr<std::vector<std::string>> RestrictedAmong(const std::vector<std::string>& numbers);
  // `include_restricted` false: a clock of a restricted ticket is not found.
  absl::StatusOr<std::pair<SlaClock, Segments>> ClockWithSegments(int64_t id,
                                                                  bool include_restricted);
  absl::StatusOr<std::vector<SlaClock>> ListClocks(const ClockQuery& query, absl::Time now);

  // ---- Escalation bookkeeping (inside the escalation consumer's transaction) ----
  // The outcome already recorded for (firing, action), or "" when none.
  // The ticket is restricted (a possible security incident, the security team's).
  bool TicketRestricted(pqxx::work& tx, const std::string& number);
  std::string RecordedAction(pqxx::work& tx, const std::string& firing_id,
                             const std::string& action);
  void RecordAction(pqxx::work& tx, const std::string& firing_id, const std::string& action,
                    const std::string& outcome, const std::string& detail);

  // ---- Policies ----
  absl::StatusOr<PolicyRecord> CreatePolicy(const PolicySpec& spec,
                                            const std::string& idempotency_key,
                                            const std::string& fingerprint);
  absl::StatusOr<PolicyRecord> UpdatePolicy(const std::string& id, int64_t version,
                                            const PolicySpec& spec);
  absl::StatusOr<PolicyRecord> SetPolicyActive(const std::string& id, int64_t version, bool active);
  absl::StatusOr<PolicyRecord> GetPolicy(const std::string& id);
  absl::StatusOr<std::vector<PolicyRecord>> ListPolicies(const std::string& kind,
                                                         bool include_inactive);

  // ---- Calendars ----
  absl::StatusOr<CalendarRecord> CreateCalendar(const CalendarSpec& spec,
                                                const std::string& idempotency_key,
                                                const std::string& fingerprint);
  // Replaces name, zone, hours and holiday flag; closures are kept.
  absl::StatusOr<CalendarRecord> UpdateCalendar(const std::string& id, int64_t version,
                                                const CalendarSpec& spec);
  absl::StatusOr<CalendarRecord> GetCalendar(const std::string& id);
  absl::StatusOr<std::vector<CalendarRecord>> ListCalendars();
  // Adds a closure; a repeated `idempotency_key` (with the same `fingerprint`) adds nothing.
  absl::StatusOr<CalendarRecord> AddClosure(const std::string& calendar_id, const Closure& closure,
                                            const std::string& idempotency_key,
                                            const std::string& fingerprint);
  absl::StatusOr<CalendarRecord> RemoveClosure(const std::string& calendar_id,
                                               const std::string& closure_id);

 private:
  absl::StatusOr<std::shared_ptr<const AgreementBook>> LoadBook(pqxx::work& tx);
  void BumpRevision(pqxx::work& tx);
  // One attempt of ApplyTicketChanges; with kOptimistic, ABORTED (and partial writes in tx)
  // when a clock changed after it was read.
  absl::StatusOr<std::vector<ApplyOutcome>> ApplyTicketChangesOnce(
      pqxx::work& tx, const std::vector<TicketChange>& changes, ClockLocking locking);

  PgPool& pool_;
  Clock& clock_;
  absl::Duration book_check_interval_ = absl::Milliseconds(500);
  std::mutex book_mu_;
  std::shared_ptr<const AgreementBook> book_;
  int64_t book_revision_ = -1;
  absl::Time book_checked_ = absl::InfinitePast();  // real time of the last revision check
  std::atomic<bool> book_dirty_{true};
  std::atomic<int64_t> optimistic_retries_{0};
  TicketClockCache clock_cache_;
  prometheus::Counter* retries_metric_ = nullptr;
  prometheus::Counter* cache_hits_metric_ = nullptr;
  prometheus::Counter* cache_misses_metric_ = nullptr;
};

}  // namespace tiquete::sla
