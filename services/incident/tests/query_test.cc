#include <catch2/catch.hpp>

#include "common/errors.h"
#include "services/incident/domain/query.h"

using namespace tiquete::incident;  // NOLINT: test

namespace {

Caller Agent() {
  Caller c;
  c.set_person_id("00000000-0000-0000-0000-0000000000a1");
  c.add_roles("agent_l1");
  c.add_group_ids("10000000-0000-0000-0000-000000000001");
  return c;
}

}  // namespace

TEST_CASE("a page token only works for the query it came from", "[query]") {
  v1::IncidentFilter filter;
  filter.add_states(v1::ASSIGNED);
  v1::Incident last;
  last.set_priority(v1::P2);
  last.mutable_created_at()->set_seconds(1767225600);
  const std::string token = NextPageToken(Agent(), filter, v1::SORT_PRIORITY_AGE, last, 42);
  auto q = BuildQuery(Agent(), filter, v1::SORT_ORDER_UNSPECIFIED, 50, token);
  REQUIRE(q.ok());
  CHECK(q->after == std::vector<int64_t>{2, 1767225600000000, 42});
  v1::IncidentFilter other = filter;
  other.add_states(v1::PENDING);
  auto mismatch = BuildQuery(Agent(), other, v1::SORT_PRIORITY_AGE, 50, token);
  CHECK(tiquete::ErrorReason(mismatch.status()) == "INVALID_PAGE_TOKEN");
  CHECK(tiquete::ErrorReason(
            BuildQuery(Agent(), filter, v1::SORT_CREATED_DESC, 50, token).status()) ==
        "INVALID_PAGE_TOKEN");
  CHECK_FALSE(BuildQuery(Agent(), filter, v1::SORT_PRIORITY_AGE, 50, "garbage!").ok());
}

TEST_CASE("my queue and my group's queue come from the caller", "[query]") {
  v1::IncidentFilter filter;
  filter.set_my_queue(true);
  filter.set_my_groups_queue(true);
  auto q = BuildQuery(Agent(), filter, v1::SORT_PRIORITY_AGE, 0, "");
  REQUIRE(q.ok());
  CHECK(q->assignee_id == Agent().person_id());
  CHECK(q->group_ids == std::vector<std::string>{"10000000-0000-0000-0000-000000000001"});
  CHECK(q->limit == kDefaultPageSize);
}

TEST_CASE("bad filters name the field", "[query]") {
  v1::IncidentFilter filter;
  filter.set_group_id("not-a-uuid");
  CHECK(tiquete::ErrorField(BuildQuery(Agent(), filter, v1::SORT_PRIORITY_AGE, 0, "").status()) ==
        "filter.group_id");
  v1::IncidentFilter range;
  range.mutable_created_from()->set_seconds(200);
  range.mutable_created_to()->set_seconds(100);
  CHECK(tiquete::ErrorReason(BuildQuery(Agent(), range, v1::SORT_PRIORITY_AGE, 0, "").status()) ==
        "INVALID_RANGE");
  CHECK(BuildQuery(Agent(), {}, v1::SORT_PRIORITY_AGE, 1000, "")->limit == kMaxPageSize);
  CHECK_FALSE(BuildQuery(Agent(), {}, v1::SORT_PRIORITY_AGE, -1, "").ok());
}

TEST_CASE("page tokens round-trip their values for scopes of any shape", "[query]") {
  std::vector<int64_t> values;
  const std::string token = EncodePageToken("worklog:INC-2026-000001:1:0", {42});
  REQUIRE(DecodePageToken(token, "worklog:INC-2026-000001:1:0", 1, &values));
  CHECK(values == std::vector<int64_t>{42});
  CHECK_FALSE(DecodePageToken(token, "worklog:INC-2026-000001:0:0", 1, &values));
  CHECK_FALSE(DecodePageToken(token, "worklog:INC-2026-000001:1:0", 2, &values));
}
