// The set-based path for a batch of incident events (SlaStore::ApplyTicketChanges through
// IncidentEventBatchHandler) against the one-event-per-transaction path: the same events must
// leave the same tickets, clocks, segments, firings and outbox events.
#include <atomic>
#include <functional>
#include <future>
#include <thread>

#include <google/protobuf/any.pb.h>
#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "common/events.h"
#include "common/testing/test_redis.h"
#include "services/sla/incident_events.h"
#include "services/sla/proto_mapping.h"
#include "services/sla/tests/sla_fixture.h"

using namespace tiquete::sla;
using namespace tiquete::sla::testing;
namespace inc = tiquete::incident::v1;

namespace {

std::string Text(SlaFixture& f, const std::string& sql, const std::string& number) {
  std::string out;
  REQUIRE(f.pool
              ->Read([&](pqxx::work& tx) {
                auto r = tx.exec_params1(sql, number);
                out = r[0].is_null() ? "" : r[0].as<std::string>();
                return absl::OkStatus();
              })
              .ok());
  return out;
}

// The outbox events about the ticket's clocks, in outbox order, their payloads without ids.
std::vector<std::string> ClockEvents(SlaFixture& f, const std::string& number) {
  std::vector<std::string> out;
  REQUIRE(f.pool
              ->Read([&](pqxx::work& tx) {
                for (const auto& r : tx.exec_params(
                         "SELECT o.type, c.kind || '/' || c.period, o.payload FROM outbox o "
                         "JOIN clocks c ON c.id::text = o.aggregate_id WHERE c.ticket = $1 "
                         "ORDER BY o.sequence",
                         number)) {
                  google::protobuf::Any any;
                  REQUIRE(any.ParseFromString(pqxx::binarystring(r[2]).str()));
                  std::string payload;
                  v1::ClockFiring firing;
                  v1::ClockOutcome outcome;
                  if (any.UnpackTo(&firing)) {
                    firing.clear_firing_id();
                    firing.mutable_clock()->clear_id();
                    firing.mutable_clock()->clear_ticket();
                    payload = firing.ShortDebugString();
                  } else if (any.UnpackTo(&outcome)) {
                    outcome.mutable_clock()->clear_id();
                    outcome.mutable_clock()->clear_ticket();
                    payload = outcome.ShortDebugString();
                  }
                  out.push_back(absl::StrCat(r[0].as<std::string>(), " ", r[1].as<std::string>(),
                                             " ", payload));
                }
                return absl::OkStatus();
              })
              .ok());
  return out;
}

// Everything the engine stored about one ticket, without ids and the ticket number.
struct TicketState {
  std::string ticket, clocks, segments, firings;
  std::vector<std::string> events;
};

TicketState StateOf(SlaFixture& f, const std::string& number) {
  TicketState s;
  s.ticket = Text(f,
                  "SELECT (to_jsonb(t) - 'number' - 'updated_at')::text FROM tickets t "
                  "WHERE number = $1",
                  number);
  s.clocks = Text(f,
                  "SELECT string_agg((to_jsonb(c) - 'id' - 'ticket' - 'updated_at')::text, "
                  "E'\\n' ORDER BY kind, period) FROM clocks c WHERE ticket = $1",
                  number);
  s.segments = Text(f,
                    "SELECT string_agg(c.kind || '/' || c.period || ' ' || "
                    "(to_jsonb(s) - 'clock_id')::text, E'\\n' ORDER BY c.kind, c.period, s.seq) "
                    "FROM clock_segments s JOIN clocks c ON c.id = s.clock_id WHERE c.ticket = $1",
                    number);
  s.firings = Text(f,
                   "SELECT string_agg(c.kind || '/' || c.period || ' ' || (to_jsonb(x) - 'id' - "
                   "'clock_id' - 'fired_by')::text || ' ' || (x.fired_by LIKE 'event:%')::text, "
                   "E'\\n' ORDER BY c.kind, c.period, x.percent) "
                   "FROM clock_firings x JOIN clocks c ON c.id = x.clock_id WHERE c.ticket = $1",
                   number);
  s.events = ClockEvents(f, number);
  return s;
}

// One ticket's life: created P3 at 08:00, accepted, waiting on the requester, back in progress
// as P1 (which breaches the resolution clock at once), a late duplicate of an older snapshot,
// moved to another group, resolved, reopened and resolved again.
std::vector<tiquete::events::v1::Event> Life(const std::string& number) {
  std::vector<tiquete::events::v1::Event> out;
  auto in = SlaFixture::Incident(number, 3, Local(2026, 2, 3, 8));
  out.push_back(SlaFixture::EventOf("created", in, Local(2026, 2, 3, 8)));
  in.set_state(inc::IN_PROGRESS);
  *in.mutable_first_response_at() = ToProtoTime(Local(2026, 2, 3, 8, 20));
  in.set_version(2);
  out.push_back(SlaFixture::EventOf("state_changed", in, Local(2026, 2, 3, 8, 20)));
  in.set_state(inc::PENDING);
  in.set_pending_reason(inc::REQUESTER);
  in.set_version(3);
  out.push_back(SlaFixture::EventOf("state_changed", in, Local(2026, 2, 3, 10)));
  const auto pending = out.back();
  in.set_state(inc::IN_PROGRESS);
  in.set_pending_reason(inc::PENDING_REASON_UNSPECIFIED);
  in.set_priority(inc::P1);
  in.set_version(4);
  out.push_back(SlaFixture::EventOf("priority_changed", in, Local(2026, 2, 3, 14)));
  out.push_back(pending);  // redelivered late: older than what is applied, so stale
  out.back().set_id(absl::StrCat(out.back().id().substr(0, 24), "99", out.back().id().substr(26)));
  in.set_assignment_group_id("g-redes");
  in.set_level(inc::L2);
  in.set_version(5);
  out.push_back(SlaFixture::EventOf("assigned", in, Local(2026, 2, 3, 15)));
  in.set_state(inc::RESOLVED);
  in.set_version(6);
  out.push_back(SlaFixture::EventOf("resolved", in, Local(2026, 2, 3, 16)));
  in.set_state(inc::IN_PROGRESS);
  in.set_version(7);
  out.push_back(SlaFixture::EventOf("reopened", in, Local(2026, 2, 4, 9)));
  in.set_state(inc::RESOLVED);
  in.set_version(8);
  out.push_back(SlaFixture::EventOf("resolved", in, Local(2026, 2, 4, 11)));
  return out;
}

// Applies `batch` through the incident-event batch handler in a transaction of its own, as the
// consumer does with one read batch.
absl::Status ApplyBatch(SlaFixture& f,
                        const std::vector<const tiquete::events::v1::Event*>& batch) {
  auto handler = IncidentEventBatchHandler(*f.store);
  return f.pool->Transact([&](pqxx::work& tx) { return handler(tx, batch); });
}

void CheckSame(const TicketState& one_by_one, const TicketState& batched) {
  CHECK(batched.ticket == one_by_one.ticket);
  CHECK(batched.clocks == one_by_one.clocks);
  CHECK(batched.segments == one_by_one.segments);
  CHECK(batched.firings == one_by_one.firings);
  CHECK(batched.events == one_by_one.events);
}

}  // namespace

TEST_CASE(
    "a batch holding several events of one ticket leaves the same clocks, segments, firings and "
    "events as applying them one by one",
    "[integration]") {
  SlaFixture f(Local(2026, 2, 4, 12));
  const auto one = Life("INC-2026-000101");
  for (const auto& event : one) REQUIRE(f.Deliver(event).ok());
  const TicketState expected = StateOf(f, "INC-2026-000101");
  // The oracle did something worth comparing: paused, resumed, breached, stopped, restarted.
  REQUIRE(!expected.clocks.empty());
  CHECK(expected.segments.find("pending:requester") != std::string::npos);
  CHECK(expected.firings.find("\"percent\": 100") != std::string::npos);
  CHECK(expected.ticket.find("\"stale_events\": 1") != std::string::npos);
  CHECK(expected.events.size() >= 4);
  // Every write of a clock counts in its row version (created, then changed by each event).
  CHECK(Text(f,
             "SELECT version::text FROM clocks WHERE ticket = $1 AND kind = 'resolution' AND "
             "period = 0",
             "INC-2026-000101") == "7");

  SECTION("the whole life in one batch") {
    const auto all = Life("INC-2026-000102");
    std::vector<const tiquete::events::v1::Event*> batch;
    for (const auto& e : all) batch.push_back(&e);
    REQUIRE(ApplyBatch(f, batch).ok());
    CheckSame(expected, StateOf(f, "INC-2026-000102"));
  }
  SECTION("interleaved with another ticket's events, split across two batches") {
    const auto a = Life("INC-2026-000103");
    const auto b = Life("INC-2026-000104");
    std::vector<const tiquete::events::v1::Event*> first, second;
    for (size_t i = 0; i < a.size(); ++i) {
      (i < 4 ? first : second).push_back(&a[i]);
      (i < 6 ? first : second).push_back(&b[i]);
    }
    REQUIRE(ApplyBatch(f, first).ok());
    REQUIRE(ApplyBatch(f, second).ok());
    CheckSame(expected, StateOf(f, "INC-2026-000103"));
    CheckSame(expected, StateOf(f, "INC-2026-000104"));
  }
  SECTION("one batch per event: every batch after the first starts from the cached clocks") {
    const auto all = Life("INC-2026-000110");
    const int64_t hits = f.store->clock_cache().hits();
    for (const auto& e : all) REQUIRE(ApplyBatch(f, {&e}).ok());
    CheckSame(expected, StateOf(f, "INC-2026-000110"));
    CHECK(f.store->clock_cache().hits() - hits == static_cast<int64_t>(all.size()) - 1);
  }
  SECTION("a batch rolled back after its writes leaves nothing behind in the cache") {
    const auto all = Life("INC-2026-000111");
    auto handler = IncidentEventBatchHandler(*f.store);
    REQUIRE(ApplyBatch(f, {&all[0]}).ok());
    // The consumer's transaction fails after the batch was applied (say, at commit).
    const std::vector<const tiquete::events::v1::Event*> batch = {&all[1], &all[2]};
    CHECK_FALSE(f.pool
                    ->Transact([&](pqxx::work& tx) -> absl::Status {
                      REQUIRE(handler(tx, batch).ok());
                      return absl::UnavailableError("the transaction did not commit");
                    })
                    .ok());
    // The next batch starts from the cached rolled-back state, finds the ticket row's xmin is
    // not the one cached when it writes, and is applied again from the database.
    const int64_t retries = f.store->optimistic_retries();
    for (size_t i = 1; i < all.size(); ++i) REQUIRE(ApplyBatch(f, {&all[i]}).ok());
    CHECK(f.store->optimistic_retries() - retries == 1);
    CheckSame(expected, StateOf(f, "INC-2026-000111"));
  }
}

namespace {

// The incident stream on a private Redis, and the engine's consumer of it as deployed
// (IncidentConsumerOptions), reading `batch` entries at a time.
struct IncidentStream {
  tiquete::testing::TestRedis redis;
  std::unique_ptr<tiquete::RedisConnection> conn;

  IncidentStream() {
    auto c = tiquete::RedisConnection::Connect(redis.address());
    REQUIRE(c.ok());
    conn = std::move(*c);
  }
  void Add(const tiquete::events::v1::Event& e) {
    REQUIRE(conn->Command({"XADD", kIncidentStream, "*", "event", e.SerializeAsString(), "type",
                           e.type()})
                .ok());
  }
  std::unique_ptr<tiquete::EventConsumer> Consumer(SlaFixture& f, int batch, int max_attempts = 5) {
    tiquete::ConsumerOptions options = IncidentConsumerOptions("test", batch);
    options.block = absl::Milliseconds(100);
    options.max_attempts = max_attempts;
    return std::make_unique<tiquete::EventConsumer>(*f.pool, redis.address(), options,
                                                    IncidentEventHandler(*f.store),
                                                    IncidentEventBatchHandler(*f.store));
  }
};

}  // namespace

TEST_CASE(
    "through the consumer, a batch with an unreadable incident event falls back per event: the "
    "bad one is retried alone, the others are applied once",
    "[integration]") {
  SlaFixture f(Local(2026, 2, 4, 12));
  IncidentStream stream;
  const auto life = Life("INC-2026-000105");
  for (size_t i = 0; i < 3; ++i) stream.Add(life[i]);
  tiquete::events::v1::Event bad = life[3];
  bad.set_id("00000000-0000-4000-9000-0000000bad01");
  bad.mutable_payload()->Clear();  // an incident event without its IncidentEvent
  stream.Add(bad);
  for (size_t i = 3; i < life.size(); ++i) stream.Add(life[i]);
  auto consumer = stream.Consumer(f, 500, /*max_attempts=*/3);
  REQUIRE(*consumer->PollOnce() == static_cast<int>(life.size()) + 1);
  CHECK(f.Count("SELECT count(*) FROM processed_events") == 0);  // the versions decide
  CHECK(f.Count("SELECT attempts FROM event_failures") == 1);
  // Same result as the clean one-by-one life of another ticket.
  for (const auto& event : Life("INC-2026-000106")) REQUIRE(f.Deliver(event).ok());
  CheckSame(StateOf(f, "INC-2026-000106"), StateOf(f, "INC-2026-000105"));
}

TEST_CASE(
    "through the consumer as deployed, events delivered again (a stretch of the stream published "
    "twice, a second event of the same change) change no clock, segment, firing or event",
    "[integration]") {
  SlaFixture f(Local(2026, 2, 4, 12));
  IncidentStream stream;
  const auto life = Life("INC-2026-000112");
  for (size_t i = 0; i < life.size(); ++i) {
    stream.Add(life[i]);
    if (i == 1) {
      // Accepting the case also assigned it: one change, two events, one snapshot.
      tiquete::events::v1::Event sibling = life[1];
      sibling.set_id("00000000-0000-4000-9000-00000005b1b1");
      sibling.set_type("incident.incident.assigned");
      stream.Add(sibling);
    }
  }
  // The relay published the last seven again (it died before marking them published).
  for (size_t i = 2; i < life.size(); ++i) stream.Add(life[i]);
  auto consumer = stream.Consumer(f, 4);  // several batches
  int read = 0;
  for (int n = 1; n > 0; read += n) n = *consumer->PollOnce();
  REQUIRE(read == static_cast<int>(life.size()) * 2 - 1);
  CHECK(f.Count("SELECT count(*) FROM processed_events") == 0);
  CHECK(f.Count("SELECT count(*) FROM event_failures") == 0);
  for (const auto& event : Life("INC-2026-000113")) REQUIRE(f.Deliver(event).ok());
  const TicketState once = StateOf(f, "INC-2026-000113");
  const TicketState again = StateOf(f, "INC-2026-000112");
  CHECK(again.clocks == once.clocks);
  CHECK(again.segments == once.segments);
  CHECK(again.firings == once.firings);
  CHECK(again.events == once.events);
  // The ticket's facts are the same; an older snapshot arriving after a newer one counts as
  // stale whether it was reordered or delivered again (the life's own late one, then the six
  // older ones of the second stretch), the repeat of the version applied last does not.
  CHECK(f.Count("SELECT stale_events FROM tickets WHERE number = 'INC-2026-000113'") == 1);
  CHECK(f.Count("SELECT stale_events FROM tickets WHERE number = 'INC-2026-000112'") == 7);
  CHECK(f.Count("SELECT count(*) FROM (SELECT known, state, pending_reason, priority, "
                "service_id, category_id, group_id, group_level, created_at, first_response_at, "
                "version FROM tickets GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11) t") == 1);
}

namespace {

// Runs `write` in a transaction of its own and commits it only once some other session waits
// for a lock (or after 20 s): the other session's statement has then met the uncommitted
// write. `written` is fulfilled once the write is done; `outcome` is the transaction's.
class HeldWrite {
 public:
  HeldWrite(SlaFixture& f, std::function<absl::Status(pqxx::work&)> write)
      : thread_([this, &f, write = std::move(write)] {
          auto writer = f.NewPool(1);
          auto watcher = f.NewPool(1);
          outcome_ = writer->Transact([&](pqxx::work& tx) -> absl::Status {
            absl::Status s = write(tx);
            written_ok_ = s.ok();
            if (!signalled_.exchange(true)) written_.set_value();
            if (!s.ok()) return s;
            const absl::Time give_up = absl::Now() + absl::Seconds(20);
            for (bool waiting = false; !waiting && absl::Now() < give_up;) {
              absl::SleepFor(absl::Milliseconds(5));
              (void)watcher->Read([&](pqxx::work& w) {
                waiting = w.exec1(
                               "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type "
                               "= 'Lock' AND datname = current_database()")[0]
                              .as<int>() > 0;
                return absl::OkStatus();
              });
            }
            return absl::OkStatus();
          });
          if (!signalled_.exchange(true)) written_.set_value();  // the write failed
        }) {}
  ~HeldWrite() {
    if (thread_.joinable()) thread_.join();
  }
  // Waits (at most 30 s) until the write is done and not committed yet.
  bool WaitWritten() {
    return future_.wait_for(std::chrono::seconds(30)) == std::future_status::ready &&
           written_ok_.load();
  }
  absl::Status Finish() {
    thread_.join();
    return outcome_;
  }

 private:
  std::atomic<bool> signalled_{false};
  std::atomic<bool> written_ok_{false};
  std::promise<void> written_;
  std::future<void> future_ = written_.get_future();
  absl::Status outcome_;
  std::thread thread_;
};

// The due-time scanner firing the ticket's 75 % warning: every clock's row version moves on.
std::function<absl::Status(pqxx::work&)> ScannerWrite(const std::string& number) {
  return [number](pqxx::work& tx) {
    tx.exec_params0("UPDATE clocks SET version = version + 1, fired_percent = 75 WHERE ticket = $1",
                    number);
    return absl::OkStatus();
  };
}

// Runs `apply` in a transaction while a scanner write on the ticket's clocks is held, so the
// transaction meets it; returns the transaction's outcome.
absl::Status ApplyBesideScanner(SlaFixture& f, const std::string& number,
                                const std::function<absl::Status(pqxx::work&)>& apply) {
  HeldWrite scanner(f, ScannerWrite(number));
  REQUIRE(scanner.WaitWritten());
  const absl::Status outcome = f.pool->Transact(apply);
  REQUIRE(scanner.Finish().ok());
  return outcome;
}

// The accepted event applied after the scanner's write: the response clock stopped (one
// segment), the resolution clock kept the scanner's 75 % mark, the ticket at version 2.
void CheckAppliedOverScanner(SlaFixture& f) {
  CHECK(f.Count("SELECT count(*) FROM clocks WHERE kind = 'response' AND state = 'stopped' "
                "AND version = 3") == 1);
  CHECK(f.Count("SELECT count(*) FROM clocks WHERE kind = 'resolution' AND state = "
                "'running' AND version = 2 AND fired_percent = 75") == 1);
  CHECK(f.Count("SELECT count(*) FROM clock_segments") == 1);
  CHECK(f.Count("SELECT version FROM tickets WHERE number = 'INC-2026-000107'") == 2);
}

}  // namespace

TEST_CASE(
    "a clock the scanner writes between a batch's read and its write sends the batch round again "
    "with its clocks locked, which waits for the scanner and keeps its write",
    "[integration]") {
  SlaFixture f(Local(2026, 2, 4, 12));
  const std::string number = "INC-2026-000107";
  const auto life = Life(number);
  REQUIRE(f.Deliver(life[0]).ok());  // created: two clocks at version 1
  REQUIRE(f.Count("SELECT count(*) FROM clocks WHERE version = 1") == 2);
  auto change = ChangeFromEvent(life[1]);  // accepted: stops the response clock
  REQUIRE(change.ok());
  REQUIRE(change->has_value());
  const std::vector<TicketChange> changes = {
      {(*change)->facts, (*change)->at, absl::StrCat("event:", life[1].id())}};

  SECTION("optimistic: the conflict is found, the attempt undone, the batch applied locked") {
    // The batch also opens another ticket, which the retry must leave opened exactly once.
    const auto other = Life("INC-2026-000109");
    auto created = ChangeFromEvent(other[0]);
    REQUIRE(created.ok());
    REQUIRE(created->has_value());
    std::vector<TicketChange> both = changes;
    both.push_back({(*created)->facts, (*created)->at, absl::StrCat("event:", other[0].id())});
    REQUIRE(ApplyBesideScanner(f, number, [&](pqxx::work& tx) {
              return f.store->ApplyTicketChanges(tx, both, SlaStore::ClockLocking::kOptimistic)
                  .status();
            }).ok());
    CHECK(f.store->optimistic_retries() == 1);
    CheckAppliedOverScanner(f);
    CHECK(f.Count("SELECT count(*) FROM clocks WHERE ticket = 'INC-2026-000109'") == 2);
  }
  SECTION("locked: applied after the scanner's commit, on top of its write") {
    REQUIRE(
        ApplyBesideScanner(f, number, [&](pqxx::work& tx) {
          return f.store->ApplyTicketChanges(tx, changes, SlaStore::ClockLocking::kLock).status();
        }).ok());
    CHECK(f.store->optimistic_retries() == 0);
    CheckAppliedOverScanner(f);
  }
  SECTION("through the batch handler: optimistic, then retried with the clocks locked") {
    auto handler = IncidentEventBatchHandler(*f.store);
    const std::vector<const tiquete::events::v1::Event*> batch = {&life[1]};
    REQUIRE(ApplyBesideScanner(f, number, [&](pqxx::work& tx) { return handler(tx, batch); }).ok());
    CHECK(f.store->optimistic_retries() == 1);
    CheckAppliedOverScanner(f);
  }
}

TEST_CASE(
    "a batch that meets a new ticket another batch is inserting waits for it and applies its "
    "event on top",
    "[integration]") {
  SlaFixture f(Local(2026, 2, 4, 12));
  const std::string number = "INC-2026-000108";
  const auto life = Life(number);
  auto handler = IncidentEventBatchHandler(*f.store);
  // The first batch creates the ticket (and its clocks) and holds its transaction open until
  // the second batch, which carries the ticket's next event, waits for that insert.
  HeldWrite first(f, [&](pqxx::work& tx) {
    const std::vector<const tiquete::events::v1::Event*> batch = {&life[0]};
    return handler(tx, batch);
  });
  REQUIRE(first.WaitWritten());
  const std::vector<const tiquete::events::v1::Event*> second = {&life[1]};
  absl::Status outcome =
      f.pool->Transact([&](pqxx::work& tx) -> absl::Status { return handler(tx, second); });
  REQUIRE(first.Finish().ok());
  REQUIRE(outcome.ok());
  CHECK(f.Count("SELECT count(*) FROM tickets") == 1);
  CHECK(f.Count("SELECT version FROM tickets") == 2);
  CHECK(f.Count("SELECT count(*) FROM clocks") == 2);
  CHECK(f.Count("SELECT count(*) FROM clocks WHERE kind = 'response' AND state = 'stopped'") == 1);
}

TEST_CASE(
    "a clock another replica's scanner wrote after this engine cached it is not overwritten: the "
    "batch is applied again from the database",
    "[integration]") {
  SlaFixture f(Local(2026, 2, 4, 12));
  const std::string number = "INC-2026-000107";
  const auto life = Life(number);
  REQUIRE(ApplyBatch(f, {&life[0]}).ok());  // created: cached at version 1
  // The other replica's scanner commits its 75 % mark; the ticket row is not touched, so this
  // engine's cached copy of the clocks still matches the row and is now stale.
  REQUIRE(f.pool->Transact(ScannerWrite(number)).ok());
  const int64_t hits = f.store->clock_cache().hits();
  REQUIRE(ApplyBatch(f, {&life[1]}).ok());  // accepted: stops the response clock
  CHECK(f.store->clock_cache().hits() - hits == 1);
  CHECK(f.store->optimistic_retries() == 1);
  CheckAppliedOverScanner(f);
}

TEST_CASE(
    "a ticket another replica applied an event to after this engine cached it is applied again "
    "from the database, in incident order",
    "[integration]") {
  SlaFixture f(Local(2026, 2, 4, 12));
  const std::string number = "INC-2026-000114";
  const auto life = Life(number);
  REQUIRE(ApplyBatch(f, {&life[0]}).ok());  // created: cached by this engine
  // The other replica (its own pool and cache) applies the next event: the ticket row and the
  // response clock move on under this engine's copy.
  auto other_pool = f.NewPool();
  SlaStore other(*other_pool, f.clock);
  {
    auto handler = IncidentEventBatchHandler(other);
    const std::vector<const tiquete::events::v1::Event*> batch = {&life[1]};
    REQUIRE(other_pool->Transact([&](pqxx::work& tx) { return handler(tx, batch); }).ok());
  }
  // This engine gets the rest of the life, starting from its stale copy.
  const int64_t retries = f.store->optimistic_retries();
  std::vector<const tiquete::events::v1::Event*> rest;
  for (size_t i = 2; i < life.size(); ++i) rest.push_back(&life[i]);
  REQUIRE(ApplyBatch(f, rest).ok());
  CHECK(f.store->optimistic_retries() - retries == 1);
  for (const auto& event : Life("INC-2026-000115")) REQUIRE(f.Deliver(event).ok());
  CheckSame(StateOf(f, "INC-2026-000115"), StateOf(f, number));
}
