// Incident queue and search latency on a large table: seeds N incidents straight into the
// incident schema (bench/incident_queue_seed.sql), then measures through the real gRPC
// ListIncidents: (a) a 50-row queue page of one group's open incidents by priority then age,
// (b) a 50-row Spanish full-text search page. Prints p50/p95/p99 and the query plans.
// Needs TIQUETE_TEST_PG_ADMIN_URL (bench/incident_queue_bench.sh provides one if unset).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/caller.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/migrations.h"
#include "common/server.h"
#include "common/testing/test_db.h"
#include "services/incident/incident_management.h"
#include "services/incident/migrations.h"
#include "services/incident/service.h"
#include "services/incident/store.h"

namespace {

using namespace tiquete;            // NOLINT: driver
using namespace tiquete::incident;  // NOLINT: driver

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

// ListIncidents never consults the directory; anything else would be a bug in the benchmark.
class NoDirectory final : public DirectoryClient {
  absl::StatusOr<directory::v1::Person> GetPerson(const std::string&) override { return Down(); }
  absl::StatusOr<directory::v1::Group> GetGroup(const std::string&) override { return Down(); }
  absl::StatusOr<directory::v1::Category> GetCategory(const std::string&) override {
    return Down();
  }
  absl::StatusOr<directory::v1::ItService> GetItService(const std::string&) override {
    return Down();
  }
  absl::StatusOr<directory::v1::ConfigurationItem> GetConfigurationItem(
      const std::string&) override {
    return Down();
  }
  static absl::Status Down() { return absl::UnavailableError("no directory in the benchmark"); }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

void Exec(const std::string& url, const std::string& sql) {
  auto conn = ConnectPg(url, "incident");
  pqxx::nontransaction tx(*conn);
  tx.exec(sql);
}

std::string GroupId(int n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "b0000000-0000-4000-8000-%012d", n);
  return buf;
}

void Explain(const std::string& url, const std::string& title, const std::string& sql) {
  auto conn = ConnectPg(url, "incident");
  pqxx::work tx(*conn);
  if (sql.find("SET LOCAL enable_indexscan = off") != std::string::npos) {
    tx.exec("SET LOCAL enable_indexscan = off");
  }
  std::printf("\n-- plan: %s\n", title.c_str());
  for (const auto& row : tx.exec("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
    std::printf("   %s\n", row[0].c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int rows = IntArg(argc, argv, "rows", 1000000);
  const int iterations = IntArg(argc, argv, "iterations", 300);
  log::Init("incident_bench", log::Severity::kWarning);
  const std::string seed_sql = ReadFile(TIQUETE_INCIDENT_SEED_SQL);
  if (seed_sql.empty()) {
    std::fprintf(stderr, "cannot read %s\n", TIQUETE_INCIDENT_SEED_SQL);
    return 1;
  }
  testing::TestDatabase db({"incident"});
  const std::string url = db.UrlFor("incident");
  {
    auto conn = ConnectPg(url, "incident");
    auto s = ApplyMigrations(*conn, "incident",
                             {{"common", &CommonMigrations()}, {"incident", &Migrations()}});
    if (!s.ok()) {
      std::fprintf(stderr, "migrations: %s\n", s.ToString().c_str());
      return 1;
    }
  }

  // Bulk load the way an operator would: secondary indexes dropped, rows inserted, indexes
  // rebuilt from the migration's own definitions, statistics gathered.
  const absl::Time load_start = absl::Now();
  std::vector<std::string> index_defs;
  {
    auto conn = ConnectPg(url, "incident");
    pqxx::work tx(*conn);
    for (const auto& r :
         tx.exec("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'incident' AND "
                 "tablename = 'incidents' AND indexname NOT IN ('incidents_pkey', "
                 "'incidents_number_key')")) {
      index_defs.push_back(r[1].as<std::string>());
      tx.exec("DROP INDEX " + tx.quote_name(r[0].as<std::string>()));
    }
    tx.commit();
  }
  const int chunk = 100000;
  for (int first = 1; first <= rows; first += chunk) {
    const int last = std::min(rows, first + chunk - 1);
    auto conn = ConnectPg(url, "incident");
    pqxx::work tx(*conn);
    tx.exec_params(seed_sql, first, last);
    tx.commit();
    std::printf("seeded %d / %d incidents (%.0f s)\n", last, rows,
                absl::ToDoubleSeconds(absl::Now() - load_start));
    std::fflush(stdout);
  }
  for (const std::string& def : index_defs) {
    auto conn = ConnectPg(url, "incident");
    pqxx::nontransaction tx(*conn);
    tx.exec("SET maintenance_work_mem = '512MB'");
    tx.exec(def);
  }
  Exec(url, "VACUUM ANALYZE incidents");
  std::printf("loaded %d incidents with %zu secondary indexes in %.0f s\n", rows, index_defs.size(),
              absl::ToDoubleSeconds(absl::Now() - load_start));

  auto pool = db.PoolFor("incident", 4);
  NoDirectory directory;
  IncidentStore store(*pool, SystemClock::Get());
  IncidentManagement management(store, directory, SystemClock::Get(), IncidentOptions{});
  CallerSigner signer(std::string(32, 'b'));
  IncidentServiceImpl service(management, signer);
  Metrics metrics("incident_bench");
  ServiceRunner runner({"tiquete.incident.v1.IncidentService", "127.0.0.1:0"}, &metrics);
  runner.AddService(&service);
  if (!runner.Start().ok()) return 1;
  auto stub = v1::IncidentService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", runner.port()), grpc::InsecureChannelCredentials()));
  Caller agent;
  agent.set_person_id("a1000000-0000-4000-8000-000000000001");
  agent.add_roles("agent_l1");

  std::mt19937 rng(42);
  auto measure = [&](const std::string& label, auto make_request) {
    std::vector<double> ms;
    int returned = 0;
    for (int i = -30; i < iterations; ++i) {  // the first 30 warm the caches
      v1::ListIncidentsRequest request = make_request();
      v1::ListIncidentsResponse response;
      grpc::ClientContext context;
      signer.Attach(&context, agent);
      const absl::Time start = absl::Now();
      grpc::Status s = stub->ListIncidents(&context, request, &response);
      const double elapsed = absl::ToDoubleMilliseconds(absl::Now() - start);
      if (!s.ok()) {
        std::fprintf(stderr, "%s: %s\n", label.c_str(), s.error_message().c_str());
        std::exit(1);
      }
      if (i >= 0) {
        ms.push_back(elapsed);
        returned += response.incidents_size();
      }
    }
    std::printf("%-58s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (%d calls, %.1f rows/page)\n",
                label.c_str(), Percentile(ms, 0.50), Percentile(ms, 0.95), Percentile(ms, 0.99),
                iterations, static_cast<double>(returned) / iterations);
  };

  auto measure_term = [&](const std::string& term) {
    std::vector<double> ms;
    for (int i = -3; i < 30; ++i) {
      v1::ListIncidentsRequest request;
      request.mutable_filter()->set_query(term);
      request.mutable_page()->set_page_size(50);
      v1::ListIncidentsResponse response;
      grpc::ClientContext context;
      signer.Attach(&context, agent);
      const absl::Time start = absl::Now();
      if (!stub->ListIncidents(&context, request, &response).ok()) std::exit(1);
      if (i >= 0) ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    }
    std::printf("  %-22s p50 %6.2f ms  max %6.2f ms\n", term.c_str(), Percentile(ms, 0.5),
                Percentile(ms, 1.0));
  };

  const v1::State open[] = {v1::NEW, v1::ASSIGNED, v1::IN_PROGRESS, v1::PENDING};
  std::printf("\n== %d incidents; ListIncidents over gRPC, page size 50\n", rows);
  measure("(a) group queue: open states, priority then age", [&] {
    v1::ListIncidentsRequest r;
    r.mutable_filter()->set_group_id(GroupId(rng() % 20));
    for (v1::State s : open) r.mutable_filter()->add_states(s);
    r.mutable_page()->set_page_size(50);
    return r;
  });
  measure("(a') group queue: one state (assigned), priority then age", [&] {
    v1::ListIncidentsRequest r;
    r.mutable_filter()->set_group_id(GroupId(rng() % 20));
    r.mutable_filter()->add_states(v1::ASSIGNED);
    r.mutable_page()->set_page_size(50);
    return r;
  });
  const std::vector<std::string> terms = {
      "impresoras",       "contrasena",    "conexion internet", "proyector",    "simat",
      "correos",          "pantalla azul", "teclado",           "escaner",      "fotocopiadora",
      "bateria portatil", "antivirus",     "EQ-1234",           "picalena wifi"};
  measure("(b) Spanish text search, priority then age", [&] {
    v1::ListIncidentsRequest r;
    r.mutable_filter()->set_query(terms[rng() % terms.size()]);
    r.mutable_page()->set_page_size(50);
    return r;
  });
  measure("(b') Spanish text search, newest first", [&] {
    v1::ListIncidentsRequest r;
    r.mutable_filter()->set_query(terms[rng() % terms.size()]);
    r.set_sort(v1::SORT_CREATED_DESC);
    r.mutable_page()->set_page_size(50);
    return r;
  });
  measure("(b'') Spanish text search within open incidents", [&] {
    v1::ListIncidentsRequest r;
    r.mutable_filter()->set_query(terms[rng() % terms.size()]);
    for (v1::State s : open) r.mutable_filter()->add_states(s);
    r.mutable_page()->set_page_size(50);
    return r;
  });

  std::printf("\n== text search by term (priority then age; 30 calls each)\n");
  for (const std::string& term : terms) {
    measure_term(term);
  }

  runner.Shutdown();
  std::fflush(stdout);

  // The same shapes as the store builds them (visibility for staff included).
  const std::string visible =
      "(i.requester_id = 'a1000000-0000-4000-8000-000000000001'::uuid OR NOT i.possible_security)";
  Explain(url, "(a) group queue",
          "SELECT i.id FROM incidents i WHERE " + visible + " AND i.group_id = '" + GroupId(0) +
              "'::uuid AND i.state = ANY('{new,assigned,in_progress,pending}'::text[]) "
              "ORDER BY i.priority, i.created_at, i.id LIMIT 51");
  Explain(url, "(b) text search, common words: the page is found in the sort-ordered window",
          "SELECT i.id FROM (SELECT * FROM incidents i WHERE " + visible +
              " ORDER BY i.priority, i.created_at, i.id LIMIT 3000) i WHERE i.search @@ "
              "websearch_to_tsquery('incident_spanish', 'pantalla azul') "
              "ORDER BY i.priority, i.created_at, i.id LIMIT 51");
  Explain(url, "(a') group queue, one state",
          "SELECT i.id FROM incidents i WHERE " + visible + " AND i.group_id = '" + GroupId(3) +
              "'::uuid AND i.state = 'assigned' "
              "ORDER BY i.priority, i.created_at, i.id LIMIT 51");
  Explain(url, "(b) text search, rare words: the window falls short, the full-text index answers",
          "/* SET LOCAL enable_indexscan = off */ SELECT i.id FROM incidents i WHERE " + visible +
              " AND i.search @@ websearch_to_tsquery('incident_spanish', 'EQ-1234') "
              "ORDER BY i.priority, i.created_at, i.id LIMIT 51");
  return 0;
}
