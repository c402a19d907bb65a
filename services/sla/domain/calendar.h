// Business calendars and business-time arithmetic: weekly office hours with split shifts in a
// time zone, Colombian public holidays, ad-hoc closures, or 24x7. All arithmetic is done in
// exact time and reported in whole seconds, so summing many short segments never drifts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/sla/domain/problems.h"

namespace tiquete::sla {

// Office hours of one day: [start_minute, end_minute) after local midnight, 0..1440.
struct Shift {
  int start_minute = 0;
  int end_minute = 0;
};
// Index 0 is Monday, 6 is Sunday (absl::Weekday order).
using WeeklyHours = std::array<std::vector<Shift>, 7>;

// An ad-hoc closure (strike, power cut, collective vacation): [from, to) in absolute time.
struct Closure {
  std::string id;  // assigned by the store
  absl::Time from;
  absl::Time to;
  std::string reason;
};

struct CalendarSpec {
  std::string id;
  std::string name;
  std::string time_zone = "America/Bogota";
  // 24x7: every second counts, holidays are ignored; closures still apply.
  bool always_open = false;
  WeeklyHours week;
  bool colombian_holidays = true;
  std::vector<Closure> closures;
  int64_t version = 0;
};

// Mon–Fri 07:00–12:00 and 14:00–18:00 in America/Bogota with Colombian holidays.
CalendarSpec DefaultOfficeCalendarSpec();
// Every minute of every day, in America/Bogota (only used for local-time explanations).
CalendarSpec TwentyFourSevenCalendarSpec();

// Shifts sorted, within the day and non-overlapping; the zone loads; at least one open minute a
// week; closures well-formed.
Problems ValidateCalendarSpec(const CalendarSpec& spec);

struct OpenInterval {
  absl::Time from;
  absl::Time to;
};

class BusinessCalendar {
 public:
  // INVALID_ARGUMENT when ValidateCalendarSpec finds a problem.
  static absl::StatusOr<BusinessCalendar> Create(CalendarSpec spec);

  const CalendarSpec& spec() const { return spec_; }
  const absl::TimeZone& zone() const { return zone_; }

  // Open intervals of local day `day`, ascending, holidays and closures removed.
  std::vector<OpenInterval> OpenIntervals(absl::CivilDay day) const;
  bool IsHoliday(absl::CivilDay day) const;
  bool IsOpen(absl::Time t) const;
  // The first open instant at or after t (t itself when open); InfiniteFuture if none within
  // the search horizon (about 20 years).
  absl::Time NextOpen(absl::Time t) const;

  // Whole business seconds in [from, to); 0 when to <= from.
  int64_t BusinessSeconds(absl::Time from, absl::Time to) const;
  // The earliest t >= from with BusinessSeconds(from, t) == seconds. A result that completes
  // exactly at closing time is that closing time. When `explanation` is given, one line per
  // stretch of open time used and per closed day skipped is appended.
  absl::Time AddBusinessSeconds(absl::Time from, int64_t seconds,
                                std::vector<std::string>* explanation = nullptr) const;
  // The latest t <= to with BusinessSeconds(t, to) == seconds.
  absl::Time SubtractBusinessSeconds(absl::Time to, int64_t seconds) const;

  // "Mon 2026-01-12 07:00" in the calendar's zone.
  std::string FormatLocal(absl::Time t) const;

 private:
  using Intervals = absl::InlinedVector<OpenInterval, 4>;
  BusinessCalendar(CalendarSpec spec, absl::TimeZone zone);
  void DayIntervals(absl::CivilDay day, Intervals* out) const;
  std::string ClosedDayReason(absl::CivilDay day) const;
  bool Trivial() const { return spec_.always_open && closures_.empty(); }

  CalendarSpec spec_;
  absl::TimeZone zone_;
  std::vector<Closure> closures_;  // sorted by start, overlapping ones merged
};

// "2 d 3 h 05 min"-style rendering of business seconds for explanations (whole minutes;
// "45 s" below a minute).
std::string FormatBusinessDuration(int64_t seconds);

}  // namespace tiquete::sla
