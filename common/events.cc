#include "common/events.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include <google/protobuf/any.pb.h>
#include <google/protobuf/util/time_util.h>
#include <sodium.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/errors.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/pg.h"

namespace tiquete {
namespace {

// Sleeps in small steps so Stop() is honoured quickly.
void SleepUnless(const std::atomic<bool>& stop, absl::Duration d) {
  const absl::Time until = absl::Now() + d;
  for (absl::Time now = absl::Now(); !stop.load() && now < until; now = absl::Now()) {
    absl::SleepFor(std::min(until - now, absl::Milliseconds(20)));
  }
}

// Logs a repeated failure once per state change, not once per loop.
class FailureLog {
 public:
  explicit FailureLog(std::string what) : what_(std::move(what)) {}
  void Failed(const absl::Status& s) {
    if (!failing_) log::Warning(what_ + " failing; will retry", {{"error", s.ToString()}});
    failing_ = true;
  }
  void Ok() {
    if (failing_) log::Info(what_ + " recovered");
    failing_ = false;
  }

 private:
  std::string what_;
  bool failing_ = false;
};

const redisReply* Element(const redisReply* r, size_t i) {
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY || i >= r->elements) return nullptr;
  return r->element[i];
}

// Prepared on each connection when first used (pqxx prepares lazily; registering the same
// definition again is a no-op), so every service's pool gets them without listing them.
constexpr char kClaimEvents[] = "tiquete_claim_events";
constexpr char kClaimEventsSql[] =
    "INSERT INTO processed_events (event_id, stream) SELECT DISTINCT id, $2::text "
    "FROM unnest($1::uuid[]) AS u(id) ORDER BY id ON CONFLICT DO NOTHING "
    "RETURNING event_id::text";
// Rows are inserted in ordinality order, so their sequence numbers follow the order given.
constexpr char kAppendEvents[] = "tiquete_append_events";
constexpr char kAppendEventsSql[] =
    "INSERT INTO outbox (event_id, type, aggregate_type, aggregate_id, payload, request_id, "
    "actor_id) SELECT id, type, aggregate_type, aggregate_id, payload, $7, "
    "actor_id FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[], "
    "$6::text[]) WITH ORDINALITY AS e(id, type, aggregate_type, aggregate_id, payload, actor_id, "
    "ord) ORDER BY ord";
// Takes the oldest unpublished rows nobody else holds and marks them published in one
// statement; the mark only commits if Redis accepted every entry (the caller rolls back
// otherwise). RETURNING has no order: the caller sorts by sequence.
constexpr char kTakeOutbox[] = "tiquete_take_outbox";
constexpr char kTakeOutboxSql[] =
    "UPDATE outbox o SET published_at = clock_timestamp() FROM (SELECT sequence FROM outbox "
    "WHERE published_at IS NULL ORDER BY sequence LIMIT $1 FOR UPDATE SKIP LOCKED) p "
    "WHERE o.sequence = p.sequence RETURNING o.sequence, o.event_id, o.type, o.aggregate_type, "
    "o.aggregate_id, o.payload, o.request_id, o.actor_id, "
    "(extract(epoch FROM o.occurred_at) * 1000000)::bigint";

}  // namespace

std::string StreamForService(const std::string& service) {
  return absl::StrCat("tiquete.", service, ".events");
}

std::string AppendEvent(pqxx::work& tx, const EventSpec& spec) {
  google::protobuf::Any any;
  if (spec.payload) any.PackFrom(*spec.payload);
  const std::string bytes = any.SerializeAsString();
  auto rows = tx.exec_params(
      "INSERT INTO outbox (type, aggregate_type, aggregate_id, payload, request_id, actor_id) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING event_id",
      spec.type, spec.aggregate_type, spec.aggregate_id, pqxx::binarystring(bytes),
      log::CurrentRequestId(), spec.actor_id);
  MarkOutboxWritten();
  return rows[0][0].as<std::string>();
}

std::vector<std::string> AppendEvents(pqxx::work& tx, const std::vector<EventSpec>& specs) {
  if (specs.empty()) return {};
  std::vector<std::string> ids, type, aggregate_type, aggregate_id, payload, actor;
  for (const EventSpec& spec : specs) {
    google::protobuf::Any any;
    if (spec.payload) any.PackFrom(*spec.payload);
    ids.push_back(NewEventId());
    type.push_back(spec.type);
    aggregate_type.push_back(spec.aggregate_type);
    aggregate_id.push_back(spec.aggregate_id);
    payload.push_back(any.SerializeAsString());
    actor.push_back(spec.actor_id);
  }
  tx.conn().prepare(kAppendEvents, kAppendEventsSql);
  // Binary arrays: the payloads go as raw bytes, not hex digits the server decodes.
  tx.exec_prepared0(kAppendEvents, pg_array::Uuid(ids), pg_array::Text(type),
                    pg_array::Text(aggregate_type), pg_array::Text(aggregate_id),
                    pg_array::Bytea(payload), pg_array::Text(actor), log::CurrentRequestId());
  MarkOutboxWritten();
  return ids;
}

std::string NewEventId(absl::Time at) {
  static const bool sodium_ready = sodium_init() >= 0;  // idempotent, thread-safe
  (void)sodium_ready;
  // Random bits drawn a few hundred ids at a time: one getrandom() call per id was a
  // system call per event.
  constexpr size_t kRandomPerId = 10;
  thread_local unsigned char pool[kRandomPerId * 256];
  thread_local size_t used = sizeof pool;
  if (used == sizeof pool) {
    randombytes_buf(pool, sizeof pool);
    used = 0;
  }
  unsigned char b[16];
  std::memcpy(b + 6, pool + used, kRandomPerId);
  used += kRandomPerId;
  const uint64_t ms = static_cast<uint64_t>(absl::ToUnixMillis(at));
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0f));  // version 7
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));  // variant 10
  std::string id = HexDigits(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
  for (size_t dash : {20, 16, 12, 8}) id.insert(dash, 1, '-');  // 8-4-4-4-12
  return id;
}

// ---------------------------------------------------------------------------------------------
// OutboxRelay

OutboxRelay::OutboxRelay(PgPool& pool, RedisAddress redis, RelayOptions options, Metrics* metrics)
    : pool_(pool),
      redis_address_(std::move(redis)),
      options_(std::move(options)),
      metrics_(metrics) {}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  stop_ = false;
  // Before the thread's first read: a commit in between must not wait for the poll (an early
  // Wake() is kept in woken_).
  hook_ = pool_.AddOutboxHook([this] { Wake(); });
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Stop() {
  if (hook_ != 0) pool_.RemoveOutboxHook(hook_);
  hook_ = 0;
  stop_ = true;
  Wake();
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Wake() {
  {
    std::lock_guard lock(wake_mu_);
    woken_ = true;
  }
  wake_cv_.notify_one();
}

absl::Status OutboxRelay::EnsureRedis() {
  if (redis_ && !redis_->broken()) return absl::OkStatus();
  auto conn = RedisConnection::Connect(redis_address_);
  if (!conn.ok()) return conn.status();
  redis_ = std::move(*conn);
  return absl::OkStatus();
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  int published = 0;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    published = 0;
    // SKIP LOCKED lets several relay replicas share the outbox without publishing a row twice.
    tx.conn().prepare(kTakeOutbox, kTakeOutboxSql);
    auto taken = tx.exec_prepared(kTakeOutbox, options_.batch);
    if (taken.empty()) return absl::OkStatus();
    std::vector<pqxx::row> rows(taken.begin(), taken.end());
    std::sort(rows.begin(), rows.end(), [](const pqxx::row& a, const pqxx::row& b) {
      return a[0].as<long long>() < b[0].as<long long>();
    });
    std::vector<std::vector<std::string>> commands;
    commands.reserve(rows.size());
    for (const auto& row : rows) {
      events::v1::Event event;
      event.set_sequence(row[0].as<long long>());
      event.set_id(row[1].as<std::string>());
      event.set_type(row[2].as<std::string>());
      event.set_aggregate_type(row[3].as<std::string>());
      event.set_aggregate_id(row[4].as<std::string>());
      event.mutable_payload()->ParseFromString(pqxx::binarystring(row[5]).str());
      event.set_request_id(row[6].as<std::string>());
      event.set_actor_id(row[7].as<std::string>());
      *event.mutable_occurred_at() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row[8].as<long long>());
      event.set_producer(options_.producer);
      commands.push_back({"XADD", options_.stream, "MAXLEN", "~",
                          std::to_string(options_.max_stream_length), "*", "event",
                          event.SerializeAsString(), "type", event.type()});
    }
    if (absl::Status s = EnsureRedis(); !s.ok()) return s;
    // If Redis fails after accepting some entries, the transaction rolls back and the rows are
    // sent again: consumers see duplicates (deduplicated by event id), never gaps.
    auto replies = redis_->Pipeline(commands);
    if (!replies.ok()) return replies.status();
    published = static_cast<int>(rows.size());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (metrics_ && published > 0) metrics_->outbox_published().Increment(published);
  return published;
}

absl::StatusOr<int> OutboxRelay::PrunePublished() {
  int deleted = 0;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    deleted = static_cast<int>(
        tx.exec_params0("DELETE FROM outbox WHERE published_at < clock_timestamp() - "
                        "$1 * interval '1 microsecond'",
                        absl::ToInt64Microseconds(options_.keep_published))
            .affected_rows());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return deleted;
}

void OutboxRelay::Run() {
  FailureLog failures("outbox relay");
  absl::Time next_housekeeping = absl::Now();
  absl::Time next_prune = absl::Now();
  while (!stop_.load()) {
    auto published = PublishBatch();
    if (!published.ok()) {
      failures.Failed(published.status());
      SleepUnless(stop_, options_.retry_backoff);
      continue;
    }
    failures.Ok();
    if (absl::Now() >= next_housekeeping) {
      next_housekeeping = absl::Now() + absl::Seconds(5);
      if (absl::Now() >= next_prune) {
        next_prune = absl::Now() + options_.prune_interval;
        if (auto pruned = PrunePublished(); !pruned.ok()) {
          log::Warning("pruning published outbox rows failed",
                       {{"error", pruned.status().ToString()}});
        }
      }
      (void)pool_.Transact([&](pqxx::work& tx) {
        auto backlog = tx.exec("SELECT count(*) FROM outbox WHERE published_at IS NULL");
        if (metrics_) metrics_->outbox_backlog().Set(backlog[0][0].as<double>());
        return absl::OkStatus();
      });
    }
    if (*published == options_.batch) continue;  // more waiting: go again at once
    // Woken by a commit of this process that wrote events (PgPool's outbox hook), or after
    // poll_interval for rows other processes committed.
    std::unique_lock lock(wake_mu_);
    wake_cv_.wait_for(lock, absl::ToChronoMicroseconds(options_.poll_interval),
                      [&] { return woken_ || stop_.load(); });
    if (woken_ && options_.linger > absl::ZeroDuration()) {
      wake_cv_.wait_for(lock, absl::ToChronoMicroseconds(options_.linger),
                        [&] { return stop_.load(); });
    }
    woken_ = false;
  }
}

// ---------------------------------------------------------------------------------------------
// EventConsumer

EventConsumer::EventConsumer(PgPool& pool, RedisAddress redis, ConsumerOptions options,
                             EventHandler handler, Metrics* metrics)
    : EventConsumer(pool, std::move(redis), std::move(options), std::move(handler), nullptr,
                    metrics) {}

EventConsumer::EventConsumer(PgPool& pool, RedisAddress redis, ConsumerOptions options,
                             EventHandler handler, BatchEventHandler batch_handler,
                             Metrics* metrics)
    : pool_(pool),
      redis_address_(std::move(redis)),
      options_(std::move(options)),
      handler_(std::move(handler)),
      batch_handler_(std::move(batch_handler)),
      metrics_(metrics) {}

EventConsumer::~EventConsumer() { Stop(); }

void EventConsumer::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void EventConsumer::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::Status EventConsumer::EnsureRedis() {
  if (redis_ && !redis_->broken()) return absl::OkStatus();
  auto conn =
      RedisConnection::Connect(redis_address_, absl::Seconds(2), options_.block + absl::Seconds(5));
  if (!conn.ok()) return conn.status();
  // A new group starts at the beginning of the stream, so a new consumer sees all history.
  auto created =
      (*conn)->Command({"XGROUP", "CREATE", options_.stream, options_.group, "0", "MKSTREAM"});
  if (!created.ok() && created.status().message().find("BUSYGROUP") == absl::string_view::npos) {
    return created.status();
  }
  redis_ = std::move(*conn);
  return absl::OkStatus();
}

absl::Status EventConsumer::Bury(const std::string& entry_id, const events::v1::Event& event,
                                 const std::string& raw, const std::string& reason) {
  absl::Status buried = pool_.Transact([&](pqxx::work& tx) {
    tx.exec_params(
        "INSERT INTO dead_letters (stream, entry_id, event_id, type, event, reason, attempts) "
        "SELECT $1, $2, $3, $4, $5, $6, coalesce((SELECT attempts FROM event_failures "
        "WHERE event_id::text = $3), 0) ON CONFLICT DO NOTHING",
        options_.stream, entry_id, event.id(), event.type(), pqxx::binarystring(raw), reason);
    return absl::OkStatus();
  });
  if (!buried.ok()) return buried;
  if (metrics_) metrics_->EventsHandled(options_.stream, "dead").Increment();
  log::Error("event dead-lettered",
             {{"entry_id", entry_id}, {"event_id", event.id()}, {"reason", reason}});
  return absl::OkStatus();
}

absl::Status EventConsumer::RecordFailure(const std::string& entry_id,
                                          const events::v1::Event& event, const absl::Status& error,
                                          std::vector<std::string>* done) {
  if (metrics_) metrics_->EventsHandled(options_.stream, "failed").Increment();
  int attempts = 0;
  absl::Status recorded = pool_.Transact([&](pqxx::work& tx) {
    auto r = tx.exec_params(
        "INSERT INTO event_failures (event_id, stream, attempts, last_error) "
        "VALUES ($1, $2, 1, $3) ON CONFLICT (event_id) DO UPDATE SET "
        "attempts = event_failures.attempts + 1, last_error = EXCLUDED.last_error, "
        "updated_at = clock_timestamp() RETURNING attempts",
        event.id(), options_.stream, error.ToString());
    attempts = r[0][0].as<int>();
    return absl::OkStatus();
  });
  if (!recorded.ok()) return recorded;
  log::Warning("event handler failed", {{"event_id", event.id()},
                                        {"type", event.type()},
                                        {"attempt", std::to_string(attempts)},
                                        {"error", error.ToString()}});
  if (attempts < options_.max_attempts) return absl::OkStatus();  // stays pending: retried
  absl::Status buried =
      Bury(entry_id, event, event.SerializeAsString(),
           absl::StrCat("handler failed ", attempts, " times; last error: ", error.ToString()));
  if (buried.ok()) done->push_back(entry_id);
  return buried;
}

absl::Status EventConsumer::HandleWholeBatch(
    pqxx::work& tx, const std::vector<std::pair<std::string, events::v1::Event>>& events,
    int* handled, int* duplicates) {
  std::vector<std::string> ids;
  ids.reserve(events.size());
  for (const auto& [entry_id, event] : events) ids.push_back(event.id());
  tx.exec("SAVEPOINT tiquete_batch");
  absl::Status outcome;
  int fresh_count = 0;
  try {
    // One prepared statement claims every id of the batch; the ids it inserted are the events
    // nobody processed before (the first of them when an id repeats within the batch). Ids are
    // claimed in sorted order, so two consumers claiming overlapping batches (after a reclaim)
    // wait for each other instead of deadlocking.
    absl::flat_hash_set<std::string> unclaimed;  // inserted, not yet matched to an event
    if (options_.record_processed) {
      tx.conn().prepare(kClaimEvents, kClaimEventsSql);
      auto claimed = tx.exec_prepared(kClaimEvents, PgTextArray(ids), options_.stream);
      unclaimed.reserve(claimed.size());
      for (const auto& row : claimed) unclaimed.insert(row[0].as<std::string>());
    } else {
      // Nothing is recorded: only an id repeated within this batch is left out here.
      unclaimed.reserve(ids.size());
      for (const std::string& id : ids) unclaimed.insert(absl::AsciiStrToLower(id));
    }
    std::vector<const events::v1::Event*> fresh;
    fresh.reserve(unclaimed.size());
    for (const auto& [entry_id, event] : events) {
      if (unclaimed.erase(absl::AsciiStrToLower(event.id())) > 0) fresh.push_back(&event);
    }
    if (!unclaimed.empty()) {
      outcome = absl::InternalError("processed_events claim returned an id not in the batch");
    }
    fresh_count = static_cast<int>(fresh.size());
    if (outcome.ok() && !fresh.empty()) outcome = batch_handler_(tx, fresh);
  } catch (const pqxx::broken_connection&) {
    throw;  // the whole batch is retried by Transact
  } catch (const std::exception& e) {
    outcome = StatusFromPqxx(e);
  }
  if (outcome.code() == absl::StatusCode::kUnavailable) return outcome;
  tx.exec(outcome.ok() ? "RELEASE SAVEPOINT tiquete_batch" : "ROLLBACK TO SAVEPOINT tiquete_batch");
  if (!outcome.ok()) return outcome;
  *handled = fresh_count;
  *duplicates = static_cast<int>(events.size()) - fresh_count;
  return absl::OkStatus();
}

absl::Status EventConsumer::ProcessBatch(const std::vector<Entry>& entries) {
  if (entries.empty()) return absl::OkStatus();
  std::vector<std::string> done;  // entry ids to acknowledge
  std::vector<std::pair<std::string, events::v1::Event>> events;
  for (const Entry& entry : entries) {
    std::string raw;
    for (size_t i = 0; entry.fields && i + 1 < entry.fields->elements; i += 2) {
      if (ReplyString(entry.fields->element[i]) == "event") {
        raw = ReplyString(entry.fields->element[i + 1]);
      }
    }
    events::v1::Event event;
    if (!event.ParseFromString(raw) || event.id().size() != 36) {
      absl::Status s = Bury(entry.id, event, raw,
                            "malformed entry: no parsable tiquete.events.v1.Event in \"event\"");
      if (!s.ok()) return s;
      done.push_back(entry.id);
      continue;
    }
    if (!options_.types.empty() && std::find(options_.types.begin(), options_.types.end(),
                                             event.type()) == options_.types.end()) {
      done.push_back(entry.id);  // not a type this consumer handles
      continue;
    }
    events.emplace_back(entry.id, std::move(event));
  }
  // Outcome per event of the batch transaction: "" handled or duplicate, else the error.
  std::vector<absl::Status> outcomes;
  int handled = 0, duplicates = 0;
  if (events.empty()) return Acknowledge(done);  // nothing this consumer handles
  absl::Status batch = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    outcomes.assign(events.size(), absl::OkStatus());
    handled = duplicates = 0;
    if (batch_handler_ && !events.empty()) {
      absl::Status whole = HandleWholeBatch(tx, events, &handled, &duplicates);
      if (whole.ok() || whole.code() == absl::StatusCode::kUnavailable) return whole;
      // Something in the batch failed: find out which event, handling each on its own.
      log::Warning("batch handler failed; handling the batch event by event",
                   {{"stream", options_.stream},
                    {"events", std::to_string(events.size())},
                    {"error", whole.ToString()}});
      if (metrics_) {
        metrics_->EventsHandled(options_.stream, "batch_fallback").Increment(events.size());
      }
    }
    absl::flat_hash_set<std::string> seen;  // without processed_events: repeats in this batch
    for (size_t i = 0; i < events.size(); ++i) {
      const events::v1::Event& event = events[i].second;
      if (!options_.record_processed && !seen.insert(absl::AsciiStrToLower(event.id())).second) {
        ++duplicates;
        continue;
      }
      tx.exec("SAVEPOINT tiquete_event");
      absl::Status outcome;
      try {
        const bool fresh = !options_.record_processed ||
                           tx.exec_params(
                                 "INSERT INTO processed_events (event_id, stream) VALUES ($1, $2) "
                                 "ON CONFLICT DO NOTHING",
                                 event.id(), options_.stream)
                                   .affected_rows() > 0;
        if (!fresh) {
          ++duplicates;
        } else {
          outcome = handler_(tx, event);
          if (outcome.ok()) ++handled;
        }
      } catch (const pqxx::broken_connection&) {
        throw;  // the whole batch is retried by Transact
      } catch (const std::exception& e) {
        outcome = StatusFromPqxx(e);
      }
      if (outcome.code() == absl::StatusCode::kUnavailable) return outcome;
      tx.exec(outcome.ok() ? "RELEASE SAVEPOINT tiquete_event"
                           : "ROLLBACK TO SAVEPOINT tiquete_event");
      outcomes[i] = outcome;
    }
    return absl::OkStatus();
  });
  // Our own infrastructure failed, not the events: leave them pending for a later reclaim.
  if (!batch.ok()) return batch;
  if (metrics_) {
    metrics_->EventsHandled(options_.stream, "handled").Increment(handled);
    metrics_->EventsHandled(options_.stream, "duplicate").Increment(duplicates);
  }
  for (size_t i = 0; i < events.size(); ++i) {
    if (outcomes[i].ok()) {
      done.push_back(events[i].first);
    } else if (absl::Status s =
                   RecordFailure(events[i].first, events[i].second, outcomes[i], &done);
               !s.ok()) {
      return s;
    }
  }
  return Acknowledge(done);
}

absl::Status EventConsumer::Acknowledge(const std::vector<std::string>& entry_ids) {
  if (entry_ids.empty()) return absl::OkStatus();
  std::vector<std::string> ack = {"XACK", options_.stream, options_.group};
  ack.insert(ack.end(), entry_ids.begin(), entry_ids.end());
  auto acked = redis_->Command(ack);
  return acked.ok() ? absl::OkStatus() : acked.status();
}

absl::StatusOr<int> EventConsumer::PollOnce() {
  if (absl::Status s = EnsureRedis(); !s.ok()) return s;
  std::vector<std::string> command = {"XREADGROUP",      "GROUP", options_.group,
                                      options_.consumer, "COUNT", std::to_string(options_.batch)};
  if (options_.block > absl::ZeroDuration()) {
    command.push_back("BLOCK");
    command.push_back(
        std::to_string(std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.block))));
  }
  command.insert(command.end(), {"STREAMS", options_.stream, ">"});
  auto reply = redis_->Command(command);
  if (!reply.ok()) {
    // NOGROUP after a Redis restart without the stream: recreate the group next time.
    if (reply.status().message().find("NOGROUP") != absl::string_view::npos) redis_.reset();
    return reply.status();
  }
  const redisReply* entries = Element(Element(reply->get(), 0), 1);
  std::vector<Entry> batch;
  for (size_t i = 0; entries && i < entries->elements; ++i) {
    batch.push_back(
        {ReplyString(Element(entries->element[i], 0)), Element(entries->element[i], 1)});
  }
  if (absl::Status s = ProcessBatch(batch); !s.ok()) return s;
  return static_cast<int>(batch.size());
}

absl::StatusOr<int> EventConsumer::ReclaimOnce() {
  if (absl::Status s = EnsureRedis(); !s.ok()) return s;
  int processed = 0;
  std::string cursor = "0-0";
  do {
    auto reply = redis_->Command({"XAUTOCLAIM", options_.stream, options_.group, options_.consumer,
                                  std::to_string(absl::ToInt64Milliseconds(options_.reclaim_idle)),
                                  cursor, "COUNT", std::to_string(options_.batch)});
    if (!reply.ok()) return reply.status();
    cursor = ReplyString(Element(reply->get(), 0));
    const redisReply* entries = Element(reply->get(), 1);
    std::vector<Entry> batch;
    for (size_t i = 0; entries && i < entries->elements; ++i) {
      batch.push_back(
          {ReplyString(Element(entries->element[i], 0)), Element(entries->element[i], 1)});
    }
    if (absl::Status s = ProcessBatch(batch); !s.ok()) return s;
    processed += static_cast<int>(batch.size());
    // Entries trimmed from the stream while pending cannot be processed; acknowledge them.
    const redisReply* deleted = Element(reply->get(), 2);
    for (size_t i = 0; deleted && i < deleted->elements; ++i) {
      log::Error("pending event was trimmed from the stream before processing",
                 {{"entry_id", ReplyString(deleted->element[i])}});
    }
  } while (!cursor.empty() && cursor != "0-0" && !stop_.load());
  if (metrics_) {
    auto groups = redis_->Command({"XINFO", "GROUPS", options_.stream});
    for (size_t g = 0; groups.ok() && g < (*groups)->elements; ++g) {
      const redisReply* info = (*groups)->element[g];
      std::string name;
      long long lag = 0, pending = 0;
      for (size_t k = 0; k + 1 < info->elements; k += 2) {
        const std::string key = ReplyString(info->element[k]);
        const redisReply* v = info->element[k + 1];
        if (key == "name") name = ReplyString(v);
        if (key == "lag" && v->type == REDIS_REPLY_INTEGER) lag = v->integer;
        if (key == "pending" && v->type == REDIS_REPLY_INTEGER) pending = v->integer;
      }
      if (name == options_.group) {
        metrics_->ConsumerLag(options_.stream, options_.group).Set(lag + pending);
      }
    }
  }
  return processed;
}

absl::StatusOr<int> EventConsumer::PruneProcessed(int limit) {
  // The smallest UUIDv7 of the cut-off millisecond: every id drawn before it sorts lower.
  const uint64_t ms =
      static_cast<uint64_t>(absl::ToUnixMillis(absl::Now() - options_.keep_processed));
  const std::string cutoff =
      absl::StrFormat("%08x-%04x-7000-8000-000000000000", ms >> 16, ms & 0xffff);
  int deleted = 0;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) {
    deleted = static_cast<int>(
        tx.exec_params("DELETE FROM processed_events WHERE event_id IN (SELECT event_id FROM "
                       "processed_events WHERE event_id < $1::uuid AND stream = $2 ORDER BY "
                       "event_id LIMIT $3)",
                       cutoff, options_.stream, limit)
            .affected_rows());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return deleted;
}

void EventConsumer::Run() {
  FailureLog failures("event consumer " + options_.group + " on " + options_.stream);
  absl::Time next_reclaim = absl::Now();
  absl::Time next_prune = absl::Now() + options_.prune_interval;
  while (!stop_.load()) {
    auto polled = PollOnce();
    if (!polled.ok()) {
      failures.Failed(polled.status());
      if (redis_ && redis_->broken()) redis_.reset();
      SleepUnless(stop_, absl::Milliseconds(500));
      continue;
    }
    failures.Ok();
    // Also without record_processed: rows written before the option was turned off.
    if (absl::Now() >= next_prune) {
      next_prune = absl::Now() + options_.prune_interval;
      auto pruned = PruneProcessed();
      if (!pruned.ok()) failures.Failed(pruned.status());
      if (pruned.ok() && *pruned > 0) next_prune = absl::Now();  // more to go: next round
    }
    if (absl::Now() >= next_reclaim) {
      next_reclaim = absl::Now() + options_.reclaim_interval;
      auto reclaimed = ReclaimOnce();
      if (!reclaimed.ok()) failures.Failed(reclaimed.status());
    }
    // A read that does not block returns at once on an empty stream: wait here instead.
    if (*polled == 0 && options_.block <= absl::ZeroDuration()) {
      SleepUnless(stop_, absl::Milliseconds(50));
    }
  }
}

}  // namespace tiquete
