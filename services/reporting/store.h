// The only code that speaks SQL to the reporting schema: the write side used by event
// handlers (inside the consumer's transaction) and the read side used by report queries.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/pg.h"
#include "services/reporting/domain/fact.h"
#include "services/reporting/domain/period.h"
#include "services/reporting/domain/report.h"
#include "services/reporting/domain/rollup.h"

namespace tiquete::reporting {

// Statements every pool connection prepares (PgPoolOptions::prepared).
std::vector<std::pair<std::string, std::string>> PreparedStatements();

// ---- Write side: called inside the event consumer's transaction ----

// Locks and reads the fact; nullopt when the incident is not known yet.
std::optional<IncidentFact> LoadFactForUpdate(pqxx::work& tx, const std::string& number);
// Locks and reads several facts at once (the unknown ones are missing from the answer).
std::vector<IncidentFact> LoadFactsForUpdate(pqxx::work& tx,
                                             const std::vector<std::string>& numbers);

// One incident's fact before (nullptr: not known yet) and after a change.
struct FactChange {
  const IncidentFact* before = nullptr;
  IncidentFact after;
};
// Writes the facts (at most one change per incident) with one statement, keeps fact_ci in step
// for those whose CIs or dates moved, and adds the rollup deltas to `rollup` and their
// projection to `rollup_dash` (one statement each). The org unit is filled from
// requester_org_unit when a fact has none yet.
void SaveFacts(pqxx::work& tx, const std::vector<FactChange>& changes,
               const std::vector<RollupDelta>& deltas);

enum class IntakeCounter { kReceived, kDuplicate, kHandedOff, kSplit };
void CountIntake(pqxx::work& tx, absl::CivilDay day, int channel, IntakeCounter counter);

// Counts of several days and channels added at once (received, duplicates, handed_off, split).
struct IntakeDelta {
  absl::CivilDay day;
  int channel = 0;
  std::array<int64_t, 4> counts{};
};
void AddIntake(pqxx::work& tx, const std::vector<IntakeDelta>& rows);

// Records the person's org unit and fills it into their facts that have none.
void RecordOrgUnit(pqxx::work& tx, const std::string& person_id, const std::string& org_unit_id,
                   int64_t version);

// Empties the read model and processed_events / event_failures / dead_letters (replay).
absl::Status TruncateReadModel(PgPool& pool);

// ---- Read side ----

struct DimFilter {
  std::string group_id;
  int level = 0;
  std::string category_id;
  std::string service_id;
  int priority = 0;
  std::string ci_id;
  std::string org_unit_id;
  bool needs_facts() const { return !ci_id.empty() || !org_unit_id.empty(); }
};

struct LiveSnapshot {
  int64_t open = 0;
  int64_t pending = 0;
  int64_t over_threshold = 0;
  double oldest_hours = 0;
  int64_t at_risk = 0;
  int64_t breached = 0;
  struct Load {
    std::string assignee_id;
    int64_t open = 0;
    int64_t pending = 0;
    double oldest_hours = 0;
  };
  std::vector<Load> workload;  // most open first
};

class ReportStore {
 public:
  ReportStore(PgPool& pool, absl::TimeZone zone) : pool_(pool), zone_(zone) {}

  // Period KPIs summed from the rollups (no CI / org-unit filter).
  absl::Status SummarizeRollups(const DimFilter& filter, const Period& period, KpiInputs* out);
  // The same figures computed from the matching facts: their contributions (the same function
  // that feeds the rollups) are summed by the same SQL in a temporary table.
  absl::Status SummarizeFacts(const DimFilter& filter, const Period& period, KpiInputs* out);
  absl::Status IntakeChannels(const Period& period, std::vector<ChannelCounts>* out);
  // Opened per month up to and including `last`.
  absl::Status MonthlyOpened(const DimFilter& filter, absl::CivilMonth last,
                             std::vector<MonthTotal>* out);
  absl::Status Live(const DimFilter& filter, absl::Time now, int64_t max_wait_hours,
                    LiveSnapshot* out);

 private:
  PgPool& pool_;
  absl::TimeZone zone_;
};

}  // namespace tiquete::reporting
