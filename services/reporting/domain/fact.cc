#include "services/reporting/domain/fact.h"

namespace tiquete::reporting {
namespace {

namespace v1 = incident::v1;

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return absl::InfiniteFuture();
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace

bool IncidentFact::open() const {
  return state == v1::NEW || state == v1::ASSIGNED || state == v1::IN_PROGRESS ||
         state == v1::PENDING;
}

bool IncidentFact::resolved() const {
  return (state == v1::RESOLVED || state == v1::CLOSED) && resolved_at != absl::InfiniteFuture();
}

bool IncidentFact::first_contact() const {
  return resolved() && resolved_level == v1::L1 && !escalated && !reassigned;
}

bool ApplyIncidentEvent(IncidentFact& fact, const v1::IncidentEvent& event,
                        absl::Time occurred_at) {
  const v1::Incident& in = event.incident();
  if (fact.counted() && in.version() < fact.version) return false;
  const int previous_state = fact.counted() ? fact.state : v1::STATE_UNSPECIFIED;

  fact.version = in.version();
  fact.type = in.type();
  fact.state = in.state();
  fact.channel = in.channel();
  fact.priority = in.priority();
  fact.level = in.level();
  fact.requester_id = in.requester_id();
  fact.category_id = in.category_id();
  fact.service_id = in.service_id();
  fact.ci_ids.assign(in.ci_ids().begin(), in.ci_ids().end());
  fact.group_id = in.assignment_group_id();
  fact.assignee_id = in.assignee_id();
  fact.opened_at = FromProto(in.created_at());
  if (fact.opened_at == absl::InfiniteFuture()) fact.opened_at = occurred_at;
  fact.first_response_at = FromProto(in.first_response_at());
  fact.closed_at = FromProto(in.closed_at());
  fact.reopen_count = in.reopen_count();
  fact.survey_rating = in.has_survey() ? in.survey().rating() : 0;

  // Escalation and reassignment are sticky: later snapshots do not show the history.
  if (event.change() == "escalated" || in.level() > v1::L1 || event.new_level() > v1::L1) {
    fact.escalated = true;
  }
  if (!in.assignee_id().empty()) {
    if (fact.first_assignee_id.empty()) {
      fact.first_assignee_id = in.assignee_id();
    } else if (in.assignee_id() != fact.first_assignee_id) {
      fact.reassigned = true;
    }
  }

  const bool now_resolved = in.state() == v1::RESOLVED || in.state() == v1::CLOSED;
  if (now_resolved) {
    absl::Time resolved_at = FromProto(in.resolved_at());
    if (resolved_at == absl::InfiniteFuture()) {
      resolved_at = fact.resolved_at != absl::InfiniteFuture() ? fact.resolved_at : occurred_at;
    }
    fact.resolved_at = resolved_at;
    fact.resolved_level =
        in.resolved_level() != v1::SUPPORT_LEVEL_UNSPECIFIED ? in.resolved_level() : in.level();
    if (previous_state != v1::RESOLVED && previous_state != v1::CLOSED) {
      fact.resolved_by = !in.assignee_id().empty() ? in.assignee_id() : event.actor_id();
    } else if (fact.resolved_by.empty()) {
      fact.resolved_by = in.assignee_id();
    }
  } else {
    // Reopened (or never resolved): no resolution counts until it is resolved again.
    fact.resolved_at = absl::InfiniteFuture();
    fact.resolved_level = v1::SUPPORT_LEVEL_UNSPECIFIED;
    fact.resolved_by.clear();
  }

  const bool was_pending = previous_state == v1::PENDING;
  const bool is_pending = in.state() == v1::PENDING;
  if (!was_pending && is_pending) {
    fact.pending_since = occurred_at;
  } else if (was_pending && !is_pending) {
    if (fact.pending_since != absl::InfiniteFuture() && occurred_at > fact.pending_since) {
      fact.pending_seconds += absl::ToInt64Seconds(occurred_at - fact.pending_since);
    }
    fact.pending_since = absl::InfiniteFuture();
  }
  return true;
}

void ApplySlaSignal(IncidentFact& fact, const SlaSignal& signal) {
  const bool response = signal.clock == SlaSignal::Clock::kResponse;
  SlaOutcome& outcome = response ? fact.response : fact.resolution;
  bool& at_risk = response ? fact.response_at_risk : fact.resolution_at_risk;
  int64_t& business = response ? fact.business_response_seconds : fact.business_resolution_seconds;
  switch (signal.kind) {
    case SlaSignal::Kind::kWarning:
      at_risk = true;
      break;
    case SlaSignal::Kind::kBreach:
      outcome = SlaOutcome::kBreached;
      break;
    case SlaSignal::Kind::kMet:
      if (outcome != SlaOutcome::kBreached) outcome = SlaOutcome::kMet;
      break;
  }
  // Only a met clock stopped at the resolution: the elapsed time a breach reports is the
  // target, not the time the incident finally took.
  if (signal.business_elapsed_seconds >= 0 && signal.kind == SlaSignal::Kind::kMet) {
    business = signal.business_elapsed_seconds;
  }
}

}  // namespace tiquete::reporting
