// SLA engine at scale, against the real tiquete-sla binary (path in --engine):
//  1. 1,000,000 live clocks seeded in PostgreSQL;
//  2. ingest: --events incident events pre-loaded in Redis, drained by the engine → events/s;
//  3. steady firing: --due clocks reach their breach inside a 30 s window → lateness of each
//     breach (fired_at − due time), none missed;
//  4. restart under load: the engine is killed (SIGKILL) inside a second window and restarted
//     3 s later → no breach missed, none fired twice;
//  5. two replicas: a second engine runs beside the first through a third window → no breach
//     fired twice, work shared;
// and the engine's peak RSS through all of it. Needs TIQUETE_TEST_PG_ADMIN_URL and
// redis-server (bench/sla_bench.sh provides both).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "common/redis.h"
#include "common/testing/http_get.h"
#include "common/testing/test_db.h"
#include "common/testing/test_redis.h"
#include "services/sla/incident_events.h"
#include "services/sla/proto_mapping.h"
#include "services/sla/store.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace {

namespace inc = tiquete::incident::v1;

std::string Arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i < argc; ++i) {
    std::string a(argv[i]);
    if (a.rfind("--" + name + "=", 0) == 0) return a.substr(name.size() + 3);
  }
  return fallback;
}
int IntArg(int argc, char** argv, const std::string& name, int fallback) {
  int v = fallback;
  (void)absl::SimpleAtoi(Arg(argc, argv, name, std::to_string(fallback)), &v);
  return v;
}

void Exec(tiquete::PgPool& pool, const std::string& sql) {
  auto s = pool.Transact([&](pqxx::work& tx) {
    tx.exec(sql);
    return absl::OkStatus();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "SQL failed: %s\n%s\n", s.ToString().c_str(), sql.c_str());
    std::exit(1);
  }
}

std::vector<std::string> Row(tiquete::PgPool& pool, const std::string& sql) {
  std::vector<std::string> out;
  auto s = pool.Read([&](pqxx::work& tx) {
    auto r = tx.exec1(sql);
    for (const auto& f : r) out.push_back(f.is_null() ? "" : f.as<std::string>());
    return absl::OkStatus();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "SQL failed: %s\n%s\n", s.ToString().c_str(), sql.c_str());
    std::exit(1);
  }
  return out;
}
// Entries of `stream` the consumer group has acknowledged: read minus still pending (XINFO
// GROUPS, Redis 7).
int64_t AcknowledgedEntries(tiquete::RedisConnection& redis, const std::string& stream,
                            const std::string& group) {
  auto reply = redis.Command({"XINFO", "GROUPS", stream});
  if (!reply.ok()) return 0;
  const redisReply* groups = reply->get();
  for (size_t g = 0; groups && g < groups->elements; ++g) {
    const redisReply* fields = groups->element[g];
    std::string name;
    int64_t pending = 0, read = 0;
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
      const std::string key = tiquete::ReplyString(fields->element[i]);
      const redisReply* value = fields->element[i + 1];
      if (key == "name") name = tiquete::ReplyString(value);
      if (key == "pending") pending = value->integer;
      if (key == "entries-read" && value->type == REDIS_REPLY_INTEGER) read = value->integer;
    }
    if (name == group) return read - pending;
  }
  return 0;
}

int64_t Count(tiquete::PgPool& pool, const std::string& sql) {
  int64_t v = 0;
  (void)absl::SimpleAtoi(Row(pool, sql)[0], &v);
  return v;
}

// An event id as the outbox makes them (common migration 0002): UUID version 7, the first 48
// bits the Unix milliseconds, then random bits.
std::string Uuid(std::mt19937_64& rng) {
  const uint64_t ms = static_cast<uint64_t>(absl::ToUnixMillis(absl::Now()));
  const uint64_t a = rng(), b = rng();
  return absl::StrFormat("%08x-%04x-7%03x-8%03x-%012x", ms >> 16, ms & 0xffff, a & 0xfff, b >> 52,
                         b & 0xffffffffffffULL);
}

// A tiquete-sla process.
struct Engine {
  pid_t pid = -1;
  std::string name;
};

Engine StartEngine(const std::string& binary, const std::string& name,
                   const std::vector<std::string>& env) {
  Engine e;
  e.name = name;
  std::fflush(stdout);  // or the child's freopen flushes our buffer a second time
  std::fflush(stderr);
  e.pid = fork();
  if (e.pid == 0) {
    std::vector<char*> envp;
    for (const std::string& v : env) envp.push_back(const_cast<char*>(v.c_str()));
    envp.push_back(nullptr);
    const std::string log = absl::StrCat("/tmp/sla_bench_", name, ".log");
    freopen(log.c_str(), "a", stdout);
    freopen(log.c_str(), "a", stderr);
    execle(binary.c_str(), binary.c_str(), static_cast<char*>(nullptr), envp.data());
    _exit(127);
  }
  return e;
}

void StopEngine(Engine& e, int sig) {
  if (e.pid <= 0) return;
  kill(e.pid, sig);
  int status = 0;
  waitpid(e.pid, &status, 0);
  e.pid = -1;
}

int64_t RssKb(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      int64_t kb = 0;
      std::sscanf(line.c_str(), "VmRSS: %ld", &kb);
      return kb;
    }
  }
  return 0;
}

// Sets clocks [first, first + n) to breach one after the other over `window`, starting `lead`
// from now (24x7 calendar: due = segment start + target).
void ScheduleBreaches(tiquete::PgPool& pool, int64_t first, int64_t n, absl::Duration lead,
                      absl::Duration window) {
  Exec(pool, absl::StrFormat(
                 "UPDATE clocks SET target_seconds = 3600, elapsed_seconds = 0, "
                 "fired_percent = 75, next_fire_percent = 100, "
                 "due_at = now() + interval '%d milliseconds' + (id - %d) * interval '%f "
                 "milliseconds', next_fire_at = now() + interval '%d milliseconds' + (id - %d) "
                 "* interval '%f milliseconds', segment_since = now() - interval '1 hour' + "
                 "interval '%d milliseconds' + (id - %d) * interval '%f milliseconds' "
                 "WHERE id >= %d AND id < %d",
                 absl::ToInt64Milliseconds(lead), first, absl::ToDoubleMilliseconds(window) / n,
                 absl::ToInt64Milliseconds(lead), first, absl::ToDoubleMilliseconds(window) / n,
                 absl::ToInt64Milliseconds(lead), first, absl::ToDoubleMilliseconds(window) / n,
                 first, first + n));
}

struct WindowFigures {
  int64_t due = 0, fired = 0, duplicates = 0, events = 0;
  std::string p50, p99, max;
};

// Figures of the breaches of clocks [first, first + n) whose due time satisfies `due_filter`
// (an SQL condition on c.due_at; "true" for all).
WindowFigures Measure(tiquete::PgPool& pool, int64_t first, int64_t n,
                      const std::string& due_filter = "true") {
  WindowFigures w;
  const std::string clocks =
      absl::StrCat("c.id >= ", first, " AND c.id < ", first + n, " AND (", due_filter, ")");
  w.due = Count(pool, absl::StrCat("SELECT count(*) FROM clocks c WHERE ", clocks));
  const std::string firings = absl::StrCat(
      "clock_firings f JOIN clocks c ON c.id = f.clock_id WHERE f.percent = 100 AND ", clocks);
  w.fired = Count(pool, absl::StrCat("SELECT count(DISTINCT f.clock_id) FROM ", firings));
  w.duplicates =
      Count(pool, absl::StrCat("SELECT count(*) - count(DISTINCT f.clock_id) FROM ", firings));
  w.events = Count(pool, absl::StrCat("SELECT count(*) FROM outbox o JOIN clocks c ON c.id = "
                                      "o.aggregate_id::bigint WHERE o.type = "
                                      "'sla.clock.breached' AND ",
                                      clocks));
  auto p = Row(
      pool, absl::StrCat("SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY l)::numeric, 3),"
                         " round(percentile_cont(0.99) WITHIN GROUP (ORDER BY l)::numeric, 3), "
                         "round(max(l)::numeric, 3) FROM (SELECT extract(epoch FROM f.fired_at - "
                         "f.crossed_at) AS l FROM ",
                         firings, ") x"));
  w.p50 = p[0];
  w.p99 = p[1];
  w.max = p[2];
  return w;
}

void Print(const char* title, const WindowFigures& w) {
  std::printf(
      "%s: due %ld, fired %ld, missed %ld, fired twice %ld, breach events %ld; "
      "lateness s p50 %s p99 %s max %s\n",
      title, w.due, w.fired, w.due - w.fired, w.duplicates, w.events, w.p50.c_str(), w.p99.c_str(),
      w.max.c_str());
}

void WaitUntilFired(tiquete::PgPool& pool, int64_t first, int64_t n, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  while (absl::Now() < give_up) {
    if (Count(pool, absl::StrCat("SELECT count(*) FROM clock_firings WHERE percent = 100 AND "
                                 "clock_id >= ",
                                 first, " AND clock_id < ", first + n)) >= n) {
      return;
    }
    absl::SleepFor(absl::Milliseconds(500));
  }
}

// CPU seconds (user + system) a process used so far, from /proc/<pid>/stat; with_children
// adds its children that exited and were waited for (Redis's append-only-file rewrites).
double CpuSeconds(pid_t pid, bool with_children = false) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(in, line)) return 0;
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> f = absl::StrSplit(line.substr(close + 2), ' ');
  // After the command: state is field 3 of the whole line, utime 14, stime 15, cutime 16,
  // cstime 17.
  if (f.size() < 15) return 0;
  int64_t ticks = 0;
  for (int i = 11; i <= (with_children ? 14 : 12); ++i) {
    int64_t v = 0;
    (void)absl::SimpleAtoi(f[i], &v);
    ticks += v;
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The machine's CPU time so far, in clock ticks, per state (the "cpu" line of /proc/stat).
std::vector<int64_t> MachineCpuTicks() {
  std::ifstream stat("/proc/stat");
  std::string label;
  stat >> label;
  std::vector<int64_t> ticks;
  int64_t v = 0;
  while (ticks.size() < 8 && stat >> v) ticks.push_back(v);
  return ticks;
}

// A poor man's profile of the database: what the bench database's active sessions are doing,
// sampled every 50 ms (statement and wait event; no wait event means on CPU). Each sample is a
// query of its own: every 10 ms they cost the database about 2 % of the machine.
class ActivitySampler {
 public:
  explicit ActivitySampler(tiquete::PgPool& pool) : pool_(pool) {
    thread_ = std::thread([this] { Run(); });
  }
  ~ActivitySampler() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  void Print() const {
    std::vector<std::pair<int64_t, std::string>> top;
    int64_t active = 0;
    for (const auto& [what, n] : counts_) {
      top.emplace_back(n, what);
      active += n;
    }
    std::sort(top.rbegin(), top.rend());
    std::printf("database activity during ingest: %ld samples, %.2f active sessions on average\n",
                samples_, samples_ > 0 ? static_cast<double>(active) / samples_ : 0.0);
    for (size_t i = 0; i < top.size() && i < 12; ++i) {
      std::printf("  %5.1f%%  %s\n", 100.0 * top[i].first / std::max<int64_t>(active, 1),
                  top[i].second.c_str());
    }
  }

 private:
  void Run() {
    while (!stop_) {
      (void)pool_.Read([&](pqxx::work& tx) {
        auto rows = tx.exec(
            "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU'), "
            "left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_activity "
            "WHERE datname = current_database() AND state = 'active' "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()");
        ++samples_;
        for (const auto& r : rows) {
          ++counts_[absl::StrCat(r[0].as<std::string>(), "  ", r[1].as<std::string>())];
        }
        return absl::OkStatus();
      });
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  tiquete::PgPool& pool_;
  std::atomic<bool> stop_{false};
  std::map<std::string, int64_t> counts_;
  int64_t samples_ = 0;
  std::thread thread_;
};

// CPU seconds used so far by the processes of the bench's PostgreSQL (every backend and
// background process the server lists).
double PostgresCpuSeconds(tiquete::PgPool& pool) {
  double total = 0;
  (void)pool.Read([&](pqxx::work& tx) {
    for (const auto& r : tx.exec("SELECT pid FROM pg_stat_activity")) {
      total += CpuSeconds(r[0].as<int>());
    }
    return absl::OkStatus();
  });
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string engine_binary = Arg(argc, argv, "engine", "build/services/sla/tiquete-sla");
  const int clocks = IntArg(argc, argv, "clocks", 1000000);
  const int events = IntArg(argc, argv, "events", 200000);
  const int due = IntArg(argc, argv, "due", 30000);
  const int consumers = IntArg(argc, argv, "consumers", 3);  // the engine's default
  const int event_batch = IntArg(argc, argv, "batch", 500);
  // --ingest-only stops after the ingest figures (for iterating on the write path).
  const bool ingest_only = IntArg(argc, argv, "ingest-only", 0) == 1;

  tiquete::testing::TestDatabase db({"sla"});
  tiquete::testing::TestRedis redis;
  {
    auto conn = tiquete::ConnectPg(db.UrlFor("sla"), "sla");
    if (!tiquete::ApplyMigrations(
             *conn, "sla",
             {{"common", &tiquete::CommonMigrations()}, {"sla", &tiquete::sla::Migrations()}})
             .ok()) {
      return 1;
    }
  }
  auto pool = db.PoolFor("sla", 2);

  // ---- 1. one million live clocks (half the tickets of a big national desk's backlog) ----
  absl::Time t = absl::Now();
  Exec(*pool,
       "INSERT INTO policies (id, name, kind, calendar_id, response_minutes, resolution_minutes, "
       "warning_percents, pause_on, escalations, escalation_path) VALUES "
       "('00000000-0000-4000-8000-00000000be01', 'Bench', 'sla', "
       "'00000000-0000-4000-8000-000000000002', '{30,60,240,540,1080}', "
       "'{240,480,1080,2700,5400}', '{75}', '{pending:requester}', '{}', '{}')");
  Exec(*pool,
       absl::StrCat("INSERT INTO tickets (number, known, state, priority, group_id, group_level, "
                    "created_at, version) SELECT 'BEN-' || lpad(g::text, 7, '0'), true, "
                    "'in_progress', 1 + g % 5, 'g-' || (g % 20), 'L' || (1 + g % 3), now(), 1 "
                    "FROM generate_series(1, ",
                    clocks / 2, ") g"));
  // Far-future clocks: 10–60 days of 24x7 target, started now.
  Exec(*pool,
       "INSERT INTO clocks (ticket, kind, period, policy_id, calendar_id, priority, "
       "target_seconds, thresholds, group_id, group_level, state, started_at, segment_since, "
       "segment_note, closed_segments, elapsed_seconds, due_at, fired_percent, next_fire_at, "
       "next_fire_percent, breached, calendar_version) "
       "SELECT t.number, k.kind, 0, '00000000-0000-4000-8000-00000000be01', "
       "'00000000-0000-4000-8000-000000000002', t.priority, s, '{75,100}', t.group_id, "
       "t.group_level, 'running', now(), now(), 'created', 0, 0, now() + s * interval '1 second', "
       "0, now() + (s * 3 / 4) * interval '1 second', 75, false, 1 FROM tickets t "
       "CROSS JOIN (VALUES ('response'), ('resolution')) k(kind), "
       "LATERAL (SELECT 86400 * (10 + (hashtext(t.number) & 63) % 50) AS s) d "
       "ORDER BY t.number, k.kind");
  // A desk with a million live clocks has had them vacuumed and checkpointed long ago: without
  // this, autovacuum's first pass over the freshly loaded tables and the checkpoint the load
  // triggers land in the middle of the ingest, by chance, and the figure swings by a third.
  {
    auto conn = tiquete::ConnectPg(db.UrlFor("sla"), "sla");
    pqxx::nontransaction tx(*conn);  // VACUUM cannot run inside a transaction
    tx.exec("VACUUM (ANALYZE) tickets, clocks");
    pqxx::connection admin(std::getenv("TIQUETE_TEST_PG_ADMIN_URL"));
    pqxx::nontransaction(admin).exec("CHECKPOINT");  // needs a superuser
  }
  std::printf("seeded %ld live clocks in %.1f s\n",
              Count(*pool, "SELECT count(*) FROM clocks WHERE state = 'running'"),
              absl::ToDoubleSeconds(absl::Now() - t));

  // ---- 2. incident events waiting in Redis: 5 per ticket, interleaved across tickets ----
  std::mt19937_64 rng(2026);
  {
    auto conn = tiquete::RedisConnection::Connect(redis.address());
    if (!conn.ok()) return 1;
    const int tickets = events / 5;
    const absl::Time base = absl::Now();
    std::vector<std::vector<std::string>> batch;
    auto flush = [&] {
      if (!batch.empty() && !(*conn)->Pipeline(batch).ok()) std::exit(1);
      batch.clear();
    };
    for (int step = 0; step < 5; ++step) {
      for (int i = 0; i < tickets; ++i) {
        inc::Incident in;
        in.set_number(absl::StrCat("INC-2026-", absl::Dec(i, absl::kZeroPad6)));
        in.set_priority(static_cast<inc::Priority>(1 + i % 5));
        in.set_assignment_group_id("g-mesa");
        in.set_level(inc::L1);
        *in.mutable_created_at() = tiquete::sla::ToProtoTime(base);
        in.set_version(step + 1);
        const absl::Time at = base + absl::Seconds(step * 60);
        std::string change;
        switch (step) {
          case 0:
            in.set_state(inc::ASSIGNED);
            change = "created";
            break;
          case 1:
            in.set_state(inc::IN_PROGRESS);
            change = "state_changed";
            break;
          case 2:
            in.set_state(inc::PENDING);
            in.set_pending_reason(inc::REQUESTER);
            change = "state_changed";
            break;
          case 3:
            in.set_state(inc::IN_PROGRESS);
            in.set_priority(inc::P1);
            change = "priority_changed";
            break;
          default:
            in.set_state(inc::RESOLVED);
            change = "resolved";
            break;
        }
        if (step >= 1)
          *in.mutable_first_response_at() = tiquete::sla::ToProtoTime(base + absl::Seconds(60));
        if (step >= 3) in.set_priority(inc::P1);
        inc::IncidentEvent payload;
        *payload.mutable_incident() = in;
        payload.set_change(change);
        *payload.mutable_occurred_at() = tiquete::sla::ToProtoTime(at);
        tiquete::events::v1::Event event;
        event.set_id(Uuid(rng));
        event.set_type("incident.incident." + change);
        event.set_aggregate_type("incident");
        event.set_aggregate_id(in.number());
        event.set_producer("incident");
        *event.mutable_occurred_at() = tiquete::sla::ToProtoTime(at);
        event.mutable_payload()->PackFrom(payload);
        batch.push_back({"XADD", tiquete::sla::kIncidentStream, "*", "event",
                         event.SerializeAsString(), "type", event.type()});
        if (batch.size() == 1000) flush();
      }
    }
    flush();
  }

  // ---- the engine ----
  const std::vector<std::string> base_env = {
      "PATH=/usr/bin:/bin",
      "TIQUETE_DB_URL=" + db.UrlFor("sla"),
      "TIQUETE_DB_SCHEMA=sla",
      "TIQUETE_DB_POOL_SIZE=" + std::to_string(consumers + 6),
      "TIQUETE_REDIS_ADDR=" + redis.host_port(),
      "TIQUETE_CALLER_KEY=" + std::string(64, 'a'),
      "TIQUETE_INCIDENT_ADDR=127.0.0.1:1",
      "TIQUETE_SLA_CONSUMERS=" + std::to_string(consumers),
      "TIQUETE_SLA_EVENT_BATCH=" + std::to_string(event_batch),
      "TIQUETE_LOG_LEVEL=warning"};
  std::vector<int> metrics_ports(2, 0);
  auto env_for = [&](int n) {
    std::vector<std::string> env = base_env;
    env.push_back(absl::StrCat("TIQUETE_GRPC_ADDR=127.0.0.1:", tiquete::testing::FreeTcpPort()));
    metrics_ports[n] = tiquete::testing::FreeTcpPort();
    env.push_back(absl::StrCat("TIQUETE_METRICS_ADDR=127.0.0.1:", metrics_ports[n]));
    return env;
  };
  std::atomic<bool> sampling{true};
  std::atomic<int64_t> peak_rss_kb{0};
  std::vector<Engine> engines(2);
  std::mutex engines_mu;
  std::thread sampler([&] {
    while (sampling) {
      {
        std::lock_guard lock(engines_mu);
        for (const Engine& e : engines) {
          if (e.pid > 0) peak_rss_kb = std::max<int64_t>(peak_rss_kb, RssKb(e.pid));
        }
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
  });

  auto profile_pool = db.PoolFor("sla", 2);
  const double pg_cpu_before = PostgresCpuSeconds(*profile_pool);
  const double redis_cpu_before = CpuSeconds(redis.pid(), true);
  const std::string wal_stats =
      "SELECT wal_records, wal_fpi, wal_bytes, (SELECT checkpoints_timed + checkpoints_req "
      "FROM pg_stat_bgwriter) FROM pg_stat_wal";
  const std::vector<std::string> wal_before = Row(*pool, wal_stats);
  const std::string vacuum_stats =
      "SELECT sum(autovacuum_count), sum(autoanalyze_count) FROM pg_stat_user_tables";
  const std::vector<std::string> vacuum_before = Row(*pool, vacuum_stats);
  const std::vector<int64_t> cpu_before = MachineCpuTicks();
  auto activity = std::make_unique<ActivitySampler>(*profile_pool);
  t = absl::Now();
  {
    std::lock_guard lock(engines_mu);
    engines[0] = StartEngine(engine_binary, "a", env_for(0));
  }
  const int64_t expected = events;
  // Progress is read from Redis, not from the database under test: the engine's consumer group
  // has acknowledged an entry once its batch committed (entries-read minus pending). The rate is
  // taken between the first poll that saw an acknowledgement and the one that saw them all
  // (polls 20 ms apart; the entries acknowledged by then are left out of the count).
  int64_t acked_at_start = -1, acked = 0;
  absl::Time first_ack, last_ack;
  {
    auto progress = tiquete::RedisConnection::Connect(redis.address());
    if (!progress.ok()) return 1;
    while (acked < expected) {
      if (absl::Now() - t > absl::Minutes(15)) {
        std::printf("ingest did not finish in 15 minutes\n");
        break;
      }
      absl::SleepFor(absl::Milliseconds(20));
      acked = AcknowledgedEntries(**progress, tiquete::sla::kIncidentStream, "sla");
      if (acked > 0 && acked_at_start < 0) {
        acked_at_start = acked;
        first_ack = absl::Now();
      }
      last_ack = absl::Now();
    }
  }
  activity->Stop();
  const double seconds = absl::ToDoubleSeconds(last_ack - first_ack);
  const int64_t measured = expected - std::max<int64_t>(acked_at_start, 0);
  std::printf(
      "ingest: %ld incident events applied, %ld of them in %.2f s (first to last "
      "acknowledgement) = %.0f events/s (%d consumers, batches of %d); clock rows now %ld, "
      "segments %ld\n",
      acked, measured, seconds, seconds > 0 ? measured / seconds : 0, consumers, event_batch,
      Count(*pool, "SELECT count(*) FROM clocks"),
      Count(*pool, "SELECT count(*) FROM clock_segments"));
  // The engine's own account: batches applied again after a conflict, clock cache lookups.
  const std::string metrics_text =
      tiquete::testing::HttpGet("127.0.0.1", metrics_ports[0], "/metrics");
  for (absl::string_view line : absl::StrSplit(metrics_text, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "tiquete_sla_event_batch_retries_total") ||
        absl::StartsWith(line, "tiquete_sla_clock_cache_lookups_total")) {
      std::printf("engine metric: %s\n", std::string(line).c_str());
    }
  }
  {
    // Where the time went: the engine's CPU, the database's CPU (its backends come and go with
    // the engine's pool, so this counts the ones alive now plus the server's own processes),
    // and what the database sessions were doing.
    const double wall = absl::ToDoubleSeconds(absl::Now() - t);
    std::printf(
        "ingest CPU from engine start to the last event (%.1f s wall): engine %.1f s, "
        "PostgreSQL %.1f s, Redis %.1f s (with its finished append-only-file rewrites)\n",
        wall, CpuSeconds(engines[0].pid), PostgresCpuSeconds(*profile_pool) - pg_cpu_before,
        CpuSeconds(redis.pid(), true) - redis_cpu_before);
    const std::vector<std::string> wal_after = Row(*pool, wal_stats);
    auto delta = [&](int i) {
      double a = 0, b = 0;
      (void)absl::SimpleAtod(wal_before[i], &a);
      (void)absl::SimpleAtod(wal_after[i], &b);
      return b - a;
    };
    std::printf(
        "WAL during ingest: %.0f records, %.0f full-page images, %.1f MB (%.0f bytes per "
        "event), %.0f checkpoints\n",
        delta(0), delta(1), delta(2) / 1e6, delta(2) / expected, delta(3));
    const std::vector<std::string> vacuum_after = Row(*pool, vacuum_stats);
    const std::vector<int64_t> cpu_after = MachineCpuTicks();
    int64_t total = 0;
    for (size_t i = 0; i < cpu_after.size(); ++i) total += cpu_after[i] - cpu_before[i];
    auto share = [&](size_t i) {
      return i < cpu_after.size() && total > 0
                 ? 100.0 * static_cast<double>(cpu_after[i] - cpu_before[i]) / total
                 : 0.0;
    };
    // /proc/stat's cpu line: user nice system idle iowait irq softirq steal ...
    std::printf(
        "machine during ingest: idle %.1f %%, iowait %.1f %%, steal %.1f %%; autovacuum runs "
        "%s -> %s, autoanalyze runs %s -> %s\n",
        share(3), share(4), share(7), vacuum_before[0].c_str(), vacuum_after[0].c_str(),
        vacuum_before[1].c_str(), vacuum_after[1].c_str());
    // Updates that stayed on their page with no index entry added (HOT), per table: a
    // non-HOT update inserts into every index of its table.
    absl::SleepFor(absl::Milliseconds(600));  // table statistics are flushed about every 0.5 s
    (void)profile_pool->Read([](pqxx::work& tx) {
      for (const auto& row :
           tx.exec("SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM "
                   "pg_stat_user_tables WHERE n_tup_upd + n_tup_ins > 0 ORDER BY relname")) {
        std::printf("table %s: %s inserted, %s updated (%s of them HOT), %s deleted\n",
                    row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(), row[4].c_str());
      }
      return absl::OkStatus();
    });
    activity->Print();
  }
  activity.reset();
  if (ingest_only) {
    sampling = false;
    sampler.join();
    std::lock_guard lock(engines_mu);
    for (Engine& e : engines) StopEngine(e, SIGTERM);
    return 0;
  }
  std::printf("live clocks: %ld\n",
              Count(*pool, "SELECT count(*) FROM clocks WHERE state IN ('running', 'paused')"));

  // ---- 3. steady firing ----
  ScheduleBreaches(*pool, 1, due, absl::Seconds(5), absl::Seconds(30));
  WaitUntilFired(*pool, 1, due, absl::Seconds(60));
  Print("steady (1 engine, 30 s window)", Measure(*pool, 1, due));

  // ---- 4. restart under load: SIGKILL 10 s into the window, back 3 s later ----
  const int64_t second = 1 + due;
  ScheduleBreaches(*pool, second, due, absl::Seconds(5), absl::Seconds(30));
  absl::SleepFor(absl::Seconds(15));
  {
    std::lock_guard lock(engines_mu);
    StopEngine(engines[0], SIGKILL);
  }
  const absl::Time killed_at = absl::Now();
  absl::SleepFor(absl::Seconds(3));
  {
    std::lock_guard lock(engines_mu);
    engines[0] = StartEngine(engine_binary, "a", env_for(0));
  }
  WaitUntilFired(*pool, second, due, absl::Seconds(60));
  Print("restart (SIGKILL, 3 s down)", Measure(*pool, second, due));
  const double killed = absl::ToDoubleSeconds(killed_at - absl::UnixEpoch());
  Print("  due while it was down or starting (killed + 0..6 s)",
        Measure(*pool, second, due,
                absl::StrFormat("c.due_at BETWEEN to_timestamp(%f) AND to_timestamp(%f) + "
                                "interval '6 seconds'",
                                killed, killed)));
  Print("  due after it was back (killed + 6 s ..)",
        Measure(*pool, second, due,
                absl::StrFormat("c.due_at > to_timestamp(%f) + interval '6 seconds'", killed)));

  // ---- 5. two replicas ----
  {
    std::lock_guard lock(engines_mu);
    engines[1] = StartEngine(engine_binary, "b", env_for(1));
  }
  absl::SleepFor(absl::Seconds(3));
  const int64_t third = 1 + 2 * due;
  ScheduleBreaches(*pool, third, due, absl::Seconds(5), absl::Seconds(30));
  WaitUntilFired(*pool, third, due, absl::Seconds(60));
  Print("two replicas", Measure(*pool, third, due));
  auto split =
      Row(*pool, absl::StrCat("SELECT count(DISTINCT fired_by), min(n), max(n) FROM "
                              "(SELECT fired_by, count(*) n FROM clock_firings WHERE "
                              "clock_id >= ",
                              third, " AND clock_id < ", third + due, " GROUP BY fired_by) x"));
  std::printf("  replicas that fired: %s (firings per replica %s..%s)\n", split[0].c_str(),
              split[1].c_str(), split[2].c_str());

  sampling = false;
  sampler.join();
  {
    std::lock_guard lock(engines_mu);
    for (Engine& e : engines) StopEngine(e, SIGTERM);
  }
  std::printf("engine peak RSS: %.1f MB\n", peak_rss_kb.load() / 1024.0);
  return 0;
}
