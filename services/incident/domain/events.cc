#include "services/incident/domain/events.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/incident/domain/timestamps.h"

namespace tiquete::incident {

std::string_view ChangeName(Change change) {
  switch (change) {
    case Change::kCreated:
      return "created";
    case Change::kUpdated:
      return "updated";
    case Change::kStateChanged:
      return "state_changed";
    case Change::kAssigned:
      return "assigned";
    case Change::kEscalated:
      return "escalated";
    case Change::kPriorityChanged:
      return "priority_changed";
    case Change::kCommented:
      return "commented";
    case Change::kResolved:
      return "resolved";
    case Change::kClosed:
      return "closed";
    case Change::kReopened:
      return "reopened";
    case Change::kSurveyed:
      return "surveyed";
    case Change::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string EventType(Change change) {
  return absl::StrCat("incident.incident.", std::string(ChangeName(change)));
}

std::vector<Change> EventsFor(const std::vector<Change>& named, const v1::Incident& before,
                              const v1::Incident& after) {
  std::vector<Change> out;
  auto add = [&](Change c) {
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  for (Change c : named) add(c);
  // A creation is one event: its snapshot already carries the initial state and priority.
  if (std::find(named.begin(), named.end(), Change::kCreated) != named.end()) return out;
  if (before.state() != after.state()) add(Change::kStateChanged);
  if (before.priority() != after.priority()) add(Change::kPriorityChanged);
  return out;
}

v1::IncidentEvent BuildEvent(Change change, const v1::Incident& before, const v1::Incident& after,
                             const std::vector<v1::FieldChange>& changes,
                             const ChangeContext& context) {
  v1::IncidentEvent event;
  *event.mutable_incident() = after;
  for (auto& attachment : *event.mutable_incident()->mutable_attachments()) {
    attachment.clear_content();
  }
  event.set_change(std::string(ChangeName(change)));
  event.set_previous_state(before.state());
  event.set_new_state(after.state());
  event.set_previous_level(before.level());
  event.set_new_level(after.level());
  event.set_previous_group_id(before.assignment_group_id());
  event.set_new_group_id(after.assignment_group_id());
  event.set_previous_priority(before.priority());
  event.set_new_priority(after.priority());
  event.set_actor_id(context.actor_id);
  *event.mutable_occurred_at() = ToProtoTime(context.at);
  event.set_reason(context.reason);
  for (const auto& c : changes) *event.add_changes() = c;
  event.set_escalation_kind(context.escalation_kind);
  event.set_work_log_id(context.work_log_id);
  event.set_comment_visibility(context.comment_visibility);
  return event;
}

}  // namespace tiquete::incident
