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

TEST_CASE("a cached ticket comes back with the row xmin it was written at, until replaced",
          "[sla][cache]") {
  TicketClockCache cache(100);
  TicketClockCache::Entry out;
  CHECK_FALSE(cache.Get("INC-2026-000001", &out));
  cache.Put("INC-2026-000001", "901", State("INC-2026-000001", 3));
  REQUIRE(cache.Get("INC-2026-000001", &out));
  CHECK(out.xmin == "901");
  CHECK(out.state.facts.version == 3);
  REQUIRE(out.state.clocks.size() == 1);
  CHECK(out.state.clocks[0].version == 3);
  // The next write of the ticket replaces the entry, xmin and all.
  cache.Put("INC-2026-000001", "955", State("INC-2026-000001", 4));
  REQUIRE(cache.Get("INC-2026-000001", &out));
  CHECK(out.xmin == "955");
  CHECK(out.state.facts.version == 4);
  CHECK(cache.size() == 1);
  CHECK(cache.hits() == 2);
  CHECK(cache.misses() == 1);
}

TEST_CASE("the clock cache stays within its capacity and keeps the recently used tickets",
          "[sla][cache]") {
  TicketClockCache cache(10);
  TicketClockCache::Entry out;
  for (int i = 0; i < 100; ++i) {
    const std::string t = "T" + std::to_string(i);
    cache.Put(t, "1", State(t, 1));
    CHECK(cache.size() <= 10);
    // T0 is used all along, so it is never the least recently used.
    REQUIRE(cache.Get("T0", &out));
  }
  CHECK(cache.Get("T99", &out));
  CHECK(cache.Get("T91", &out));        // the 9 most recent besides T0 are kept
  CHECK_FALSE(cache.Get("T90", &out));  // the 10th most recent is not
  cache.Erase("T99");
  CHECK_FALSE(cache.Get("T99", &out));
}

TEST_CASE("a clock cache of capacity 0 caches nothing", "[sla][cache]") {
  TicketClockCache cache(0);
  cache.Put("T", "1", State("T", 1));
  TicketClockCache::Entry out;
  CHECK_FALSE(cache.Get("T", &out));
  CHECK(cache.size() == 0);
}
