#include "services/sla/escalation.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "services/sla/domain/escalation.h"
#include "services/sla/proto_mapping.h"

namespace tiquete::sla {
namespace {

// A stale version means someone else changed the incident between our read and our write:
// read again and decide again, a few times, before letting the consumer retry later.
constexpr int kVersionRetries = 3;

TicketNow Now(const IncidentSnapshot& s) { return {s.state, s.priority, s.level, s.group_id}; }

std::string Reason(const v1::ClockFiring& firing) {
  const v1::Clock& c = firing.clock();
  return absl::StrCat(
      "SLA ", c.kind(), " clock breached (", firing.percent(), " % of P", c.priority(),
      " target, due ",
      absl::FormatTime("%Y-%m-%d %H:%M %Z", FromProtoTime(firing.due_time()), absl::UTCTimeZone()),
      ") [sla:", firing.firing_id(), "]");
}

constexpr char kRestrictedSkip[] =
    "possible security incident: not escalated through the service desk (the security team "
    "follows it)";

// Errors that a later attempt may cure are returned (the event stays pending); answers that
// will never change are recorded as a skip.
bool Permanent(const absl::Status& s) {
  return s.code() == absl::StatusCode::kFailedPrecondition ||
         s.code() == absl::StatusCode::kNotFound ||
         s.code() == absl::StatusCode::kInvalidArgument ||
         s.code() == absl::StatusCode::kPermissionDenied;
}

}  // namespace

absl::Status EscalationRunner::HandleBatch(pqxx::work& tx,
                                           const std::vector<const events::v1::Event*>& events) {
  for (const events::v1::Event* event : events) {
    if (absl::Status s = Handle(tx, *event); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status EscalationRunner::Handle(pqxx::work& tx, const events::v1::Event& event) {
  if (event.type() != "sla.clock.breached" && event.type() != "sla.clock.warning") {
    return absl::OkStatus();
  }
  v1::ClockFiring firing;
  if (!event.payload().UnpackTo(&firing) || firing.firing_id().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.id(), " carries no tiquete.sla.v1.ClockFiring"));
  }
  // A possible security incident is the security team's: the desk's escalations would show it
  // to the desk coordinator or hand it to the next support level, which the incident service
  // does not allow either. The firing stays recorded (and listed to the security team).
  const bool restricted =
      firing.actions_size() > 0 && store_.TicketRestricted(tx, firing.clock().ticket());
  for (const v1::EscalationStepToRun& step : firing.actions()) {
    if (!store_.RecordedAction(tx, firing.firing_id(), step.action()).empty()) continue;
    std::string outcome, detail;
    if (restricted) {
      outcome = "skipped";
      detail = kRestrictedSkip;
    } else if (absl::Status s = Run(tx, firing, step, &outcome, &detail); !s.ok()) {
      return s;
    }
    store_.RecordAction(tx, firing.firing_id(), step.action(), outcome, detail);
    log::Info("escalation action", {{"ticket", firing.clock().ticket()},
                                    {"firing_id", firing.firing_id()},
                                    {"action", step.action()},
                                    {"outcome", outcome},
                                    {"detail", detail}});
  }
  return absl::OkStatus();
}

absl::Status EscalationRunner::Run(pqxx::work& tx, const v1::ClockFiring& firing,
                                   const v1::EscalationStepToRun& step, std::string* outcome,
                                   std::string* detail) {
  if (step.action() == "notify_coordinator") {
    // The notifier (intake) turns this event into a message to the desk coordinator.
    v1::ClockFiring payload = firing;
    payload.clear_actions();
    const std::string id =
        AppendEvent(tx, {"sla.notification.requested", "clock", firing.clock().id(), &payload, ""});
    *outcome = "done";
    *detail = absl::StrCat("coordinator notification requested (event ", id, ")");
    return absl::OkStatus();
  }
  if (step.action() == "escalate_level") return EscalateLevel(firing, step, outcome, detail);
  if (step.action() == "raise_priority") return RaisePriority(firing, outcome, detail);
  *outcome = "skipped";
  *detail = absl::StrCat("unknown action ", step.action());
  return absl::OkStatus();
}

absl::Status EscalationRunner::EscalateLevel(const v1::ClockFiring& firing,
                                             const v1::EscalationStepToRun& step,
                                             std::string* outcome, std::string* detail) {
  const std::string& number = firing.clock().ticket();
  for (int attempt = 0; attempt < kVersionRetries; ++attempt) {
    auto incident = incidents_.GetIncident(number);
    if (!incident.ok()) {
      if (!Permanent(incident.status())) return incident.status();
      *outcome = "skipped";
      *detail = incident.status().ToString();
      return absl::OkStatus();
    }
    const EscalationDecision decision =
        DecideEscalateLevel(firing.clock().group_level(), step.to_group_id(), Now(*incident));
    if (!decision.run) {
      *outcome = "skipped";
      *detail = decision.why;
      return absl::OkStatus();
    }
    auto escalated = incidents_.EscalateToGroup(number, incident->version, step.to_group_id(),
                                                Reason(firing), "sla-" + firing.firing_id());
    if (escalated.ok()) {
      *outcome = "done";
      *detail = absl::StrCat("escalated from ", incident->level, " to group ", step.to_group_id(),
                             " (", escalated->level, ")");
      return absl::OkStatus();
    }
    if (escalated.status().code() == absl::StatusCode::kAborted) continue;  // re-read, re-decide
    if (!Permanent(escalated.status())) return escalated.status();
    *outcome = "skipped";
    *detail = escalated.status().ToString();
    return absl::OkStatus();
  }
  return absl::AbortedError(absl::StrCat("incident ", number, " kept changing; retried later"));
}

absl::Status EscalationRunner::RaisePriority(const v1::ClockFiring& firing, std::string* outcome,
                                             std::string* detail) {
  const std::string& number = firing.clock().ticket();
  for (int attempt = 0; attempt < kVersionRetries; ++attempt) {
    auto incident = incidents_.GetIncident(number);
    if (!incident.ok()) {
      if (!Permanent(incident.status())) return incident.status();
      *outcome = "skipped";
      *detail = incident.status().ToString();
      return absl::OkStatus();
    }
    const EscalationDecision decision =
        DecideRaisePriority(firing.clock().priority(), Now(*incident));
    if (!decision.run) {
      *outcome = "skipped";
      *detail = decision.why;
      return absl::OkStatus();
    }
    auto raised = incidents_.SetPriority(number, incident->version, decision.new_priority,
                                         Reason(firing), "sla-" + firing.firing_id());
    if (raised.ok()) {
      *outcome = "done";
      *detail = absl::StrCat("priority P", incident->priority, " → P", decision.new_priority);
      return absl::OkStatus();
    }
    if (raised.status().code() == absl::StatusCode::kAborted) continue;
    if (!Permanent(raised.status())) return raised.status();
    *outcome = "skipped";
    *detail = raised.status().ToString();
    return absl::OkStatus();
  }
  return absl::AbortedError(absl::StrCat("incident ", number, " kept changing; retried later"));
}

}  // namespace tiquete::sla
