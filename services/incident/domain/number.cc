#include "services/incident/domain/number.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

namespace tiquete::incident {

std::string_view NumberPrefix(v1::TicketType type) {
  return type == v1::SERVICE_REQUEST ? "REQ" : "INC";
}

std::string FormatNumber(v1::TicketType type, int year, int64_t sequence) {
  return absl::StrFormat("%s-%04d-%06d", std::string(NumberPrefix(type)), year, sequence);
}

bool IsTicketNumber(std::string_view n) {
  if (n.size() < 15 || n.size() > 20) return false;
  if (n.substr(0, 4) != "INC-" && n.substr(0, 4) != "REQ-") return false;
  for (size_t i = 4; i < n.size(); ++i) {
    if (i == 8) {
      if (n[i] != '-') return false;
    } else if (!absl::ascii_isdigit(static_cast<unsigned char>(n[i]))) {
      return false;
    }
  }
  return true;
}

int ColombianYear(absl::Time t) {
  static const absl::TimeZone kColombia = absl::FixedTimeZone(-5 * 60 * 60);
  return static_cast<int>(absl::ToCivilYear(t, kColombia).year());
}

}  // namespace tiquete::incident
