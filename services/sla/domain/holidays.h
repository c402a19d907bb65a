// Colombian public holidays for any year: fixed dates, the Monday moves of Ley 51 de 1983
// ("Ley Emiliani") and the Easter-based feasts.
#pragma once

#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace tiquete::sla {

struct Holiday {
  absl::CivilDay date;
  std::string name;  // official Spanish name, shown as-is in explanations
};

// Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
absl::CivilDay EasterSunday(int year);

// The Monday on or after `day`: Ley 51 de 1983 moves most feasts to the following Monday.
absl::CivilDay MondayOnOrAfter(absl::CivilDay day);

// Every public holiday of `year`, sorted by date. The rules are those in force since 1984
// (Ley 51 de 1983); earlier years are computed with the same rules.
std::vector<Holiday> ColombianHolidays(int year);

// True when `day` is a Colombian public holiday; precomputed for 1984–2199 so the business-time
// arithmetic can ask for every day it walks, computed on demand outside that range.
bool IsColombianHoliday(absl::CivilDay day);

// The holiday's name, or "" when `day` is not one.
std::string ColombianHolidayName(absl::CivilDay day);

}  // namespace tiquete::sla
