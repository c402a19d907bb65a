// The KPI acceptance test: a generated history of 26 months goes through Redis Streams and the
// real consumer path; every KPI is then computed here, independently, from the scenario's own
// truth and compared with the service's answers for several filters.
#include <map>

#include <catch2/catch.hpp>

#include "services/reporting/domain/period.h"
#include "services/reporting/domain/projection.h"
#include "services/reporting/domain/stats.h"
#include "services/reporting/tests/reporting_fixture.h"

using namespace tiquete::reporting;
using namespace tiquete::reporting::testing;
namespace inc = tiquete::incident::v1;

namespace {

struct Expected {
  std::map<std::string, int64_t> states, service, ci, priority, group, category, level, analyst;
  int64_t resolved = 0;
  std::vector<double> calendar_minutes, business_minutes;
  int64_t resp_met = 0, resp_breached = 0, resol_met = 0, resol_breached = 0;
  int64_t surveys = 0, survey_points = 0, closed = 0, fcr = 0, reopened = 0;
  int64_t ratings[5] = {0, 0, 0, 0, 0};
};

bool Matches(const TruthIncident& t, const v1::ReportFilter& f, int level) {
  return (f.group_id().empty() || t.group == f.group_id()) &&
         (f.level() == 0 || level == f.level()) &&
         (f.category_id().empty() || t.category == f.category_id()) &&
         (f.service_id().empty() || t.service == f.service_id()) &&
         (f.priority() == 0 || t.priority == f.priority()) &&
         (f.org_unit_id().empty() || t.org_unit == f.org_unit_id()) &&
         (f.ci_id().empty() || std::find(t.cis.begin(), t.cis.end(), f.ci_id()) != t.cis.end());
}

Expected Compute(const History& h, const v1::ReportFilter& f, absl::TimeZone zone) {
  Expected e;
  const absl::CivilDay from = *ParseDay(f.from_date()), to = *ParseDay(f.to_date());
  auto in = [&](absl::Time t) {
    const absl::CivilDay d = absl::ToCivilDay(t, zone);
    return d >= from && d <= to;
  };
  for (const TruthIncident& t : h.incidents) {
    if (in(t.opened_at) && Matches(t, f, t.level)) {
      e.states["opened"]++;
      const char* state = t.state == inc::PENDING     ? "pending"
                          : t.state == inc::RESOLVED  ? "resolved"
                          : t.state == inc::CLOSED    ? "closed"
                          : t.state == inc::CANCELLED ? "cancelled"
                                                      : "open";
      e.states[state]++;
      e.service[t.service]++;
      e.priority[inc::Priority_Name(static_cast<inc::Priority>(t.priority))]++;
      e.group[t.group]++;
      e.category[t.category]++;
      for (const auto& ci : t.cis) e.ci[ci]++;
    }
    if (t.resolved && in(t.resolved_at) && Matches(t, f, t.resolved_level)) {
      e.resolved++;
      e.level[inc::SupportLevel_Name(static_cast<inc::SupportLevel>(t.resolved_level))]++;
      e.analyst[t.resolved_by]++;
      e.calendar_minutes.push_back(absl::ToInt64Seconds(t.resolved_at - t.opened_at) / 60.0);
      if (t.business_seconds >= 0) e.business_minutes.push_back(t.business_seconds / 60.0);
      e.resp_met += t.response == 1;
      e.resp_breached += t.response == 2;
      e.resol_met += t.resolution == 1;
      e.resol_breached += t.resolution == 2;
      e.closed += t.closed;
      if (t.survey > 0) {
        e.surveys++;
        e.survey_points += t.survey;
        e.ratings[t.survey - 1]++;
      }
      e.fcr += t.resolved_level == inc::L1 && !t.escalated && !t.reassigned;
      e.reopened += t.reopen_count > 0;
    }
  }
  return e;
}

std::map<std::string, int64_t> Rows(const google::protobuf::RepeatedPtrField<v1::CountRow>& rows) {
  std::map<std::string, int64_t> out;
  int64_t total = 0;
  for (const auto& r : rows) total += r.count();
  for (const auto& r : rows) {
    out[r.key()] = r.count();
    CHECK(r.percent() == Approx(Percent(r.count(), total)));
  }
  return out;
}

void CheckDuration(const std::vector<double>& minutes, const v1::DurationStats& got) {
  CHECK(got.count() == static_cast<int64_t>(minutes.size()));
  if (minutes.empty()) return;
  double sum = 0;
  for (double m : minutes) sum += m;
  // Seconds are summed, the truth here has whole seconds / 60: same average.
  CHECK(got.average_minutes() == Approx(sum / minutes.size()).epsilon(1e-6));
  for (auto [p, value] :
       {std::pair{0.5, got.median_minutes()}, std::pair{0.9, got.p90_minutes()}}) {
    const int bin = HistogramBin(ExactPercentile(minutes, p));
    INFO("percentile " << p << " exact " << ExactPercentile(minutes, p) << " got " << value);
    CHECK(value >= BinLowerMinutes(bin));
    CHECK(value < BinUpperMinutes(bin));
  }
}

void CheckKpis(const History& h, const v1::KpiReport& got, absl::TimeZone zone) {
  const Expected e = Compute(h, got.filter(), zone);
  INFO("filter " << got.filter().ShortDebugString());
  auto state = [&](const char* k) {
    auto it = e.states.find(k);
    return it == e.states.end() ? 0 : it->second;
  };
  CHECK(got.states().opened() == state("opened"));
  CHECK(got.states().open() == state("open"));
  CHECK(got.states().pending() == state("pending"));
  CHECK(got.states().resolved() == state("resolved"));
  CHECK(got.states().closed() == state("closed"));
  CHECK(got.states().cancelled() == state("cancelled"));
  CHECK(Rows(got.by_service()) == e.service);
  CHECK(Rows(got.by_ci()) == e.ci);
  CHECK(Rows(got.by_priority()) == e.priority);
  CHECK(Rows(got.by_group()) == e.group);
  CHECK(Rows(got.by_category()) == e.category);
  CHECK(got.resolved() == e.resolved);
  CHECK(Rows(got.resolved_by_level()) == e.level);
  CHECK(Rows(got.handled_by_analyst()) == e.analyst);
  CheckDuration(e.calendar_minutes, got.resolution_time().calendar());
  CheckDuration(e.business_minutes, got.resolution_time().business());
  CHECK(got.sla().response().met() == e.resp_met);
  CHECK(got.sla().response().breached() == e.resp_breached);
  CHECK(got.sla().resolution().met() == e.resol_met);
  CHECK(got.sla().resolution().breached() == e.resol_breached);
  CHECK(got.sla().resolution().percent() ==
        Approx(Percent(e.resol_met, e.resol_met + e.resol_breached)));
  CHECK(got.satisfaction().surveys() == e.surveys);
  CHECK(got.satisfaction().closed() == e.closed);
  if (e.surveys > 0) {
    CHECK(got.satisfaction().average() == Approx(double(e.survey_points) / e.surveys));
  }
  CHECK(got.satisfaction().response_rate() == Approx(Percent(e.surveys, e.closed)));
  REQUIRE(got.satisfaction().distribution_size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(got.satisfaction().distribution(i) == e.ratings[i]);
  CHECK(got.first_contact_resolution().numerator() == e.fcr);
  CHECK(got.first_contact_resolution().denominator() == e.resolved);
  CHECK(got.reopen_rate().numerator() == e.reopened);
}

}  // namespace

TEST_CASE("every KPI matches an independent computation over a generated 26-month history") {
  ReportingFixture fx;
  const History h = fx.LoadHistory();
  REQUIRE(h.incidents.size() > 900);
  REQUIRE(h.duplicate_deliveries > 10);
  REQUIRE(h.stale_snapshots > 10);

  std::vector<v1::ReportFilter> filters;
  auto add = [&](const std::string& from, const std::string& to, auto tweak) {
    v1::ReportFilter f;
    f.set_from_date(from);
    f.set_to_date(to);
    tweak(f);
    filters.push_back(f);
  };
  auto none = [](v1::ReportFilter&) {};
  add("2024-01-01", "2026-02-20", none);  // all history, monthly rows and edge days
  add("2025-03-01", "2025-03-31", none);  // exactly one month
  add("2024-11-17", "2025-02-09", none);  // ragged edges
  add("2025-06-04", "2025-06-21", none);  // inside one month
  add("2024-01-01", "2026-02-20", [](auto& f) { f.set_group_id("g-l2"); });
  add("2024-06-01", "2025-12-31", [](auto& f) { f.set_level(inc::L3); });
  add("2024-06-01", "2025-12-31", [](auto& f) { f.set_level(inc::L1); });
  add("2024-01-01", "2026-02-20", [](auto& f) {
    f.set_priority(inc::P2);
    f.set_category_id("cat-3");
  });
  add("2024-01-01", "2026-02-20", [](auto& f) { f.set_service_id("svc-1"); });
  add("2024-03-10", "2025-09-15", [](auto& f) { f.set_org_unit_id("ou3"); });  // facts path
  add("2024-01-01", "2026-02-20", [](auto& f) { f.set_ci_id("ci-2"); });       // facts path
  add("2024-01-01", "2026-02-20", [](auto& f) {
    f.set_ci_id("ci-4");
    f.set_level(inc::L2);
  });

  for (const auto& f : filters) {
    auto got = fx.reports->Kpis(f);
    REQUIRE(got.ok());
    CHECK(got->from_facts() == (!f.ci_id().empty() || !f.org_unit_id().empty()));
    CheckKpis(h, *got, fx.zone);
  }
  // Late directory events filled the org unit of the requesters they name (p28 → ou3).
  v1::ReportFilter ou3;
  ou3.set_from_date("2024-01-01");
  ou3.set_to_date("2026-02-20");
  ou3.set_org_unit_id("ou3");
  auto late = fx.reports->Kpis(ou3);
  REQUIRE(late.ok());
  CheckKpis(h, *late, fx.zone);

  SECTION("intake channels count received, duplicate and handed-off messages") {
    v1::ReportFilter f;
    f.set_from_date("2025-01-01");
    f.set_to_date("2025-12-31");
    auto got = fx.reports->Kpis(f);
    REQUIRE(got.ok());
    std::map<std::string, std::array<int64_t, 3>> expected;
    for (const auto& m : h.messages) {
      const absl::CivilDay d = absl::ToCivilDay(m.at, fx.zone);
      if (d < absl::CivilDay(2025, 1, 1) || d > absl::CivilDay(2025, 12, 31)) continue;
      auto& row = expected[inc::Channel_Name(static_cast<inc::Channel>(m.channel))];
      row[0]++;
      row[m.duplicate ? 1 : 2]++;
    }
    std::map<std::string, std::array<int64_t, 3>> actual;
    for (const auto& c : got->intake_channels()) {
      actual[c.channel()] = {c.received(), c.duplicates(), c.handed_off()};
    }
    CHECK(actual == expected);
  }

  SECTION("tickets per month match and the projection states its method and backtest") {
    v1::ReportFilter f;
    f.set_to_date("2026-02-20");
    auto got = fx.reports->Trend(f);
    REQUIRE(got.ok());
    std::map<std::string, int64_t> per_month;
    for (const auto& t : h.incidents) {
      per_month[FormatMonth(absl::CivilMonth(absl::ToCivilDay(t.opened_at, fx.zone)))]++;
    }
    std::vector<double> complete;
    int observed = 0, projected = 0;
    for (const auto& m : got->months()) {
      if (m.projected()) {
        ++projected;
        continue;
      }
      ++observed;
      CHECK(m.count() == per_month[m.month()]);
      if (!m.partial()) complete.push_back(m.count());
    }
    CHECK(observed == 26);
    CHECK(got->months(25).partial());  // February 2026 is still running
    CHECK(projected == 7);             // February's projection plus the next six months
    CHECK(got->method() == "seasonal_log_linear");
    const Backtest b = RollingOriginBacktest(complete, 1);
    CHECK(got->backtest_points() == b.points);
    CHECK(got->backtest_mape() == Approx(b.mape));
    CHECK(b.points == 12);
  }

  SECTION("backlog, SLA risk and analyst workload are the open incidents now") {
    for (std::string group : {"", "g-l1a", "g-l3"}) {
      v1::ReportFilter f;
      f.set_group_id(group);
      auto got = fx.reports->Backlog(f);
      REQUIRE(got.ok());
      int64_t open = 0, pending = 0, over = 0, at_risk = 0, breached = 0;
      double oldest = 0;
      std::map<std::string, std::array<int64_t, 2>> load;
      for (const auto& t : h.incidents) {
        if (!(t.state >= inc::NEW && t.state <= inc::PENDING)) continue;
        if (!group.empty() && t.group != group) continue;
        ++open;
        pending += t.state == inc::PENDING;
        over += t.opened_at < fx.now - absl::Hours(72);
        oldest = std::max(oldest, absl::ToDoubleHours(fx.now - t.opened_at));
        const bool any_breach = t.response == 2 || t.resolution == 2;
        breached += any_breach;
        at_risk += (t.response_at_risk || t.resolution_at_risk) && !any_breach;
        load[t.assignee][0]++;
        load[t.assignee][1] += t.state == inc::PENDING;
      }
      INFO("group " << group);
      CHECK(open > 0);
      CHECK(got->open() == open);
      CHECK(got->pending() == pending);
      CHECK(got->max_wait_hours() == 72);
      CHECK(got->over_threshold() == over);
      CHECK(got->oldest_hours() == Approx(oldest).epsilon(1e-6));
      CHECK(got->at_risk() == at_risk);
      CHECK(got->breached() == breached);
      std::map<std::string, std::array<int64_t, 2>> actual;
      for (const auto& w : got->workload()) actual[w.assignee_id()] = {w.open(), w.pending()};
      CHECK(actual == load);
    }
  }
}
