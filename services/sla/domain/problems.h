// A field-level validation problem found by a domain rule; the service turns it into an
// INVALID_ARGUMENT status naming the field.
#pragma once

#include <string>
#include <vector>

namespace tiquete::sla {

struct FieldProblem {
  std::string field;
  std::string reason;  // UPPER_SNAKE code clients branch on
  std::string message;
};
using Problems = std::vector<FieldProblem>;

}  // namespace tiquete::sla
