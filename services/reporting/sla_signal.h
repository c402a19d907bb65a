// Reads the SLA service's clock events (tiquete.sla.events, proto tiquete.sla.v1) into SlaSignal:
// sla.clock.warning / sla.clock.breached carry a ClockFiring, sla.clock.stopped a ClockOutcome
// (met or not, with the clock's elapsed business time). Only response and resolution clocks are
// reported on; OLA / underpinning clocks and sla.clock.cancelled are ignored.
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "services/reporting/domain/fact.h"
#include "tiquete/events/v1/event.pb.h"

namespace tiquete::reporting {

// nullopt when the event is not a response/resolution clock signal; INVALID_ARGUMENT when its
// payload does not parse.
absl::StatusOr<std::optional<SlaSignal>> DecodeSlaSignal(const events::v1::Event& event);

}  // namespace tiquete::reporting
