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
  // A whole consumer batch, in stream order, with the same end state as Handle() on each event
  // in turn: every fact the batch touches is loaded (and locked) with one statement, the events
  // are applied in memory, then the facts, their net rollup deltas (old contributions of the
  // batch's first state subtracted, new ones of its last added, merged across incidents) and
  // the intake counts are written with a few set-based statements. Directory events are
  // applied one by one at their place in the order. Any payload that does not parse fails the
  // whole batch (the consumer then falls back to Handle() per event).
  absl::Status HandleBatch(pqxx::work& tx,
                           const std::vector<const events::v1::Event*>& events) const;

 private:
  absl::Status HandleIncident(pqxx::work& tx, const events::v1::Event& event) const;
  absl::Status HandleIntake(pqxx::work& tx, const events::v1::Event& event) const;
  absl::Status HandleSla(pqxx::work& tx, const events::v1::Event& event) const;
  absl::Status HandlePerson(pqxx::work& tx, const events::v1::Event& event) const;
  // HandleBatch for a run of incident / SLA / intake events (no directory event inside).
  absl::Status HandleRun(pqxx::work& tx, const std::vector<const events::v1::Event*>& events) const;

  absl::TimeZone zone_;
};

// The streams reporting reads, all with consumer group "reporting".
std::vector<std::string> ReportingStreams();  // incident, intake, sla, directory

// One thread polls every stream's consumer in turn, so all writes to the read model come from a
// single writer: facts and rollup rows touched by incident and SLA events never deadlock.
class IngestLoop {
 public:
  // set_based: batches go through EventIngest::HandleBatch (per-event Handle is the fallback);
  // false: every event through Handle (kept for comparing the two paths).
  IngestLoop(PgPool& pool, RedisAddress redis, const EventIngest& ingest, std::string consumer,
             Metrics* metrics = nullptr, int batch = 500, bool set_based = true);
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
