// Service level agreements: SLA policies (towards requesters), OLAs (internal groups) and
// underpinning contracts (provider groups) with targets per priority, pause rules, warning
// thresholds and escalation actions, plus the rule that picks the agreement for a ticket.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "services/sla/domain/problems.h"

namespace tiquete::sla {

enum class AgreementKind { kSla, kOla, kUnderpinning };
const char* AgreementKindName(AgreementKind kind);  // "sla" | "ola" | "uc"
bool ParseAgreementKind(const std::string& name, AgreementKind* out);

// What happens when a clock crosses a threshold.
enum class EscalationAction {
  kNotifyCoordinator,  // an event the notifier turns into a message to the desk coordinator
  kEscalateLevel,      // functional escalation to the next support level (incident service)
  kRaisePriority,      // one priority step up, P2 → P1 (incident service)
};
const char* EscalationActionName(EscalationAction action);
bool ParseEscalationAction(const std::string& name, EscalationAction* out);

// Which clocks a rule applies to.
enum class ClockScope { kAny, kResponse, kResolution };
const char* ClockScopeName(ClockScope scope);  // "any" | "response" | "resolution"
bool ParseClockScope(const std::string& name, ClockScope* out);

struct EscalationRule {
  int threshold_percent = 100;  // one of the policy's warning thresholds, or 100 (breach)
  ClockScope clocks = ClockScope::kAny;
  EscalationAction action = EscalationAction::kNotifyCoordinator;
};

// Where escalate_level sends a ticket held by a group of `from_level` (L1 → an L2 group, …).
struct EscalationStep {
  std::string from_level;
  std::string to_group_id;
};

// Business minutes for each priority. OLAs and underpinning contracts measure each assignment
// period against resolution_minutes; their response_minutes are not used.
struct PriorityTargets {
  int64_t response_minutes = 0;
  int64_t resolution_minutes = 0;
};

// A business "day" in the default targets: one working day of the default office calendar
// (07:00–12:00 + 14:00–18:00 = 9 h).
inline constexpr int64_t kBusinessDayMinutes = 9 * 60;

struct PolicySpec {
  std::string id;
  std::string name;
  std::string description;
  AgreementKind kind = AgreementKind::kSla;
  std::string calendar_id;
  // SLA scope: empty means "any". The most specific active SLA wins (service and category,
  // then service, then category, then the unscoped default).
  std::string service_id;
  std::string category_id;
  // OLA / UC scope: the group whose assignment periods are measured (group_id), or every group
  // of a level (group_level "L2") when group_id is empty.
  std::string group_id;
  std::string group_level;
  std::array<PriorityTargets, 5> targets;    // [0] = P1 … [4] = P5
  std::vector<int> warning_percents = {75};  // ascending, each in 1..99
  // Ticket conditions that pause the clocks: "pending:requester", "pending:provider",
  // "pending:change", or "pending" for any pending reason.
  std::vector<std::string> pause_on = {"pending:requester"};
  std::vector<EscalationRule> escalations;
  std::vector<EscalationStep> escalation_path;
  bool active = true;
  int64_t version = 0;
};

// P1 30 min / 4 h, P2 1 h / 8 h, P3 4 h / 2 d, P4 1 d / 5 d, P5 2 d / 10 d (business time).
std::array<PriorityTargets, 5> DefaultSlaTargets();
// Warn the coordinator at 75 %; at breach notify the coordinator and escalate unresolved
// tickets to the next support level.
std::vector<EscalationRule> DefaultSlaEscalations();
PolicySpec DefaultSlaPolicy(const std::string& calendar_id);

Problems ValidatePolicySpec(const PolicySpec& spec);

// True when the policy pauses its clocks while a ticket is in `state` (with `pending_reason`).
bool PausesOn(const PolicySpec& policy, const std::string& state,
              const std::string& pending_reason);

// Target of a priority (1..5; anything else is treated as P3) in business seconds.
int64_t ResponseTargetSeconds(const PolicySpec& policy, int priority);
int64_t ResolutionTargetSeconds(const PolicySpec& policy, int priority);

// Thresholds a clock of this policy fires at: the warnings, ascending, then 100.
std::vector<int> FiringThresholds(const PolicySpec& policy);

// The actions a policy runs when a clock crosses `percent`, in rule order, each once.
// escalate_level carries the next group for the clock's current level ("" when the path has
// none: the action is then reported as skipped, never guessed).
struct PlannedAction {
  EscalationAction action = EscalationAction::kNotifyCoordinator;
  std::string to_group_id;
};
std::vector<PlannedAction> ActionsAt(const PolicySpec& policy, bool response_clock, int percent,
                                     const std::string& group_level);

struct TicketScope {
  std::string service_id;
  std::string category_id;
  std::string group_id;
  std::string group_level;
};

// The SLA policy for a ticket: the most specific active match; ties go to the smallest id, so
// the choice never depends on load order. nullptr when no SLA applies.
const PolicySpec* SelectSla(const std::vector<PolicySpec>& policies, const TicketScope& scope);
// The OLA or underpinning contract for the ticket's current group (group_id match beats a
// group_level match). nullptr when the group has none.
const PolicySpec* SelectGroupAgreement(const std::vector<PolicySpec>& policies,
                                       const TicketScope& scope);

}  // namespace tiquete::sla
