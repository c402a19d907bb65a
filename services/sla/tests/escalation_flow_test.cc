// End to end through PostgreSQL and Redis: incident events in, clocks, the scanner, the SLA
// outbox, the escalation consumer and the incident service (an in-memory fake here; the gRPC
// adapter has its own test).
#include <catch2/catch.hpp>

#include "common/events.h"
#include "common/testing/test_redis.h"
#include "services/sla/escalation.h"
#include "services/sla/incident_events.h"
#include "services/sla/scanner.h"
#include "services/sla/tests/fake_incident_client.h"
#include "services/sla/tests/sla_fixture.h"

using namespace tiquete::sla;
using namespace tiquete::sla::testing;
using tiquete::EventConsumer;
using tiquete::OutboxRelay;

namespace {

tiquete::ConsumerOptions ReplicaA(std::string stream, std::string group) {
  tiquete::ConsumerOptions options;
  options.stream = std::move(stream);
  options.group = std::move(group);
  options.consumer = "replica-a";
  return options;
}

struct Pipeline {
  SlaFixture f;
  tiquete::testing::TestRedis redis;
  FakeIncidentClient incidents;
  EscalationRunner runner{*f.store, incidents};
  OutboxRelay incident_relay{*f.incident_pool, redis.address(), {kIncidentStream, "incident"}};
  OutboxRelay sla_relay{*f.pool, redis.address(), {tiquete::StreamForService("sla"), "sla"}};
  // Set-based consumers, as the engine runs them (per event only when a batch fails).
  EventConsumer incident_consumer{*f.pool, redis.address(), ReplicaA(kIncidentStream, "sla"),
                                  IncidentEventHandler(*f.store),
                                  IncidentEventBatchHandler(*f.store)};
  EventConsumer escalation_consumer{
      *f.pool, redis.address(), ReplicaA(tiquete::StreamForService("sla"), "sla-escalation"),
      [this](pqxx::work& tx, const tiquete::events::v1::Event& e) { return runner.Handle(tx, e); },
      [this](pqxx::work& tx, const std::vector<const tiquete::events::v1::Event*>& events) {
        return runner.HandleBatch(tx, events);
      }};

  // The incident service records a change in its outbox; its relay publishes it.
  void Publish(const std::string& change, const tiquete::incident::v1::Incident& in) {
    const auto event = SlaFixture::EventOf(change, in, f.clock.Now());
    tiquete::incident::v1::IncidentEvent payload;
    REQUIRE(event.payload().UnpackTo(&payload));
    REQUIRE(f.incident_pool
                ->Transact([&](pqxx::work& tx) {
                  tiquete::AppendEvent(tx, {event.type(), "incident", in.number(), &payload, ""});
                  return absl::OkStatus();
                })
                .ok());
    REQUIRE(incident_relay.PublishBatch().ok());
  }
  // The incident is created and nobody touches it until `until`, when a scanner pass runs.
  void CreateAndLeave(const tiquete::incident::v1::Incident& in, absl::Time until) {
    Publish("created", in);
    Drain();
    f.clock.Set(until);
    DueScanner scanner(*f.store, f.clock, {"a"});
    REQUIRE(scanner.RunOnce().ok());
    Drain();
  }
  void Drain() {
    while (*incident_consumer.PollOnce() > 0) {
    }
    while (*sla_relay.PublishBatch() > 0) {
    }
    while (*escalation_consumer.PollOnce() > 0) {
    }
  }
};

}  // namespace

TEST_CASE("an incident left untouched breaches and is escalated to L2 automatically, exactly once",
          "[integration]") {
  Pipeline p;
  p.f.SetEscalationPath("g-l2");
  auto in = SlaFixture::Incident("INC-2026-000100", 2, p.f.clock.Now());  // P2, L1 desk
  p.incidents.Put({in.number(), "assigned", 2, "L1", "g-mesa", 1});
  p.Publish("created", in);
  p.Drain();
  REQUIRE(p.f.Count("SELECT count(*) FROM clocks") == 2);

  // Nobody touches it. Two scanner replicas run through the breach, each several times.
  auto pool_b = p.f.NewPool();
  SlaStore store_b(*pool_b, p.f.clock);
  DueScanner a(*p.f.store, p.f.clock, {"a"});
  DueScanner b(store_b, p.f.clock, {"b"});
  for (absl::Time t : {Local(2026, 2, 3, 16), Local(2026, 2, 3, 18), Local(2026, 2, 4, 9)}) {
    p.f.clock.Set(t);
    REQUIRE(a.RunOnce().ok());
    REQUIRE(b.RunOnce().ok());
    p.Drain();
  }
  CHECK(p.f.Count("SELECT count(*) FROM clock_firings WHERE percent = 100") == 2);

  auto writes = p.incidents.writes();
  REQUIRE(writes.size() == 1);
  CHECK(writes[0].what == "escalate:g-l2");
  std::string firing;
  REQUIRE(p.f.pool
              ->Read([&](pqxx::work& tx) {
                firing = tx.exec1(
                               "SELECT f.id::text FROM clock_firings f JOIN clocks c ON "
                               "c.id = f.clock_id WHERE c.kind = 'resolution' AND percent = 100")[0]
                             .as<std::string>();
                return absl::OkStatus();
              })
              .ok());
  CHECK(writes[0].idempotency_key == "sla-" + firing);
  CHECK(writes[0].reason.find("[sla:" + firing + "]") != std::string::npos);
  CHECK(p.incidents.Get(in.number()).level == "L2");
  CHECK(p.f.Count("SELECT count(*) FROM escalation_actions WHERE action = 'escalate_level' "
                  "AND outcome = 'done'") == 1);
  CHECK(p.f.Count("SELECT count(*) FROM outbox WHERE type = 'sla.notification.requested'") >= 1);

  // The incident service reports the escalation; the clocks follow the ticket to L2 and no
  // second escalation happens, whatever is replayed.
  in.set_assignment_group_id("g-l2");
  in.set_level(tiquete::incident::v1::L2);
  in.set_version(2);
  p.Publish("escalated", in);
  p.f.clock.Set(Local(2026, 2, 10, 9));
  REQUIRE(a.RunOnce().ok());
  p.Drain();
  CHECK(p.f.Count("SELECT count(*) FROM clocks WHERE group_level = 'L2' AND kind = 'resolution'") ==
        1);

  // A crash after the incident call but before the commit replays the breach event: the
  // runner re-reads the incident, sees it already escalated and records nothing new.
  tiquete::events::v1::Event breach;
  REQUIRE(p.f.pool
              ->Read([&](pqxx::work& tx) {
                auto row = tx.exec1(
                    "SELECT event_id::text, payload FROM outbox WHERE type = 'sla.clock.breached' "
                    "AND payload IS NOT NULL ORDER BY sequence DESC LIMIT 1");
                breach.set_id(row[0].as<std::string>());
                breach.set_type("sla.clock.breached");
                breach.mutable_payload()->ParseFromString(pqxx::binarystring(row[1]).str());
                return absl::OkStatus();
              })
              .ok());
  auto replay = p.f.pool->Transact([&](pqxx::work& tx) {
    tx.exec("DELETE FROM escalation_actions");  // as if the first run never committed
    return p.runner.Handle(tx, breach);
  });
  REQUIRE(replay.ok());
  CHECK(p.incidents.writes().size() == 1);
}

TEST_CASE("a breach whose ticket is already resolved escalates nothing", "[integration]") {
  Pipeline p;
  p.f.SetEscalationPath("g-l2");
  auto in = SlaFixture::Incident("INC-2026-000101", 1, p.f.clock.Now());
  p.incidents.Put({in.number(), "resolved", 1, "L1", "g-mesa", 3});
  p.CreateAndLeave(in, Local(2026, 2, 4, 9));
  CHECK(p.incidents.writes().empty());
  CHECK(p.f.Count("SELECT count(*) FROM escalation_actions WHERE action = 'escalate_level' "
                  "AND outcome = 'skipped' AND detail = 'ticket is resolved'") == 1);
}

TEST_CASE("a possible security incident's breach is not escalated through the desk",
          "[integration]") {
  Pipeline p;
  p.f.SetEscalationPath("g-l2");
  auto in = SlaFixture::Incident("INC-2026-000102", 2, p.f.clock.Now());
  in.set_possible_security(true);
  p.incidents.Put({in.number(), "assigned", 2, "L1", "g-mesa", 1});
  p.CreateAndLeave(in, Local(2026, 2, 4, 9));
  // Breached and recorded, but neither handed to L2 nor announced to the desk coordinator.
  CHECK(p.f.Count("SELECT count(*) FROM clock_firings WHERE percent = 100") == 2);
  CHECK(p.incidents.writes().empty());
  CHECK(p.f.Count("SELECT count(*) FROM outbox WHERE type = 'sla.notification.requested'") == 0);
  CHECK(p.f.Count("SELECT count(*) FROM escalation_actions WHERE outcome = 'skipped' AND "
                  "detail LIKE 'possible security incident:%'") >= 2);
  CHECK(p.f.Count("SELECT count(*) FROM escalation_actions WHERE outcome = 'done'") == 0);
}
