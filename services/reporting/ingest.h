// The event handler of the read model: incident, intake, SLA and directory events, each
// applied inside the consumer's transaction (which also records the event id, so a redelivery
// is never applied twice), plus the loop that drives the four consumers from one thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/events.h"
#include "common/redis.h"

namespace tiquete {
class Metrics;
class PgPool;
}  // namespace tiquete

namespace tiquete::reporting {

class EventIngest {
 public:
  explicit EventIngest(absl::TimeZone zone) : zone_(zone) {}
  // Unknown event types are acknowledged and ignored (OK); a payload that does not parse is an
  // INVALID_ARGUMENT (the consumer retries, then dead-letters it).
  absl::Status Handle(pqxx::work& tx, const events::v1::Event& event) const;

 private:
  absl::Status HandleIncident(pqxx::work& tx, const events::v1::Event& event) const;
  absl::Status HandleIntake(pqxx::work& tx, const events::v1::Event& event) const;
  absl::Status HandleSla(pqxx::work& tx, const events::v1::Event& event) const;
  absl::Status HandlePerson(pqxx::work& tx, const events::v1::Event& event) const;

  absl::TimeZone zone_;
};

// The streams reporting reads, all with consumer group "reporting".
std::vector<std::string> ReportingStreams();  // incident, intake, sla, directory

// One thread polls every stream's consumer in turn, so all writes to the read model come from a
// single writer: facts and rollup rows touched by incident and SLA events never deadlock.
class IngestLoop {
 public:
  IngestLoop(PgPool& pool, RedisAddress redis, const EventIngest& ingest, std::string consumer,
             Metrics* metrics = nullptr, int batch = 500);
  ~IngestLoop();

  void Start();
  void Stop();
  // One pass over every stream; returns the events processed.
  absl::StatusOr<int> PollRound();
  // Polls until a whole round finds nothing new (replay, tests).
  absl::StatusOr<long> DrainUntilIdle();

 private:
  void Run();
  std::vector<std::unique_ptr<EventConsumer>> consumers_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Drops the "reporting" group on every stream (replay starts a fresh one at entry 0).
absl::Status DropConsumerGroups(const RedisAddress& redis);

}  // namespace tiquete::reporting
