#include <catch2/catch.hpp>

#include "services/sla/domain/escalation.h"

using namespace tiquete::sla;

TEST_CASE("an open ticket still at its breach level is escalated to the next group") {
  const auto d = DecideEscalateLevel("L1", "g-l2", {"assigned", 2, "L1", "g-mesa"});
  CHECK(d.run);
}

TEST_CASE("a ticket already escalated is not escalated again") {
  CHECK_FALSE(DecideEscalateLevel("L1", "g-l2", {"assigned", 2, "L2", "g-l2"}).run);
  const auto higher = DecideEscalateLevel("L1", "g-l2", {"in_progress", 2, "L3", "g-prov"});
  CHECK_FALSE(higher.run);
  CHECK(higher.why == "already escalated to L3");
}

TEST_CASE("resolved tickets and missing escalation paths are skipped with a reason") {
  const auto resolved = DecideEscalateLevel("L1", "g-l2", {"resolved", 2, "L1", "g-mesa"});
  CHECK_FALSE(resolved.run);
  CHECK(resolved.why == "ticket is resolved");
  const auto no_path = DecideEscalateLevel("L3", "", {"assigned", 2, "L3", "g-prov"});
  CHECK_FALSE(no_path.run);
  CHECK(no_path.why == "no escalation path configured from level L3");
}

TEST_CASE("raising the priority moves one step up once") {
  const auto d = DecideRaisePriority(3, {"assigned", 3, "L1", "g"});
  CHECK(d.run);
  CHECK(d.new_priority == 2);
  CHECK_FALSE(DecideRaisePriority(3, {"assigned", 2, "L1", "g"}).run);
  CHECK_FALSE(DecideRaisePriority(1, {"assigned", 1, "L1", "g"}).run);
  CHECK_FALSE(DecideRaisePriority(3, {"closed", 3, "L1", "g"}).run);
}
