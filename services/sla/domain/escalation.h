// Whether an escalation action of a firing still has something to do, judged on the incident
// as it is now. Running an action twice must be harmless: a firing redelivered after its
// escalation already happened finds the incident moved on and is skipped.
#pragma once

#include <string>

namespace tiquete::sla {

struct TicketNow {
  std::string state;  // incident state code
  int priority = 0;
  std::string level;  // L1 | L2 | L3
  std::string group_id;
};

struct EscalationDecision {
  bool run = false;
  std::string why;       // for a skip: recorded as the action's outcome detail
  int new_priority = 0;  // raise_priority: the priority to set
};

// Functional escalation to `to_group_id` of a ticket that was at `fired_level` when the clock
// crossed: skipped when the ticket is no longer open, when no next group is configured, or when
// it already reached that group or a higher level.
EscalationDecision DecideEscalateLevel(const std::string& fired_level,
                                       const std::string& to_group_id, const TicketNow& now);

// One step up from the priority at firing time (P1 stays P1): skipped when the ticket is closed
// or already at that priority or higher.
EscalationDecision DecideRaisePriority(int fired_priority, const TicketNow& now);

}  // namespace tiquete::sla
