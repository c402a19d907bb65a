#include "services/sla/tests/sla_fixture.h"

#include <atomic>

#include <google/protobuf/any.pb.h>
#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "common/migrations.h"
#include "services/sla/incident_events.h"
#include "services/sla/proto_mapping.h"

namespace tiquete::sla::testing {

SlaFixture::SlaFixture(absl::Time start) : clock(start) {
  {
    auto conn = ConnectPg(db.UrlFor("sla"), "sla");
    REQUIRE(ApplyMigrations(*conn, "sla",
                            {{"common", &CommonMigrations()}, {"sla", &sla::Migrations()}})
                .ok());
  }
  {
    auto conn = ConnectPg(db.UrlFor("incident"), "incident");
    REQUIRE(ApplyMigrations(*conn, "incident", {{"common", &CommonMigrations()}}).ok());
  }
  pool = NewPool();
  incident_pool = db.PoolFor("incident");
  store = std::make_unique<SlaStore>(*pool, clock);
  store->set_book_check_interval(absl::ZeroDuration());
}

std::unique_ptr<PgPool> SlaFixture::NewPool(int size) const {
  return std::make_unique<PgPool>(SlaPoolOptions(db.UrlFor("sla"), "sla", size));
}

incident::v1::Incident SlaFixture::Incident(const std::string& number, int priority,
                                            absl::Time created, const std::string& group,
                                            incident::v1::SupportLevel level) {
  incident::v1::Incident in;
  in.set_number(number);
  in.set_type(incident::v1::INCIDENT);
  in.set_state(group.empty() ? incident::v1::NEW : incident::v1::ASSIGNED);
  in.set_title("No carga el SIMAT");
  in.set_priority(static_cast<incident::v1::Priority>(priority));
  in.set_matrix_priority(static_cast<incident::v1::Priority>(priority));
  in.set_assignment_group_id(group);
  in.set_level(level);
  *in.mutable_created_at() = ToProtoTime(created);
  *in.mutable_updated_at() = ToProtoTime(created);
  in.set_version(1);
  return in;
}

events::v1::Event SlaFixture::EventOf(const std::string& change, const incident::v1::Incident& in,
                                      absl::Time at) {
  static std::atomic<int> counter{0};
  incident::v1::IncidentEvent payload;
  *payload.mutable_incident() = in;
  payload.set_change(change);
  payload.set_new_state(in.state());
  payload.set_new_level(in.level());
  payload.set_new_group_id(in.assignment_group_id());
  payload.set_new_priority(in.priority());
  *payload.mutable_occurred_at() = ToProtoTime(at);
  events::v1::Event event;
  event.set_id(absl::StrCat("00000000-0000-4000-9000-", absl::Dec(++counter, absl::kZeroPad12)));
  event.set_type(absl::StrCat("incident.incident.", change));
  event.set_aggregate_type("incident");
  event.set_aggregate_id(in.number());
  *event.mutable_occurred_at() = ToProtoTime(at);
  event.set_producer("incident");
  event.mutable_payload()->PackFrom(payload);
  return event;
}

absl::Status SlaFixture::Deliver(const events::v1::Event& event) {
  EventHandler handler = IncidentEventHandler(*store);
  return pool->Transact([&](pqxx::work& tx) { return handler(tx, event); });
}

absl::Status SlaFixture::Deliver(const std::string& change, const incident::v1::Incident& in) {
  return Deliver(EventOf(change, in, clock.Now()));
}

int64_t SlaFixture::Count(const std::string& sql) {
  int64_t n = -1;
  REQUIRE(pool->Read([&](pqxx::work& tx) {
                n = tx.exec1(sql)[0].as<int64_t>();
                return absl::OkStatus();
              })
              .ok());
  return n;
}

void SlaFixture::SetEscalationPath(const std::string& l2_group) {
  auto policy = store->GetPolicy(kStandardPolicy);
  REQUIRE(policy.ok());
  PolicySpec spec = policy->spec;
  spec.escalation_path = {{"L1", l2_group}};
  REQUIRE(store->UpdatePolicy(kStandardPolicy, spec.version, spec).ok());
}

}  // namespace tiquete::sla::testing
