// The SLA clock: business time a ticket has consumed against one target, kept as a list of
// running / paused segments so it can always explain itself. Pure state transitions; the
// caller persists the segments each transition closes.
//
// Rules (docs/sla.md repeats them for users):
// - Elapsed business time only ever grows by closing running segments; a closed segment is
//   never recomputed, so later calendar or policy edits cannot rewrite history.
// - Retarget (priority change) and policy change close the open segment at the instant of the
//   change and keep its running/paused state: elapsed time is kept, paused time stays paused.
//   From then on the new target (and, for a policy change, the new calendar) applies.
// - A target that is already exceeded when it starts to apply makes the clock due at that
//   instant.
// - Each threshold (warnings, then 100 % = breach) fires at most once per clock.
// - A transition stamped before the open segment began (events reordered in transit) is
//   applied at the segment's start: time never runs backwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/domain/policy.h"

namespace tiquete::sla {

enum class ClockKind { kResponse, kResolution, kOla, kUnderpinning };
const char* ClockKindName(ClockKind kind);  // "response" | "resolution" | "ola" | "uc"
bool ParseClockKind(const std::string& name, ClockKind* out);

enum class ClockState { kRunning, kPaused, kStopped, kCancelled };
const char* ClockStateName(ClockState state);  // "running" | "paused" | "stopped" | "cancelled"
bool ParseClockState(const std::string& name, ClockState* out);

struct ClockSegment {
  int seq = 0;  // 1-based order within the clock
  absl::Time from;
  absl::Time to;
  bool running = false;
  std::string calendar_id;
  int64_t business_seconds = 0;  // 0 for paused segments
  std::string note;              // why the segment began: "created", "pending:requester", …
};

struct SlaClock {
  int64_t id = 0;  // assigned by the store; 0 until persisted
  std::string ticket;
  ClockKind kind = ClockKind::kResolution;
  int period = 0;  // OLA/UC: assignment period number (1, 2, …); 0 for SLA clocks
  std::string policy_id;
  std::string calendar_id;
  int priority = 3;
  int64_t target_seconds = 0;
  std::vector<int> thresholds;  // ascending percents; the last one is 100
  std::string group_id;
  std::string group_level;

  ClockState state = ClockState::kRunning;
  absl::Time started_at;
  absl::Time stopped_at = absl::InfiniteFuture();
  absl::Time segment_since;  // start of the open segment
  std::string segment_note;
  int closed_segments = 0;
  int64_t elapsed_seconds = 0;  // business seconds of closed running segments

  absl::Time due_at = absl::InfiniteFuture();  // 100 % crossing; unknown while paused
  int fired_percent = 0;                       // highest threshold fired so far
  absl::Time next_fire_at = absl::InfiniteFuture();
  int next_fire_percent = 0;
  bool breached = false;  // sticky: breach fired or exceeded when stopped
  int64_t version = 0;
};

struct ClockStart {
  std::string ticket;
  ClockKind kind = ClockKind::kResolution;
  int period = 0;
  std::string policy_id;
  std::string calendar_id;
  int priority = 3;
  int64_t target_seconds = 0;
  std::vector<int> thresholds;
  std::string group_id;
  std::string group_level;
  std::string note = "created";
};

SlaClock StartClock(const ClockStart& start, const BusinessCalendar& calendar, absl::Time at);

bool IsLive(const SlaClock& clock);  // running or paused

// Each transition returns false, changing nothing, when it does not apply to the clock's state;
// otherwise it appends the segment it closed to `closed` (none when the open segment had zero
// length: its note is merged into the next one) and reschedules the clock against `calendar`.
using Segments = std::vector<ClockSegment>;
bool PauseClock(SlaClock& clock, const BusinessCalendar& calendar, absl::Time at,
                const std::string& note, Segments* closed);
bool ResumeClock(SlaClock& clock, const BusinessCalendar& calendar, absl::Time at,
                 const std::string& note, Segments* closed);
bool StopClock(SlaClock& clock, const BusinessCalendar& calendar, absl::Time at,
               const std::string& note, Segments* closed);
bool CancelClock(SlaClock& clock, const BusinessCalendar& calendar, absl::Time at,
                 const std::string& note, Segments* closed);
// A stopped clock runs again (ticket reopened): elapsed time is kept, the stopped interval
// between resolution and reopening is not counted.
bool RestartClock(SlaClock& clock, const BusinessCalendar& calendar, absl::Time at,
                  const std::string& note, Segments* closed);
// New priority and target; elapsed business time is kept.
bool RetargetClock(SlaClock& clock, const BusinessCalendar& calendar, absl::Time at, int priority,
                   int64_t target_seconds, const std::string& note, Segments* closed);
// Another policy (and possibly calendar): the open segment is closed under the old calendar,
// elapsed time is kept, the new target and calendar apply from `at`.
struct PolicyMove {
  std::string policy_id;
  std::string calendar_id;
  int64_t target_seconds = 0;
  std::vector<int> thresholds;
};
bool MoveClockToPolicy(SlaClock& clock, const BusinessCalendar& old_calendar,
                       const BusinessCalendar& new_calendar, absl::Time at, const PolicyMove& move,
                       const std::string& note, Segments* closed);

// Recomputes due_at and the next threshold to fire (after a calendar edit, for instance).
void Reschedule(SlaClock& clock, const BusinessCalendar& calendar);

// When the business time of a live clock reaches `percent` of its target (InfiniteFuture while
// paused below it; the open segment's start when already past it).
absl::Time CrossingTime(const SlaClock& clock, const BusinessCalendar& calendar, int percent);

struct Firing {
  int percent = 0;        // threshold crossed; 100 is the breach
  absl::Time crossed_at;  // when the clock reached it (the "due time" of the firing)
};
// Thresholds reached at `now` and not fired yet, ascending; marks them fired and reschedules.
std::vector<Firing> FireDue(SlaClock& clock, const BusinessCalendar& calendar, absl::Time now);

struct ClockReading {
  int64_t elapsed_seconds = 0;
  int64_t remaining_seconds = 0;  // negative once overdue
  double percent = 0;
  absl::Time due_at = absl::InfiniteFuture();
  bool breached = false;
  bool at_risk = false;  // past the first warning threshold, not breached
};
ClockReading ReadClock(const SlaClock& clock, const BusinessCalendar& calendar, absl::Time now);

// The open segment as it stands at `now` (for explanations; not persisted).
ClockSegment OpenSegment(const SlaClock& clock, const BusinessCalendar& calendar, absl::Time now);

// Human-readable account of the clock: target, each segment, elapsed and how the due time was
// obtained from the calendar. `segments` are the closed ones, in order.
std::vector<std::string> ExplainClock(const SlaClock& clock,
                                      const std::vector<ClockSegment>& segments,
                                      const BusinessCalendar& calendar, absl::Time now);

}  // namespace tiquete::sla
