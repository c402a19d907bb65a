#include "services/incident/domain/priority.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace tiquete::incident {
namespace {

int Index(v1::Level level) {
  switch (level) {
    case v1::HIGH:
      return 0;
    case v1::LOW:
      return 2;
    default:
      return 1;
  }
}

}  // namespace

PriorityMatrix::PriorityMatrix() : cells_{1, 2, 3, 2, 3, 4, 3, 4, 5} {}

std::string PriorityMatrix::Validate(const std::string& spec) {
  if (spec.size() != 9) return "must be 9 digits 1-5 (impact rows × urgency columns)";
  for (char c : spec) {
    if (c < '1' || c > '5') return "must be 9 digits 1-5 (impact rows × urgency columns)";
  }
  return "";
}

absl::StatusOr<PriorityMatrix> PriorityMatrix::Parse(std::string_view spec) {
  std::string s(spec);
  if (std::string problem = Validate(s); !problem.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("priority matrix \"", s, "\" ", problem));
  }
  PriorityMatrix m;
  for (int i = 0; i < 9; ++i) m.cells_[i] = s[i] - '0';
  return m;
}

v1::Priority PriorityMatrix::For(v1::Level impact, v1::Level urgency) const {
  return static_cast<v1::Priority>(cells_[Index(impact) * 3 + Index(urgency)]);
}

absl::Status CheckPriorityOverride(v1::Priority matrix, v1::Priority requested,
                                   std::string_view justification) {
  if (requested < v1::P1 || requested > v1::P5) {
    return InvalidField("priority", "REQUIRED", "priority must be one of P1..P5");
  }
  if (requested != matrix && absl::StripAsciiWhitespace(std::string(justification)).empty()) {
    return InvalidField(
        "justification", "JUSTIFICATION_REQUIRED",
        absl::StrCat("overriding the matrix priority P", static_cast<int>(matrix), " with P",
                     static_cast<int>(requested), " needs a justification"));
  }
  return absl::OkStatus();
}

}  // namespace tiquete::incident
