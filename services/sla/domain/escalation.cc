#include "services/sla/domain/escalation.h"

#include "absl/strings/str_cat.h"
#include "services/sla/domain/ticket_clocks.h"

namespace tiquete::sla {
namespace {

int LevelRank(const std::string& level) {
  if (level == "L1") return 1;
  if (level == "L2") return 2;
  if (level == "L3") return 3;
  return 0;
}

}  // namespace

EscalationDecision DecideEscalateLevel(const std::string& fired_level,
                                       const std::string& to_group_id, const TicketNow& now) {
  if (!IsOpenState(now.state)) return {false, absl::StrCat("ticket is ", now.state), 0};
  if (to_group_id.empty()) {
    return {false,
            absl::StrCat("no escalation path configured from level ",
                         fired_level.empty() ? "(none)" : fired_level),
            0};
  }
  if (now.group_id == to_group_id) return {false, "already with the escalation group", 0};
  if (LevelRank(now.level) > LevelRank(fired_level)) {
    return {false, absl::StrCat("already escalated to ", now.level), 0};
  }
  return {true, "", 0};
}

EscalationDecision DecideRaisePriority(int fired_priority, const TicketNow& now) {
  if (!IsOpenState(now.state)) return {false, absl::StrCat("ticket is ", now.state), 0};
  const int target = fired_priority > 1 ? fired_priority - 1 : 1;
  if (now.priority >= 1 && now.priority <= target) {
    return {false, absl::StrCat("already P", now.priority), 0};
  }
  return {true, "", target};
}

}  // namespace tiquete::sla
