// A migrated reporting schema, a private Redis, the real ingest path and the report use cases,
// for the integration tests.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/pg.h"
#include "common/testing/test_db.h"
#include "common/testing/test_redis.h"
#include "services/reporting/ingest.h"
#include "services/reporting/reports.h"
#include "services/reporting/store.h"
#include "services/reporting/tests/history.h"

namespace tiquete::reporting::testing {

struct ReportingFixture {
  ReportingFixture();

  // Generates the history, publishes it, ingests it through the consumers, then publishes the
  // late directory events and ingests those too.
  History LoadHistory(HistoryOptions options);
  History LoadHistory();
  long Drain();  // ingests until every stream is idle
  // Facts and rollups as text, for comparing two builds of the read model.
  std::string DumpReadModel();
  HistoryOptions DefaultOptions() const;

  tiquete::testing::TestDatabase db{{"reporting"}};
  tiquete::testing::TestRedis redis;
  absl::TimeZone zone;
  absl::Time now;
  FakeClock clock;
  std::unique_ptr<PgPool> pool;
  std::unique_ptr<EventIngest> ingest;
  std::unique_ptr<ReportStore> store;
  std::unique_ptr<Reports> reports;
};

}  // namespace tiquete::reporting::testing
