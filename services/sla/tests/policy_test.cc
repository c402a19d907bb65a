#include <catch2/catch.hpp>

#include "services/sla/domain/policy.h"

using namespace tiquete::sla;

namespace {

PolicySpec Sla(std::string id, std::string service = "", std::string category = "") {
  PolicySpec p = DefaultSlaPolicy("office");
  p.id = std::move(id);
  p.service_id = std::move(service);
  p.category_id = std::move(category);
  return p;
}

PolicySpec Ola(std::string id, std::string group, std::string level = "") {
  PolicySpec p = DefaultSlaPolicy("office");
  p.id = std::move(id);
  p.kind = AgreementKind::kOla;
  p.group_id = std::move(group);
  p.group_level = std::move(level);
  p.escalations = {};
  return p;
}

}  // namespace

TEST_CASE("default targets go from P1 30 min / 4 h to P5 2 d / 10 d of business time") {
  const PolicySpec p = DefaultSlaPolicy("office");
  CHECK(ResponseTargetSeconds(p, 1) == 30 * 60);
  CHECK(ResolutionTargetSeconds(p, 1) == 4 * 3600);
  CHECK(ResponseTargetSeconds(p, 5) == 2 * 9 * 3600);
  CHECK(ResolutionTargetSeconds(p, 5) == 10 * 9 * 3600);
  CHECK(FiringThresholds(p) == std::vector<int>{75, 100});
  CHECK(ValidatePolicySpec([&] {
          PolicySpec named = p;
          named.id = "x";
          return named;
        }())
            .empty());
}

TEST_CASE("an unknown priority is measured as P3") {
  const PolicySpec p = DefaultSlaPolicy("office");
  CHECK(ResolutionTargetSeconds(p, 0) == ResolutionTargetSeconds(p, 3));
  CHECK(ResolutionTargetSeconds(p, 9) == ResolutionTargetSeconds(p, 3));
}

TEST_CASE("the most specific active SLA wins") {
  std::vector<PolicySpec> policies = {Sla("default"), Sla("by-category", "", "cat-1"),
                                      Sla("by-service", "svc-1"), Sla("by-both", "svc-1", "cat-1")};
  CHECK(SelectSla(policies, {"svc-1", "cat-1", "", ""})->id == "by-both");
  CHECK(SelectSla(policies, {"svc-1", "cat-2", "", ""})->id == "by-service");
  CHECK(SelectSla(policies, {"svc-2", "cat-1", "", ""})->id == "by-category");
  CHECK(SelectSla(policies, {"", "", "", ""})->id == "default");
  policies[3].active = false;
  CHECK(SelectSla(policies, {"svc-1", "cat-1", "", ""})->id == "by-service");
}

TEST_CASE("equally specific SLAs are chosen by id, whatever their order") {
  std::vector<PolicySpec> a = {Sla("b", "svc"), Sla("a", "svc")};
  std::vector<PolicySpec> b = {Sla("a", "svc"), Sla("b", "svc")};
  CHECK(SelectSla(a, {"svc", "", "", ""})->id == "a");
  CHECK(SelectSla(b, {"svc", "", "", ""})->id == "a");
}

TEST_CASE("a group's own OLA beats an OLA for its whole level") {
  const std::vector<PolicySpec> policies = {Ola("level-2", "", "L2"), Ola("redes", "g-redes"),
                                            Sla("default")};
  CHECK(SelectGroupAgreement(policies, {"", "", "g-redes", "L2"})->id == "redes");
  CHECK(SelectGroupAgreement(policies, {"", "", "g-sistemas", "L2"})->id == "level-2");
  CHECK(SelectGroupAgreement(policies, {"", "", "g-mesa", "L1"}) == nullptr);
  CHECK(SelectGroupAgreement(policies, {"", "", "", ""}) == nullptr);
}

TEST_CASE("clocks pause only on the configured pending reasons") {
  PolicySpec p = DefaultSlaPolicy("office");
  CHECK(PausesOn(p, "pending", "requester"));
  CHECK_FALSE(PausesOn(p, "pending", "provider"));
  CHECK_FALSE(PausesOn(p, "in_progress", "requester"));
  p.pause_on = {"pending"};
  CHECK(PausesOn(p, "pending", "change"));
  p.pause_on = {};
  CHECK_FALSE(PausesOn(p, "pending", "requester"));
}

TEST_CASE("policy validation names each field at fault") {
  PolicySpec p = DefaultSlaPolicy("");
  p.name = "";
  p.targets[0].response_minutes = 0;
  p.targets[1].response_minutes = 600;  // after its 480-minute resolution
  p.warning_percents = {80, 50};
  p.pause_on = {"pending:lunch"};
  p.escalations.push_back({60, ClockScope::kAny, EscalationAction::kRaisePriority});
  std::vector<std::string> got;
  for (const auto& problem : ValidatePolicySpec(p))
    got.push_back(problem.field + ":" + problem.reason);
  CHECK(got == std::vector<std::string>{
                   "name:REQUIRED", "calendar_id:REQUIRED", "targets[0]:INVALID_TARGET",
                   "targets[1]:RESPONSE_AFTER_RESOLUTION", "warning_percents:INVALID_THRESHOLD",
                   "pause_on:INVALID_PAUSE_CONDITION", "escalations:UNKNOWN_THRESHOLD",
                   "escalations:UNKNOWN_THRESHOLD"});
}

TEST_CASE("an OLA must name a group or a level, and an SLA must not") {
  PolicySpec ola = Ola("o", "");
  CHECK(ValidatePolicySpec(ola).size() == 1);
  CHECK(ValidatePolicySpec(ola)[0].field == "group_id");
  PolicySpec sla = Sla("s");
  sla.group_level = "L2";
  CHECK(ValidatePolicySpec(sla).size() == 1);
}

TEST_CASE("breach actions follow the rules' clock scope and the level's escalation path") {
  PolicySpec p = DefaultSlaPolicy("office");
  p.escalation_path = {{"L1", "g-l2"}, {"L2", "g-l3"}};
  auto actions = ActionsAt(p, /*response_clock=*/false, 100, "L1");
  REQUIRE(actions.size() == 2);
  CHECK(actions[0].action == EscalationAction::kNotifyCoordinator);
  CHECK(actions[1].action == EscalationAction::kEscalateLevel);
  CHECK(actions[1].to_group_id == "g-l2");
  CHECK(ActionsAt(p, false, 100, "L2")[1].to_group_id == "g-l3");
  CHECK(ActionsAt(p, false, 100, "L3")[1].to_group_id.empty());
  // A response breach only notifies: escalating is for tickets not being resolved.
  actions = ActionsAt(p, /*response_clock=*/true, 100, "L1");
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].action == EscalationAction::kNotifyCoordinator);
  CHECK(ActionsAt(p, true, 75, "L1").size() == 1);
  CHECK(ActionsAt(p, true, 50, "L1").empty());
}
