// The escalation actions of warnings and breaches, run by consuming the engine's own
// sla.clock.warning / sla.clock.breached events (group "sla-escalation"), so they happen after
// the firing committed and are retried until the incident service answers.
//
// Exactly once: the consumer records each event id in processed_events with the action
// outcomes, and every incident call is preceded by a fresh read judged by DecideEscalateLevel /
// DecideRaisePriority and guarded by the incident version; a run repeated after a crash between
// the call and the commit finds the incident already moved and skips.
#pragma once

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "common/events.h"
#include "services/sla/incident_client.h"
#include "services/sla/store.h"
#include "tiquete/sla/v1/sla.pb.h"

namespace tiquete::sla {

class EscalationRunner {
 public:
  EscalationRunner(SlaStore& store, IncidentClient& incidents)
      : store_(store), incidents_(incidents) {}

  // The EventConsumer handler for stream tiquete.sla.events.
  absl::Status Handle(pqxx::work& tx, const events::v1::Event& event);
  // Its batch form: Handle for each event in stream order. Most sla events (stopped /
  // cancelled outcomes, warnings without actions) need nothing, so a batch costs the consumer's
  // one deduplicating statement instead of three statements per event. An action already run
  // in a batch that then fails runs again in the per-event fallback, like any retry: the
  // incident calls carry the firing's idempotency key and the incident version.
  absl::Status HandleBatch(pqxx::work& tx, const std::vector<const events::v1::Event*>& events);

 private:
  // Returns the outcome ("done" / "skipped") and its detail, or an error to retry the event.
  absl::Status Run(pqxx::work& tx, const v1::ClockFiring& firing,
                   const v1::EscalationStepToRun& step, std::string* outcome, std::string* detail);
  absl::Status EscalateLevel(const v1::ClockFiring& firing, const v1::EscalationStepToRun& step,
                             std::string* outcome, std::string* detail);
  absl::Status RaisePriority(const v1::ClockFiring& firing, std::string* outcome,
                             std::string* detail);

  SlaStore& store_;
  IncidentClient& incidents_;
};

}  // namespace tiquete::sla
