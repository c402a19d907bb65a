#include <catch2/catch.hpp>

#include "services/reporting/tests/reporting_fixture.h"
#include "tiquete/incident/v1/incident.pb.h"

using namespace tiquete::reporting;
using namespace tiquete::reporting::testing;
namespace inc = tiquete::incident::v1;

namespace {

int64_t Count(ReportingFixture& fx, const std::string& sql) {
  int64_t n = 0;
  REQUIRE(fx.pool
              ->Read([&](pqxx::work& tx) {
                n = tx.exec(sql)[0][0].as<long long>();
                return absl::OkStatus();
              })
              .ok());
  return n;
}

HistoryOptions Small(const ReportingFixture& fx) {
  HistoryOptions o = fx.DefaultOptions();
  o.first_month = absl::CivilMonth(2025, 11);
  o.months = 4;
  o.min_per_month = 15;
  o.max_per_month = 25;
  return o;
}

}  // namespace

TEST_CASE("replay event by event rebuilds exactly the read model the set-based batches built") {
  ReportingFixture fx;
  const History h = fx.LoadHistory(Small(fx));
  REQUIRE(h.incidents.size() > 40);
  const std::string before = fx.DumpReadModel();
  REQUIRE(Count(fx, "SELECT count(*) FROM fact_incident WHERE version > 0") ==
          static_cast<int64_t>(h.incidents.size()));

  REQUIRE(DropConsumerGroups(fx.redis.address()).ok());
  REQUIRE(TruncateReadModel(*fx.pool).ok());
  REQUIRE(Count(fx, "SELECT count(*) FROM rollup") == 0);
  IngestLoop loop(*fx.pool, fx.redis.address(), *fx.ingest, "one-by-one", nullptr, 500,
                  /*set_based=*/false);
  auto drained = loop.DrainUntilIdle();
  REQUIRE(drained.ok());
  const long events = *drained;
  size_t published = h.late_people.size();
  for (const auto& [stream, list] : h.streams) published += list.size();
  CHECK(events == static_cast<long>(published));
  CHECK(fx.DumpReadModel() == before);
}

TEST_CASE("events delivered again are acknowledged without counting twice") {
  ReportingFixture fx;
  const History h = fx.LoadHistory(Small(fx));
  const std::string before = fx.DumpReadModel();
  // The whole incident stream once more, same event ids.
  REQUIRE(Publish(fx.redis.address(), tiquete::StreamForService("incident"),
                  h.streams.at(tiquete::StreamForService("incident")))
              .ok());
  CHECK(fx.Drain() > 0);
  CHECK(fx.DumpReadModel() == before);
}

TEST_CASE("an SLA breach that overtakes the incident is kept and counted when it arrives") {
  ReportingFixture fx;
  HistoryOptions o = Small(fx);
  const History h = GenerateHistory(o);
  // SLA signals first, incidents later.
  REQUIRE(Publish(fx.redis.address(), tiquete::StreamForService("sla"),
                  h.streams.at(tiquete::StreamForService("sla")))
              .ok());
  fx.Drain();
  CHECK(Count(fx, "SELECT count(*) FROM fact_incident WHERE version = 0") > 0);
  CHECK(Count(fx, "SELECT count(*) FROM rollup") == 0);
  REQUIRE(Publish(fx.redis.address(), tiquete::StreamForService("incident"),
                  h.streams.at(tiquete::StreamForService("incident")))
              .ok());
  fx.Drain();
  CHECK(Count(fx, "SELECT count(*) FROM fact_incident WHERE version = 0") == 0);
  int64_t breached = 0;
  for (const auto& t : h.incidents) breached += t.resolved && t.resolution == 2;
  CHECK(breached > 0);
  CHECK(Count(fx,
              "SELECT coalesce(sum(resol_breached), 0) FROM rollup WHERE cohort = 'r' AND "
              "grain = 'm'") == breached);
}

TEST_CASE("an incident event that does not parse is recorded as failed while the rest go on") {
  ReportingFixture fx;
  tiquete::events::v1::Event bad;
  bad.set_id("00000000-0000-4000-b000-000000000001");
  bad.set_type("incident.incident.created");
  bad.mutable_payload()->set_type_url("type.googleapis.com/tiquete.incident.v1.IncidentEvent");
  bad.mutable_payload()->set_value("\xff\xff\xff");
  HistoryOptions o = Small(fx);
  o.months = 1;
  History h = GenerateHistory(o);
  auto events = h.streams.at(tiquete::StreamForService("incident"));
  events.insert(events.begin() + 3, bad);
  REQUIRE(Publish(fx.redis.address(), tiquete::StreamForService("incident"), events).ok());
  fx.Drain();
  CHECK(Count(fx, "SELECT count(*) FROM event_failures") == 1);
  CHECK(Count(fx, "SELECT count(*) FROM fact_incident WHERE version > 0") ==
        static_cast<int64_t>(h.incidents.size()));
}

TEST_CASE("one set-based batch of a whole history leaves the read model of one event at a time") {
  ReportingFixture batched, single;
  const History h = GenerateHistory(Small(batched));
  std::vector<const tiquete::events::v1::Event*> all;
  for (const auto& [stream, list] : h.streams) {
    for (const auto& e : list) all.push_back(&e);
  }
  for (const auto& e : h.late_people) all.push_back(&e);
  // Several events of the same incident, SLA signals and directory events in one batch.
  REQUIRE(all.size() > 3 * h.incidents.size());
  REQUIRE(
      batched.pool->Transact([&](pqxx::work& tx) { return batched.ingest->HandleBatch(tx, all); })
          .ok());
  REQUIRE(single.pool
              ->Transact([&](pqxx::work& tx) {
                for (const auto* e : all) {
                  if (absl::Status s = single.ingest->Handle(tx, *e); !s.ok()) return s;
                }
                return absl::OkStatus();
              })
              .ok());
  const std::string model = single.DumpReadModel();
  REQUIRE(Count(single, "SELECT count(*) FROM fact_incident WHERE version > 0") ==
          static_cast<int64_t>(h.incidents.size()));
  CHECK(batched.DumpReadModel() == model);
}
