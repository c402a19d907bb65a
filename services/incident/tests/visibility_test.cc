#include <catch2/catch.hpp>

#include "common/errors.h"
#include "services/incident/domain/visibility.h"

using namespace tiquete::incident;  // NOLINT: test

namespace {

const char kAna[] = "00000000-0000-0000-0000-00000000000a";
const char kBeto[] = "00000000-0000-0000-0000-00000000000b";
const char kAgent[] = "00000000-0000-0000-0000-0000000000a1";
const char kGroupL1[] = "10000000-0000-0000-0000-000000000001";
const char kGroupVendor[] = "10000000-0000-0000-0000-000000000003";

Caller Person(const std::string& id, std::vector<std::string> roles,
              std::vector<std::string> groups = {}) {
  Caller c;
  c.set_person_id(id);
  for (auto& r : roles) c.add_roles(r);
  for (auto& g : groups) c.add_group_ids(g);
  return c;
}

v1::Incident Incident(const std::string& requester, const std::string& group,
                      bool security = false) {
  v1::Incident i;
  i.set_number("INC-2026-000001");
  i.set_requester_id(requester);
  i.set_assignment_group_id(group);
  i.set_possible_security(security);
  return i;
}

absl::StatusCode Code(const Caller& c, const v1::Incident& i, Operation op) {
  return Authorize(c, i, op).code();
}

}  // namespace

TEST_CASE("a requester sees their own incident and another's is not found", "[visibility]") {
  const Caller ana = Person(kAna, {"requester"});
  CHECK(Code(ana, Incident(kAna, kGroupL1), Operation::kView) == absl::StatusCode::kOk);
  CHECK(Code(ana, Incident(kBeto, kGroupL1), Operation::kView) == absl::StatusCode::kNotFound);
  CHECK(Code(ana, Incident(kBeto, kGroupL1), Operation::kComment) == absl::StatusCode::kNotFound);
}

TEST_CASE("requesters never write or read internal notes", "[visibility]") {
  const Caller ana = Person(kAna, {"requester"});
  const auto own = Incident(kAna, kGroupL1);
  CHECK(Code(ana, own, Operation::kComment) == absl::StatusCode::kOk);
  CHECK(Code(ana, own, Operation::kInternalNote) == absl::StatusCode::kPermissionDenied);
  CHECK_FALSE(SeesInternal(AudienceFor(ana, own)));
  CHECK(SeesInternal(AudienceFor(Person(kAgent, {"agent_l1"}), own)));
}

TEST_CASE("requesters may close, cancel, reopen and survey their own incident but not work it",
          "[visibility]") {
  const Caller ana = Person(kAna, {"requester"});
  const auto own = Incident(kAna, kGroupL1);
  for (Operation op :
       {Operation::kClose, Operation::kCancel, Operation::kReopen, Operation::kSurvey}) {
    CHECK(Code(ana, own, op) == absl::StatusCode::kOk);
  }
  for (Operation op : {Operation::kWork, Operation::kOverridePriority, Operation::kSetMajor,
                       Operation::kViewHistory}) {
    CHECK(Code(ana, own, op) == absl::StatusCode::kPermissionDenied);
  }
}

TEST_CASE("providers see only incidents assigned to their groups", "[visibility]") {
  const Caller vendor = Person(kAgent, {"provider"}, {kGroupVendor});
  CHECK(Code(vendor, Incident(kAna, kGroupVendor), Operation::kWork) == absl::StatusCode::kOk);
  CHECK(Code(vendor, Incident(kAna, kGroupL1), Operation::kView) == absl::StatusCode::kNotFound);
  CHECK(Code(vendor, Incident(kAna, ""), Operation::kView) == absl::StatusCode::kNotFound);
  CHECK(Code(vendor, Incident(kAna, kGroupVendor), Operation::kOverridePriority) ==
        absl::StatusCode::kPermissionDenied);
  CHECK(Code(vendor, Incident(kAna, kGroupVendor), Operation::kClose) ==
        absl::StatusCode::kPermissionDenied);
}

TEST_CASE("staff see every incident that is not restricted", "[visibility]") {
  for (const char* role :
       {"agent_l1", "specialist_l2", "coordinator", "incident_manager", "admin"}) {
    INFO(role);
    const Caller staff = Person(kAgent, {role});
    CHECK(Code(staff, Incident(kAna, kGroupVendor), Operation::kWork) == absl::StatusCode::kOk);
    CHECK(Code(staff, Incident(kAna, kGroupL1, true), Operation::kView) ==
          absl::StatusCode::kNotFound);
  }
}

TEST_CASE("possible security incidents are for security officers and their reporter only",
          "[visibility]") {
  const auto restricted = Incident(kAna, kGroupL1, true);
  CHECK(Code(Person("", {"security_officer"}), restricted, Operation::kWork) ==
        absl::StatusCode::kOk);
  CHECK(Code(Person(kAna, {"requester"}), restricted, Operation::kView) == absl::StatusCode::kOk);
  CHECK(Code(Person(kBeto, {"admin"}), restricted, Operation::kView) ==
        absl::StatusCode::kNotFound);
  CHECK(Code(Person(kBeto, {"provider"}, {kGroupL1}), restricted, Operation::kView) ==
        absl::StatusCode::kNotFound);
  // A staff member who reported it sees it as its requester: public entries only.
  const Caller reporter = Person(kAna, {"agent_l1"});
  CHECK(AudienceFor(reporter, restricted) == Audience::kRequester);
}

TEST_CASE("only coordinators and incident managers declare major incidents", "[visibility]") {
  const auto incident = Incident(kAna, kGroupL1);
  CHECK(Code(Person(kAgent, {"agent_l1"}), incident, Operation::kSetMajor) ==
        absl::StatusCode::kPermissionDenied);
  CHECK(Code(Person(kAgent, {"coordinator"}), incident, Operation::kSetMajor) ==
        absl::StatusCode::kOk);
  CHECK(Code(Person(kAgent, {"incident_manager"}), incident, Operation::kSetMajor) ==
        absl::StatusCode::kOk);
}

TEST_CASE("only the requester answers the survey", "[visibility]") {
  CHECK(Code(Person(kAgent, {"admin"}), Incident(kAna, kGroupL1), Operation::kSurvey) ==
        absl::StatusCode::kPermissionDenied);
}

TEST_CASE("the list scope admits exactly the incidents the single-incident rule admits",
          "[visibility]") {
  const std::vector<Caller> callers = {Person(kAna, {"requester"}),
                                       Person(kAgent, {"agent_l1"}),
                                       Person(kAgent, {"provider"}, {kGroupVendor}),
                                       Person(kBeto, {"security_officer"}),
                                       Person(kAna, {"agent_l1"}),
                                       Person("", {"integration"})};
  const std::vector<v1::Incident> incidents = {
      Incident(kAna, kGroupL1), Incident(kBeto, kGroupVendor), Incident(kAna, kGroupL1, true),
      Incident(kBeto, kGroupVendor, true), Incident(kBeto, "")};
  for (size_t c = 0; c < callers.size(); ++c) {
    for (size_t i = 0; i < incidents.size(); ++i) {
      INFO("caller " << c << " incident " << i);
      CHECK(InScope(ScopeFor(callers[c]), incidents[i]) ==
            (AudienceFor(callers[c], incidents[i]) != Audience::kNone));
    }
  }
}

TEST_CASE("actions are attributed to the person, or to the calling system", "[visibility]") {
  CHECK(ActorOf(Person(kAna, {"requester"})) == kAna);
  Caller system;
  system.set_system("intake");
  CHECK(ActorOf(system) == "system:intake");
}

TEST_CASE("requesters do not read the support-only fields of their incident", "[visibility]") {
  v1::Incident i = Incident(kAna, kGroupL1);
  i.set_priority_justification("rector llamó al secretario");
  i.set_coordinator_id(kAgent);
  v1::Incident for_agent = i;
  RedactFor(AudienceFor(Person(kAgent, {"agent_l1"}), i), &for_agent);
  CHECK(for_agent.priority_justification() == "rector llamó al secretario");
  RedactFor(AudienceFor(Person(kAna, {"requester"}), i), &i);
  CHECK(i.priority_justification().empty());
  CHECK(i.coordinator_id().empty());
}
