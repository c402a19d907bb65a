#include "services/sla/clock_cache.h"

#include <catch2/catch.hpp>

namespace {

using tiquete::sla::SlaClock;
using tiquete::sla::TicketClockCache;

std::vector<SlaClock> Clocks(const std::string& ticket, int64_t version) {
  SlaClock c;
  c.id = 7;
  c.ticket = ticket;
  c.version = version;
  return {c};
}

}  // namespace

TEST_CASE("a cached ticket's clocks are only given back for the row xmin they were cached at",
          "[sla][cache]") {
  TicketClockCache cache(100);
  std::vector<SlaClock> out;
  CHECK_FALSE(cache.Get("INC-2026-000001", "900", &out));
  cache.Put("INC-2026-000001", "901", Clocks("INC-2026-000001", 3));
  REQUIRE(cache.Get("INC-2026-000001", "901", &out));
  REQUIRE(out.size() == 1);
  CHECK(out[0].version == 3);
  // Someone else wrote the ticket since (another replica, or this write rolled back).
  CHECK_FALSE(cache.Get("INC-2026-000001", "955", &out));
  // ... and the entry is gone for good, even for the old xmin.
  CHECK_FALSE(cache.Get("INC-2026-000001", "901", &out));
  CHECK(cache.hits() == 1);
  CHECK(cache.misses() == 3);
}

TEST_CASE("the clock cache stays within its capacity and keeps the recently used tickets",
          "[sla][cache]") {
  TicketClockCache cache(10);
  for (int i = 0; i < 100; ++i) {
    const std::string t = "T" + std::to_string(i);
    cache.Put(t, "1", Clocks(t, 1));
    CHECK(cache.size() <= 10);
    // T0 is used all along, so it is never the least recently used.
    std::vector<SlaClock> out;
    REQUIRE(cache.Get("T0", "1", &out));
  }
  std::vector<SlaClock> out;
  CHECK(cache.Get("T99", "1", &out));
  CHECK(cache.Get("T91", "1", &out));        // the 9 most recent besides T0 are kept
  CHECK_FALSE(cache.Get("T90", "1", &out));  // the 10th most recent is not
  cache.Erase("T99");
  CHECK_FALSE(cache.Get("T99", "1", &out));
}

TEST_CASE("a clock cache of capacity 0 caches nothing", "[sla][cache]") {
  TicketClockCache cache(0);
  cache.Put("T", "1", Clocks("T", 1));
  std::vector<SlaClock> out;
  CHECK_FALSE(cache.Get("T", "1", &out));
  CHECK(cache.size() == 0);
}
