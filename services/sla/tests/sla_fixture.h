// Integration-test fixture: a private database with the sla schema migrated (and an "incident"
// schema acting as the incident service's outbox), an SlaStore on a FakeClock, and helpers to
// build incident snapshots and events.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/pg.h"
#include "common/testing/test_db.h"
#include "services/sla/store.h"
#include "services/sla/tests/test_times.h"
#include "tiquete/events/v1/event.pb.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::sla::testing {

inline constexpr char kOfficeCalendar[] = "00000000-0000-4000-8000-000000000001";
inline constexpr char kAlwaysOpenCalendar[] = "00000000-0000-4000-8000-000000000002";
inline constexpr char kStandardPolicy[] = "00000000-0000-4000-8000-000000000101";

class SlaFixture {
 public:
  explicit SlaFixture(absl::Time start = Local(2026, 2, 3, 8));

  tiquete::testing::TestDatabase db{{"sla", "incident"}};
  FakeClock clock;
  std::unique_ptr<PgPool> pool;           // sla schema, statements prepared
  std::unique_ptr<PgPool> incident_pool;  // the producer's outbox
  std::unique_ptr<SlaStore> store;

  // Another replica of the engine on the same database.
  std::unique_ptr<PgPool> NewPool(int size = 4) const;

  // An incident as the incident service would publish it.
  static incident::v1::Incident Incident(const std::string& number, int priority,
                                         absl::Time created, const std::string& group = "g-mesa",
                                         incident::v1::SupportLevel level = incident::v1::L1);
  static events::v1::Event EventOf(const std::string& change, const incident::v1::Incident& in,
                                   absl::Time at);

  // Runs the incident-event handler on `event` in one transaction, as the consumer would.
  absl::Status Deliver(const events::v1::Event& event);
  absl::Status Deliver(const std::string& change, const incident::v1::Incident& in);

  int64_t Count(const std::string& sql);
  // Sets the standard policy's escalation path L1 → group.
  void SetEscalationPath(const std::string& l2_group);
};

}  // namespace tiquete::sla::testing
