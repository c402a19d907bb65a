#include <catch2/catch.hpp>

#include "absl/strings/str_join.h"
#include "common/clock.h"
#include "services/sla/domain/clock.h"
#include "services/sla/tests/test_times.h"

using namespace tiquete::sla;
using tiquete::FakeClock;
using tiquete::sla::testing::Local;

namespace {

constexpr int64_t kHour = 3600;

BusinessCalendar Office() {
  CalendarSpec spec = DefaultOfficeCalendarSpec();
  spec.id = "office";
  return *BusinessCalendar::Create(spec);
}

BusinessCalendar AlwaysOpen() {
  CalendarSpec spec = TwentyFourSevenCalendarSpec();
  spec.id = "24x7";
  return *BusinessCalendar::Create(spec);
}

SlaClock Start(const BusinessCalendar& cal, absl::Time at, int64_t target_seconds,
               std::vector<int> thresholds = {75, 100}) {
  ClockStart s;
  s.ticket = "INC-2026-000001";
  s.kind = ClockKind::kResolution;
  s.policy_id = "standard";
  s.calendar_id = cal.spec().id;
  s.priority = 2;
  s.target_seconds = target_seconds;
  s.thresholds = std::move(thresholds);
  return StartClock(s, cal, at);
}

}  // namespace

TEST_CASE("a clock started on a Saturday is due counting from Monday's opening") {
  const BusinessCalendar cal = Office();
  FakeClock now(Local(2026, 2, 7, 10));  // Saturday
  SlaClock c = Start(cal, now.Now(), 8 * kHour);
  CHECK(c.due_at == Local(2026, 2, 9, 17));  // Mon 07–12 (5 h) + 14–17 (3 h)
  now.Set(Local(2026, 2, 9, 9));
  const ClockReading r = ReadClock(c, cal, now.Now());
  CHECK(r.elapsed_seconds == 2 * kHour);
  CHECK(r.remaining_seconds == 6 * kHour);
}

TEST_CASE("pause and resume across a holiday counts neither the pause nor the holiday") {
  const BusinessCalendar cal = Office();
  FakeClock now(Local(2026, 1, 9, 9));  // Friday before Reyes Magos (Monday Jan 12)
  SlaClock c = Start(cal, now.Now(), 8 * kHour);
  Segments closed;
  now.Set(Local(2026, 1, 9, 10));
  REQUIRE(PauseClock(c, cal, now.Now(), "pending:requester", &closed));
  CHECK(c.state == ClockState::kPaused);
  CHECK(c.due_at == absl::InfiniteFuture());
  CHECK(c.next_fire_at == absl::InfiniteFuture());
  now.Set(Local(2026, 1, 13, 8));  // Tuesday
  REQUIRE(ResumeClock(c, cal, now.Now(), "resumed", &closed));
  REQUIRE(closed.size() == 2);
  CHECK(closed[0].running);
  CHECK(closed[0].business_seconds == kHour);
  CHECK_FALSE(closed[1].running);
  CHECK(closed[1].business_seconds == 0);
  CHECK(closed[1].note == "pending:requester");
  CHECK(c.elapsed_seconds == kHour);
  CHECK(c.due_at == Local(2026, 1, 13, 17));  // 7 h left: 08–12 + 14–17
}

TEST_CASE("a priority change mid-way keeps the business time already elapsed") {
  const BusinessCalendar cal = Office();
  FakeClock now(Local(2026, 2, 3, 7));
  SlaClock c = Start(cal, now.Now(), 18 * kHour);  // P3: 2 business days
  now.Set(Local(2026, 2, 3, 11));
  Segments closed;
  REQUIRE(RetargetClock(c, cal, now.Now(), 2, 8 * kHour, "priority P3 → P2", &closed));
  CHECK(c.elapsed_seconds == 4 * kHour);
  CHECK(c.due_at == Local(2026, 2, 3, 17));  // 4 h left: 11–12 + 14–17
  CHECK(c.priority == 2);
}

TEST_CASE("raising the priority past the elapsed time makes the clock due at once") {
  const BusinessCalendar cal = Office();
  FakeClock now(Local(2026, 2, 3, 7));
  SlaClock c = Start(cal, now.Now(), 18 * kHour);
  now.Set(Local(2026, 2, 3, 14, 30));
  Segments closed;
  REQUIRE(RetargetClock(c, cal, now.Now(), 1, 4 * kHour, "priority P3 → P1", &closed));
  CHECK(c.elapsed_seconds == 5 * kHour + 30 * 60);
  CHECK(c.due_at == now.Now());
  const auto fired = FireDue(c, cal, now.Now());
  REQUIRE(fired.size() == 2);  // the 75 % warning and the breach, in order
  CHECK(fired[0].percent == 75);
  CHECK(fired[1].percent == 100);
  CHECK(c.breached);
}

TEST_CASE("reopening restarts the resolution clock without counting the resolved time") {
  const BusinessCalendar cal = Office();
  FakeClock now(Local(2026, 2, 3, 7));
  SlaClock c = Start(cal, now.Now(), 8 * kHour);
  Segments closed;
  now.Set(Local(2026, 2, 3, 10));
  REQUIRE(StopClock(c, cal, now.Now(), "resolved", &closed));
  CHECK(c.state == ClockState::kStopped);
  CHECK_FALSE(c.breached);
  now.Set(Local(2026, 2, 4, 9));
  REQUIRE(RestartClock(c, cal, now.Now(), "reopened", &closed));
  CHECK(c.state == ClockState::kRunning);
  CHECK(c.elapsed_seconds == 3 * kHour);
  CHECK(c.due_at == Local(2026, 2, 4, 16));  // 5 h left: 09–12 + 14–16
  REQUIRE(closed.size() == 2);
  CHECK_FALSE(closed[1].running);  // the resolved interval, shown but not counted
  CHECK(closed[1].note == "resolved");
}

TEST_CASE("a policy change measures the past in the old calendar and the rest in the new one") {
  const BusinessCalendar office = Office();
  const BusinessCalendar always = AlwaysOpen();
  FakeClock now(Local(2026, 2, 6, 16));  // Friday
  SlaClock c = Start(office, now.Now(), 4 * kHour);
  now.Set(Local(2026, 2, 6, 20));  // 2 office hours elapsed (16–18)
  Segments closed;
  REQUIRE(MoveClockToPolicy(c, office, always, now.Now(), {"critical", "24x7", 4 * kHour, {50}},
                            "policy standard → critical", &closed));
  CHECK(c.elapsed_seconds == 2 * kHour);
  CHECK(c.calendar_id == "24x7");
  CHECK(c.due_at == Local(2026, 2, 6, 22));
  CHECK(c.thresholds == std::vector<int>{50, 100});
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].calendar_id == "office");
}

TEST_CASE("a policy change while paused keeps the clock paused and loses no paused time") {
  const BusinessCalendar office = Office();
  const BusinessCalendar always = AlwaysOpen();
  FakeClock now(Local(2026, 2, 3, 8));
  SlaClock c = Start(office, now.Now(), 8 * kHour);
  Segments closed;
  now.Set(Local(2026, 2, 3, 9));
  REQUIRE(PauseClock(c, office, now.Now(), "pending:requester", &closed));
  now.Set(Local(2026, 2, 3, 13));
  REQUIRE(MoveClockToPolicy(c, office, always, now.Now(), {"critical", "24x7", 6 * kHour, {}},
                            "policy change", &closed));
  CHECK(c.state == ClockState::kPaused);
  CHECK(c.elapsed_seconds == kHour);
  now.Set(Local(2026, 2, 3, 20));
  REQUIRE(ResumeClock(c, always, now.Now(), "resumed", &closed));
  // Paused 09:00–20:00 in total, across the policy change: none of it counted.
  int64_t paused_counted = 0;
  for (const auto& s : closed) {
    if (!s.running) paused_counted += s.business_seconds;
  }
  CHECK(paused_counted == 0);
  CHECK(c.elapsed_seconds == kHour);
  CHECK(c.due_at == Local(2026, 2, 4, 1));  // 5 h left in 24x7 from 20:00
}

TEST_CASE("the warning fires at 75 % and the breach at 100 %, each once") {
  const BusinessCalendar cal = Office();
  FakeClock now(Local(2026, 2, 3, 8));
  SlaClock c = Start(cal, now.Now(), 4 * kHour);
  CHECK(c.next_fire_percent == 75);
  CHECK(c.next_fire_at == Local(2026, 2, 3, 11));
  now.Set(Local(2026, 2, 3, 10, 59));
  CHECK(FireDue(c, cal, now.Now()).empty());
  now.Set(Local(2026, 2, 3, 11));
  auto fired = FireDue(c, cal, now.Now());
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].percent == 75);
  CHECK(fired[0].crossed_at == Local(2026, 2, 3, 11));
  CHECK(FireDue(c, cal, now.Now()).empty());
  CHECK(c.next_fire_at == Local(2026, 2, 3, 12));  // the last hour ends at the lunch break
  now.Set(Local(2026, 2, 3, 15));
  fired = FireDue(c, cal, now.Now());
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].percent == 100);
  CHECK(fired[0].crossed_at == Local(2026, 2, 3, 12));
  CHECK(c.breached);
  CHECK(c.next_fire_at == absl::InfiniteFuture());
  CHECK(FireDue(c, cal, Local(2026, 3, 1)).empty());
}

TEST_CASE("a paused clock never fires") {
  const BusinessCalendar cal = Office();
  FakeClock now(Local(2026, 2, 3, 8));
  SlaClock c = Start(cal, now.Now(), kHour);
  Segments closed;
  now.Set(Local(2026, 2, 3, 8, 30));
  REQUIRE(PauseClock(c, cal, now.Now(), "pending:requester", &closed));
  CHECK(FireDue(c, cal, Local(2026, 2, 20)).empty());
}

TEST_CASE("a breach reached before a pause still fires after the pause") {
  const BusinessCalendar cal = Office();
  FakeClock now(Local(2026, 2, 3, 8));
  SlaClock c = Start(cal, now.Now(), kHour, {});
  Segments closed;
  now.Set(Local(2026, 2, 3, 10));  // due 09:00, nobody fired it yet
  REQUIRE(PauseClock(c, cal, now.Now(), "pending:requester", &closed));
  CHECK(c.due_at == Local(2026, 2, 3, 9));
  const auto fired = FireDue(c, cal, now.Now());
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].crossed_at == Local(2026, 2, 3, 9));
}

TEST_CASE("stopping after the due time marks the clock breached") {
  const BusinessCalendar cal = Office();
  SlaClock c = Start(cal, Local(2026, 2, 3, 8), kHour);
  Segments closed;
  REQUIRE(StopClock(c, cal, Local(2026, 2, 3, 9, 1), "resolved", &closed));
  CHECK(c.breached);
  CHECK(ReadClock(c, cal, Local(2026, 3, 1)).elapsed_seconds == kHour + 60);
}

TEST_CASE("a transition stamped before the open segment began is applied at its start") {
  const BusinessCalendar cal = Office();
  SlaClock c = Start(cal, Local(2026, 2, 3, 8), 8 * kHour);
  Segments closed;
  REQUIRE(PauseClock(c, cal, Local(2026, 2, 3, 7), "pending:requester", &closed));
  CHECK(closed.empty());  // zero-length running segment: merged, not stored
  CHECK(c.segment_since == Local(2026, 2, 3, 8));
  CHECK(c.segment_note == "created; pending:requester");
  CHECK(c.elapsed_seconds == 0);
}

TEST_CASE("transitions that do not apply change nothing") {
  const BusinessCalendar cal = Office();
  SlaClock c = Start(cal, Local(2026, 2, 3, 8), 8 * kHour);
  Segments closed;
  CHECK_FALSE(ResumeClock(c, cal, Local(2026, 2, 3, 9), "x", &closed));
  CHECK_FALSE(RestartClock(c, cal, Local(2026, 2, 3, 9), "x", &closed));
  CHECK_FALSE(RetargetClock(c, cal, Local(2026, 2, 3, 9), 2, 8 * kHour, "x", &closed));
  REQUIRE(CancelClock(c, cal, Local(2026, 2, 3, 9), "cancelled", &closed));
  CHECK_FALSE(StopClock(c, cal, Local(2026, 2, 3, 10), "x", &closed));
  CHECK_FALSE(PauseClock(c, cal, Local(2026, 2, 3, 10), "x", &closed));
  CHECK(closed.size() == 1);
}

TEST_CASE("a clock explains its segments and how its due time was computed") {
  const BusinessCalendar cal = Office();
  FakeClock now(Local(2026, 1, 9, 9));
  SlaClock c = Start(cal, now.Now(), 8 * kHour);
  Segments closed;
  now.Set(Local(2026, 1, 9, 10));
  PauseClock(c, cal, now.Now(), "pending:requester", &closed);
  now.Set(Local(2026, 1, 9, 17));
  ResumeClock(c, cal, now.Now(), "resumed (in_progress)", &closed);
  now.Set(Local(2026, 1, 9, 17, 30));
  const std::string text = absl::StrJoin(ExplainClock(c, closed, cal, now.Now()), "\n");
  INFO(text);
  CHECK(text.find("Target for P2: 8 h 00 min") != std::string::npos);
  CHECK(text.find("#1 running   Fri 2026-01-09 09:00 → Fri 2026-01-09 10:00  1 h 00 min  "
                  "(created)") != std::string::npos);
  CHECK(text.find("#2 paused    Fri 2026-01-09 10:00 → Fri 2026-01-09 17:00  not counted  "
                  "(pending:requester)") != std::string::npos);
  CHECK(text.find("#3 running   Fri 2026-01-09 17:00 → now  30 min") != std::string::npos);
  CHECK(text.find("Elapsed: 1 h 30 min") != std::string::npos);
  CHECK(text.find("holiday: Día de los Reyes Magos") != std::string::npos);
  CHECK(text.find("→ due Tue 2026-01-13 15:00") != std::string::npos);
}
