// The effect of each lifecycle action on an incident record: the state machine decides whether
// it is allowed, these functions decide which fields change with it. Pure: callers pass the
// time and the facts they looked up (group levels, membership) beforehand.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/incident/domain/priority.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

// New → assigned (or a reassignment, which leads back to assigned). The level follows the group.
absl::Status ApplyAssign(v1::Incident* incident, const std::string& group_id,
                         v1::SupportLevel group_level, const std::string& assignee_id);

// Functional escalation: to another group at the same or a higher level, never downwards
// (handing work down is a reassignment, not an escalation).
absl::Status ApplyFunctionalEscalation(v1::Incident* incident, const std::string& group_id,
                                       v1::SupportLevel group_level,
                                       const std::string& assignee_id);
// Hierarchical escalation: the coordinator is informed; state and assignment stay.
absl::Status ApplyHierarchicalEscalation(v1::Incident* incident, const std::string& coordinator_id);

// Assigned → in progress. With nobody assigned, `taker` (a member of the group, or "" when the
// caller is not one) becomes the assignee.
absl::Status ApplyStart(v1::Incident* incident, const std::string& taker, absl::Time now);
absl::Status ApplyPend(v1::Incident* incident, v1::PendingReason reason);
absl::Status ApplyResume(v1::Incident* incident);
absl::Status ApplyResolve(v1::Incident* incident, const std::string& resolution_code,
                          const std::string& notes, absl::Time now);
absl::Status ApplyClose(v1::Incident* incident, const std::string& closure_code, absl::Time now);
absl::Status ApplyCancel(v1::Incident* incident, const std::string& reason, absl::Time now);
// Resolved → in progress within `window` of the resolution; after closure never.
absl::Status ApplyReopen(v1::Incident* incident, const std::string& reason, absl::Time now,
                         absl::Duration window);

// Satisfaction: only once, only when resolved or closed, rating 1..5.
absl::Status ApplySurvey(v1::Incident* incident, int rating, const std::string& comment,
                         absl::Time now);

// First response: the first time support acts visibly (start, public reply, resolution).
void NoteFirstResponse(v1::Incident* incident, absl::Time now);

// Impact or urgency changed: the matrix priority follows; the effective priority follows too
// unless an override is in force.
void ApplyClassification(v1::Incident* incident, v1::Level impact, v1::Level urgency,
                         const PriorityMatrix& matrix);
// An explicit priority; choosing the matrix's own value ends an override.
absl::Status ApplyPriorityOverride(v1::Incident* incident, v1::Priority priority,
                                   const std::string& justification);

absl::Status ApplyMajor(v1::Incident* incident, bool major, const std::string& owner_id);

}  // namespace tiquete::incident
