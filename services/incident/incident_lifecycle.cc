// Lifecycle operations: assignment, escalation, work, pending, resolution, closure,
// cancellation and reopening. The state machine and field effects live in domain/.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "services/incident/domain/codes.h"
#include "services/incident/domain/lifecycle.h"
#include "services/incident/incident_management.h"

namespace tiquete::incident {
namespace {

absl::Time Now(Clock* clock) { return absl::FromUnixMicros(absl::ToUnixMicros(clock->Now())); }

absl::Status Text(const char* field, std::string* value, size_t max, bool required) {
  return NormalizeText(field, value, max, required);
}

bool CallerInGroup(const Caller& caller, const std::string& group_id) {
  return std::find(caller.group_ids().begin(), caller.group_ids().end(), group_id) !=
         caller.group_ids().end();
}

}  // namespace

absl::StatusOr<v1::Incident> IncidentManagement::Assign(const Caller& caller,
                                                        const v1::AssignIncidentRequest& r) {
  std::string note = r.note();
  if (auto s = Text("note", &note, kMaxReasonChars, false); !s.ok()) return s;
  if (auto s = CheckId("group_id", r.group_id()); !s.ok()) return s;
  if (auto s = CheckId("assignee_id", r.assignee_id()); !s.ok()) return s;
  auto current = Visible(caller, r.number(), Operation::kWork);
  if (!current.ok()) return current.status();
  // No group given: keep the current one, or route by the category's default group.
  std::string group_id =
      r.group_id().empty() ? current->incident.assignment_group_id() : r.group_id();
  if (group_id.empty() && !current->incident.category_id().empty()) {
    auto category = directory_.GetCategory(current->incident.category_id());
    if (!category.ok() && category.status().code() != absl::StatusCode::kNotFound) {
      return category.status();
    }
    if (category.ok()) group_id = category->default_group_id();
  }
  if (group_id.empty()) {
    return InvalidField("group_id", "REQUIRED",
                        "group_id is required: the incident has no group and its category none "
                        "by default");
  }
  auto group = ActiveGroup("group_id", group_id);
  if (!group.ok()) return group.status();
  if (!r.assignee_id().empty()) {
    if (auto s = CheckAssignee("assignee_id", r.assignee_id(), group_id); !s.ok()) return s;
  }
  const v1::SupportLevel level = ParseLevelName(group->level());
  return Change(caller, r.number(), r.version(), Operation::kWork,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = ApplyAssign(incident, group_id, level, r.assignee_id()); !s.ok()) {
                    return s;
                  }
                  return Mutation{{Change::kAssigned}, note, std::nullopt};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::Escalate(const Caller& caller,
                                                          const v1::EscalateIncidentRequest& r) {
  std::string reason = r.reason();
  if (auto s = Text("reason", &reason, kMaxReasonChars, true); !s.ok()) return s;
  if (r.kind() != v1::FUNCTIONAL && r.kind() != v1::HIERARCHICAL) {
    return InvalidField("kind", "REQUIRED", "kind must be FUNCTIONAL or HIERARCHICAL");
  }
  for (const auto& [field, id] :
       {std::pair<const char*, const std::string*>{"group_id", &r.group_id()},
        {"assignee_id", &r.assignee_id()},
        {"coordinator_id", &r.coordinator_id()}}) {
    if (auto s = CheckId(field, *id); !s.ok()) return s;
  }
  v1::SupportLevel target_level = v1::SUPPORT_LEVEL_UNSPECIFIED;
  if (r.kind() == v1::FUNCTIONAL) {
    if (r.group_id().empty()) {
      return InvalidField("group_id", "REQUIRED", "a functional escalation names the target group");
    }
    auto group = ActiveGroup("group_id", r.group_id());
    if (!group.ok()) return group.status();
    target_level = ParseLevelName(group->level());
    if (!r.assignee_id().empty()) {
      if (auto s = CheckAssignee("assignee_id", r.assignee_id(), r.group_id()); !s.ok()) return s;
    }
  } else if (!r.coordinator_id().empty()) {
    auto person = directory_.GetPerson(r.coordinator_id());
    if (!person.ok()) {
      if (person.status().code() != absl::StatusCode::kNotFound) return person.status();
      return InvalidField("coordinator_id", "UNKNOWN_PERSON", "no such person");
    }
    const bool coordinates =
        std::any_of(person->roles().begin(), person->roles().end(), [](const std::string& role) {
          return role == "coordinator" || role == "incident_manager";
        });
    if (!person->active() || !coordinates) {
      return InvalidField("coordinator_id", "NOT_A_COORDINATOR",
                          "hierarchical escalations go to an active coordinator or incident "
                          "manager");
    }
  }
  const std::string actor = ActorOf(caller);
  return Change(
      caller, r.number(), r.version(), Operation::kWork,
      [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
        v1::Escalation escalation;
        escalation.set_kind(r.kind());
        escalation.set_from_level(incident->level());
        escalation.set_from_group_id(incident->assignment_group_id());
        escalation.set_reason(reason);
        escalation.set_actor_id(actor);
        if (r.kind() == v1::FUNCTIONAL) {
          if (auto s =
                  ApplyFunctionalEscalation(incident, r.group_id(), target_level, r.assignee_id());
              !s.ok()) {
            return s;
          }
          escalation.set_to_person_id(r.assignee_id());
        } else {
          if (auto s = ApplyHierarchicalEscalation(incident, r.coordinator_id()); !s.ok()) {
            return s;
          }
          escalation.set_to_person_id(r.coordinator_id());
        }
        escalation.set_to_level(incident->level());
        escalation.set_to_group_id(incident->assignment_group_id());
        return Mutation{{Change::kEscalated}, reason, escalation};
      });
}

absl::StatusOr<v1::Incident> IncidentManagement::Start(const Caller& caller,
                                                       const v1::StartWorkRequest& r) {
  const absl::Time now = Now(clock_);
  return Change(caller, r.number(), r.version(), Operation::kWork,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  // Someone from the group starting an unowned incident takes it.
                  const std::string taker = CallerInGroup(caller, incident->assignment_group_id())
                                                ? caller.person_id()
                                                : "";
                  if (auto s = ApplyStart(incident, taker, now); !s.ok()) return s;
                  return Mutation{};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::Pend(const Caller& caller,
                                                      const v1::SetPendingRequest& r) {
  std::string note = r.note();
  if (auto s = Text("note", &note, kMaxReasonChars, false); !s.ok()) return s;
  return Change(caller, r.number(), r.version(), Operation::kWork,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = ApplyPend(incident, r.reason()); !s.ok()) return s;
                  return Mutation{{}, note, std::nullopt};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::Resume(const Caller& caller,
                                                        const v1::ResumeRequest& r) {
  std::string note = r.note();
  if (auto s = Text("note", &note, kMaxReasonChars, false); !s.ok()) return s;
  return Change(caller, r.number(), r.version(), Operation::kWork,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = ApplyResume(incident); !s.ok()) return s;
                  return Mutation{{}, note, std::nullopt};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::Resolve(const Caller& caller,
                                                         const v1::ResolveIncidentRequest& r) {
  std::string code = r.resolution_code();
  std::string notes = r.resolution_notes();
  if (auto s = Text("resolution_code", &code, 100, true); !s.ok()) return s;
  if (auto s = Text("resolution_notes", &notes, kMaxTextChars, false); !s.ok()) return s;
  const absl::Time now = Now(clock_);
  return Change(caller, r.number(), r.version(), Operation::kWork,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = ApplyResolve(incident, code, notes, now); !s.ok()) return s;
                  return Mutation{{Change::kResolved}, notes, std::nullopt};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::Close(const Caller& caller,
                                                       const v1::CloseIncidentRequest& r) {
  std::string code = r.closure_code();
  std::string note = r.note();
  if (auto s = Text("closure_code", &code, 100, false); !s.ok()) return s;
  if (auto s = Text("note", &note, kMaxReasonChars, false); !s.ok()) return s;
  const absl::Time now = Now(clock_);
  return Change(caller, r.number(), r.version(), Operation::kClose,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = ApplyClose(incident, code, now); !s.ok()) return s;
                  return Mutation{{Change::kClosed}, note, std::nullopt};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::Cancel(const Caller& caller,
                                                        const v1::CancelIncidentRequest& r) {
  std::string reason = r.reason();
  if (auto s = Text("reason", &reason, kMaxReasonChars, true); !s.ok()) return s;
  const absl::Time now = Now(clock_);
  return Change(caller, r.number(), r.version(), Operation::kCancel,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = ApplyCancel(incident, reason, now); !s.ok()) return s;
                  return Mutation{{Change::kCancelled}, reason, std::nullopt};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::Reopen(const Caller& caller,
                                                        const v1::ReopenIncidentRequest& r) {
  std::string reason = r.reason();
  if (auto s = Text("reason", &reason, kMaxReasonChars, true); !s.ok()) return s;
  const absl::Time now = Now(clock_);
  return Change(caller, r.number(), r.version(), Operation::kReopen,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = ApplyReopen(incident, reason, now, options_.reopen_window);
                      !s.ok()) {
                    return s;
                  }
                  return Mutation{{Change::kReopened}, reason, std::nullopt};
                });
}

}  // namespace tiquete::incident
