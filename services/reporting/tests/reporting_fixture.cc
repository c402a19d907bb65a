#include "services/reporting/tests/reporting_fixture.h"

#include <stdexcept>

#include "common/migrations.h"
#include "services/reporting/migrations.h"

namespace tiquete::reporting::testing {

ReportingFixture::ReportingFixture() {
  if (!absl::LoadTimeZone("America/Bogota", &zone)) throw std::runtime_error("no tzdata");
  now = absl::FromCivil(absl::CivilSecond(2026, 2, 20, 12, 0, 0), zone);
  clock.Set(now);
  {
    auto conn = ConnectPg(db.UrlFor("reporting"), "reporting");
    absl::Status s =
        ApplyMigrations(*conn, "reporting",
                        {{"common", &CommonMigrations()}, {"reporting", &reporting::Migrations()}});
    if (!s.ok()) throw std::runtime_error(s.ToString());
  }
  PgPoolOptions o;
  o.url = db.UrlFor("reporting");
  o.schema = "reporting";
  o.size = 4;
  o.prepared = PreparedStatements();
  pool = std::make_unique<PgPool>(o);
  ingest = std::make_unique<EventIngest>(zone);
  store = std::make_unique<ReportStore>(*pool, zone);
  ReportOptions options;
  options.zone = zone;
  options.backlog_max_wait_hours = 72;
  reports = std::make_unique<Reports>(*store, &clock, options);
}

HistoryOptions ReportingFixture::DefaultOptions() const {
  HistoryOptions o;
  o.now = now;
  o.zone = zone;
  return o;
}

History ReportingFixture::LoadHistory() { return LoadHistory(DefaultOptions()); }

History ReportingFixture::LoadHistory(HistoryOptions options) {
  History h = GenerateHistory(options);
  for (const auto& [stream, events] : h.streams) {
    absl::Status s = Publish(redis.address(), stream, events);
    if (!s.ok()) throw std::runtime_error(s.ToString());
  }
  Drain();
  absl::Status s = Publish(redis.address(), StreamForService("directory"), h.late_people);
  if (!s.ok()) throw std::runtime_error(s.ToString());
  Drain();
  return h;
}

long ReportingFixture::Drain() {
  IngestLoop loop(*pool, redis.address(), *ingest, "test");
  auto n = loop.DrainUntilIdle();
  if (!n.ok()) throw std::runtime_error(n.status().ToString());
  return *n;
}

std::string ReportingFixture::DumpReadModel() {
  std::string out;
  absl::Status s = pool->Read([&](pqxx::work& tx) {
    for (const char* q :
         {"SELECT f::text FROM fact_incident f ORDER BY number",
          "SELECT r::text FROM rollup r WHERE n <> 0 OR res_s <> 0 OR st_closed <> 0 "
          "ORDER BY cohort, grain, bucket, group_id, level, category_id, service_id, priority, "
          "assignee_id, ci_id",
          "SELECT d::text FROM rollup_dash d WHERE n <> 0 OR res_s <> 0 OR st_closed <> 0 "
          "ORDER BY cohort, grain, dim, bucket, key",
          "SELECT c::text FROM fact_ci c ORDER BY ci_id, number",
          "SELECT i::text FROM intake_daily i ORDER BY day, channel"}) {
      for (const auto& row : tx.exec(q)) out += row[0].as<std::string>() + "\n";
    }
    return absl::OkStatus();
  });
  if (!s.ok()) throw std::runtime_error(s.ToString());
  return out;
}

}  // namespace tiquete::reporting::testing
