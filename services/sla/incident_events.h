// How incident events reach the clocks: incident.incident.<what> events (IncidentEvent
// payload on stream tiquete.incident.events) become TicketFacts applied by the store, inside the
// EventConsumer's transaction. Also the incident enum ⇄ SLA code mappings shared with the
// incident client.
#pragma once

#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "common/events.h"
#include "services/sla/domain/ticket_clocks.h"
#include "services/sla/store.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::sla {

inline constexpr char kIncidentStream[] = "tiquete.incident.events";

std::string StateCode(incident::v1::State state);              // "in_progress"
std::string PendingReasonCode(incident::v1::PendingReason r);  // "requester"
std::string LevelCode(incident::v1::SupportLevel level);       // "L2"
int PriorityNumber(incident::v1::Priority priority);           // 1..5, 0 when unspecified

// The facts of the incident snapshot.
TicketFacts FactsFromIncident(const incident::v1::Incident& incident);

struct IncidentChange {
  TicketFacts facts;
  absl::Time at;  // when the change happened at the incident service
};
// nullopt for events the SLA engine does not act on (other producers or aggregates);
// INVALID_ARGUMENT when an incident event carries no IncidentEvent (dead-lettered by the
// consumer after its attempts).
absl::StatusOr<std::optional<IncidentChange>> ChangeFromEvent(const events::v1::Event& event);

// How the engine consumes kIncidentStream: group "sla", `batch` events per read, and no
// processed_events rows. Every incident event carries the incident's snapshot with its version,
// one version per change (the events of one change share it); the store keeps the version it
// applied per ticket and ignores one it has seen (SlaStore::ApplyTicketChanges), which makes a
// redelivery harmless without a durable row per event (10 % of the database's time at
// 1,000,000 clocks).
ConsumerOptions IncidentConsumerOptions(std::string consumer, int batch);

// The EventConsumer handler for group "sla" on kIncidentStream.
EventHandler IncidentEventHandler(SlaStore& store);
// Its set-based form for a whole read batch (SlaStore::ApplyTicketChanges with
// ClockLocking::kOptimistic). An event that cannot be read fails the batch, so the consumer
// falls back to IncidentEventHandler per event.
BatchEventHandler IncidentEventBatchHandler(SlaStore& store);

}  // namespace tiquete::sla
