// Measures the event path end to end: commit of an outbox row → relay → Redis Stream →
// consumer group → idempotent handler. Prints throughput and commit-to-handler latency.
// Needs TIQUETE_TEST_PG_ADMIN_URL (bench/events.sh provides it) and redis-server on PATH.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <google/protobuf/wrappers.pb.h>

#include "absl/strings/numbers.h"
#include "common/events.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "common/testing/test_db.h"
#include "common/testing/test_redis.h"

namespace {

int IntArg(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i < argc; ++i) {
    std::string a(argv[i]);
    int v = 0;
    if (a.rfind("--" + name + "=", 0) == 0 && absl::SimpleAtoi(a.substr(name.size() + 3), &v)) {
      return v;
    }
  }
  return fallback;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  const int total = IntArg(argc, argv, "events", 20000);
  const int writers = IntArg(argc, argv, "writers", 4);
  // 0: as fast as the writers can commit (throughput); N: paced to N events/s (latency).
  const int rate = IntArg(argc, argv, "rate", 0);
  tiquete::testing::TestDatabase db({"producer", "consumer"});
  tiquete::testing::TestRedis redis;
  for (const char* schema : {"producer", "consumer"}) {
    auto conn = tiquete::ConnectPg(db.UrlFor(schema), schema);
    if (!tiquete::ApplyMigrations(*conn, schema, {{"common", &tiquete::CommonMigrations()}}).ok()) {
      std::fprintf(stderr, "migrations failed\n");
      return 1;
    }
  }
  auto producer = db.PoolFor("producer", writers + 1);
  auto consumer_pool = db.PoolFor("consumer", 2);
  (void)consumer_pool->Transact([](pqxx::work& tx) {
    tx.exec("CREATE TABLE received (event_id uuid PRIMARY KEY)");
    return absl::OkStatus();
  });

  std::mutex mu;
  std::unordered_map<std::string, absl::Time> committed;  // aggregate id → commit time
  std::vector<double> latencies_ms;
  latencies_ms.reserve(total);
  std::atomic<int> handled{0};
  absl::Time last_handled;

  tiquete::RelayOptions relay_options;
  relay_options.stream = "tiquete.producer.events";
  relay_options.producer = "producer";
  tiquete::OutboxRelay relay(*producer, redis.address(), relay_options);
  tiquete::ConsumerOptions consumer_options;
  consumer_options.stream = relay_options.stream;
  consumer_options.group = "consumer";
  consumer_options.consumer = "bench";
  consumer_options.batch = 500;
  consumer_options.block = absl::Milliseconds(200);
  tiquete::EventConsumer consumer(
      *consumer_pool, redis.address(), consumer_options,
      [&](pqxx::work& tx, const tiquete::events::v1::Event& e) {
        tx.exec_params("INSERT INTO received VALUES ($1)", e.id());
        const absl::Time now = absl::Now();
        std::lock_guard lock(mu);
        auto it = committed.find(e.aggregate_id());
        // The writer records its commit time just after COMMIT returns; a very fast path can
        // beat it, which counts as zero latency rather than being dropped.
        latencies_ms.push_back(
            it == committed.end() ? 0.0 : absl::ToDoubleMilliseconds(now - it->second));
        last_handled = now;
        ++handled;
        return absl::OkStatus();
      });
  relay.Start();
  consumer.Start();

  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      google::protobuf::StringValue payload;
      for (int i = w; i < total; i += writers) {
        if (rate > 0) {
          const absl::Time due = start + absl::Seconds(static_cast<double>(i) / rate);
          if (due > absl::Now()) absl::SleepFor(due - absl::Now());
        }
        const std::string id = std::to_string(i);
        payload.set_value(id);
        absl::Status s = producer->Transact([&](pqxx::work& tx) {
          tiquete::AppendEvent(tx, {"bench.thing.created", "thing", id, &payload, ""});
          return absl::OkStatus();
        });
        if (!s.ok()) {
          std::fprintf(stderr, "write failed: %s\n", s.ToString().c_str());
          std::exit(1);
        }
        std::lock_guard lock(mu);
        committed.emplace(id, absl::Now());
      }
    });
  }
  for (auto& t : threads) t.join();
  const absl::Time writes_done = absl::Now();
  const absl::Time deadline = absl::Now() + absl::Seconds(120);
  while (handled.load() < total && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
  relay.Stop();
  consumer.Stop();
  if (handled.load() != total) {
    std::fprintf(stderr, "only %d of %d events handled\n", handled.load(), total);
    return 1;
  }
  const double write_s = absl::ToDoubleSeconds(writes_done - start);
  const double end_to_end_s = absl::ToDoubleSeconds(last_handled - start);
  std::printf("events: %d, writers: %d, offered rate: %s\n", total, writers,
              rate > 0 ? (std::to_string(rate) + " events/s").c_str() : "unpaced");
  std::printf("producer commits: %.0f events/s\n", total / write_s);
  std::printf("outbox -> redis -> handler throughput: %.0f events/s\n", total / end_to_end_s);
  std::printf("commit-to-handler latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              Percentile(latencies_ms, 0.50), Percentile(latencies_ms, 0.99),
              Percentile(latencies_ms, 1.0));
  return 0;
}
