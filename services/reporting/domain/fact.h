// One incident as the read model keeps it (fact_incident), and how each event changes it.
// Events may arrive more than once and out of order across streams; applying them is
// idempotent and an incident snapshot older than the one held is ignored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::reporting {

// The outcome of an SLA clock as far as reporting cares.
enum class SlaOutcome { kNone = 0, kMet = 1, kBreached = 2 };

struct IncidentFact {
  std::string number;
  int64_t version = 0;  // 0: only SLA signals seen so far, not counted anywhere yet
  int type = 0;         // incident.v1.TicketType
  int state = 0;        // incident.v1.State
  int channel = 0;
  int priority = 0;
  int level = 0;           // level of the current group
  int resolved_level = 0;  // level holding it at the latest resolution
  std::string requester_id;
  std::string org_unit_id;
  std::string category_id;
  std::string service_id;
  std::vector<std::string> ci_ids;
  std::string group_id;
  std::string assignee_id;
  std::string first_assignee_id;
  std::string resolved_by;  // assignee (else the actor) at the latest resolution
  bool escalated = false;   // ever escalated, or ever held above L1
  bool reassigned = false;  // ever taken from the first assignee
  absl::Time opened_at = absl::InfinitePast();
  absl::Time first_response_at = absl::InfiniteFuture();  // InfiniteFuture: not (yet)
  absl::Time resolved_at = absl::InfiniteFuture();
  absl::Time closed_at = absl::InfiniteFuture();
  absl::Time pending_since = absl::InfiniteFuture();
  int64_t pending_seconds = 0;  // finished pending periods
  int reopen_count = 0;
  int survey_rating = 0;  // 0: no survey
  SlaOutcome response = SlaOutcome::kNone;
  SlaOutcome resolution = SlaOutcome::kNone;
  bool response_at_risk = false;
  bool resolution_at_risk = false;
  int64_t business_resolution_seconds = -1;  // -1: unknown
  int64_t business_response_seconds = -1;

  bool counted() const { return version > 0; }
  bool open() const;      // new, assigned, in progress or pending
  bool resolved() const;  // resolved or closed, with a resolution time
  // Resolved at L1 by the first assignee, never escalated.
  bool first_contact() const;
};

// Returns false (and leaves `fact` alone) when the snapshot is older than the fact's version.
// `fact` is a fresh IncidentFact (number only) when the incident was not known.
bool ApplyIncidentEvent(IncidentFact& fact, const incident::v1::IncidentEvent& event,
                        absl::Time occurred_at);

// A signal from the SLA service about one of the incident's clocks.
struct SlaSignal {
  std::string number;
  enum class Clock { kResponse, kResolution } clock = Clock::kResolution;
  enum class Kind { kWarning, kBreach, kMet } kind = Kind::kWarning;
  int64_t business_elapsed_seconds = -1;  // when the event says; kept from met signals only
};

// Breach wins over met (a breached clock stays breached if it is later stopped).
void ApplySlaSignal(IncidentFact& fact, const SlaSignal& signal);

}  // namespace tiquete::reporting
