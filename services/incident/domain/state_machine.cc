#include "services/incident/domain/state_machine.h"

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "services/incident/domain/codes.h"

namespace tiquete::incident {

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kAssign:
      return "assign";
    case Action::kEscalateFunctional:
      return "escalate (functional)";
    case Action::kEscalateHierarchical:
      return "escalate (hierarchical)";
    case Action::kStart:
      return "start";
    case Action::kPend:
      return "pend";
    case Action::kResume:
      return "resume";
    case Action::kResolve:
      return "resolve";
    case Action::kClose:
      return "close";
    case Action::kCancel:
      return "cancel";
    case Action::kReopen:
      return "reopen";
  }
  return "?";
}

const std::vector<Transition>& Transitions() {
  using A = Action;
  // Reassignment and functional escalation hand the incident to someone who has not started on
  // it yet, so they lead back to assigned. A pending incident is resumed before it is handed
  // over, so its pause reason is never silently lost. Hierarchical escalation informs the
  // coordinator and leaves the state alone.
  static const std::vector<Transition> kTransitions = {
      {v1::NEW, A::kAssign, v1::ASSIGNED},
      {v1::NEW, A::kEscalateHierarchical, v1::NEW},
      {v1::NEW, A::kCancel, v1::CANCELLED},
      {v1::ASSIGNED, A::kAssign, v1::ASSIGNED},
      {v1::ASSIGNED, A::kEscalateFunctional, v1::ASSIGNED},
      {v1::ASSIGNED, A::kEscalateHierarchical, v1::ASSIGNED},
      {v1::ASSIGNED, A::kStart, v1::IN_PROGRESS},
      {v1::ASSIGNED, A::kCancel, v1::CANCELLED},
      {v1::IN_PROGRESS, A::kAssign, v1::ASSIGNED},
      {v1::IN_PROGRESS, A::kEscalateFunctional, v1::ASSIGNED},
      {v1::IN_PROGRESS, A::kEscalateHierarchical, v1::IN_PROGRESS},
      {v1::IN_PROGRESS, A::kPend, v1::PENDING},
      {v1::IN_PROGRESS, A::kResolve, v1::RESOLVED},
      {v1::IN_PROGRESS, A::kCancel, v1::CANCELLED},
      {v1::PENDING, A::kResume, v1::IN_PROGRESS},
      {v1::PENDING, A::kEscalateHierarchical, v1::PENDING},
      {v1::PENDING, A::kResolve, v1::RESOLVED},
      {v1::PENDING, A::kCancel, v1::CANCELLED},
      {v1::RESOLVED, A::kClose, v1::CLOSED},
      {v1::RESOLVED, A::kReopen, v1::IN_PROGRESS},
  };
  return kTransitions;
}

std::vector<Transition> AllowedFrom(v1::State from) {
  std::vector<Transition> out;
  for (const Transition& t : Transitions()) {
    if (t.from == from) out.push_back(t);
  }
  return out;
}

absl::StatusOr<v1::State> NextState(v1::State from, Action action) {
  std::string allowed;
  for (const Transition& t : AllowedFrom(from)) {
    if (t.action == action) return t.to;
    absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", std::string(ActionName(t.action)), " → ",
                    std::string(StateCode(t.to)));
  }
  std::string message = absl::StrCat("cannot ", std::string(ActionName(action)),
                                     " an incident that is ", std::string(StateCode(from)), "; ");
  if (allowed.empty()) {
    absl::StrAppend(&message, "no transitions are allowed from ", std::string(StateCode(from)));
  } else {
    absl::StrAppend(&message, "allowed from ", std::string(StateCode(from)), ": ", allowed);
  }
  return Error(absl::StatusCode::kFailedPrecondition, "ILLEGAL_TRANSITION", message);
}

bool IsOpen(v1::State state) {
  return state == v1::NEW || state == v1::ASSIGNED || state == v1::IN_PROGRESS ||
         state == v1::PENDING;
}

bool IsEditable(v1::State state) {
  return state != v1::CLOSED && state != v1::CANCELLED && state != v1::STATE_UNSPECIFIED;
}

absl::Status CheckEditable(v1::State state) {
  if (IsEditable(state)) return absl::OkStatus();
  return Error(
      absl::StatusCode::kFailedPrecondition, "NOT_EDITABLE",
      absl::StrCat("an incident that is ", std::string(StateCode(state)), " cannot be changed"));
}

absl::Status CheckReopenWindow(absl::Time resolved_at, absl::Time now, absl::Duration window) {
  if (now - resolved_at <= window) return absl::OkStatus();
  return Error(absl::StatusCode::kFailedPrecondition, "REOPEN_WINDOW_EXPIRED",
               absl::StrCat("the incident was resolved more than ", absl::FormatDuration(window),
                            " ago and can no longer be reopened; open a new incident"));
}

}  // namespace tiquete::incident
