#include "services/sla/domain/clock.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tiquete::sla {
namespace {

// Business seconds at which `percent` of the target is reached (rounded up, so a warning is
// never early).
int64_t ThresholdSeconds(int64_t target, int percent) { return (target * percent + 99) / 100; }

int NextThreshold(const SlaClock& c) {
  for (int p : c.thresholds) {
    if (p > c.fired_percent) return p;
  }
  return 0;
}

// Closes the open segment at `at` (never before it began) and opens the next one with `note`;
// the caller sets the new state. A zero-length open segment is not kept: the next one inherits
// its note, so several changes at one instant read as one line.
void CloseSegment(SlaClock& c, const BusinessCalendar& calendar, absl::Time at,
                  const std::string& note, Segments* closed) {
  at = std::max(at, c.segment_since);
  if (at == c.segment_since) {
    c.segment_note = c.segment_note.empty() ? note : absl::StrCat(c.segment_note, "; ", note);
    return;
  }
  ClockSegment seg;
  seg.seq = c.closed_segments + 1;
  seg.from = c.segment_since;
  seg.to = at;
  seg.running = c.state == ClockState::kRunning;
  seg.calendar_id = c.calendar_id;
  seg.business_seconds = seg.running ? calendar.BusinessSeconds(seg.from, seg.to) : 0;
  seg.note = c.segment_note;
  c.elapsed_seconds += seg.business_seconds;
  c.closed_segments = seg.seq;
  c.segment_since = at;
  c.segment_note = note;
  closed->push_back(std::move(seg));
}

std::string SegmentLine(const ClockSegment& s, const BusinessCalendar& calendar,
                        const std::string& current_calendar_id, bool open) {
  std::string line = absl::StrFormat(
      "#%d %-9s %s → %s  %s", s.seq, s.running ? "running" : "paused", calendar.FormatLocal(s.from),
      open ? std::string("now") : calendar.FormatLocal(s.to),
      s.running ? FormatBusinessDuration(s.business_seconds) : std::string("not counted"));
  if (!s.note.empty()) absl::StrAppend(&line, "  (", s.note, ")");
  if (s.calendar_id != current_calendar_id) {
    absl::StrAppend(&line, "  [calendar ", s.calendar_id, "]");
  }
  return line;
}

}  // namespace

const char* ClockKindName(ClockKind kind) {
  switch (kind) {
    case ClockKind::kResponse:
      return "response";
    case ClockKind::kResolution:
      return "resolution";
    case ClockKind::kOla:
      return "ola";
    case ClockKind::kUnderpinning:
      return "uc";
  }
  return "resolution";
}

bool ParseClockKind(const std::string& name, ClockKind* out) {
  for (ClockKind k :
       {ClockKind::kResponse, ClockKind::kResolution, ClockKind::kOla, ClockKind::kUnderpinning}) {
    if (name == ClockKindName(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

const char* ClockStateName(ClockState state) {
  switch (state) {
    case ClockState::kRunning:
      return "running";
    case ClockState::kPaused:
      return "paused";
    case ClockState::kStopped:
      return "stopped";
    case ClockState::kCancelled:
      return "cancelled";
  }
  return "running";
}

bool ParseClockState(const std::string& name, ClockState* out) {
  for (ClockState s :
       {ClockState::kRunning, ClockState::kPaused, ClockState::kStopped, ClockState::kCancelled}) {
    if (name == ClockStateName(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

bool IsLive(const SlaClock& clock) {
  return clock.state == ClockState::kRunning || clock.state == ClockState::kPaused;
}

SlaClock StartClock(const ClockStart& start, const BusinessCalendar& calendar, absl::Time at) {
  SlaClock c;
  c.ticket = start.ticket;
  c.kind = start.kind;
  c.period = start.period;
  c.policy_id = start.policy_id;
  c.calendar_id = start.calendar_id;
  c.priority = start.priority;
  c.target_seconds = start.target_seconds;
  c.thresholds = start.thresholds;
  if (c.thresholds.empty() || c.thresholds.back() != 100) c.thresholds.push_back(100);
  c.group_id = start.group_id;
  c.group_level = start.group_level;
  c.state = ClockState::kRunning;
  c.started_at = at;
  c.segment_since = at;
  c.segment_note = start.note;
  Reschedule(c, calendar);
  return c;
}

absl::Time CrossingTime(const SlaClock& c, const BusinessCalendar& calendar, int percent) {
  const int64_t need = ThresholdSeconds(c.target_seconds, percent) - c.elapsed_seconds;
  if (need > 0) {
    return c.state == ClockState::kRunning ? calendar.AddBusinessSeconds(c.segment_since, need)
                                           : absl::InfiniteFuture();
  }
  // Reached in an earlier segment: the breach keeps its recorded due time; a warning passed
  // unnoticed (retarget, scanner outage) counts from the open segment's start.
  if (percent >= 100 && c.due_at <= c.segment_since) return c.due_at;
  return c.segment_since;
}

void Reschedule(SlaClock& c, const BusinessCalendar& calendar) {
  if (!IsLive(c)) {
    c.next_fire_at = absl::InfiniteFuture();
    c.next_fire_percent = 0;
    return;
  }
  const int64_t remaining = c.target_seconds - c.elapsed_seconds;
  if (remaining > 0) {
    c.due_at = c.state == ClockState::kRunning
                   ? calendar.AddBusinessSeconds(c.segment_since, remaining)
                   : absl::InfiniteFuture();
  } else if (c.due_at > c.segment_since) {
    c.due_at = c.segment_since;  // exceeded when this segment began (retarget, policy move)
  }
  c.next_fire_percent = NextThreshold(c);
  c.next_fire_at = c.next_fire_percent == 0 ? absl::InfiniteFuture()
                                            : CrossingTime(c, calendar, c.next_fire_percent);
}

bool PauseClock(SlaClock& c, const BusinessCalendar& calendar, absl::Time at,
                const std::string& note, Segments* closed) {
  if (c.state != ClockState::kRunning) return false;
  CloseSegment(c, calendar, at, note, closed);
  c.state = ClockState::kPaused;
  Reschedule(c, calendar);
  return true;
}

bool ResumeClock(SlaClock& c, const BusinessCalendar& calendar, absl::Time at,
                 const std::string& note, Segments* closed) {
  if (c.state != ClockState::kPaused) return false;
  CloseSegment(c, calendar, at, note, closed);
  c.state = ClockState::kRunning;
  Reschedule(c, calendar);
  return true;
}

bool StopClock(SlaClock& c, const BusinessCalendar& calendar, absl::Time at,
               const std::string& note, Segments* closed) {
  if (!IsLive(c)) return false;
  CloseSegment(c, calendar, at, note, closed);
  c.state = ClockState::kStopped;
  c.stopped_at = c.segment_since;
  if (c.elapsed_seconds > c.target_seconds) c.breached = true;
  Reschedule(c, calendar);
  return true;
}

bool CancelClock(SlaClock& c, const BusinessCalendar& calendar, absl::Time at,
                 const std::string& note, Segments* closed) {
  if (!IsLive(c)) return false;
  CloseSegment(c, calendar, at, note, closed);
  c.state = ClockState::kCancelled;
  c.stopped_at = c.segment_since;
  Reschedule(c, calendar);
  return true;
}

bool RestartClock(SlaClock& c, const BusinessCalendar& calendar, absl::Time at,
                  const std::string& note, Segments* closed) {
  if (c.state != ClockState::kStopped) return false;
  CloseSegment(c, calendar, at, note, closed);
  c.state = ClockState::kRunning;
  c.stopped_at = absl::InfiniteFuture();
  Reschedule(c, calendar);
  return true;
}

bool RetargetClock(SlaClock& c, const BusinessCalendar& calendar, absl::Time at, int priority,
                   int64_t target_seconds, const std::string& note, Segments* closed) {
  if (!IsLive(c)) return false;
  if (priority == c.priority && target_seconds == c.target_seconds) return false;
  CloseSegment(c, calendar, at, note, closed);
  if (target_seconds != c.target_seconds) c.due_at = absl::InfiniteFuture();
  c.priority = priority;
  c.target_seconds = target_seconds;
  Reschedule(c, calendar);
  return true;
}

bool MoveClockToPolicy(SlaClock& c, const BusinessCalendar& old_calendar,
                       const BusinessCalendar& new_calendar, absl::Time at, const PolicyMove& move,
                       const std::string& note, Segments* closed) {
  if (!IsLive(c)) return false;
  CloseSegment(c, old_calendar, at, note, closed);
  c.policy_id = move.policy_id;
  c.calendar_id = move.calendar_id;
  if (move.target_seconds != c.target_seconds) c.due_at = absl::InfiniteFuture();
  c.target_seconds = move.target_seconds;
  c.thresholds = move.thresholds;
  if (c.thresholds.empty() || c.thresholds.back() != 100) c.thresholds.push_back(100);
  Reschedule(c, new_calendar);
  return true;
}

std::vector<Firing> FireDue(SlaClock& c, const BusinessCalendar& calendar, absl::Time now) {
  std::vector<Firing> out;
  while (IsLive(c) && c.next_fire_percent > 0 && c.next_fire_at <= now) {
    out.push_back({c.next_fire_percent, c.next_fire_at});
    c.fired_percent = c.next_fire_percent;
    if (c.fired_percent >= 100) c.breached = true;
    Reschedule(c, calendar);
  }
  return out;
}

ClockReading ReadClock(const SlaClock& c, const BusinessCalendar& calendar, absl::Time now) {
  ClockReading r;
  r.elapsed_seconds = c.elapsed_seconds;
  if (c.state == ClockState::kRunning) {
    r.elapsed_seconds += calendar.BusinessSeconds(c.segment_since, now);
  }
  r.remaining_seconds = c.target_seconds - r.elapsed_seconds;
  r.percent = c.target_seconds > 0 ? 100.0 * r.elapsed_seconds / c.target_seconds : 0;
  r.due_at = c.due_at;
  r.breached = c.breached || (c.target_seconds > 0 && r.remaining_seconds < 0);
  r.at_risk = !r.breached && c.thresholds.size() > 1 && r.percent >= c.thresholds.front();
  return r;
}

ClockSegment OpenSegment(const SlaClock& c, const BusinessCalendar& calendar, absl::Time now) {
  ClockSegment seg;
  seg.seq = c.closed_segments + 1;
  seg.from = c.segment_since;
  seg.to = IsLive(c) ? std::max(now, c.segment_since) : c.segment_since;
  seg.running = c.state == ClockState::kRunning;
  seg.calendar_id = c.calendar_id;
  seg.business_seconds = seg.running ? calendar.BusinessSeconds(seg.from, seg.to) : 0;
  seg.note = c.segment_note;
  return seg;
}

std::vector<std::string> ExplainClock(const SlaClock& c, const std::vector<ClockSegment>& segments,
                                      const BusinessCalendar& calendar, absl::Time now) {
  std::vector<std::string> lines;
  const CalendarSpec& cal = calendar.spec();
  lines.push_back(absl::StrCat(ClockKindName(c.kind), " clock of ", c.ticket, ": policy ",
                               c.policy_id, ", calendar \"", cal.name, "\" (", cal.time_zone,
                               cal.always_open ? ", 24x7" : "", ")"));
  lines.push_back(absl::StrCat("Target for P", c.priority, ": ",
                               FormatBusinessDuration(c.target_seconds), " of business time"));
  int64_t closed = 0;
  for (const ClockSegment& s : segments) {
    lines.push_back(SegmentLine(s, calendar, c.calendar_id, false));
    closed += s.business_seconds;
  }
  const ClockReading reading = ReadClock(c, calendar, now);
  if (IsLive(c)) {
    lines.push_back(SegmentLine(OpenSegment(c, calendar, now), calendar, c.calendar_id, true));
  } else {
    lines.push_back(absl::StrCat(ClockStateName(c.state), " at ",
                                 calendar.FormatLocal(c.stopped_at), " (", c.segment_note, ")"));
  }
  lines.push_back(absl::StrCat("Elapsed: ", FormatBusinessDuration(reading.elapsed_seconds),
                               " (closed segments ", FormatBusinessDuration(closed),
                               " + open segment ",
                               FormatBusinessDuration(reading.elapsed_seconds - closed),
                               "); remaining ", FormatBusinessDuration(reading.remaining_seconds)));
  const int64_t remaining_at_open = c.target_seconds - c.elapsed_seconds;
  if (!IsLive(c)) {
    lines.push_back(reading.breached ? "Outcome: breached" : "Outcome: met");
  } else if (remaining_at_open <= 0) {
    lines.push_back(absl::StrCat("Target exceeded: due at ", calendar.FormatLocal(c.due_at)));
  } else if (c.state == ClockState::kPaused) {
    lines.push_back(absl::StrCat("Paused: ", FormatBusinessDuration(remaining_at_open),
                                 " remain; the due time is set again when the clock resumes"));
  } else {
    lines.push_back(absl::StrCat("Due: ", FormatBusinessDuration(remaining_at_open),
                                 " remaining added from ", calendar.FormatLocal(c.segment_since),
                                 " (start of the open segment):"));
    std::vector<std::string> steps;
    const absl::Time due = calendar.AddBusinessSeconds(c.segment_since, remaining_at_open, &steps);
    for (std::string& step : steps) lines.push_back("  " + step);
    lines.push_back(absl::StrCat("→ due ", calendar.FormatLocal(due)));
  }
  if (c.fired_percent > 0) {
    lines.push_back(absl::StrCat("Fired thresholds up to ", c.fired_percent, " %"));
  }
  return lines;
}

}  // namespace tiquete::sla
