#include <map>

#include <catch2/catch.hpp>

#include "absl/time/clock.h"

#include "services/reporting/domain/fact.h"
#include "services/reporting/domain/rollup.h"

using namespace tiquete::reporting;
namespace inc = tiquete::incident::v1;

namespace {

const absl::TimeZone kBogota = absl::FixedTimeZone(-5 * 3600);

absl::Time At(int y, int mo, int d, int h = 12, int mi = 0) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), kBogota);
}

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

inc::IncidentEvent Event(int64_t version, inc::State state, const std::string& change) {
  inc::IncidentEvent e;
  inc::Incident* i = e.mutable_incident();
  i->set_number("INC-2026-000001");
  i->set_version(version);
  i->set_state(state);
  i->set_priority(inc::P3);
  i->set_level(inc::L1);
  i->set_assignment_group_id("g-l1");
  i->set_assignee_id("ana");
  i->set_category_id("cat");
  i->set_service_id("svc");
  i->add_ci_ids("ci-1");
  i->add_ci_ids("ci-2");
  *i->mutable_created_at() = Ts(At(2026, 3, 2, 9));
  e.set_change(change);
  return e;
}

IncidentFact Apply(IncidentFact f, const inc::IncidentEvent& e, absl::Time at) {
  ApplyIncidentEvent(f, e, at);
  return f;
}

}  // namespace

TEST_CASE("an open incident counts once in the opened cohort and once per linked CI") {
  IncidentFact f = Apply({}, Event(1, inc::ASSIGNED, "created"), At(2026, 3, 2, 9));
  auto rows = Contributions(f, 'd', kBogota);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].key.cohort == 'o');
  CHECK(rows[0].key.bucket == absl::CivilDay(2026, 3, 2));
  CHECK(rows[0].measures[kCount] == 1);
  CHECK(rows[0].measures[kStateOpen] == 1);
  CHECK(rows[1].key.cohort == 'c');
  CHECK(rows[2].key.ci_id == "ci-2");
}

TEST_CASE("a resolution adds a resolved-cohort row by the resolving level and analyst") {
  IncidentFact f = Apply({}, Event(1, inc::ASSIGNED, "created"), At(2026, 3, 2, 9));
  const IncidentFact before = f;
  inc::IncidentEvent e = Event(2, inc::RESOLVED, "resolved");
  e.mutable_incident()->set_resolved_level(inc::L1);
  *e.mutable_incident()->mutable_resolved_at() = Ts(At(2026, 3, 2, 11));
  f = Apply(f, e, At(2026, 3, 2, 11));
  CHECK(f.first_contact());
  CHECK(f.resolved_by == "ana");
  auto deltas = Deltas(&before, f, kBogota);
  // Per grain: the opened row moves from open to resolved; a new resolved row.
  REQUIRE(deltas.size() == 4);
  const RollupDelta* resolved_day = nullptr;
  for (const auto& d : deltas) {
    if (d.key.cohort == 'o') {
      CHECK(d.measures[kCount] == 0);
      CHECK(d.measures[kStateOpen] == -1);
      CHECK(d.measures[kStateResolved] == 1);
    }
    if (d.key.cohort == 'r' && d.key.grain == 'd') resolved_day = &d;
  }
  REQUIRE(resolved_day);
  CHECK(resolved_day->key.assignee_id == "ana");
  CHECK(resolved_day->key.level == inc::L1);
  CHECK(resolved_day->measures[kResolutionSeconds] == 7200);
  CHECK(resolved_day->measures[kFirstContact] == 1);
  CHECK(resolved_day->calendar[HistogramBin(120)] == 1);
}

TEST_CASE("applying the same snapshot again changes no rollup") {
  IncidentFact f = Apply({}, Event(3, inc::IN_PROGRESS, "updated"), At(2026, 3, 2, 9));
  IncidentFact again = Apply(f, Event(3, inc::IN_PROGRESS, "state_changed"), At(2026, 3, 2, 9));
  CHECK(Deltas(&f, again, kBogota).empty());
}

TEST_CASE("an older snapshot is ignored") {
  IncidentFact f = Apply({}, Event(5, inc::IN_PROGRESS, "updated"), At(2026, 3, 2, 9));
  IncidentFact copy = f;
  CHECK_FALSE(ApplyIncidentEvent(copy, Event(4, inc::NEW, "created"), At(2026, 3, 2, 8)));
  CHECK(copy.state == inc::IN_PROGRESS);
}

TEST_CASE("a priority change moves the incident between opened-cohort keys") {
  IncidentFact f = Apply({}, Event(1, inc::ASSIGNED, "created"), At(2026, 3, 2, 9));
  inc::IncidentEvent e = Event(2, inc::ASSIGNED, "priority_changed");
  e.mutable_incident()->set_priority(inc::P2);
  IncidentFact g = Apply(f, e, At(2026, 3, 2, 10));
  int minus = 0, plus = 0;
  for (const auto& d : Deltas(&f, g, kBogota)) {
    if (d.key.cohort != 'o') continue;
    if (d.key.priority == inc::P3) minus += d.measures[kCount];
    if (d.key.priority == inc::P2) plus += d.measures[kCount];
  }
  CHECK(minus == -2);  // day and month
  CHECK(plus == 2);
}

TEST_CASE("buckets are local days: 03:00 UTC on March 1st is still February in Bogota") {
  inc::IncidentEvent e = Event(1, inc::NEW, "created");
  *e.mutable_incident()->mutable_created_at() =
      Ts(absl::FromCivil(absl::CivilSecond(2026, 3, 1, 3, 0, 0), absl::UTCTimeZone()));
  IncidentFact f = Apply({}, e, absl::Now());
  CHECK(Contributions(f, 'd', kBogota)[0].key.bucket == absl::CivilDay(2026, 2, 28));
  CHECK(Contributions(f, 'm', kBogota)[0].key.bucket == absl::CivilDay(2026, 2, 1));
}

TEST_CASE("pending periods add up and escalation or reassignment rule out first contact") {
  IncidentFact f = Apply({}, Event(1, inc::IN_PROGRESS, "created"), At(2026, 3, 2, 9));
  f = Apply(f, Event(2, inc::PENDING, "state_changed"), At(2026, 3, 2, 10));
  f = Apply(f, Event(3, inc::IN_PROGRESS, "state_changed"), At(2026, 3, 2, 11, 30));
  CHECK(f.pending_seconds == 5400);
  inc::IncidentEvent reassign = Event(4, inc::IN_PROGRESS, "assigned");
  reassign.mutable_incident()->set_assignee_id("beto");
  f = Apply(f, reassign, At(2026, 3, 2, 12));
  CHECK(f.reassigned);
  inc::IncidentEvent escalate = Event(5, inc::ASSIGNED, "escalated");
  escalate.mutable_incident()->set_level(inc::L2);
  IncidentFact g = Apply(IncidentFact{}, Event(1, inc::NEW, "created"), At(2026, 3, 2, 9));
  g = Apply(g, escalate, At(2026, 3, 2, 9, 30));
  CHECK(g.escalated);
  CHECK_FALSE(g.reassigned);
}

TEST_CASE("a reopened incident leaves the resolved cohort until resolved again") {
  IncidentFact f = Apply({}, Event(1, inc::ASSIGNED, "created"), At(2026, 3, 2, 9));
  f = Apply(f, Event(2, inc::RESOLVED, "resolved"), At(2026, 3, 3, 9));
  CHECK(f.resolved());
  inc::IncidentEvent reopen = Event(3, inc::IN_PROGRESS, "reopened");
  reopen.mutable_incident()->set_reopen_count(1);
  f = Apply(f, reopen, At(2026, 3, 4, 9));
  CHECK_FALSE(f.resolved());
  for (const auto& c : Contributions(f, 'd', kBogota)) CHECK(c.key.cohort != 'r');
  inc::IncidentEvent again = Event(4, inc::RESOLVED, "resolved");
  again.mutable_incident()->set_reopen_count(1);
  f = Apply(f, again, At(2026, 3, 5, 9));
  CHECK(f.resolved_at == At(2026, 3, 5, 9));
  CHECK(f.reopen_count == 1);
}

TEST_CASE("an SLA breach is not undone by a later met signal") {
  IncidentFact f;
  SlaSignal s{"INC-1", SlaSignal::Clock::kResolution, SlaSignal::Kind::kBreach, 4000};
  ApplySlaSignal(f, s);
  s.kind = SlaSignal::Kind::kMet;
  s.business_elapsed_seconds = 5000;
  ApplySlaSignal(f, s);
  CHECK(f.resolution == SlaOutcome::kBreached);
  CHECK(f.business_resolution_seconds == 5000);
  CHECK_FALSE(f.counted());
  CHECK(Contributions(f, 'd', kBogota).empty());
}

TEST_CASE("the dashboard projection keeps every measure in the total and counts per breakdown") {
  IncidentFact f = Apply({}, Event(1, inc::ASSIGNED, "created"), At(2026, 3, 2, 9));
  inc::IncidentEvent e = Event(2, inc::RESOLVED, "resolved");
  e.mutable_incident()->set_resolved_level(inc::L1);
  *e.mutable_incident()->mutable_resolved_at() = Ts(At(2026, 3, 2, 11));
  const IncidentFact g = Apply(f, e, At(2026, 3, 2, 11));
  const auto detail = Deltas(nullptr, g, kBogota);
  const auto dash = Coarsen(detail);
  std::map<std::string, int64_t> per_dim;
  for (const DashDelta& d : dash) {
    if (d.key.grain != 'd') continue;
    per_dim[std::string(1, d.key.cohort) + d.key.dim + ":" + d.key.key] += d.measures[kCount];
    if (d.key.dim != 't') {
      for (int i = 1; i < kMeasureCount; ++i) CHECK(d.measures[i] == 0);
      CHECK(d.calendar == Histogram{});
    }
    if (d.key.cohort == 'r' && d.key.dim == 't') {
      CHECK(d.measures[kResolutionSeconds] == 7200);
      CHECK(d.calendar[HistogramBin(120)] == 1);
    }
  }
  const std::map<std::string, int64_t> expected = {
      {"ot:", 1}, {"og:g-l1", 1}, {"ok:cat", 1}, {"os:svc", 1},  {"op:3", 1},
      {"rt:", 1}, {"rl:1", 1},    {"ra:ana", 1}, {"ci:ci-1", 1}, {"ci:ci-2", 1}};
  CHECK(per_dim == expected);

  SECTION("a priority change moves only the priority breakdown; the total is unchanged") {
    inc::IncidentEvent p = Event(3, inc::RESOLVED, "priority_changed");
    p.mutable_incident()->set_priority(inc::P2);
    p.mutable_incident()->set_resolved_level(inc::L1);
    *p.mutable_incident()->mutable_resolved_at() = Ts(At(2026, 3, 2, 11));
    const IncidentFact h = Apply(g, p, At(2026, 3, 2, 12));
    std::map<std::string, int64_t> moved;
    for (const DashDelta& d : Coarsen(Deltas(&g, h, kBogota))) {
      if (d.key.grain == 'm')
        moved[std::string(1, d.key.cohort) + d.key.dim + d.key.key] += d.measures[kCount];
    }
    CHECK(moved == std::map<std::string, int64_t>{{"op2", 1}, {"op3", -1}});
  }
}

TEST_CASE("merging deltas sums equal keys and drops rows that cancel out") {
  IncidentFact f = Apply({}, Event(1, inc::ASSIGNED, "created"), At(2026, 3, 2, 9));
  IncidentFact g = Apply(f, Event(2, inc::IN_PROGRESS, "state_changed"), At(2026, 3, 2, 10));
  std::vector<RollupDelta> both = Deltas(nullptr, f, kBogota);
  for (const auto& d : Deltas(&f, g, kBogota)) both.push_back(d);
  CHECK(MergeDeltas(both).size() == Deltas(nullptr, g, kBogota).size());
  for (size_t i = 0; i < MergeDeltas(both).size(); ++i) {
    CHECK(MergeDeltas(both)[i].key == Deltas(nullptr, g, kBogota)[i].key);
    CHECK(MergeDeltas(both)[i].measures == Deltas(nullptr, g, kBogota)[i].measures);
  }
  std::vector<RollupDelta> undo = Deltas(nullptr, f, kBogota);
  for (const auto& d : Deltas(&f, IncidentFact{}, kBogota)) undo.push_back(d);
  CHECK(MergeDeltas(undo).empty());
}
