#include "services/incident/domain/visibility.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace tiquete::incident {
namespace {

bool Has(const Caller& caller, std::string_view role) {
  return std::any_of(caller.roles().begin(), caller.roles().end(),
                     [&](const std::string& r) { return r == role; });
}

bool InGroup(const Caller& caller, const std::string& group_id) {
  return !group_id.empty() && std::any_of(caller.group_ids().begin(), caller.group_ids().end(),
                                          [&](const std::string& g) { return g == group_id; });
}

bool IsRequesterOf(const Caller& caller, const v1::Incident& incident) {
  return !caller.person_id().empty() && caller.person_id() == incident.requester_id();
}

absl::Status Denied(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kPermissionDenied, reason, message);
}

}  // namespace

bool IsStaff(const Caller& caller) {
  static constexpr std::array<std::string_view, 5> kStaff = {
      "agent_l1", "specialist_l2", "coordinator", "incident_manager", "admin"};
  return std::any_of(kStaff.begin(), kStaff.end(),
                     [&](std::string_view r) { return Has(caller, r); });
}

bool IsSecurityOfficer(const Caller& caller) { return Has(caller, "security_officer"); }
bool IsProvider(const Caller& caller) { return Has(caller, "provider"); }
bool IsSupport(const Caller& caller) {
  return IsStaff(caller) || IsSecurityOfficer(caller) || IsProvider(caller);
}

Audience AudienceFor(const Caller& caller, const v1::Incident& incident) {
  if (IsSecurityOfficer(caller)) return Audience::kSecurity;
  const bool restricted = incident.possible_security();
  if (!restricted && IsStaff(caller)) return Audience::kStaff;
  if (!restricted && IsProvider(caller) && InGroup(caller, incident.assignment_group_id())) {
    return Audience::kProvider;
  }
  if (IsRequesterOf(caller, incident)) return Audience::kRequester;
  return Audience::kNone;
}

bool SeesInternal(Audience audience) {
  return audience == Audience::kProvider || audience == Audience::kStaff ||
         audience == Audience::kSecurity;
}

void RedactFor(Audience audience, v1::Incident* incident) {
  if (SeesInternal(audience)) return;
  incident->clear_priority_justification();
  incident->clear_coordinator_id();
}

absl::Status Authorize(const Caller& caller, const v1::Incident& incident, Operation operation) {
  const Audience audience = AudienceFor(caller, incident);
  if (audience == Audience::kNone) return NotFound("incident", incident.number());
  const bool support = SeesInternal(audience);
  const bool desk = audience == Audience::kStaff || audience == Audience::kSecurity;
  switch (operation) {
    case Operation::kView:
    case Operation::kComment:
      return absl::OkStatus();
    case Operation::kInternalNote:
      return support ? absl::OkStatus()
                     : Denied("INTERNAL_NOTE_NOT_ALLOWED",
                              "only support staff may write internal notes");
    case Operation::kWork:
    case Operation::kViewHistory:
      return support ? absl::OkStatus() : Denied("SUPPORT_ONLY", "only support staff may do this");
    case Operation::kOverridePriority:
    case Operation::kLinkParent:
      return desk ? absl::OkStatus() : Denied("DESK_ONLY", "only service desk staff may do this");
    case Operation::kSetMajor:
      return desk && (Has(caller, "coordinator") || Has(caller, "incident_manager") ||
                      Has(caller, "admin"))
                 ? absl::OkStatus()
                 : Denied("MAJOR_INCIDENT_ROLE_REQUIRED",
                          "only a coordinator or incident manager may declare a major incident");
    case Operation::kClose:
    case Operation::kCancel:
    case Operation::kReopen:
      return desk || IsRequesterOf(caller, incident)
                 ? absl::OkStatus()
                 : Denied("REQUESTER_OR_DESK_ONLY",
                          "only the requester or the service desk may do this");
    case Operation::kSurvey:
      return IsRequesterOf(caller, incident)
                 ? absl::OkStatus()
                 : Denied("REQUESTER_ONLY", "only the requester may answer the survey");
  }
  return Denied("UNKNOWN_OPERATION", "unknown operation");
}

VisibilityScope ScopeFor(const Caller& caller) {
  VisibilityScope scope;
  scope.everything = IsSecurityOfficer(caller);
  scope.unrestricted = IsStaff(caller);
  scope.person_id = caller.person_id();
  if (IsProvider(caller)) {
    scope.group_ids.assign(caller.group_ids().begin(), caller.group_ids().end());
  }
  return scope;
}

bool InScope(const VisibilityScope& scope, const v1::Incident& incident) {
  if (scope.everything) return true;
  if (!scope.person_id.empty() && scope.person_id == incident.requester_id()) return true;
  if (incident.possible_security()) return false;
  return scope.unrestricted || std::find(scope.group_ids.begin(), scope.group_ids.end(),
                                         incident.assignment_group_id()) != scope.group_ids.end();
}

std::string ActorOf(const Caller& caller) {
  if (!caller.person_id().empty()) return caller.person_id();
  return absl::StrCat("system:", caller.system().empty() ? "unknown" : caller.system());
}

}  // namespace tiquete::incident
