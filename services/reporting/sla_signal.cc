#include "services/reporting/sla_signal.h"

#include "tiquete/sla/v1/sla.pb.h"

namespace tiquete::reporting {
namespace {

std::optional<SlaSignal> FromClock(const sla::v1::Clock& clock, SlaSignal::Kind kind) {
  SlaSignal s;
  s.number = clock.ticket();
  s.kind = kind;
  if (clock.kind() == "response") {
    s.clock = SlaSignal::Clock::kResponse;
  } else if (clock.kind() == "resolution") {
    s.clock = SlaSignal::Clock::kResolution;
  } else {
    return std::nullopt;
  }
  if (s.number.empty()) return std::nullopt;
  s.business_elapsed_seconds = clock.elapsed_seconds();
  return s;
}

absl::Status Unparsable(const events::v1::Event& event) {
  return absl::InvalidArgumentError("SLA event " + event.id() + " of type " + event.type() +
                                    " has no parsable payload");
}

}  // namespace

absl::StatusOr<std::optional<SlaSignal>> DecodeSlaSignal(const events::v1::Event& event) {
  const std::string& type = event.type();
  if (type == "sla.clock.warning" || type == "sla.clock.breached") {
    sla::v1::ClockFiring firing;
    if (!event.payload().UnpackTo(&firing)) return Unparsable(event);
    return FromClock(firing.clock(), type == "sla.clock.breached" ? SlaSignal::Kind::kBreach
                                                                  : SlaSignal::Kind::kWarning);
  }
  if (type == "sla.clock.stopped") {
    sla::v1::ClockOutcome outcome;
    if (!event.payload().UnpackTo(&outcome)) return Unparsable(event);
    return FromClock(outcome.clock(),
                     outcome.met() ? SlaSignal::Kind::kMet : SlaSignal::Kind::kBreach);
  }
  return std::optional<SlaSignal>();
}

}  // namespace tiquete::reporting
