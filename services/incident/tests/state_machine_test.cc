#include <map>
#include <set>
#include <tuple>

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "services/incident/domain/codes.h"
#include "services/incident/domain/state_machine.h"

using namespace tiquete::incident;  // NOLINT: test

namespace {

const std::vector<v1::State> kStates = {v1::NEW,      v1::ASSIGNED, v1::IN_PROGRESS, v1::PENDING,
                                        v1::RESOLVED, v1::CLOSED,   v1::CANCELLED};
const std::vector<Action> kActions = {Action::kAssign,
                                      Action::kEscalateFunctional,
                                      Action::kEscalateHierarchical,
                                      Action::kStart,
                                      Action::kPend,
                                      Action::kResume,
                                      Action::kResolve,
                                      Action::kClose,
                                      Action::kCancel,
                                      Action::kReopen};

// The lifecycle as the design describes it, written out independently of the implementation.
const std::map<std::pair<v1::State, Action>, v1::State> kLegal = {
    {{v1::NEW, Action::kAssign}, v1::ASSIGNED},
    {{v1::NEW, Action::kEscalateHierarchical}, v1::NEW},
    {{v1::NEW, Action::kCancel}, v1::CANCELLED},
    {{v1::ASSIGNED, Action::kAssign}, v1::ASSIGNED},
    {{v1::ASSIGNED, Action::kEscalateFunctional}, v1::ASSIGNED},
    {{v1::ASSIGNED, Action::kEscalateHierarchical}, v1::ASSIGNED},
    {{v1::ASSIGNED, Action::kStart}, v1::IN_PROGRESS},
    {{v1::ASSIGNED, Action::kCancel}, v1::CANCELLED},
    {{v1::IN_PROGRESS, Action::kAssign}, v1::ASSIGNED},
    {{v1::IN_PROGRESS, Action::kEscalateFunctional}, v1::ASSIGNED},
    {{v1::IN_PROGRESS, Action::kEscalateHierarchical}, v1::IN_PROGRESS},
    {{v1::IN_PROGRESS, Action::kPend}, v1::PENDING},
    {{v1::IN_PROGRESS, Action::kResolve}, v1::RESOLVED},
    {{v1::IN_PROGRESS, Action::kCancel}, v1::CANCELLED},
    {{v1::PENDING, Action::kResume}, v1::IN_PROGRESS},
    {{v1::PENDING, Action::kEscalateHierarchical}, v1::PENDING},
    {{v1::PENDING, Action::kResolve}, v1::RESOLVED},
    {{v1::PENDING, Action::kCancel}, v1::CANCELLED},
    {{v1::RESOLVED, Action::kClose}, v1::CLOSED},
    {{v1::RESOLVED, Action::kReopen}, v1::IN_PROGRESS},
};

}  // namespace

TEST_CASE("every (state, action) pair is legal exactly when the lifecycle says so", "[state]") {
  for (v1::State from : kStates) {
    for (Action action : kActions) {
      INFO(StateCode(from) << " + " << ActionName(action));
      auto next = NextState(from, action);
      auto legal = kLegal.find({from, action});
      if (legal != kLegal.end()) {
        REQUIRE(next.ok());
        CHECK(*next == legal->second);
      } else {
        REQUIRE_FALSE(next.ok());
        CHECK(next.status().code() == absl::StatusCode::kFailedPrecondition);
        CHECK(tiquete::ErrorReason(next.status()) == "ILLEGAL_TRANSITION");
      }
    }
  }
}

TEST_CASE("an illegal transition lists what the current state allows", "[state]") {
  auto next = NextState(v1::ASSIGNED, Action::kResolve);
  REQUIRE_FALSE(next.ok());
  const std::string message(next.status().message());
  CHECK(message.find("cannot resolve an incident that is assigned") != std::string::npos);
  CHECK(message.find("start → in_progress") != std::string::npos);
  CHECK(message.find("cancel → cancelled") != std::string::npos);
  CHECK(message.find("escalate (functional) → assigned") != std::string::npos);
  CHECK(message.find("close") == std::string::npos);
}

TEST_CASE("closed and cancelled incidents allow no transition at all", "[state]") {
  for (v1::State terminal : {v1::CLOSED, v1::CANCELLED}) {
    CHECK(AllowedFrom(terminal).empty());
    auto next = NextState(terminal, Action::kReopen);
    REQUIRE_FALSE(next.ok());
    CHECK(std::string(next.status().message()).find("no transitions are allowed") !=
          std::string::npos);
  }
}

TEST_CASE("open states are new, assigned, in progress and pending", "[state]") {
  std::set<v1::State> open;
  for (v1::State s : kStates) {
    if (IsOpen(s)) open.insert(s);
  }
  CHECK(open == std::set<v1::State>{v1::NEW, v1::ASSIGNED, v1::IN_PROGRESS, v1::PENDING});
  // Cancel is allowed from exactly the open states.
  for (v1::State s : kStates) CHECK(NextState(s, Action::kCancel).ok() == IsOpen(s));
}

TEST_CASE("closed and cancelled incidents are not editable", "[state]") {
  CHECK(CheckEditable(v1::RESOLVED).ok());
  CHECK(tiquete::ErrorReason(CheckEditable(v1::CLOSED)) == "NOT_EDITABLE");
  CHECK(tiquete::ErrorReason(CheckEditable(v1::CANCELLED)) == "NOT_EDITABLE");
}

TEST_CASE("reopening is allowed up to the end of the window and refused after it", "[state]") {
  const absl::Time resolved = absl::FromUnixSeconds(1767225600);
  const absl::Duration week = absl::Hours(168);
  CHECK(CheckReopenWindow(resolved, resolved + week, week).ok());
  auto late = CheckReopenWindow(resolved, resolved + week + absl::Seconds(1), week);
  CHECK(late.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(tiquete::ErrorReason(late) == "REOPEN_WINDOW_EXPIRED");
}
