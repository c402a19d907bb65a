// Reporting figures (bench/reporting_bench.sh runs it; docs/benchmarks.md records them):
// 1) N incidents of generated history written straight into facts and rollups;
// 2) dashboard query latency (p50/p95/max) for typical filters over that history;
// 3) ingest rate of a generated event history through Redis Streams and the real consumers;
// 4) replay time of the streams (truncate, fresh consumer group, read from entry 0).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "bench/reporting_bulk.h"
#include "common/clock.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "common/testing/test_db.h"
#include "common/testing/test_redis.h"
#include "services/reporting/ingest.h"
#include "services/reporting/migrations.h"
#include "services/reporting/reports.h"
#include "services/reporting/store.h"
#include "services/reporting/tests/history.h"

namespace {

using namespace tiquete;  // NOLINT: benchmark driver

int IntArg(int argc, char** argv, const std::string& name, int fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    std::string a(argv[i]);
    if (a.rfind(prefix, 0) == 0) return std::stoi(a.substr(prefix.size()));
  }
  return fallback;
}

double Seconds(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

void Exec(PgPool& pool, const std::string& sql) {
  Check(pool.Transact([&](pqxx::work& tx) {
    tx.exec(sql);
    return absl::OkStatus();
  }),
        sql.substr(0, 60).c_str());
}

long Scalar(PgPool& pool, const std::string& sql) {
  long v = 0;
  Check(pool.Read([&](pqxx::work& tx) {
    v = tx.exec(sql)[0][0].as<long>();
    return absl::OkStatus();
  }),
        sql.c_str());
  return v;
}

void Latency(const reporting::Reports& reports, const char* name, reporting::v1::ReportFilter f,
             int queries) {
  std::vector<double> ms;
  auto warm = reports.Dashboard(f);
  Check(warm.status(), name);
  for (int i = 0; i < queries; ++i) {
    const absl::Time start = absl::Now();
    auto d = reports.Dashboard(f);
    ms.push_back(Seconds(start) * 1000);
    Check(d.status(), name);
  }
  std::sort(ms.begin(), ms.end());
  auto at = [&](double p) { return ms[std::min(ms.size() - 1, size_t(p * ms.size()))]; };
  std::printf("  %-44s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  (opened %ld, resolved %ld)\n",
              name, at(0.5), at(0.95), ms.back(), long(warm->kpis().states().opened()),
              long(warm->kpis().resolved()));
}

}  // namespace

int main(int argc, char** argv) {
  const int incidents = IntArg(argc, argv, "incidents", 5000000);
  const int queries = IntArg(argc, argv, "queries", 40);
  const int event_incidents = IntArg(argc, argv, "event-incidents", 7000);
  absl::TimeZone zone;
  absl::LoadTimeZone("America/Bogota", &zone);
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 2, 20, 12, 0, 0), zone);

  testing::TestDatabase db({"reporting"});
  testing::TestRedis redis;
  // The history is loaded under the first schema version, as an existing deployment has it;
  // the later migrations (dashboard rollup, fact_ci) then run over it and are timed.
  std::vector<Migration> first;
  for (const Migration& m : reporting::Migrations()) {
    if (m.version == 1) first.push_back(m);
  }
  auto migrate = [&](const std::vector<Migration>& set) {
    auto conn = ConnectPg(db.UrlFor("reporting"), "reporting");
    Check(
        ApplyMigrations(*conn, "reporting", {{"common", &CommonMigrations()}, {"reporting", &set}}),
        "migrations");
  };
  migrate(first);
  PgPoolOptions po;
  po.url = db.UrlFor("reporting");
  po.schema = "reporting";
  po.size = 4;
  po.prepared = reporting::PreparedStatements();
  PgPool pool(po);

  std::printf("== bulk history: %d incidents straight into facts and rollups\n", incidents);
  absl::Time start = absl::Now();
  Check(pool.Transact([&](pqxx::work& tx) {
    tx.exec_params(bench::kBulkFacts, incidents,
                   absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", now, absl::UTCTimeZone()));
    return absl::OkStatus();
  }),
        "facts");
  std::printf("  facts: %.1f s\n", Seconds(start));
  start = absl::Now();
  Exec(pool, bench::kBulkHelpers);
  Exec(pool, bench::kBulkRollups);
  std::printf("  rollups: %.1f s; rollup rows %ld (monthly %ld); open incidents %ld\n",
              Seconds(start), Scalar(pool, "SELECT count(*) FROM rollup"),
              Scalar(pool, "SELECT count(*) FROM rollup WHERE grain = 'm'"),
              Scalar(pool, "SELECT count(*) FROM fact_incident WHERE state IN (1, 2, 3, 4)"));
  start = absl::Now();
  migrate(reporting::Migrations());
  Exec(pool, "ANALYZE fact_incident; ANALYZE rollup; ANALYZE rollup_dash; ANALYZE fact_ci");
  std::printf(
      "  later migrations over that history (dashboard rollup, fact_ci): %.1f s; "
      "rollup_dash rows %ld, fact_ci rows %ld\n",
      Seconds(start), Scalar(pool, "SELECT count(*) FROM rollup_dash"),
      Scalar(pool, "SELECT count(*) FROM fact_ci"));
  // The dashboard rollup must add up to the detailed one (every measure, both cohorts).
  std::string mismatch = "SELECT count(*) FROM (SELECT cohort, grain, bucket";
  std::string dash_sums = " SELECT cohort, grain, bucket";
  for (const char* m : reporting::MeasureColumns()) {
    mismatch += std::string(", sum(") + m + ")";
    dash_sums += std::string(", sum(") + m + ")";
  }
  mismatch += " FROM rollup WHERE cohort IN ('o', 'r') GROUP BY 1, 2, 3 EXCEPT" + dash_sums +
              " FROM rollup_dash WHERE dim = 't' GROUP BY 1, 2, 3) x";
  const long bad = Scalar(pool, mismatch);
  std::printf("  dashboard rollup totals that differ from the detailed rollup: %ld\n", bad);
  if (bad != 0) std::exit(1);
  std::printf("  database size: %ld MB\n",
              Scalar(pool, "SELECT pg_database_size(current_database()) / 1048576"));

  FakeClock clock(now);
  reporting::ReportStore store(pool, zone);
  reporting::ReportOptions options;
  options.zone = zone;
  reporting::Reports reports(store, &clock, options);
  std::printf("== full dashboard (KPIs + trend with projection + backlog), %d queries each\n",
              queries);
  auto filter = [](const char* from, const char* to) {
    reporting::v1::ReportFilter f;
    f.set_from_date(from);
    f.set_to_date(to);
    return f;
  };
  Latency(reports, "current month (default)", reporting::v1::ReportFilter(), queries);
  Latency(reports, "last 12 months, ragged edges", filter("2025-02-10", "2026-02-19"), queries);
  Latency(reports, "whole history (5 years)", filter("2021-02-01", "2026-02-20"), queries);
  auto group = filter("2025-01-01", "2025-12-31");
  group.set_group_id("g-l2-3");
  Latency(reports, "one year, one L2 group", group, queries);
  auto level = filter("2025-01-01", "2025-12-31");
  level.set_level(incident::v1::L1);
  level.set_priority(incident::v1::P3);
  Latency(reports, "one year, L1 and P3", level, queries);
  auto org = filter("2025-01-01", "2025-12-31");
  org.set_org_unit_id("ou-417");
  Latency(reports, "one year, one org unit (facts path)", org, queries);
  auto ci = filter("2026-01-01", "2026-01-31");
  ci.set_ci_id("ci-7");
  Latency(reports, "one month, one CI (facts path)", ci, std::max(5, queries / 4));

  std::printf("== ingest through Redis Streams and the consumers\n");
  reporting::testing::HistoryOptions ho;
  ho.now = now;
  ho.zone = zone;
  ho.first_month = absl::CivilMonth(2024, 1);
  ho.months = 24;
  ho.min_per_month = event_incidents / 24 - 20;
  ho.max_per_month = event_incidents / 24 + 20;
  const auto history = reporting::testing::GenerateHistory(ho);
  long published = 0;
  for (const auto& [stream, events] : history.streams) {
    Check(reporting::testing::Publish(redis.address(), stream, events), "publish");
    published += events.size();
  }
  reporting::EventIngest ingest(zone);
  start = absl::Now();
  long handled = 0;
  {
    reporting::IngestLoop loop(pool, redis.address(), ingest, "bench");
    auto n = loop.DrainUntilIdle();
    Check(n.status(), "ingest");
    handled = *n;
  }
  double s = Seconds(start);
  std::printf("  %ld events (%zu incidents) published, %ld handled in %.2f s: %.0f events/s\n",
              published, history.incidents.size(), handled, s, handled / s);

  std::printf("== replay: truncate the read model, fresh consumer group, streams from 0\n");
  start = absl::Now();
  Check(reporting::DropConsumerGroups(redis.address()), "drop groups");
  Check(reporting::TruncateReadModel(pool), "truncate");
  const double truncate_s = Seconds(start);
  {
    reporting::IngestLoop loop(pool, redis.address(), ingest, "replay");
    auto n = loop.DrainUntilIdle();
    Check(n.status(), "replay");
    handled = *n;
  }
  s = Seconds(start);
  std::printf("  %ld events in %.2f s (truncate %.2f s): %.0f events/s\n", handled, s, truncate_s,
              handled / s);
  const double per_incident = double(published) / history.incidents.size();
  std::printf("  at %.1f events per incident, %d incidents = %.1f M events: about %.1f h\n",
              per_incident, incidents, incidents * per_incident / 1e6,
              incidents * per_incident / (handled / s) / 3600);
  return 0;
}
