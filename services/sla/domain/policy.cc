#include "services/sla/domain/policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace tiquete::sla {
namespace {

int PriorityIndex(int priority) { return (priority >= 1 && priority <= 5) ? priority - 1 : 2; }

// The id is the tie-breaker, so equal specificity never depends on load order.
bool Better(const PolicySpec* candidate, int score, const PolicySpec* best, int best_score) {
  if (best == nullptr || score > best_score) return true;
  return score == best_score && candidate->id < best->id;
}

}  // namespace

const char* AgreementKindName(AgreementKind kind) {
  switch (kind) {
    case AgreementKind::kSla:
      return "sla";
    case AgreementKind::kOla:
      return "ola";
    case AgreementKind::kUnderpinning:
      return "uc";
  }
  return "sla";
}

bool ParseAgreementKind(const std::string& name, AgreementKind* out) {
  for (AgreementKind k : {AgreementKind::kSla, AgreementKind::kOla, AgreementKind::kUnderpinning}) {
    if (name == AgreementKindName(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

const char* EscalationActionName(EscalationAction action) {
  switch (action) {
    case EscalationAction::kNotifyCoordinator:
      return "notify_coordinator";
    case EscalationAction::kEscalateLevel:
      return "escalate_level";
    case EscalationAction::kRaisePriority:
      return "raise_priority";
  }
  return "notify_coordinator";
}

bool ParseEscalationAction(const std::string& name, EscalationAction* out) {
  for (EscalationAction a : {EscalationAction::kNotifyCoordinator, EscalationAction::kEscalateLevel,
                             EscalationAction::kRaisePriority}) {
    if (name == EscalationActionName(a)) {
      *out = a;
      return true;
    }
  }
  return false;
}

const char* ClockScopeName(ClockScope scope) {
  switch (scope) {
    case ClockScope::kAny:
      return "any";
    case ClockScope::kResponse:
      return "response";
    case ClockScope::kResolution:
      return "resolution";
  }
  return "any";
}

bool ParseClockScope(const std::string& name, ClockScope* out) {
  for (ClockScope s : {ClockScope::kAny, ClockScope::kResponse, ClockScope::kResolution}) {
    if (name == ClockScopeName(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

std::array<PriorityTargets, 5> DefaultSlaTargets() {
  constexpr int64_t d = kBusinessDayMinutes;
  return {{{30, 4 * 60}, {60, 8 * 60}, {4 * 60, 2 * d}, {d, 5 * d}, {2 * d, 10 * d}}};
}

std::vector<EscalationRule> DefaultSlaEscalations() {
  return {{75, ClockScope::kAny, EscalationAction::kNotifyCoordinator},
          {100, ClockScope::kAny, EscalationAction::kNotifyCoordinator},
          {100, ClockScope::kResolution, EscalationAction::kEscalateLevel}};
}

PolicySpec DefaultSlaPolicy(const std::string& calendar_id) {
  PolicySpec p;
  p.name = "SLA estándar";
  p.description = "Nivel de servicio por defecto para todo caso sin un acuerdo más específico";
  p.kind = AgreementKind::kSla;
  p.calendar_id = calendar_id;
  p.targets = DefaultSlaTargets();
  p.escalations = DefaultSlaEscalations();
  return p;
}

Problems ValidatePolicySpec(const PolicySpec& spec) {
  Problems problems;
  if (spec.name.empty()) problems.push_back({"name", "REQUIRED", "a policy needs a name"});
  if (spec.calendar_id.empty()) {
    problems.push_back({"calendar_id", "REQUIRED", "a policy needs a business calendar"});
  }
  const bool group_agreement = spec.kind != AgreementKind::kSla;
  if (group_agreement && spec.group_id.empty() && spec.group_level.empty()) {
    problems.push_back({"group_id", "REQUIRED",
                        "an OLA or underpinning contract names a group or a support level"});
  }
  if (!group_agreement && (!spec.group_id.empty() || !spec.group_level.empty())) {
    problems.push_back(
        {"group_id", "NOT_ALLOWED", "an SLA is scoped by service or category, not by group"});
  }
  if (!spec.group_level.empty() && spec.group_level != "L1" && spec.group_level != "L2" &&
      spec.group_level != "L3") {
    problems.push_back({"group_level", "INVALID_LEVEL", "support levels are L1, L2 or L3"});
  }
  for (int i = 0; i < 5; ++i) {
    const PriorityTargets& t = spec.targets[i];
    const std::string field = absl::StrCat("targets[", i, "]");
    if (t.resolution_minutes <= 0 || (!group_agreement && t.response_minutes <= 0)) {
      problems.push_back({field, "INVALID_TARGET", "targets are positive business minutes"});
    } else if (!group_agreement && t.response_minutes > t.resolution_minutes) {
      problems.push_back(
          {field, "RESPONSE_AFTER_RESOLUTION", "the response target exceeds the resolution one"});
    }
    if (t.resolution_minutes > 366LL * 24 * 60) {
      problems.push_back({field, "TARGET_TOO_LONG", "targets are at most a year"});
    }
  }
  for (size_t i = 0; i < spec.warning_percents.size(); ++i) {
    const int p = spec.warning_percents[i];
    if (p < 1 || p > 99 || (i > 0 && p <= spec.warning_percents[i - 1])) {
      problems.push_back({"warning_percents", "INVALID_THRESHOLD",
                          "warnings are ascending percentages between 1 and 99"});
      break;
    }
  }
  for (const std::string& cond : spec.pause_on) {
    if (cond != "pending" && cond != "pending:requester" && cond != "pending:provider" &&
        cond != "pending:change") {
      problems.push_back({"pause_on", "INVALID_PAUSE_CONDITION",
                          absl::StrCat("unknown pause condition \"", cond,
                                       "\" (pending, pending:requester, pending:provider, "
                                       "pending:change)")});
    }
  }
  for (const EscalationRule& rule : spec.escalations) {
    const bool known_threshold =
        rule.threshold_percent == 100 ||
        std::find(spec.warning_percents.begin(), spec.warning_percents.end(),
                  rule.threshold_percent) != spec.warning_percents.end();
    if (!known_threshold) {
      problems.push_back({"escalations", "UNKNOWN_THRESHOLD",
                          absl::StrCat("escalation at ", rule.threshold_percent,
                                       " % is neither a warning threshold nor the breach")});
    }
  }
  for (const EscalationStep& step : spec.escalation_path) {
    if ((step.from_level != "L1" && step.from_level != "L2") || step.to_group_id.empty()) {
      problems.push_back({"escalation_path", "INVALID_ESCALATION_STEP",
                          "each step names a from_level (L1 or L2) and the group to escalate to"});
      break;
    }
  }
  return problems;
}

std::vector<PlannedAction> ActionsAt(const PolicySpec& policy, bool response_clock, int percent,
                                     const std::string& group_level) {
  std::vector<PlannedAction> out;
  for (const EscalationRule& rule : policy.escalations) {
    if (rule.threshold_percent != percent) continue;
    if (rule.clocks == ClockScope::kResponse && !response_clock) continue;
    if (rule.clocks == ClockScope::kResolution && response_clock) continue;
    const bool seen = std::any_of(out.begin(), out.end(),
                                  [&](const PlannedAction& a) { return a.action == rule.action; });
    if (seen) continue;
    PlannedAction action{rule.action, ""};
    if (rule.action == EscalationAction::kEscalateLevel) {
      for (const EscalationStep& step : policy.escalation_path) {
        if (step.from_level == group_level) action.to_group_id = step.to_group_id;
      }
    }
    out.push_back(action);
  }
  return out;
}

bool PausesOn(const PolicySpec& policy, const std::string& state,
              const std::string& pending_reason) {
  if (state != "pending") return false;
  for (const std::string& cond : policy.pause_on) {
    if (cond == "pending") return true;
    if (!pending_reason.empty() && cond == "pending:" + pending_reason) return true;
  }
  return false;
}

int64_t ResponseTargetSeconds(const PolicySpec& policy, int priority) {
  return policy.targets[PriorityIndex(priority)].response_minutes * 60;
}

int64_t ResolutionTargetSeconds(const PolicySpec& policy, int priority) {
  return policy.targets[PriorityIndex(priority)].resolution_minutes * 60;
}

std::vector<int> FiringThresholds(const PolicySpec& policy) {
  std::vector<int> out = policy.warning_percents;
  out.push_back(100);
  return out;
}

const PolicySpec* SelectSla(const std::vector<PolicySpec>& policies, const TicketScope& scope) {
  const PolicySpec* best = nullptr;
  int best_score = -1;
  for (const PolicySpec& p : policies) {
    if (!p.active || p.kind != AgreementKind::kSla) continue;
    if (!p.service_id.empty() && p.service_id != scope.service_id) continue;
    if (!p.category_id.empty() && p.category_id != scope.category_id) continue;
    const int score = (p.service_id.empty() ? 0 : 2) + (p.category_id.empty() ? 0 : 1);
    if (Better(&p, score, best, best_score)) {
      best = &p;
      best_score = score;
    }
  }
  return best;
}

const PolicySpec* SelectGroupAgreement(const std::vector<PolicySpec>& policies,
                                       const TicketScope& scope) {
  if (scope.group_id.empty()) return nullptr;
  const PolicySpec* best = nullptr;
  int best_score = -1;
  for (const PolicySpec& p : policies) {
    if (!p.active || p.kind == AgreementKind::kSla) continue;
    int score = -1;
    if (!p.group_id.empty()) {
      if (p.group_id == scope.group_id) score = 1;
    } else if (!p.group_level.empty() && p.group_level == scope.group_level) {
      score = 0;
    }
    if (score >= 0 && Better(&p, score, best, best_score)) {
      best = &p;
      best_score = score;
    }
  }
  return best;
}

}  // namespace tiquete::sla
