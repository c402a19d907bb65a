#include <catch2/catch.hpp>

#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "services/sla/tests/sla_fixture.h"

using namespace tiquete::sla;
using namespace tiquete::sla::testing;
namespace inc = tiquete::incident::v1;

namespace {

const SlaClock& Kind(const std::vector<SlaClock>& clocks, ClockKind kind) {
  for (const SlaClock& c : clocks) {
    if (c.kind == kind) return c;
  }
  FAIL("no clock of that kind");
  return clocks.front();
}

}  // namespace

TEST_CASE("an incident's creation event starts its response and resolution clocks",
          "[integration]") {
  SlaFixture f;
  auto in = SlaFixture::Incident("INC-2026-000001", 2, f.clock.Now());
  REQUIRE(f.Deliver("created", in).ok());
  auto clocks = f.store->ClocksOfTicket("INC-2026-000001");
  REQUIRE(clocks.ok());
  REQUIRE(clocks->size() == 2);
  CHECK(Kind(*clocks, ClockKind::kResponse).due_at == Local(2026, 2, 3, 9));
  CHECK(Kind(*clocks, ClockKind::kResolution).due_at == Local(2026, 2, 3, 18));
  CHECK(Kind(*clocks, ClockKind::kResolution).group_level == "L1");
  CHECK(Kind(*clocks, ClockKind::kResolution).next_fire_percent == 75);
}

TEST_CASE("a redelivered or older incident event changes nothing", "[integration]") {
  SlaFixture f;
  auto in = SlaFixture::Incident("INC-2026-000002", 3, f.clock.Now());
  const auto created = SlaFixture::EventOf("created", in, f.clock.Now());
  REQUIRE(f.Deliver(created).ok());
  f.clock.Advance(absl::Hours(1));
  in.set_state(inc::PENDING);
  in.set_pending_reason(inc::REQUESTER);
  in.set_version(2);
  REQUIRE(f.Deliver("state_changed", in).ok());
  const int64_t segments = f.Count("SELECT count(*) FROM clock_segments");
  CHECK(segments == 2);  // one running hour for each clock
  // The same snapshot again, then the creation snapshot (version 1) arriving late.
  f.clock.Advance(absl::Hours(1));
  REQUIRE(f.Deliver("state_changed", in).ok());
  REQUIRE(f.Deliver(created).ok());
  CHECK(f.Count("SELECT count(*) FROM clock_segments") == segments);
  CHECK(f.Count("SELECT stale_events FROM tickets") == 1);
  auto clocks = f.store->ClocksOfTicket("INC-2026-000002");
  REQUIRE(clocks.ok());
  for (const SlaClock& c : *clocks) CHECK(c.state == ClockState::kPaused);
}

TEST_CASE("pause, resume and resolution are stored as explainable segments", "[integration]") {
  SlaFixture f(Local(2026, 1, 9, 9));  // Friday before the Reyes Magos Monday
  auto in = SlaFixture::Incident("INC-2026-000003", 2, f.clock.Now());
  REQUIRE(f.Deliver("created", in).ok());
  f.clock.Set(Local(2026, 1, 9, 10));
  in.set_state(inc::PENDING);
  in.set_pending_reason(inc::REQUESTER);
  in.set_version(2);
  REQUIRE(f.Deliver("state_changed", in).ok());
  f.clock.Set(Local(2026, 1, 13, 8));
  in.set_state(inc::IN_PROGRESS);
  in.set_pending_reason(inc::PENDING_REASON_UNSPECIFIED);
  in.set_version(3);
  REQUIRE(f.Deliver("state_changed", in).ok());
  auto clocks = f.store->ClocksOfTicket("INC-2026-000003");
  REQUIRE(clocks.ok());
  const SlaClock& resolution = Kind(*clocks, ClockKind::kResolution);
  CHECK(resolution.elapsed_seconds == 3600);
  CHECK(resolution.due_at == Local(2026, 1, 13, 17));
  auto detail = f.store->ClockWithSegments(resolution.id, true);
  REQUIRE(detail.ok());
  REQUIRE(detail->second.size() == 2);
  CHECK(detail->second[1].note == "pending:requester");
  CHECK_FALSE(detail->second[1].running);
  const BusinessCalendar* cal = (*f.store->Book())->Calendar(kOfficeCalendar);
  REQUIRE(cal != nullptr);
  const std::string text =
      absl::StrJoin(ExplainClock(detail->first, detail->second, *cal, f.clock.Now()), "\n");
  INFO(text);
  CHECK(text.find("holiday: Día de los Reyes Magos") == std::string::npos);  // Tue start
  CHECK(text.find("→ due Tue 2026-01-13 17:00") != std::string::npos);
  // Resolution stops the clock with an outcome event.
  f.clock.Set(Local(2026, 1, 13, 9));
  in.set_state(inc::RESOLVED);
  in.set_version(4);
  REQUIRE(f.Deliver("resolved", in).ok());
  CHECK(f.Count("SELECT count(*) FROM outbox WHERE type = 'sla.clock.stopped'") == 2);
}

TEST_CASE("policies are created idempotently, validated by version and listed", "[integration]") {
  SlaFixture f;
  PolicySpec spec = DefaultSlaPolicy(kAlwaysOpenCalendar);
  spec.name = "SIMAT 24x7";
  spec.service_id = "svc-simat";
  auto created = f.store->CreatePolicy(spec, "key-1", "fp-1");
  REQUIRE(created.ok());
  auto again = f.store->CreatePolicy(spec, "key-1", "fp-1");
  REQUIRE(again.ok());
  CHECK(again->spec.id == created->spec.id);
  auto reused = f.store->CreatePolicy(spec, "key-1", "fp-2");
  CHECK(reused.status().code() == absl::StatusCode::kInvalidArgument);
  auto duplicate = f.store->CreatePolicy(spec, "", "");
  CHECK(tiquete::ErrorReason(duplicate.status()) == "DUPLICATE_NAME");
  spec.targets[0].resolution_minutes = 120;
  auto updated = f.store->UpdatePolicy(created->spec.id, created->spec.version, spec);
  REQUIRE(updated.ok());
  CHECK(updated->spec.targets[0].resolution_minutes == 120);
  CHECK(updated->spec.version == created->spec.version + 1);
  auto stale = f.store->UpdatePolicy(created->spec.id, created->spec.version, spec);
  CHECK(stale.status().code() == absl::StatusCode::kAborted);
  CHECK(tiquete::ErrorReason(stale.status()) == "STALE_VERSION");
  auto listed = f.store->ListPolicies("sla", false);
  REQUIRE(listed.ok());
  CHECK(listed->size() == 2);
  // A ticket of the service now gets the service's policy.
  REQUIRE(f.Deliver("created",
                    [&] {
                      auto in = SlaFixture::Incident("INC-2026-000004", 1, f.clock.Now());
                      in.set_service_id("svc-simat");
                      return in;
                    }())
              .ok());
  auto clocks = f.store->ClocksOfTicket("INC-2026-000004");
  REQUIRE(clocks.ok());
  CHECK(Kind(*clocks, ClockKind::kResolution).policy_id == created->spec.id);
  CHECK(Kind(*clocks, ClockKind::kResolution).target_seconds == 120 * 60);
}

TEST_CASE("a closure added to a calendar reschedules the running clocks", "[integration]") {
  SlaFixture f;
  auto in = SlaFixture::Incident("INC-2026-000005", 2, f.clock.Now());
  REQUIRE(f.Deliver("created", in).ok());
  auto before = f.store->ClocksOfTicket("INC-2026-000005");
  REQUIRE(before.ok());
  CHECK(Kind(*before, ClockKind::kResolution).due_at == Local(2026, 2, 3, 18));
  REQUIRE(f.store
              ->AddClosure(kOfficeCalendar,
                           {"", Local(2026, 2, 3, 14), Local(2026, 2, 3, 16), "corte de energía"},
                           "", "")
              .ok());
  // A pass takes at most its limit: the second running clock waits for the next pass.
  auto rescheduled = f.store->RescheduleForCalendarChanges(1);
  REQUIRE(rescheduled.ok());
  CHECK(*rescheduled == 1);
  rescheduled = f.store->RescheduleForCalendarChanges(100);
  REQUIRE(rescheduled.ok());
  CHECK(*rescheduled == 1);
  auto after = f.store->ClocksOfTicket("INC-2026-000005");
  REQUIRE(after.ok());
  CHECK(Kind(*after, ClockKind::kResolution).due_at == Local(2026, 2, 4, 9));
  CHECK(*f.store->RescheduleForCalendarChanges(100) == 0);
}

TEST_CASE("at-risk and breached clocks are listed by group and level, soonest due first",
          "[integration]") {
  SlaFixture f;
  REQUIRE(f.Deliver("created",
                    SlaFixture::Incident("INC-2026-000010", 1, f.clock.Now(), "g-redes", inc::L2))
              .ok());
  REQUIRE(f.Deliver("created", SlaFixture::Incident("INC-2026-000011", 2, f.clock.Now())).ok());
  REQUIRE(f.Deliver("created", SlaFixture::Incident("INC-2026-000012", 5, f.clock.Now())).ok());
  f.clock.Set(Local(2026, 2, 3, 11, 30));  // P1 resolution (4 h) at 87 %, P1 response breached
  REQUIRE(f.store->FireDue(f.clock.Now(), 100, "test").ok());
  ClockQuery q;
  q.limit = 10;
  auto all = f.store->ListClocks(q, f.clock.Now());
  REQUIRE(all.ok());
  std::vector<std::string> got;
  for (const SlaClock& c : *all) got.push_back(c.ticket + "/" + ClockKindName(c.kind));
  CHECK(got == std::vector<std::string>{"INC-2026-000010/response", "INC-2026-000011/response",
                                        "INC-2026-000010/resolution"});
  q.status = "breached";
  CHECK(f.store->ListClocks(q, f.clock.Now())->size() == 2);
  q.status = "at_risk";
  CHECK(f.store->ListClocks(q, f.clock.Now())->size() == 1);
  q.status = "";
  q.group_level = "L2";
  CHECK(f.store->ListClocks(q, f.clock.Now())->size() == 2);
  q.group_level = "";
  q.only_groups = {"g-mesa"};
  CHECK(f.store->ListClocks(q, f.clock.Now())->size() == 1);
  // Keyset pages: two then one.
  ClockQuery page;
  page.limit = 2;
  auto first = f.store->ListClocks(page, f.clock.Now());
  REQUIRE(first->size() == 2);
  page.after_due = first->back().due_at;
  page.after_id = first->back().id;
  auto second = f.store->ListClocks(page, f.clock.Now());
  REQUIRE(second->size() == 1);
  CHECK(second->front().ticket == "INC-2026-000010");
}
