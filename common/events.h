// Domain events: the transactional outbox, its relay to Redis Streams, and consumers that
// hand each event exactly once to an idempotent handler.
//
// Producer side: AppendEvent() inside the same transaction as the change. OutboxRelay moves
// committed rows to the stream "tiquete.<service>.events" (woken by the commits of its own
// process through PgPool's outbox hook, and polling for rows other processes committed). If
// Redis is down rows wait in the outbox; nothing is lost.
//
// Consumer side: EventConsumer reads with a consumer group; each event is handled inside a
// PostgreSQL transaction that also records its id in processed_events, so a redelivered event
// is acknowledged without running the handler again. With a BatchEventHandler a whole read batch
// is deduplicated with one statement and handled at once (set-based), falling back to the
// per-event path when that fails. A handler that is idempotent on its own (it applies versioned
// snapshots of an aggregate and skips versions it has seen) can turn the claims off
// (ConsumerOptions::record_processed). Entries left pending by a dead consumer
// are reclaimed (XAUTOCLAIM); after max_attempts failures an event goes to dead_letters with
// the reason and is acknowledged.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/message.h>
#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/redis.h"
#include "tiquete/events/v1/event.pb.h"

namespace tiquete {

class Metrics;
class PgPool;

std::string StreamForService(const std::string& service);  // "tiquete.<service>.events"

struct EventSpec {
  std::string type;            // "<service>.<aggregate>.<what>", e.g. "directory.person.created"
  std::string aggregate_type;  // "person"
  std::string aggregate_id;
  const google::protobuf::Message* payload = nullptr;  // packed into Event.payload (Any)
  std::string actor_id;                                // who caused it, when known
};

// Writes the event into this schema's outbox within tx; returns the new event id (UUID).
std::string AppendEvent(pqxx::work& tx, const EventSpec& spec);
// Writes several events with one statement, in the order given (their outbox sequence follows
// it); returns their ids (NewEventId()) in that order.
std::vector<std::string> AppendEvents(pqxx::work& tx, const std::vector<EventSpec>& specs);
// A new event id: a UUID version 7 (RFC 9562), the Unix milliseconds then 74 random bits, as
// the outbox's uuid_v7() default draws them (drawn here it costs the database nothing).
std::string NewEventId(absl::Time at = absl::Now());

struct RelayOptions {
  std::string stream;
  std::string producer;  // service name
  int batch = 500;
  absl::Duration poll_interval = absl::Milliseconds(500);
  // The relay reads the outbox when a transaction of this process that wrote events commits
  // (PgPool's outbox hook), and every poll_interval for rows committed by other processes (a
  // command-line import, a replica whose relay is down).
  //
  // After a wake-up by a commit, how long to let more events gather before reading the outbox:
  // under load one read then carries many events instead of one or two, each read costing a
  // transaction and a scan; when idle an event is published this much later.
  absl::Duration linger = absl::Milliseconds(5);
  absl::Duration retry_backoff = absl::Milliseconds(500);
  long max_stream_length = 1000000;  // XADD MAXLEN ~
  // Published rows are kept this long for inspection and manual replays, then deleted, every
  // prune_interval (the delete reads the whole outbox: no index serves it).
  absl::Duration keep_published = absl::Hours(24);
  absl::Duration prune_interval = absl::Minutes(10);
};

class OutboxRelay {
 public:
  OutboxRelay(PgPool& pool, RedisAddress redis, RelayOptions options, Metrics* metrics = nullptr);
  ~OutboxRelay();

  void Start();  // background thread
  void Stop();
  // Publishes up to one batch; returns how many rows were published.
  absl::StatusOr<int> PublishBatch();
  // Deletes the rows published more than keep_published ago; returns how many. Run by the
  // background thread every prune_interval; unpublished rows are never deleted.
  absl::StatusOr<int> PrunePublished();

 private:
  void Run();
  void Wake();
  absl::Status EnsureRedis();

  PgPool& pool_;
  RedisAddress redis_address_;
  RelayOptions options_;
  Metrics* metrics_;
  std::unique_ptr<RedisConnection> redis_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  int hook_ = 0;  // PgPool::AddOutboxHook's id while started
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  bool woken_ = false;
};

using EventHandler = std::function<absl::Status(pqxx::work& tx, const events::v1::Event& event)>;
// Handles, in one transaction, every event of a stream batch not processed before, in stream
// order. An error rolls the batch back (to a savepoint) and the consumer then handles each event
// alone with the per-event handler, so one bad event is retried / dead-lettered on its own.
using BatchEventHandler = std::function<absl::Status(
    pqxx::work& tx, const std::vector<const events::v1::Event*>& events)>;

struct ConsumerOptions {
  std::string stream;
  std::string group;     // the consuming service
  std::string consumer;  // unique per process, e.g. host-pid
  int batch = 100;
  // How long a read waits for new entries; zero: it does not wait (a caller polling several
  // streams in turn: Redis answers a short BLOCK only at its next timer tick, up to 100 ms
  // later, so a 1 ms block on an idle stream costs that much).
  absl::Duration block = absl::Milliseconds(1000);
  absl::Duration reclaim_idle = absl::Seconds(30);  // pending longer than this → reclaimed
  absl::Duration reclaim_interval = absl::Seconds(5);
  int max_attempts = 5;
  // false: no processed_events row is written and every delivered event reaches the handler
  // (an id repeated within one read batch only once, on both paths), so the handler itself must
  // recognise an event it has applied before, e.g. by the aggregate version its snapshot carries.
  // Saves a durable row per event and keeps processed_events from growing with the stream.
  bool record_processed = true;
  // processed_events rows of this stream older than this are deleted (every prune_interval):
  // long after anything can deliver their event again (the relay republishes within seconds,
  // the outbox keeps published rows a day for a manual replay). Event ids are time-ordered
  // (UUIDv7), so the age is read from the id and the primary key finds them.
  absl::Duration keep_processed = absl::Hours(24 * 7);
  absl::Duration prune_interval = absl::Minutes(10);
  // Not empty: only events of these types are handled; the others are acknowledged as they are
  // read, without a transaction or a processed_events row.
  std::vector<std::string> types;
};

class EventConsumer {
 public:
  EventConsumer(PgPool& pool, RedisAddress redis, ConsumerOptions options, EventHandler handler,
                Metrics* metrics = nullptr);
  // Set-based consumer: each read batch is deduplicated with one statement and handed to
  // batch_handler at once; `handler` is the per-event fallback when the batch fails.
  EventConsumer(PgPool& pool, RedisAddress redis, ConsumerOptions options, EventHandler handler,
                BatchEventHandler batch_handler, Metrics* metrics = nullptr);
  ~EventConsumer();

  void Start();
  void Stop();
  // One read of new entries (blocking up to options.block); returns entries processed.
  absl::StatusOr<int> PollOnce();
  // Claims entries idle longer than reclaim_idle and processes them.
  absl::StatusOr<int> ReclaimOnce();
  // Deletes this stream's processed_events rows older than keep_processed, at most `limit`
  // (oldest first); returns how many.
  absl::StatusOr<int> PruneProcessed(int limit = 10000);

 private:
  void Run();
  absl::Status EnsureRedis();
  struct Entry {
    std::string id;
    const redisReply* fields;
  };
  // Handles a batch of stream entries in one transaction (with a batch handler: all new events
  // at once; without one, or when it fails: a savepoint per event, so one failing handler does
  // not undo the others), then records failures, dead-letters the hopeless ones and
  // acknowledges everything that is done.
  absl::Status ProcessBatch(const std::vector<Entry>& entries);
  // The set-based attempt inside the batch transaction: claims the events' ids in
  // processed_events with one statement and runs batch_handler_ on the new ones, under a
  // savepoint that is rolled back (claims included) when it fails.
  absl::Status HandleWholeBatch(
      pqxx::work& tx, const std::vector<std::pair<std::string, events::v1::Event>>& events,
      int* handled, int* duplicates);
  absl::Status Acknowledge(const std::vector<std::string>& entry_ids);
  absl::Status RecordFailure(const std::string& entry_id, const events::v1::Event& event,
                             const absl::Status& error, std::vector<std::string>* done);
  absl::Status Bury(const std::string& entry_id, const events::v1::Event& event,
                    const std::string& raw, const std::string& reason);

  PgPool& pool_;
  RedisAddress redis_address_;
  ConsumerOptions options_;
  EventHandler handler_;
  BatchEventHandler batch_handler_;  // empty: per-event only
  Metrics* metrics_;
  std::unique_ptr<RedisConnection> redis_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace tiquete
