#include <catch2/catch.hpp>

#include "common/clock.h"
#include "services/sla/domain/ticket_clocks.h"
#include "services/sla/tests/test_times.h"

using namespace tiquete::sla;
using tiquete::FakeClock;
using tiquete::sla::testing::Local;

namespace {

constexpr int64_t kHour = 3600;

AgreementBook Book() {
  CalendarSpec office = DefaultOfficeCalendarSpec();
  office.id = "office";
  CalendarSpec always = TwentyFourSevenCalendarSpec();
  always.id = "24x7";
  PolicySpec standard = DefaultSlaPolicy("office");
  standard.id = "standard";
  PolicySpec simat = DefaultSlaPolicy("24x7");
  simat.id = "simat";
  simat.service_id = "svc-simat";
  PolicySpec l2 = DefaultSlaPolicy("office");
  l2.id = "ola-l2";
  l2.kind = AgreementKind::kOla;
  l2.group_level = "L2";
  l2.escalations.clear();
  for (auto& t : l2.targets) t.resolution_minutes /= 2;
  PolicySpec provider = l2;
  provider.id = "uc-proveedor";
  provider.kind = AgreementKind::kUnderpinning;
  provider.group_level = "";
  provider.group_id = "g-proveedor";
  provider.pause_on = {};
  std::vector<BusinessCalendar> calendars;
  calendars.push_back(*BusinessCalendar::Create(office));
  calendars.push_back(*BusinessCalendar::Create(always));
  return AgreementBook({standard, simat, l2, provider}, std::move(calendars));
}

TicketFacts Facts(absl::Time created) {
  TicketFacts f;
  f.number = "INC-2026-000042";
  f.state = "new";
  f.priority = 2;
  f.group_id = "g-mesa";
  f.group_level = "L1";
  f.created_at = created;
  f.version = 1;
  return f;
}

const SlaClock& Find(const TicketClocks& t, ClockKind kind, int period = 0) {
  for (const SlaClock& c : t.clocks) {
    if (c.kind == kind && c.period == period) return c;
  }
  FAIL("no such clock");
  return t.clocks.front();
}

}  // namespace

TEST_CASE("creating a ticket starts its response and resolution clocks from the SLA") {
  const AgreementBook book = Book();
  FakeClock now(Local(2026, 2, 3, 8));
  TicketClocks t;
  auto plan = ApplyTicketFacts(t, Facts(now.Now()), now.Now(), book);
  REQUIRE(plan.ok());
  REQUIRE(t.clocks.size() == 2);
  CHECK(plan->changes.size() == 2);
  CHECK(plan->changes[0].created);
  const SlaClock& response = Find(t, ClockKind::kResponse);
  const SlaClock& resolution = Find(t, ClockKind::kResolution);
  CHECK(response.target_seconds == kHour);        // P2 respond 1 h
  CHECK(resolution.target_seconds == 8 * kHour);  // P2 resolve 8 h
  CHECK(response.due_at == Local(2026, 2, 3, 9));
  CHECK(resolution.due_at == Local(2026, 2, 3, 18));  // 08–12 and 14–18
  CHECK(resolution.policy_id == "standard");
}

TEST_CASE("the first response stops the response clock at the incident's response time") {
  const AgreementBook book = Book();
  FakeClock now(Local(2026, 2, 3, 8));
  TicketClocks t;
  TicketFacts f = Facts(now.Now());
  REQUIRE(ApplyTicketFacts(t, f, now.Now(), book).ok());
  now.Set(Local(2026, 2, 3, 8, 40));
  f.first_response_at = now.Now();
  f.version = 2;
  REQUIRE(ApplyTicketFacts(t, f, now.Now() + absl::Seconds(2), book).ok());
  const SlaClock& response = Find(t, ClockKind::kResponse);
  CHECK(response.state == ClockState::kStopped);
  CHECK(response.stopped_at == Local(2026, 2, 3, 8, 40));
  CHECK_FALSE(response.breached);
  CHECK(Find(t, ClockKind::kResolution).state == ClockState::kRunning);
}

TEST_CASE("pending on the requester pauses the clocks, pending on a provider does not") {
  const AgreementBook book = Book();
  FakeClock now(Local(2026, 2, 3, 8));
  TicketClocks t;
  TicketFacts f = Facts(now.Now());
  REQUIRE(ApplyTicketFacts(t, f, now.Now(), book).ok());
  now.Advance(absl::Hours(1));
  f.state = "pending";
  f.pending_reason = "provider";
  auto plan = ApplyTicketFacts(t, f, now.Now(), book);
  REQUIRE(plan.ok());
  CHECK(Find(t, ClockKind::kResolution).state == ClockState::kRunning);
  now.Advance(absl::Hours(1));
  f.pending_reason = "requester";
  plan = ApplyTicketFacts(t, f, now.Now(), book);
  REQUIRE(plan.ok());
  CHECK(Find(t, ClockKind::kResolution).state == ClockState::kPaused);
  CHECK(Find(t, ClockKind::kResponse).state == ClockState::kPaused);
  now.Advance(absl::Hours(3));
  f.state = "in_progress";
  f.pending_reason = "";
  plan = ApplyTicketFacts(t, f, now.Now(), book);
  REQUIRE(plan.ok());
  const SlaClock& resolution = Find(t, ClockKind::kResolution);
  CHECK(resolution.state == ClockState::kRunning);
  CHECK(resolution.elapsed_seconds == 2 * kHour);
  // Accepting the work answered the requester.
  CHECK(Find(t, ClockKind::kResponse).state == ClockState::kStopped);
}

TEST_CASE("resolving stops every clock and reopening restarts only the resolution clock") {
  const AgreementBook book = Book();
  FakeClock now(Local(2026, 2, 3, 8));
  TicketClocks t;
  TicketFacts f = Facts(now.Now());
  REQUIRE(ApplyTicketFacts(t, f, now.Now(), book).ok());
  now.Set(Local(2026, 2, 3, 10));
  f.state = "resolved";
  REQUIRE(ApplyTicketFacts(t, f, now.Now(), book).ok());
  CHECK(Find(t, ClockKind::kResponse).state == ClockState::kStopped);
  CHECK(Find(t, ClockKind::kResolution).state == ClockState::kStopped);
  now.Set(Local(2026, 2, 5, 9));
  f.state = "in_progress";
  auto plan = ApplyTicketFacts(t, f, now.Now(), book);
  REQUIRE(plan.ok());
  const SlaClock& resolution = Find(t, ClockKind::kResolution);
  CHECK(resolution.state == ClockState::kRunning);
  CHECK(resolution.elapsed_seconds == 2 * kHour);
  CHECK(resolution.due_at == Local(2026, 2, 5, 17));  // 6 h left: 09–12 + 14–17
  CHECK(Find(t, ClockKind::kResponse).state == ClockState::kStopped);
  REQUIRE(plan->changes.size() == 1);
  CHECK(plan->changes[0].transitions == std::vector<std::string>{"restarted"});
}

TEST_CASE("cancelling a ticket cancels its live clocks") {
  const AgreementBook book = Book();
  TicketClocks t;
  TicketFacts f = Facts(Local(2026, 2, 3, 8));
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 8), book).ok());
  f.state = "cancelled";
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 9), book).ok());
  for (const SlaClock& c : t.clocks) CHECK(c.state == ClockState::kCancelled);
}

TEST_CASE("a priority change retargets live clocks keeping their elapsed time") {
  const AgreementBook book = Book();
  TicketClocks t;
  TicketFacts f = Facts(Local(2026, 2, 3, 7));
  f.priority = 3;
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 7), book).ok());
  f.priority = 1;
  auto plan = ApplyTicketFacts(t, f, Local(2026, 2, 3, 9), book);
  REQUIRE(plan.ok());
  const SlaClock& resolution = Find(t, ClockKind::kResolution);
  CHECK(resolution.priority == 1);
  CHECK(resolution.target_seconds == 4 * kHour);
  CHECK(resolution.elapsed_seconds == 2 * kHour);
  CHECK(resolution.due_at == Local(2026, 2, 3, 11));
}

TEST_CASE("a service change moves SLA clocks to the service's policy and calendar") {
  const AgreementBook book = Book();
  TicketClocks t;
  TicketFacts f = Facts(Local(2026, 2, 6, 16));  // Friday afternoon
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 6, 16), book).ok());
  f.service_id = "svc-simat";
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 6, 20), book).ok());
  const SlaClock& resolution = Find(t, ClockKind::kResolution);
  CHECK(resolution.policy_id == "simat");
  CHECK(resolution.calendar_id == "24x7");
  CHECK(resolution.elapsed_seconds == 2 * kHour);    // 16–18 in office hours
  CHECK(resolution.due_at == Local(2026, 2, 7, 2));  // 6 h left, 24x7 from 20:00
}

TEST_CASE("each assignment to a group with an OLA is measured as its own period") {
  const AgreementBook book = Book();
  TicketClocks t;
  TicketFacts f = Facts(Local(2026, 2, 3, 8));
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 8), book).ok());
  CHECK(t.clocks.size() == 2);  // the L1 desk has no OLA
  f.state = "assigned";
  f.group_id = "g-redes";
  f.group_level = "L2";
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 9), book).ok());
  const SlaClock& first = Find(t, ClockKind::kOla, 1);
  CHECK(first.target_seconds == 4 * kHour);
  CHECK(first.state == ClockState::kRunning);
  CHECK(Find(t, ClockKind::kResolution).group_level == "L2");
  f.group_id = "g-proveedor";
  f.group_level = "L3";
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 11), book).ok());
  CHECK(Find(t, ClockKind::kOla, 1).state == ClockState::kStopped);
  CHECK(Find(t, ClockKind::kOla, 1).elapsed_seconds == 2 * kHour);
  const SlaClock& uc = Find(t, ClockKind::kUnderpinning, 2);
  CHECK(uc.group_id == "g-proveedor");
  CHECK(uc.state == ClockState::kRunning);
  // The provider contract does not pause while the ticket waits on the requester.
  f.state = "pending";
  f.pending_reason = "requester";
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 14), book).ok());
  CHECK(Find(t, ClockKind::kUnderpinning, 2).state == ClockState::kRunning);
  CHECK(Find(t, ClockKind::kResolution).state == ClockState::kPaused);
}

TEST_CASE("a ticket first seen through a later event gets clocks from its creation time") {
  const AgreementBook book = Book();
  TicketClocks t;
  TicketFacts f = Facts(Local(2026, 2, 3, 8));
  f.state = "in_progress";
  f.version = 5;
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 10), book).ok());
  const SlaClock& resolution = Find(t, ClockKind::kResolution);
  CHECK(resolution.started_at == Local(2026, 2, 3, 8));
  CHECK(ReadClock(resolution, *book.Calendar("office"), Local(2026, 2, 3, 10)).elapsed_seconds ==
        2 * kHour);
}

TEST_CASE("a breach crossed before a pause event is fired before the pause is applied") {
  const AgreementBook book = Book();
  TicketClocks t;
  TicketFacts f = Facts(Local(2026, 2, 3, 8));
  f.priority = 1;  // respond in 30 min
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 8), book).ok());
  f.state = "pending";
  f.pending_reason = "requester";
  auto plan = ApplyTicketFacts(t, f, Local(2026, 2, 3, 8, 45), book);
  REQUIRE(plan.ok());
  std::vector<int> fired;
  for (const auto& change : plan->changes) {
    if (t.clocks[change.index].kind == ClockKind::kResponse) {
      for (const auto& firing : change.firings) fired.push_back(firing.percent);
    }
  }
  CHECK(fired == std::vector<int>{75, 100});
  CHECK(Find(t, ClockKind::kResponse).breached);
  CHECK(Find(t, ClockKind::kResponse).state == ClockState::kPaused);
}

TEST_CASE("applying the same facts twice changes nothing the second time") {
  const AgreementBook book = Book();
  TicketClocks t;
  TicketFacts f = Facts(Local(2026, 2, 3, 8));
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 8), book).ok());
  f.state = "pending";
  f.pending_reason = "requester";
  REQUIRE(ApplyTicketFacts(t, f, Local(2026, 2, 3, 9), book).ok());
  auto again = ApplyTicketFacts(t, f, Local(2026, 2, 3, 9), book);
  REQUIRE(again.ok());
  CHECK(again->changes.empty());
}
