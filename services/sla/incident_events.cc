#include "services/sla/incident_events.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/sla/proto_mapping.h"

namespace tiquete::sla {

using incident::v1::IncidentEvent;

std::string StateCode(incident::v1::State state) {
  switch (state) {
    case incident::v1::NEW:
      return "new";
    case incident::v1::ASSIGNED:
      return "assigned";
    case incident::v1::IN_PROGRESS:
      return "in_progress";
    case incident::v1::PENDING:
      return "pending";
    case incident::v1::RESOLVED:
      return "resolved";
    case incident::v1::CLOSED:
      return "closed";
    case incident::v1::CANCELLED:
      return "cancelled";
    default:
      return "";
  }
}

std::string PendingReasonCode(incident::v1::PendingReason r) {
  switch (r) {
    case incident::v1::REQUESTER:
      return "requester";
    case incident::v1::PROVIDER:
      return "provider";
    case incident::v1::CHANGE:
      return "change";
    default:
      return "";
  }
}

std::string LevelCode(incident::v1::SupportLevel level) {
  switch (level) {
    case incident::v1::L1:
      return "L1";
    case incident::v1::L2:
      return "L2";
    case incident::v1::L3:
      return "L3";
    default:
      return "";
  }
}

int PriorityNumber(incident::v1::Priority priority) {
  const int p = static_cast<int>(priority);
  return p >= 1 && p <= 5 ? p : 0;
}

TicketFacts FactsFromIncident(const incident::v1::Incident& in) {
  TicketFacts f;
  f.number = in.number();
  f.state = StateCode(in.state());
  f.pending_reason =
      in.state() == incident::v1::PENDING ? PendingReasonCode(in.pending_reason()) : std::string();
  int priority = PriorityNumber(in.priority());
  if (priority == 0) priority = PriorityNumber(in.matrix_priority());
  f.priority = priority == 0 ? 3 : priority;  // measured as P3 until the desk prioritises
  f.service_id = in.service_id();
  f.category_id = in.category_id();
  f.group_id = in.assignment_group_id();
  f.group_level = LevelCode(in.level());
  f.created_at = IsSet(in.created_at()) ? FromProtoTime(in.created_at()) : absl::InfinitePast();
  f.first_response_at = IsSet(in.first_response_at()) ? FromProtoTime(in.first_response_at())
                                                      : absl::InfiniteFuture();
  f.version = in.version();
  f.restricted = in.possible_security();
  return f;
}

absl::StatusOr<std::optional<IncidentChange>> ChangeFromEvent(const events::v1::Event& event) {
  if (!absl::StartsWith(event.type(), "incident.incident.")) return std::nullopt;
  IncidentEvent payload;
  if (!event.payload().UnpackTo(&payload) || payload.incident().number().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.id(), " of type ", event.type(),
                     " does not carry a tiquete.incident.v1.IncidentEvent"));
  }
  IncidentChange change;
  change.facts = FactsFromIncident(payload.incident());
  if (change.facts.state.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", event.id(), ": incident ", change.facts.number, " has no state"));
  }
  change.at = IsSet(payload.occurred_at()) ? FromProtoTime(payload.occurred_at())
                                           : FromProtoTime(event.occurred_at());
  return change;
}

ConsumerOptions IncidentConsumerOptions(std::string consumer, int batch) {
  ConsumerOptions options;
  options.stream = kIncidentStream;
  options.group = "sla";
  options.consumer = std::move(consumer);
  options.batch = batch;
  options.record_processed = false;
  return options;
}

EventHandler IncidentEventHandler(SlaStore& store) {
  return [&store](pqxx::work& tx, const events::v1::Event& event) -> absl::Status {
    auto change = ChangeFromEvent(event);
    if (!change.ok()) return change.status();
    if (!change->has_value()) return absl::OkStatus();
    auto applied = store.ApplyTicketFacts(tx, (*change)->facts, (*change)->at,
                                          absl::StrCat("event:", event.id()));
    return applied.status();
  };
}

BatchEventHandler IncidentEventBatchHandler(SlaStore& store) {
  return [&store](pqxx::work& tx,
                  const std::vector<const events::v1::Event*>& events) -> absl::Status {
    std::vector<TicketChange> changes;
    changes.reserve(events.size());
    for (const events::v1::Event* event : events) {
      auto change = ChangeFromEvent(*event);
      if (!change.ok()) return change.status();
      if (!change->has_value()) continue;
      changes.push_back(
          {std::move((*change)->facts), (*change)->at, absl::StrCat("event:", event->id())});
    }
    if (changes.empty()) return absl::OkStatus();
    return store.ApplyTicketChanges(tx, changes, SlaStore::ClockLocking::kOptimistic).status();
  };
}

}  // namespace tiquete::sla
