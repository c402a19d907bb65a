#include "services/incident/domain/lifecycle.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "services/incident/domain/codes.h"
#include "services/incident/domain/state_machine.h"
#include "services/incident/domain/timestamps.h"

namespace tiquete::incident {
namespace {

// Each Apply* checks everything before it touches the record, so a refused action leaves the
// incident exactly as it was.

absl::Status Required(const char* field, const std::string& value) {
  if (!absl::StripAsciiWhitespace(value).empty()) return absl::OkStatus();
  return InvalidField(field, "REQUIRED", absl::StrCat(field, " is required"));
}

}  // namespace

absl::Status ApplyAssign(v1::Incident* incident, const std::string& group_id,
                         v1::SupportLevel group_level, const std::string& assignee_id) {
  if (auto s = Required("group_id", group_id); !s.ok()) return s;
  auto next = NextState(incident->state(), Action::kAssign);
  if (!next.ok()) return next.status();
  incident->set_assignment_group_id(group_id);
  incident->set_level(group_level);
  incident->set_assignee_id(assignee_id);
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplyFunctionalEscalation(v1::Incident* incident, const std::string& group_id,
                                       v1::SupportLevel group_level,
                                       const std::string& assignee_id) {
  if (auto s = Required("group_id", group_id); !s.ok()) return s;
  auto next = NextState(incident->state(), Action::kEscalateFunctional);
  if (!next.ok()) return next.status();
  if (group_id == incident->assignment_group_id()) {
    return InvalidField("group_id", "SAME_GROUP",
                        "the incident is already with this group; escalate to another group");
  }
  if (group_level < incident->level()) {
    return Error(absl::StatusCode::kFailedPrecondition, "ESCALATION_DOWNWARD",
                 absl::StrCat("cannot escalate from ", std::string(LevelName(incident->level())),
                              " down to ", std::string(LevelName(group_level)),
                              "; reassign the incident instead"),
                 "group_id");
  }
  incident->set_assignment_group_id(group_id);
  incident->set_level(group_level);
  incident->set_assignee_id(assignee_id);
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplyHierarchicalEscalation(v1::Incident* incident,
                                         const std::string& coordinator_id) {
  auto next = NextState(incident->state(), Action::kEscalateHierarchical);
  if (!next.ok()) return next.status();
  incident->set_coordinator_id(coordinator_id);
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplyStart(v1::Incident* incident, const std::string& taker, absl::Time now) {
  auto next = NextState(incident->state(), Action::kStart);
  if (!next.ok()) return next.status();
  if (incident->assignee_id().empty()) {
    if (taker.empty()) {
      return Error(absl::StatusCode::kFailedPrecondition, "NO_ASSIGNEE",
                   "nobody is assigned: assign the incident to a person before starting work");
    }
    incident->set_assignee_id(taker);
  }
  NoteFirstResponse(incident, now);
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplyPend(v1::Incident* incident, v1::PendingReason reason) {
  if (reason == v1::PENDING_REASON_UNSPECIFIED || PendingReasonCode(reason).empty()) {
    return InvalidField("reason", "REQUIRED", "reason must be REQUESTER, PROVIDER or CHANGE");
  }
  auto next = NextState(incident->state(), Action::kPend);
  if (!next.ok()) return next.status();
  incident->set_pending_reason(reason);
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplyResume(v1::Incident* incident) {
  auto next = NextState(incident->state(), Action::kResume);
  if (!next.ok()) return next.status();
  incident->clear_pending_reason();
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplyResolve(v1::Incident* incident, const std::string& resolution_code,
                          const std::string& notes, absl::Time now) {
  if (auto s = Required("resolution_code", resolution_code); !s.ok()) return s;
  auto next = NextState(incident->state(), Action::kResolve);
  if (!next.ok()) return next.status();
  incident->clear_pending_reason();
  incident->set_resolution_code(resolution_code);
  incident->set_resolution_notes(notes);
  incident->set_resolved_level(incident->level());
  *incident->mutable_resolved_at() = ToProtoTime(now);
  NoteFirstResponse(incident, now);
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplyClose(v1::Incident* incident, const std::string& closure_code, absl::Time now) {
  auto next = NextState(incident->state(), Action::kClose);
  if (!next.ok()) return next.status();
  incident->set_closure_code(closure_code.empty() ? "confirmed" : closure_code);
  *incident->mutable_closed_at() = ToProtoTime(now);
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplyCancel(v1::Incident* incident, const std::string& reason, absl::Time now) {
  if (auto s = Required("reason", reason); !s.ok()) return s;
  auto next = NextState(incident->state(), Action::kCancel);
  if (!next.ok()) return next.status();
  incident->clear_pending_reason();
  incident->set_cancel_reason(reason);
  *incident->mutable_closed_at() = ToProtoTime(now);
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplyReopen(v1::Incident* incident, const std::string& reason, absl::Time now,
                         absl::Duration window) {
  if (auto s = Required("reason", reason); !s.ok()) return s;
  const absl::Time resolved_at = FromProtoTime(incident->resolved_at());
  auto next = NextState(incident->state(), Action::kReopen);
  if (!next.ok()) return next.status();
  if (auto s = CheckReopenWindow(resolved_at, now, window); !s.ok()) return s;
  incident->set_reopen_count(incident->reopen_count() + 1);
  // The resolution did not hold: the next one is recorded afresh (the audit trail keeps this one).
  incident->clear_resolved_at();
  incident->clear_resolved_level();
  incident->clear_resolution_code();
  incident->clear_resolution_notes();
  incident->set_state(*next);
  return absl::OkStatus();
}

absl::Status ApplySurvey(v1::Incident* incident, int rating, const std::string& comment,
                         absl::Time now) {
  if (rating < 1 || rating > 5) {
    return InvalidField("rating", "INVALID_RATING", "rating must be between 1 and 5");
  }
  if (incident->state() != v1::RESOLVED && incident->state() != v1::CLOSED) {
    return Error(absl::StatusCode::kFailedPrecondition, "NOT_RESOLVED",
                 absl::StrCat("the survey opens once the incident is resolved; it is ",
                              std::string(StateCode(incident->state()))));
  }
  if (incident->survey().rating() != 0) {
    return Error(absl::StatusCode::kAlreadyExists, "SURVEY_ALREADY_SUBMITTED",
                 "the survey for this incident was already answered");
  }
  incident->mutable_survey()->set_rating(rating);
  incident->mutable_survey()->set_comment(comment);
  *incident->mutable_survey()->mutable_submitted_at() = ToProtoTime(now);
  return absl::OkStatus();
}

void NoteFirstResponse(v1::Incident* incident, absl::Time now) {
  if (!IsSet(incident->first_response_at())) {
    *incident->mutable_first_response_at() = ToProtoTime(now);
  }
}

void ApplyClassification(v1::Incident* incident, v1::Level impact, v1::Level urgency,
                         const PriorityMatrix& matrix) {
  incident->set_impact(impact);
  incident->set_urgency(urgency);
  incident->set_matrix_priority(matrix.For(impact, urgency));
  if (!incident->priority_overridden()) incident->set_priority(incident->matrix_priority());
}

absl::Status ApplyPriorityOverride(v1::Incident* incident, v1::Priority priority,
                                   const std::string& justification) {
  if (auto s = CheckEditable(incident->state()); !s.ok()) return s;
  if (auto s = CheckPriorityOverride(incident->matrix_priority(), priority, justification);
      !s.ok()) {
    return s;
  }
  incident->set_priority(priority);
  incident->set_priority_overridden(priority != incident->matrix_priority());
  incident->set_priority_justification(incident->priority_overridden() ? justification : "");
  return absl::OkStatus();
}

absl::Status ApplyMajor(v1::Incident* incident, bool major, const std::string& owner_id) {
  if (auto s = CheckEditable(incident->state()); !s.ok()) return s;
  if (major && owner_id.empty()) {
    return InvalidField("owner_id", "REQUIRED", "a major incident needs an owner");
  }
  incident->set_major(major);
  incident->set_major_owner_id(major ? owner_id : "");
  return absl::OkStatus();
}

}  // namespace tiquete::incident
