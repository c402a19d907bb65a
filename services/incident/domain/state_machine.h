// The one incident state machine: every lifecycle action is checked here, and an illegal one
// is refused with the list of what the current state allows.
//
//   new → assigned → in_progress ⇄ pending(reason) → resolved → closed
//   cancelled from any open state; resolved → in_progress (reopen) within a window.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

enum class Action {
  kAssign,
  kEscalateFunctional,
  kEscalateHierarchical,
  kStart,
  kPend,
  kResume,
  kResolve,
  kClose,
  kCancel,
  kReopen,
};

std::string_view ActionName(Action action);  // "assign", "escalate (functional)", ...

struct Transition {
  v1::State from;
  Action action;
  v1::State to;
};

// Every legal transition, in a stable order.
const std::vector<Transition>& Transitions();
std::vector<Transition> AllowedFrom(v1::State from);

// The state `action` leads to from `from`, or FAILED_PRECONDITION with reason
// ILLEGAL_TRANSITION whose message lists the transitions allowed from `from`.
absl::StatusOr<v1::State> NextState(v1::State from, Action action);

// Open: work may still happen (new, assigned, in_progress, pending).
bool IsOpen(v1::State state);
// Fields may be edited until the incident is closed or cancelled.
bool IsEditable(v1::State state);
// FAILED_PRECONDITION (reason NOT_EDITABLE) for closed and cancelled incidents.
absl::Status CheckEditable(v1::State state);

// A resolved incident may be reopened only within `window` of its resolution
// (FAILED_PRECONDITION, reason REOPEN_WINDOW_EXPIRED, otherwise).
absl::Status CheckReopenWindow(absl::Time resolved_at, absl::Time now, absl::Duration window);

}  // namespace tiquete::incident
