#include "services/sla/clock_cache.h"

#include <catch2/catch.hpp>

namespace {

using tiquete::sla::SlaClock;
using tiquete::sla::TicketClockCache;
using tiquete::sla::TicketClocks;

TicketClocks State(const std::string& ticket, int64_t version) {
  TicketClocks t;
  t.known = true;
  t.facts.number = ticket;
  t.facts.version = version;
  SlaClock c;
  c.id = 7;
  c.ticket = ticket;
  c.version = version;
  t.clocks = {c};
  return t;
}

}  // namespace

TEST_CASE("a cached ticket is handed over with the row xmin it was written at, once",
          "[sla][cache]") {
  TicketClockCache cache(100);
  TicketClockCache::Entry out;
  CHECK_FALSE(cache.Take("INC-2026-000001", &out));
  cache.Put("INC-2026-000001", "901", State("INC-2026-000001", 3));
  REQUIRE(cache.Take("INC-2026-000001", &out));
  CHECK(out.xmin == "901");
  CHECK(out.state.facts.version == 3);
  REQUIRE(out.state.clocks.size() == 1);
  CHECK(out.state.clocks[0].version == 3);
  // Taken: a second batch of the same ticket reads it from the database until the first puts
  // back what it wrote.
  CHECK(cache.size() == 0);
  CHECK_FALSE(cache.Take("INC-2026-000001", &out));
  cache.Put("INC-2026-000001", "955", State("INC-2026-000001", 4));
  // A later write of the ticket replaces the entry, xmin and all.
  cache.Put("INC-2026-000001", "960", State("INC-2026-000001", 5));
  CHECK(cache.size() == 1);
  REQUIRE(cache.Take("INC-2026-000001", &out));
  CHECK(out.xmin == "960");
  CHECK(out.state.facts.version == 5);
  CHECK(cache.hits() == 2);
  CHECK(cache.misses() == 2);
}

TEST_CASE("the clock cache stays within its capacity and keeps the recently written tickets",
          "[sla][cache]") {
  TicketClockCache cache(10);
  TicketClockCache::Entry out;
  for (int i = 0; i < 100; ++i) {
    const std::string t = "T" + std::to_string(i);
    cache.Put(t, "1", State(t, 1));
    CHECK(cache.size() <= 10);
    // T0 is applied all along (taken and put back), so it is never the least recently used.
    REQUIRE(cache.Take("T0", &out));
    cache.Put("T0", out.xmin, std::move(out.state));
  }
  CHECK(cache.Take("T99", &out));
  CHECK(cache.Take("T91", &out));        // the 9 most recent besides T0 are kept
  CHECK_FALSE(cache.Take("T90", &out));  // the 10th most recent is not
  CHECK(cache.Take("T0", &out));
  cache.Put("T98", "2", State("T98", 2));
  cache.Erase("T98");
  CHECK_FALSE(cache.Take("T98", &out));
}

TEST_CASE("a clock cache of capacity 0 caches nothing", "[sla][cache]") {
  TicketClockCache cache(0);
  cache.Put("T", "1", State("T", 1));
  TicketClockCache::Entry out;
  CHECK_FALSE(cache.Take("T", &out));
  CHECK(cache.size() == 0);
}
