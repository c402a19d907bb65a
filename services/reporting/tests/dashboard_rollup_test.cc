// The dashboard rollup and the CI side table are kept by the same transactions as the facts and
// the detailed rollup: after a generated history they must equal the projections computed here
// from `rollup` and `fact_incident`, and the trend they serve must match the scenario's truth.
#include <map>

#include <catch2/catch.hpp>

#include "absl/strings/str_replace.h"
#include "services/reporting/domain/period.h"
#include "services/reporting/tests/reporting_fixture.h"

using namespace tiquete::reporting;
using namespace tiquete::reporting::testing;
namespace inc = tiquete::incident::v1;

namespace {

std::vector<std::string> Lines(ReportingFixture& fx, const std::string& sql) {
  std::vector<std::string> out;
  REQUIRE(fx.pool
              ->Read([&](pqxx::work& tx) {
                for (const auto& row : tx.exec(sql)) out.push_back(row[0].as<std::string>());
                return absl::OkStatus();
              })
              .ok());
  return out;
}

constexpr char kZeroHist[] = "array_fill(0, ARRAY[64])";

std::string Columns(const char* format) {  // format with one %s for the measure name
  std::string out;
  for (const char* m : MeasureColumns()) {
    out += ", ";
    out += absl::StrReplaceAll(format, {{"%s", m}});
  }
  return out;
}

}  // namespace

TEST_CASE("the dashboard rollup equals the detailed rollup summed per bucket and breakdown") {
  ReportingFixture fx;
  const History h = fx.LoadHistory();
  REQUIRE(h.incidents.size() > 900);
  std::string zeros;  // breakdown rows carry the count only
  for (int i = 1; i < kMeasureCount; ++i) zeros += ", 0::numeric";
  const std::string z = kZeroHist;
  // Rows with n = 0 (every incident moved away) may exist on either side and are left out.
  const auto expected =
      Lines(fx,
            "SELECT x::text FROM (SELECT cohort, grain, 't'::\"char\" AS dim, bucket, ''::text "
            "AS key" +
                Columns("sum(%s) AS %s") + ", coalesce(hist_sum(hist_cal), " + z +
                "), coalesce(hist_sum(hist_bus), " + z +
                ") FROM rollup WHERE cohort IN ('o', 'r') GROUP BY cohort, grain, bucket "
                "UNION ALL SELECT cohort, grain, d.dim, bucket, d.key, sum(n)" +
                zeros + ", " + z + ", " + z +
                " FROM rollup CROSS JOIN LATERAL (VALUES "
                "('o'::\"char\", 'g'::\"char\", group_id), ('o', 'k', category_id), "
                "('o', 's', service_id), ('o', 'p', priority::text), ('r', 'l', level::text), "
                "('r', 'a', assignee_id), ('c', 'i', ci_id)) d(c, dim, key) WHERE cohort = d.c "
                "GROUP BY cohort, grain, d.dim, bucket, d.key) x WHERE x.n <> 0 ORDER BY 1");
  const auto actual = Lines(fx, "SELECT x::text FROM (SELECT cohort, grain, dim, bucket, key" +
                                    Columns("%s::numeric AS %s") + ", coalesce(hist_cal, " + z +
                                    "), coalesce(hist_bus, " + z +
                                    ") FROM rollup_dash) x WHERE x.n <> 0 "
                                    "ORDER BY 1");
  REQUIRE(expected.size() > 1000);
  CHECK(actual == expected);
}

TEST_CASE("fact_ci holds one row per linked CI with the incident's opened and resolved times") {
  ReportingFixture fx;
  fx.LoadHistory();
  const char* kFromFacts =
      "SELECT DISTINCT ci || ' ' || number || ' ' || coalesce(opened_at::text, '-') || ' ' || "
      "coalesce(resolved_at::text, '-') FROM fact_incident, unnest(ci_ids) ci ORDER BY 1";
  const char* kSide =
      "SELECT ci_id || ' ' || number || ' ' || coalesce(opened_at::text, '-') || ' ' || "
      "coalesce(resolved_at::text, '-') FROM fact_ci ORDER BY 1";
  const auto expected = Lines(fx, kFromFacts);
  REQUIRE(expected.size() > 900);
  CHECK(Lines(fx, kSide) == expected);
}

TEST_CASE("the monthly trend for a CI, a CI and a level, or an org unit matches the truth") {
  ReportingFixture fx;
  const History h = fx.LoadHistory();
  struct Case {
    std::string ci, org_unit;
    int level;
  };
  for (const Case& c : {Case{"ci-2", "", 0}, Case{"ci-4", "", inc::L2}, Case{"", "ou3", 0},
                        Case{"", "", inc::L1}}) {
    v1::ReportFilter f;
    f.set_to_date("2026-02-20");
    f.set_ci_id(c.ci);
    f.set_org_unit_id(c.org_unit);
    f.set_level(static_cast<inc::SupportLevel>(c.level));
    INFO("filter " << f.ShortDebugString());
    std::map<std::string, int64_t> truth;
    for (const auto& t : h.incidents) {
      if (!c.ci.empty() && std::find(t.cis.begin(), t.cis.end(), c.ci) == t.cis.end()) continue;
      if (!c.org_unit.empty() && t.org_unit != c.org_unit) continue;
      if (c.level != 0 && t.level != c.level) continue;
      truth[FormatMonth(absl::CivilMonth(absl::ToCivilDay(t.opened_at, fx.zone)))]++;
    }
    REQUIRE(!truth.empty());
    auto got = fx.reports->Trend(f);
    REQUIRE(got.ok());
    std::map<std::string, int64_t> observed;
    for (const auto& m : got->months()) {
      if (!m.projected() && m.count() > 0) observed[m.month()] = m.count();
    }
    CHECK(observed == truth);
  }
}
