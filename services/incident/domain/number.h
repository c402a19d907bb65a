// Human-readable ticket numbers: INC-YYYY-NNNNNN for incidents, REQ-YYYY-NNNNNN for service
// requests, counted per prefix and per calendar year in Colombia.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

std::string_view NumberPrefix(v1::TicketType type);  // "INC" or "REQ"

// At least six digits; the counter simply widens past 999999.
std::string FormatNumber(v1::TicketType type, int year, int64_t sequence);

// True for a well-formed INC-/REQ- number (used to answer NOT_FOUND without a query).
bool IsTicketNumber(std::string_view number);

// The year of `t` in Colombia (UTC-5 all year: no daylight saving), so an incident opened on
// 31 December at 20:00 local time belongs to that year.
int ColombianYear(absl::Time t);

}  // namespace tiquete::incident
