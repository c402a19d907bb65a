#include "services/sla/domain/calendar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/sla/domain/holidays.h"

namespace tiquete::sla {
namespace {

// How far the arithmetic walks before declaring a target unreachable (a calendar closed for
// decades); keeps a mis-configured calendar from looping forever.
constexpr int kHorizonDays = 366 * 20;
constexpr int kMaxExplanationLines = 80;
constexpr int kMinutesPerDay = 24 * 60;

int WeekdayIndex(absl::CivilDay day) { return static_cast<int>(absl::GetWeekday(day)); }

absl::Time LocalMinute(absl::CivilDay day, int minute, const absl::TimeZone& zone) {
  return absl::FromCivil(absl::CivilSecond(day) + minute * 60, zone);
}

}  // namespace

CalendarSpec DefaultOfficeCalendarSpec() {
  CalendarSpec spec;
  spec.name = "Horario de oficina";
  for (int d = 0; d < 5; ++d) spec.week[d] = {{7 * 60, 12 * 60}, {14 * 60, 18 * 60}};
  return spec;
}

CalendarSpec TwentyFourSevenCalendarSpec() {
  CalendarSpec spec;
  spec.name = "24x7";
  spec.always_open = true;
  spec.colombian_holidays = false;
  for (auto& day : spec.week) day = {{0, kMinutesPerDay}};
  return spec;
}

Problems ValidateCalendarSpec(const CalendarSpec& spec) {
  Problems problems;
  absl::TimeZone zone;
  if (spec.time_zone.empty() || !absl::LoadTimeZone(spec.time_zone, &zone)) {
    problems.push_back({"time_zone", "UNKNOWN_TIME_ZONE",
                        absl::StrCat("unknown IANA time zone \"", spec.time_zone, "\"")});
  }
  int open_minutes = 0;
  for (int d = 0; d < 7; ++d) {
    int previous_end = -1;
    for (const Shift& s : spec.week[d]) {
      const std::string field = absl::StrCat("week[", d, "]");
      if (s.start_minute < 0 || s.end_minute > kMinutesPerDay || s.start_minute >= s.end_minute) {
        problems.push_back({field, "INVALID_SHIFT",
                            "a shift needs 0 <= start < end <= 1440 minutes after midnight"});
      } else if (s.start_minute < previous_end) {
        problems.push_back(
            {field, "OVERLAPPING_SHIFTS", "shifts of a day must be sorted and must not overlap"});
      } else {
        open_minutes += s.end_minute - s.start_minute;
        previous_end = s.end_minute;
      }
    }
  }
  if (!spec.always_open && open_minutes == 0) {
    problems.push_back(
        {"week", "NO_OFFICE_HOURS", "a calendar needs at least one shift (or be 24x7)"});
  }
  for (size_t i = 0; i < spec.closures.size(); ++i) {
    if (spec.closures[i].to <= spec.closures[i].from) {
      problems.push_back({absl::StrCat("closures[", i, "]"), "INVALID_CLOSURE",
                          "a closure must end after it starts"});
    }
  }
  if (spec.name.empty()) problems.push_back({"name", "REQUIRED", "a calendar needs a name"});
  return problems;
}

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(CalendarSpec spec) {
  Problems problems = ValidateCalendarSpec(spec);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(problems[0].field, ": ", problems[0].message));
  }
  absl::TimeZone zone;
  absl::LoadTimeZone(spec.time_zone, &zone);
  return BusinessCalendar(std::move(spec), zone);
}

BusinessCalendar::BusinessCalendar(CalendarSpec spec, absl::TimeZone zone)
    : spec_(std::move(spec)), zone_(zone) {
  if (spec_.always_open) {
    for (auto& day : spec_.week) day = {{0, kMinutesPerDay}};
  }
  closures_ = spec_.closures;
  std::sort(closures_.begin(), closures_.end(),
            [](const Closure& a, const Closure& b) { return a.from < b.from; });
  std::vector<Closure> merged;
  for (const Closure& c : closures_) {
    if (!merged.empty() && c.from <= merged.back().to) {
      merged.back().to = std::max(merged.back().to, c.to);
      if (!c.reason.empty() && merged.back().reason != c.reason) {
        merged.back().reason += "; " + c.reason;
      }
    } else {
      merged.push_back(c);
    }
  }
  closures_ = std::move(merged);
}

bool BusinessCalendar::IsHoliday(absl::CivilDay day) const {
  return !spec_.always_open && spec_.colombian_holidays && IsColombianHoliday(day);
}

void BusinessCalendar::DayIntervals(absl::CivilDay day, Intervals* out) const {
  out->clear();
  if (IsHoliday(day)) return;
  for (const Shift& s : spec_.week[WeekdayIndex(day)]) {
    absl::Time a = LocalMinute(day, s.start_minute, zone_);
    const absl::Time b = LocalMinute(day, s.end_minute, zone_);
    // Closures are merged and sorted, so the first one ending after `a` is the only candidate
    // to start cutting; later ones follow in order.
    auto it = std::upper_bound(closures_.begin(), closures_.end(), a,
                               [](absl::Time t, const Closure& c) { return t < c.to; });
    for (; it != closures_.end() && it->from < b && a < b; ++it) {
      if (it->from > a) out->push_back({a, it->from});
      a = std::max(a, it->to);
    }
    if (a < b) out->push_back({a, b});
  }
}

std::vector<OpenInterval> BusinessCalendar::OpenIntervals(absl::CivilDay day) const {
  Intervals intervals;
  DayIntervals(day, &intervals);
  return {intervals.begin(), intervals.end()};
}

std::string BusinessCalendar::ClosedDayReason(absl::CivilDay day) const {
  if (IsHoliday(day)) return absl::StrCat("holiday: ", ColombianHolidayName(day));
  if (spec_.week[WeekdayIndex(day)].empty()) return "no office hours";
  return "closed: ad-hoc closure";
}

bool BusinessCalendar::IsOpen(absl::Time t) const {
  if (Trivial()) return true;
  Intervals intervals;
  DayIntervals(absl::ToCivilDay(t, zone_), &intervals);
  for (const OpenInterval& iv : intervals) {
    if (iv.from <= t && t < iv.to) return true;
  }
  return false;
}

absl::Time BusinessCalendar::NextOpen(absl::Time t) const {
  if (Trivial()) return t;
  Intervals intervals;
  absl::CivilDay day = absl::ToCivilDay(t, zone_);
  for (int i = 0; i < kHorizonDays; ++i, ++day) {
    DayIntervals(day, &intervals);
    for (const OpenInterval& iv : intervals) {
      if (iv.to > t) return std::max(iv.from, t);
    }
  }
  return absl::InfiniteFuture();
}

int64_t BusinessCalendar::BusinessSeconds(absl::Time from, absl::Time to) const {
  if (to <= from) return 0;
  if (Trivial()) return absl::ToInt64Seconds(to - from);
  absl::Duration total;
  Intervals intervals;
  const absl::CivilDay last = absl::ToCivilDay(to, zone_);
  for (absl::CivilDay day = absl::ToCivilDay(from, zone_); day <= last; ++day) {
    DayIntervals(day, &intervals);
    for (const OpenInterval& iv : intervals) {
      const absl::Time a = std::max(iv.from, from);
      const absl::Time b = std::min(iv.to, to);
      if (a < b) total += b - a;
    }
  }
  return absl::ToInt64Seconds(total);
}

absl::Time BusinessCalendar::AddBusinessSeconds(absl::Time from, int64_t seconds,
                                                std::vector<std::string>* explanation) const {
  if (seconds <= 0) return from;
  absl::Duration left = absl::Seconds(seconds);
  if (Trivial()) {
    if (explanation) {
      explanation->push_back(
          absl::StrCat(FormatLocal(from), " + ", FormatBusinessDuration(seconds), " of 24x7 time"));
    }
    return from + left;
  }
  Intervals intervals;
  int lines = 0;
  auto note = [&](std::string line) {
    if (!explanation) return;
    if (lines < kMaxExplanationLines) explanation->push_back(std::move(line));
    if (lines == kMaxExplanationLines) explanation->push_back("…");
    ++lines;
  };
  absl::CivilDay day = absl::ToCivilDay(from, zone_);
  for (int i = 0; i < kHorizonDays; ++i, ++day) {
    DayIntervals(day, &intervals);
    if (intervals.empty() && explanation) {
      note(absl::StrCat(absl::FormatCivilTime(day), " (",
                        absl::FormatTime("%a", absl::FromCivil(day, zone_), zone_), "): 0 min, ",
                        ClosedDayReason(day)));
    }
    for (const OpenInterval& iv : intervals) {
      if (iv.to <= from) continue;
      const absl::Time start = std::max(iv.from, from);
      const absl::Duration available = iv.to - start;
      const absl::Duration used = std::min(available, left);
      if (explanation) {
        note(absl::StrCat(FormatLocal(start), "–", absl::FormatTime("%H:%M", start + used, zone_),
                          ": ", FormatBusinessDuration(absl::ToInt64Seconds(used))));
      }
      if (left <= available) return start + left;
      left -= available;
    }
  }
  note("target not reachable within 20 years of this calendar");
  return absl::InfiniteFuture();
}

absl::Time BusinessCalendar::SubtractBusinessSeconds(absl::Time to, int64_t seconds) const {
  if (seconds <= 0) return to;
  absl::Duration left = absl::Seconds(seconds);
  if (Trivial()) return to - left;
  Intervals intervals;
  absl::CivilDay day = absl::ToCivilDay(to, zone_);
  for (int i = 0; i < kHorizonDays; ++i, --day) {
    DayIntervals(day, &intervals);
    for (auto it = intervals.rbegin(); it != intervals.rend(); ++it) {
      if (it->from >= to) continue;
      const absl::Time end = std::min(it->to, to);
      const absl::Duration available = end - it->from;
      if (left <= available) return end - left;
      left -= available;
    }
  }
  return absl::InfinitePast();
}

std::string BusinessCalendar::FormatLocal(absl::Time t) const {
  if (t == absl::InfiniteFuture()) return "never";
  if (t == absl::InfinitePast()) return "always";
  return absl::FormatTime("%a %Y-%m-%d %H:%M", t, zone_);
}

std::string FormatBusinessDuration(int64_t seconds) {
  const char* sign = seconds < 0 ? "-" : "";
  if (seconds < 0) seconds = -seconds;
  if (seconds < 60) return absl::StrCat(sign, seconds, " s");
  const int64_t minutes = seconds / 60;
  if (minutes < 60) return absl::StrCat(sign, minutes, " min");
  return absl::StrFormat("%s%d h %02d min", sign, minutes / 60, minutes % 60);
}

}  // namespace tiquete::sla
