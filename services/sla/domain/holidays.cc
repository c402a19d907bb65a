#include "services/sla/domain/holidays.h"

#include <algorithm>

namespace tiquete::sla {
namespace {

constexpr int kFirstCachedYear = 1984;
constexpr int kLastCachedYear = 2199;

// Ley 51 de 1983, art. 1: these feasts are observed on the following Monday when they do not
// fall on a Monday.
struct MovableFeast {
  int month;
  int day;
  const char* name;
};
constexpr MovableFeast kMovedFeasts[] = {
    {1, 6, "Día de los Reyes Magos"},
    {3, 19, "Día de San José"},
    {6, 29, "San Pedro y San Pablo"},
    {8, 15, "La Asunción de la Virgen"},
    {10, 12, "Día de la Raza"},
    {11, 1, "Día de Todos los Santos"},
    {11, 11, "Independencia de Cartagena"},
};

constexpr MovableFeast kFixedFeasts[] = {
    {1, 1, "Año Nuevo"},
    {5, 1, "Día del Trabajo"},
    {7, 20, "Día de la Independencia"},
    {8, 7, "Batalla de Boyacá"},
    {12, 8, "Inmaculada Concepción"},
    {12, 25, "Navidad"},
};

// A bitmap of holidays over the cached years, indexed by days since Jan 1 of the first year.
class HolidayTable {
 public:
  HolidayTable()
      : origin_(kFirstCachedYear, 1, 1),
        bits_(static_cast<size_t>(absl::CivilDay(kLastCachedYear + 1, 1, 1) - origin_), false) {
    for (int year = kFirstCachedYear; year <= kLastCachedYear; ++year) {
      for (const Holiday& h : ColombianHolidays(year)) bits_[h.date - origin_] = true;
    }
  }
  bool Covers(absl::CivilDay day) const {
    return day.year() >= kFirstCachedYear && day.year() <= kLastCachedYear;
  }
  bool Contains(absl::CivilDay day) const { return bits_[day - origin_]; }

 private:
  absl::CivilDay origin_;
  std::vector<bool> bits_;
};

const HolidayTable& Table() {
  static const HolidayTable* table = new HolidayTable();
  return *table;
}

}  // namespace

absl::CivilDay EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = ((h + l - 7 * m + 114) % 31) + 1;
  return absl::CivilDay(year, month, day);
}

absl::CivilDay MondayOnOrAfter(absl::CivilDay day) {
  while (absl::GetWeekday(day) != absl::Weekday::monday) ++day;
  return day;
}

std::vector<Holiday> ColombianHolidays(int year) {
  std::vector<Holiday> out;
  for (const MovableFeast& f : kFixedFeasts) {
    out.push_back({absl::CivilDay(year, f.month, f.day), f.name});
  }
  for (const MovableFeast& f : kMovedFeasts) {
    out.push_back({MondayOnOrAfter(absl::CivilDay(year, f.month, f.day)), f.name});
  }
  const absl::CivilDay easter = EasterSunday(year);
  out.push_back({easter - 3, "Jueves Santo"});
  out.push_back({easter - 2, "Viernes Santo"});
  // Ascension (Thursday, Easter + 39), Corpus Christi (Thursday, + 60) and the Sacred Heart
  // (Friday, + 68) are observed on the following Monday: + 43, + 64 and + 71.
  out.push_back({easter + 43, "Ascensión del Señor"});
  out.push_back({easter + 64, "Corpus Christi"});
  out.push_back({easter + 71, "Sagrado Corazón de Jesús"});
  std::stable_sort(out.begin(), out.end(),
                   [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  // Two feasts can land on one Monday (e.g. a moved feast on a Monday that is already one);
  // the day is one holiday: keep both names so the explanation stays honest.
  std::vector<Holiday> merged;
  for (Holiday& h : out) {
    if (!merged.empty() && merged.back().date == h.date) {
      merged.back().name += " / " + h.name;
    } else {
      merged.push_back(std::move(h));
    }
  }
  return merged;
}

bool IsColombianHoliday(absl::CivilDay day) {
  const HolidayTable& table = Table();
  if (table.Covers(day)) return table.Contains(day);
  for (const Holiday& h : ColombianHolidays(static_cast<int>(day.year()))) {
    if (h.date == day) return true;
  }
  return false;
}

std::string ColombianHolidayName(absl::CivilDay day) {
  if (!IsColombianHoliday(day)) return "";
  for (const Holiday& h : ColombianHolidays(static_cast<int>(day.year()))) {
    if (h.date == day) return h.name;
  }
  return "";
}

}  // namespace tiquete::sla
