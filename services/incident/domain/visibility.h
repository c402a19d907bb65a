// Who may see and do what on an incident, decided from the verified Caller alone:
// requesters see their own incidents and only public entries; providers see the incidents of
// their groups; staff see everything that is not restricted; incidents flagged as possible
// security incidents are restricted to security officers (and the requester who reported them).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tiquete/api/v1/caller.pb.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

using api::v1::Caller;

enum class Audience { kNone, kRequester, kProvider, kStaff, kSecurity };

bool IsStaff(const Caller& caller);  // agent_l1 specialist_l2 coordinator incident_manager admin
bool IsSecurityOfficer(const Caller& caller);
bool IsProvider(const Caller& caller);
// Staff, providers and security officers: people who work incidents rather than report them.
bool IsSupport(const Caller& caller);

// How the caller relates to the incident; kNone means it must look as if it did not exist.
Audience AudienceFor(const Caller& caller, const v1::Incident& incident);
// Internal notes and internal attachments reach support audiences only, never requesters.
bool SeesInternal(Audience audience);
// Leaves out of a record what only support may read (the justification of a priority
// override, the coordinator an incident was escalated to) when `audience` is not support.
void RedactFor(Audience audience, v1::Incident* incident);

enum class Operation {
  kView,
  kComment,  // public comment
  kInternalNote,
  kWork,  // assign, escalate, start, pend, resume, resolve, update
  kOverridePriority,
  kLinkParent,
  kSetMajor,
  kClose,
  kCancel,
  kReopen,
  kSurvey,
  kViewHistory,  // audit trail and escalation history
};

// NOT_FOUND when the caller may not see the incident (another requester's incident must not
// even be confirmed to exist); PERMISSION_DENIED when they see it but may not do this.
absl::Status Authorize(const Caller& caller, const v1::Incident& incident, Operation operation);

// The same visibility rule as AudienceFor, in a shape a query can apply to many rows:
// visible = everything OR requester_id = person_id OR
//           (NOT possible_security AND (unrestricted OR group_id ∈ group_ids)).
struct VisibilityScope {
  bool everything = false;
  bool unrestricted = false;
  std::string person_id;
  std::vector<std::string> group_ids;
};
VisibilityScope ScopeFor(const Caller& caller);
bool InScope(const VisibilityScope& scope, const v1::Incident& incident);

// Who an action is attributed to: the person, or "system:<name>" for service callers.
std::string ActorOf(const Caller& caller);

}  // namespace tiquete::incident
