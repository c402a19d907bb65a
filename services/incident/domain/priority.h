// Priority from impact × urgency (the ITIL matrix, configurable), and the rule that an agent
// may override it only with a recorded justification.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

class PriorityMatrix {
 public:
  // ITIL default: HIGH/HIGH→P1; HIGH/MED, MED/HIGH→P2; HIGH/LOW, MED/MED, LOW/HIGH→P3;
  // MED/LOW, LOW/MED→P4; LOW/LOW→P5.
  PriorityMatrix();

  // Nine digits 1..5, row by row: impact HIGH, MEDIUM, LOW × urgency HIGH, MEDIUM, LOW.
  // The default is "123234345".
  static absl::StatusOr<PriorityMatrix> Parse(std::string_view spec);
  static std::string Validate(const std::string& spec);  // "" when valid (for Setting)

  // Unspecified impact or urgency count as MEDIUM.
  v1::Priority For(v1::Level impact, v1::Level urgency) const;

 private:
  std::array<int, 9> cells_;
};

// An explicit priority different from the matrix's needs a justification (INVALID_ARGUMENT,
// reason JUSTIFICATION_REQUIRED, field justification); P1..P5 only.
absl::Status CheckPriorityOverride(v1::Priority matrix, v1::Priority requested,
                                   std::string_view justification);

}  // namespace tiquete::incident
