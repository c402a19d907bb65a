// Helpers shared by the store's files: time and array conversions and the clock row layout.
// Only store*.cc include this.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/time/time.h"
#include "services/sla/domain/clock.h"
#include "services/sla/store.h"

namespace tiquete::sla::store_internal {

// Microseconds since the epoch, or NULL for the infinite instants ("never", "unknown").
std::optional<int64_t> Micros(absl::Time t);
// A ts_to_us(...) column: NULL becomes `if_null`.
absl::Time TimeOr(const pqxx::field& f, absl::Time if_null);

// PostgreSQL array literals for parameters ("{1,2}", "{\"a\",\"b\"}").
std::string IntArray(const std::vector<int>& values);
std::string Int64Array(const std::vector<int64_t>& values);
// An array_to_string(col, ',') column split back into its items.
std::vector<std::string> SplitList(const pqxx::field& f);

// Columns of a clock in the order ClockFromRow reads them, qualified with `alias.`.
std::string ClockColumns(const std::string& alias);
SlaClock ClockFromRow(const pqxx::row& row);

// Set-based writes: each is one round trip whatever the number of rows, so an event or a
// scanner batch costs a fixed number of statements.
struct ClockWrite {
  const SlaClock* clock;
  int64_t calendar_version;
};
struct SegmentWrite {
  int64_t clock_id;
  const ClockSegment* segment;
};
struct FiringWrite {
  int64_t clock_id;
  int percent;
  absl::Time crossed_at;
};
// Inserts new clocks; returns their ids in the order given.
std::vector<int64_t> InsertClocks(pqxx::work& tx, const std::vector<ClockWrite>& clocks);
// The batch writes, tickets first (their rows are locked before any of their clocks, in the
// order given, as the locking reads take them):
// WriteTickets records each of `tickets` as its ticket's applied facts, adding its stale count,
// the ones with an expected xmin only while their row's xmin is still that one.
struct TicketWrite {
  const TicketFacts* facts;
  int64_t stale = 0;          // stale changes to add to the row's count
  std::string expected_xmin;  // "": not checked (the row is locked)
};
struct TicketsWritten {
  int64_t tickets = 0;      // rows updated (fewer than given when one's xmin was not expected)
  std::string ticket_xmin;  // the xmin the rows now have ("" when none was written)
};
TicketsWritten WriteTickets(pqxx::work& tx, const std::vector<TicketWrite>& tickets);
// WriteClockBatch updates `clocks` (by id) whose row version is still `expected_versions[i]`,
// setting each one's version to clock->version, and inserts `segments`, in one statement;
// returns how many clocks it updated (fewer than given when a row changed since read).
int64_t WriteClockBatch(pqxx::work& tx, const std::vector<ClockWrite>& clocks,
                        const std::vector<int64_t>& expected_versions,
                        const std::vector<SegmentWrite>& segments);
// Records the firings not recorded yet (unique per clock and percent); returns the id of each
// newly recorded one keyed by (clock id, percent).
std::map<std::pair<int64_t, int>, std::string> InsertFirings(
    pqxx::work& tx, const std::vector<FiringWrite>& firings, absl::Time fired_at,
    const std::string& fired_by);

}  // namespace tiquete::sla::store_internal

namespace tiquete::sla::store_internal {

// Calendars and policies, all of them or the one with `id`.
std::vector<CalendarRecord> LoadCalendars(pqxx::work& tx, const std::string& id = "");
std::vector<PolicyRecord> LoadPolicies(pqxx::work& tx, const std::string& id = "");

}  // namespace tiquete::sla::store_internal
