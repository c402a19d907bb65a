// The incident service's persistence: the only code that speaks SQL. Every write runs in one
// transaction with its audit rows and outbox events, so nothing is ever half-written.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/pg.h"
#include "services/incident/domain/events.h"
#include "services/incident/domain/query.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

// An incident with its internal row id (the keyset tie-breaker; never shown to clients).
struct StoredIncident {
  v1::Incident incident;
  int64_t row_id = 0;
};

struct Idempotency {
  std::string key;          // "" when the caller gave none
  std::string fingerprint;  // of the request without the key
};

// What a mutation did besides changing fields: the events it names (state_changed and
// priority_changed are added when they apply), the reason recorded with every audit row, and
// an escalation for the history.
struct Mutation {
  std::vector<Change> events;
  std::string reason;
  std::optional<v1::Escalation> escalation;
};

// Runs on the locked, current incident and changes it in place (domain rules live in the
// callback; the store only persists the difference).
using MutateFn = std::function<absl::StatusOr<Mutation>(v1::Incident* incident)>;

struct WorkLogPage {
  std::vector<v1::WorkLogEntry> entries;
  int64_t last_id = 0;  // 0 when there are no more pages
};

struct AuditPage {
  std::vector<v1::AuditEntry> entries;
  int64_t last_id = 0;
};

// How a text search finds its page (IncidentStore::List); tests shrink the window to reach
// both paths with a few rows.
struct SearchTuning {
  int window = 3000;  // rows walked in sort order looking for a page of matches
};

class IncidentStore {
 public:
  IncidentStore(PgPool& pool, Clock* clock);
  void set_search_tuning(SearchTuning tuning) { search_ = tuning; }

  // Inserts `draft` (everything but number, timestamps and version decided by the caller) with
  // its attachments, numbering it from the per-year counter. A retry with the same key returns
  // the incident the first call created.
  absl::StatusOr<v1::Incident> Create(const v1::Incident& draft, const Idempotency& idempotency,
                                      const std::string& actor, const std::string& reason);

  // NOT_FOUND when there is no such number. Attachment metadata only when asked.
  absl::StatusOr<StoredIncident> Get(const std::string& number, bool with_attachments);

  // Locks the incident, refuses a stale expected_version (ABORTED, STALE_VERSION), applies `fn`
  // and persists the difference with audit rows, escalation and events. A change that changes
  // nothing writes nothing.
  absl::StatusOr<v1::Incident> Mutate(const std::string& number, int64_t expected_version,
                                      const std::string& actor, const MutateFn& fn);

  // Appends a work log entry (with its attachments) under the incident's lock; `fn` may change
  // the incident too (first response) and vetoes the comment by failing.
  absl::StatusOr<v1::WorkLogEntry> AddComment(const std::string& number,
                                              const v1::WorkLogEntry& entry,
                                              const Idempotency& idempotency,
                                              const std::string& actor,
                                              const std::function<absl::Status(v1::Incident*)>& fn);

  // Records the survey through `fn` (which checks the rules); a retry returns the stored one.
  absl::StatusOr<v1::Survey> SubmitSurvey(const std::string& number, const Idempotency& idempotency,
                                          const std::string& actor, const MutateFn& fn);

  absl::StatusOr<std::vector<StoredIncident>> List(const IncidentQuery& query);
  absl::StatusOr<std::map<v1::State, int64_t>> CountByState(const IncidentQuery& query);

  absl::StatusOr<WorkLogPage> ListWorkLog(int64_t incident_row_id, bool include_internal,
                                          bool communications_only, int64_t after_id, int limit);
  // The attachment with its content, and whether it belongs to an internal entry.
  absl::StatusOr<std::pair<v1::Attachment, v1::Visibility>> GetAttachment(int64_t incident_row_id,
                                                                          int64_t attachment_id);
  absl::StatusOr<AuditPage> AuditTrail(int64_t incident_row_id, int64_t after_id, int limit);
  absl::StatusOr<std::vector<v1::Escalation>> Escalations(int64_t incident_row_id);

 private:
  PgPool& pool_;
  Clock* clock_;
  SearchTuning search_;
};

}  // namespace tiquete::incident
