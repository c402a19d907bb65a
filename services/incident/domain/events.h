// The incident.incident.<what> events and their IncidentEvent payloads. The SLA and reporting
// services consume them, so each carries the snapshot after the change and the state, level,
// group and priority before and after.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

enum class Change {
  kCreated,
  kUpdated,
  kStateChanged,
  kAssigned,
  kEscalated,
  kPriorityChanged,
  kCommented,
  kResolved,
  kClosed,
  kReopened,
  kSurveyed,
  kCancelled,
};

std::string_view ChangeName(Change change);  // "state_changed"
std::string EventType(Change change);        // "incident.incident.state_changed"

// The events one write emits: the ones the operation names, plus state_changed and
// priority_changed whenever the state or the priority differs; each at most once.
std::vector<Change> EventsFor(const std::vector<Change>& named, const v1::Incident& before,
                              const v1::Incident& after);

struct ChangeContext {
  std::string actor_id{};
  absl::Time at{};
  std::string reason{};
  v1::EscalationKind escalation_kind = v1::ESCALATION_KIND_UNSPECIFIED;
  std::string work_log_id{};
  v1::Visibility comment_visibility = v1::VISIBILITY_UNSPECIFIED;
};

// `before` is an empty Incident for kCreated. Attachment content is never copied into events.
v1::IncidentEvent BuildEvent(Change change, const v1::Incident& before, const v1::Incident& after,
                             const std::vector<v1::FieldChange>& changes,
                             const ChangeContext& context);

}  // namespace tiquete::incident
