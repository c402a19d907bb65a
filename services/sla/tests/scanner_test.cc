#include <thread>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "services/sla/scanner.h"
#include "services/sla/tests/sla_fixture.h"

using namespace tiquete::sla;
using namespace tiquete::sla::testing;

namespace {

void CreateTickets(SlaFixture& f, int n, int priority) {
  for (int i = 0; i < n; ++i) {
    REQUIRE(f.Deliver("created", SlaFixture::Incident(absl::StrCat("INC-2026-1", 10000 + i),
                                                      priority, f.clock.Now()))
                .ok());
  }
}

// Every (clock, threshold) fired once, and one outbox event per firing.
void CheckFiredOnce(SlaFixture& f, int64_t expected) {
  CHECK(f.Count("SELECT count(*) FROM clock_firings") == expected);
  CHECK(f.Count("SELECT count(*) FROM outbox WHERE type IN ('sla.clock.warning', "
                "'sla.clock.breached')") == expected);
  CHECK(f.Count("SELECT count(*) FROM (SELECT clock_id, percent FROM clock_firings "
                "GROUP BY 1, 2 HAVING count(*) > 1) d") == 0);
}

}  // namespace

TEST_CASE("the scanner fires the warning and then the breach, each exactly once", "[integration]") {
  SlaFixture f;
  CreateTickets(f, 1, 1);  // P1: respond 30 min, resolve 4 h
  DueScanner scanner(*f.store, f.clock, {"a"});
  CHECK(*scanner.RunOnce() == 0);
  f.clock.Set(Local(2026, 2, 3, 8, 22, 29));
  CHECK(*scanner.RunOnce() == 0);
  f.clock.Set(Local(2026, 2, 3, 8, 22, 30));  // 75 % of the 30-minute response target
  CHECK(*scanner.RunOnce() == 1);
  CHECK(*scanner.RunOnce() == 0);
  f.clock.Set(Local(2026, 2, 3, 12, 0));  // response breach (08:30), resolution 75 % (11:00),
  CHECK(*scanner.RunOnce() == 3);         // resolution breach (12:00)
  CHECK(*scanner.RunOnce() == 0);
  CheckFiredOnce(f, 4);
  CHECK(f.Count("SELECT count(*) FROM clock_firings WHERE crossed_at = "
                "'2026-02-03 12:00:00-05' AND percent = 100") == 1);
}

TEST_CASE("two scanner replicas running at once never fire the same threshold twice",
          "[integration]") {
  SlaFixture f;
  CreateTickets(f, 300, 1);
  f.clock.Set(Local(2026, 2, 4, 8));  // everything of P1 is past due
  auto pool_b = f.NewPool();
  SlaStore store_b(*pool_b, f.clock);
  DueScanner a(*f.store, f.clock, {"a", absl::Milliseconds(250), 25});
  DueScanner b(store_b, f.clock, {"b", absl::Milliseconds(250), 25});
  int fired_a = 0, fired_b = 0;
  std::thread ta([&] { fired_a = *a.RunOnce(); });
  std::thread tb([&] { fired_b = *b.RunOnce(); });
  ta.join();
  tb.join();
  CHECK(fired_a + fired_b == 300 * 4);
  CheckFiredOnce(f, 300 * 4);
  INFO("replica a fired " << fired_a << ", replica b " << fired_b);
  CHECK(fired_a > 0);
  CHECK(fired_b > 0);
}

TEST_CASE("a scanner that dies holding claimed clocks loses no breach", "[integration]") {
  SlaFixture f;
  CreateTickets(f, 50, 2);
  f.clock.Set(Local(2026, 2, 4, 8));  // P2 response and resolution both past due
  {
    // Replica A claims half the due clocks and dies before committing.
    auto dying = tiquete::ConnectPg(f.db.UrlFor("sla"), "sla");
    auto tx = std::make_unique<pqxx::work>(*dying);
    const int backend = tx->exec1("SELECT pg_backend_pid()")[0].as<int>();
    auto claimed = tx->exec_params(
        "SELECT id FROM clocks WHERE next_fire_at <= now() + interval '10 years' "
        "ORDER BY next_fire_at LIMIT 50 FOR UPDATE SKIP LOCKED");
    REQUIRE(claimed.size() == 50);
    // While A holds them, B skips them instead of waiting or firing them twice.
    DueScanner b(*f.store, f.clock, {"b"});
    CHECK(*b.RunOnce() == 50 * 2);  // the other 50 clocks: warning + breach each
    // The crash: its session is killed and its locks go with it.
    auto admin = tiquete::ConnectPg(f.db.AdminUrl(), "public");
    pqxx::nontransaction(*admin).exec_params("SELECT pg_terminate_backend($1)", backend);
    try {
      tx.reset();
    } catch (const std::exception&) {  // the dead session cannot even roll back
    }
  }
  DueScanner b(*f.store, f.clock, {"b"});
  CHECK(*b.RunOnce() == 50 * 2);
  CheckFiredOnce(f, 100 * 2);
}

TEST_CASE("an event that arrives after the due time records the breach once, scanner or not",
          "[integration]") {
  SlaFixture f;
  auto in = SlaFixture::Incident("INC-2026-000020", 1, f.clock.Now());
  REQUIRE(f.Deliver("created", in).ok());
  // The scanner was down; the requester-pending event at 09:00 reveals the response breach.
  f.clock.Set(Local(2026, 2, 3, 9));
  in.set_state(tiquete::incident::v1::PENDING);
  in.set_pending_reason(tiquete::incident::v1::REQUESTER);
  in.set_version(2);
  REQUIRE(f.Deliver("state_changed", in).ok());
  CHECK(f.Count("SELECT count(*) FROM clock_firings WHERE percent = 100") == 1);
  CHECK(f.Count("SELECT count(*) FROM clock_firings WHERE fired_by LIKE 'event:%'") == 2);
  DueScanner scanner(*f.store, f.clock, {"a"});
  CHECK(*scanner.RunOnce() == 0);  // nothing left: the pause keeps the resolution clock still
  CheckFiredOnce(f, 2);
}
