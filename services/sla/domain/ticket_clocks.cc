#include "services/sla/domain/ticket_clocks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace tiquete::sla {
namespace {

bool IsSlaKind(ClockKind k) { return k == ClockKind::kResponse || k == ClockKind::kResolution; }

int64_t TargetFor(const PolicySpec& policy, ClockKind kind, int priority) {
  return kind == ClockKind::kResponse ? ResponseTargetSeconds(policy, priority)
                                      : ResolutionTargetSeconds(policy, priority);
}

// Applies one ticket change; keeps the per-clock change records in clock order.
class Planner {
 public:
  Planner(TicketClocks& ticket, const TicketFacts& after, absl::Time at, const AgreementBook& book)
      : t_(ticket), after_(after), at_(at), book_(book) {}

  absl::StatusOr<TicketPlan> Run();

 private:
  ClockChange& Change(size_t index) {
    auto it = change_of_.find(index);
    if (it != change_of_.end()) return plan_.changes[it->second];
    change_of_[index] = plan_.changes.size();
    plan_.changes.push_back({});
    plan_.changes.back().index = index;
    return plan_.changes.back();
  }
  absl::StatusOr<const BusinessCalendar*> CalendarOf(const std::string& calendar_id,
                                                     const std::string& policy_id) {
    const BusinessCalendar* cal = book_.Calendar(calendar_id);
    if (cal == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "calendar ", calendar_id, " of policy ", policy_id, " is not in the agreement book"));
    }
    return cal;
  }
  absl::Status StartSlaClocks(absl::Time start_at);
  absl::Status StartGroupClock(absl::Time start_at);
  absl::Status FireCrossed();
  absl::Status Retarget();
  absl::Status MoveToMatchingPolicy();
  absl::Status FollowTicket();
  absl::Status ReconcilePauses();

  // Runs `transition` on clock i with its calendar and records `name` when it applied.
  template <typename Fn>
  absl::Status Transition(size_t i, const char* name, Fn transition) {
    SlaClock& c = t_.clocks[i];
    auto cal = CalendarOf(c.calendar_id, c.policy_id);
    if (!cal.ok()) return cal.status();
    Segments closed;
    if (transition(c, **cal, &closed)) {
      ClockChange& change = Change(i);
      change.closed.insert(change.closed.end(), closed.begin(), closed.end());
      change.transitions.push_back(name);
    }
    return absl::OkStatus();
  }

  TicketClocks& t_;
  const TicketFacts& after_;
  absl::Time at_;
  const AgreementBook& book_;
  TicketPlan plan_;
  std::map<size_t, size_t> change_of_;
};

absl::Status Planner::StartSlaClocks(absl::Time start_at) {
  const TicketScope scope{after_.service_id, after_.category_id, after_.group_id,
                          after_.group_level};
  const PolicySpec* sla = SelectSla(book_.policies(), scope);
  if (sla == nullptr) {
    plan_.notes.push_back("no active SLA policy matches the ticket; no SLA clocks started");
    return absl::OkStatus();
  }
  auto cal = CalendarOf(sla->calendar_id, sla->id);
  if (!cal.ok()) return cal.status();
  for (ClockKind kind : {ClockKind::kResponse, ClockKind::kResolution}) {
    ClockStart s;
    s.ticket = after_.number;
    s.kind = kind;
    s.policy_id = sla->id;
    s.calendar_id = sla->calendar_id;
    s.priority = after_.priority;
    s.target_seconds = TargetFor(*sla, kind, after_.priority);
    s.thresholds = FiringThresholds(*sla);
    s.group_id = after_.group_id;
    s.group_level = after_.group_level;
    t_.clocks.push_back(StartClock(s, **cal, start_at));
    ClockChange& change = Change(t_.clocks.size() - 1);
    change.created = true;
    change.transitions.push_back("started");
  }
  return absl::OkStatus();
}

absl::Status Planner::StartGroupClock(absl::Time start_at) {
  if (after_.group_id.empty()) return absl::OkStatus();
  int last_period = 0;
  for (const SlaClock& c : t_.clocks) {
    if (IsSlaKind(c.kind)) continue;
    if (IsLive(c) && c.group_id == after_.group_id) return absl::OkStatus();
    last_period = std::max(last_period, c.period);
  }
  const TicketScope scope{after_.service_id, after_.category_id, after_.group_id,
                          after_.group_level};
  const PolicySpec* agreement = SelectGroupAgreement(book_.policies(), scope);
  if (agreement == nullptr) return absl::OkStatus();
  auto cal = CalendarOf(agreement->calendar_id, agreement->id);
  if (!cal.ok()) return cal.status();
  ClockStart s;
  s.ticket = after_.number;
  s.kind = agreement->kind == AgreementKind::kOla ? ClockKind::kOla : ClockKind::kUnderpinning;
  s.period = last_period + 1;
  s.policy_id = agreement->id;
  s.calendar_id = agreement->calendar_id;
  s.priority = after_.priority;
  s.target_seconds = ResolutionTargetSeconds(*agreement, after_.priority);
  s.thresholds = FiringThresholds(*agreement);
  s.group_id = after_.group_id;
  s.group_level = after_.group_level;
  s.note = absl::StrCat("assigned to group ", after_.group_id);
  t_.clocks.push_back(StartClock(s, **cal, start_at));
  ClockChange& change = Change(t_.clocks.size() - 1);
  change.created = true;
  change.transitions.push_back("started");
  return absl::OkStatus();
}

absl::Status Planner::FireCrossed() {
  for (size_t i = 0; i < t_.clocks.size(); ++i) {
    SlaClock& c = t_.clocks[i];
    if (!IsLive(c)) continue;
    auto cal = CalendarOf(c.calendar_id, c.policy_id);
    if (!cal.ok()) return cal.status();
    std::vector<Firing> fired = FireDue(c, **cal, at_);
    if (!fired.empty()) {
      ClockChange& change = Change(i);
      change.firings.insert(change.firings.end(), fired.begin(), fired.end());
    }
  }
  return absl::OkStatus();
}

absl::Status Planner::Retarget() {
  for (size_t i = 0; i < t_.clocks.size(); ++i) {
    SlaClock& c = t_.clocks[i];
    if (!IsLive(c) || c.priority == after_.priority) continue;
    const PolicySpec* policy = book_.Policy(c.policy_id);
    if (policy == nullptr) {
      plan_.notes.push_back(
          absl::StrCat("policy ", c.policy_id, " is gone; clock ", c.id, " keeps its target"));
      continue;
    }
    const int64_t target = c.kind == ClockKind::kResponse
                               ? ResponseTargetSeconds(*policy, after_.priority)
                               : ResolutionTargetSeconds(*policy, after_.priority);
    const std::string note = absl::StrCat("priority P", c.priority, " → P", after_.priority);
    absl::Status s = Transition(
        i, "retargeted", [&](SlaClock& clock, const BusinessCalendar& cal, Segments* closed) {
          return RetargetClock(clock, cal, at_, after_.priority, target, note, closed);
        });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status Planner::MoveToMatchingPolicy() {
  const TicketScope scope{after_.service_id, after_.category_id, after_.group_id,
                          after_.group_level};
  const PolicySpec* sla = SelectSla(book_.policies(), scope);
  if (sla == nullptr) return absl::OkStatus();
  auto new_cal = CalendarOf(sla->calendar_id, sla->id);
  if (!new_cal.ok()) return new_cal.status();
  for (size_t i = 0; i < t_.clocks.size(); ++i) {
    SlaClock& c = t_.clocks[i];
    if (!IsLive(c) || !IsSlaKind(c.kind) || c.policy_id == sla->id) continue;
    PolicyMove move{sla->id, sla->calendar_id, TargetFor(*sla, c.kind, after_.priority),
                    FiringThresholds(*sla)};
    const std::string note =
        absl::StrCat("policy ", c.policy_id, " → ", sla->id, " (service or category changed)");
    absl::Status s =
        Transition(i, "policy_changed",
                   [&](SlaClock& clock, const BusinessCalendar& old_cal, Segments* closed) {
                     return MoveClockToPolicy(clock, old_cal, **new_cal, at_, move, note, closed);
                   });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// SLA clocks carry the ticket's current group and level (for the at-risk views); a group
// clock's period ends when its group no longer holds the ticket.
absl::Status Planner::FollowTicket() {
  for (size_t i = 0; i < t_.clocks.size(); ++i) {
    SlaClock& c = t_.clocks[i];
    if (!IsLive(c)) continue;
    if (IsSlaKind(c.kind)) {
      if (c.group_id != after_.group_id || c.group_level != after_.group_level) {
        c.group_id = after_.group_id;
        c.group_level = after_.group_level;
        Change(i).transitions.push_back("regrouped");
      }
    } else if (c.group_id != after_.group_id) {
      const std::string note = after_.group_id.empty()
                                   ? std::string("unassigned")
                                   : absl::StrCat("reassigned to group ", after_.group_id);
      absl::Status s = Transition(
          i, "stopped", [&](SlaClock& clock, const BusinessCalendar& cal, Segments* closed) {
            return StopClock(clock, cal, at_, note, closed);
          });
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status Planner::ReconcilePauses() {
  for (size_t i = 0; i < t_.clocks.size(); ++i) {
    SlaClock& c = t_.clocks[i];
    if (!IsLive(c)) continue;
    const PolicySpec* policy = book_.Policy(c.policy_id);
    const bool pause = policy != nullptr && PausesOn(*policy, after_.state, after_.pending_reason);
    absl::Status s;
    if (pause && c.state == ClockState::kRunning) {
      const std::string note = after_.pending_reason.empty()
                                   ? std::string("pending")
                                   : absl::StrCat("pending:", after_.pending_reason);
      s = Transition(i, "paused",
                     [&](SlaClock& clock, const BusinessCalendar& cal, Segments* closed) {
                       return PauseClock(clock, cal, at_, note, closed);
                     });
    } else if (!pause && c.state == ClockState::kPaused) {
      const std::string note = absl::StrCat("resumed (", after_.state, ")");
      s = Transition(i, "resumed",
                     [&](SlaClock& clock, const BusinessCalendar& cal, Segments* closed) {
                       return ResumeClock(clock, cal, at_, note, closed);
                     });
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<TicketPlan> Planner::Run() {
  const bool was_known = t_.known;
  const TicketFacts before = t_.facts;
  // A ticket first seen through a later event still gets its clocks from its creation time.
  const absl::Time start_at =
      was_known
          ? at_
          : std::min(at_, after_.created_at == absl::InfinitePast() ? at_ : after_.created_at);
  if (!was_known) {
    if (absl::Status s = StartSlaClocks(start_at); !s.ok()) return s;
    if (IsOpenState(after_.state)) {
      if (absl::Status s = StartGroupClock(start_at); !s.ok()) return s;
    }
  }
  if (absl::Status s = FireCrossed(); !s.ok()) return s;
  if (absl::Status s = Retarget(); !s.ok()) return s;
  if (was_known &&
      (before.service_id != after_.service_id || before.category_id != after_.category_id)) {
    if (absl::Status s = MoveToMatchingPolicy(); !s.ok()) return s;
  }
  if (absl::Status s = FollowTicket(); !s.ok()) return s;

  // The response clock stops at the first response the incident recorded; accepting the work
  // or resolving the ticket also answers the requester.
  for (size_t i = 0; i < t_.clocks.size(); ++i) {
    SlaClock& c = t_.clocks[i];
    if (c.kind != ClockKind::kResponse || !IsLive(c)) continue;
    absl::Time when = at_;
    std::string note;
    if (after_.first_response_at != absl::InfiniteFuture()) {
      when = std::min(after_.first_response_at, at_);
      note = "first response";
    } else if (after_.state == "in_progress") {
      note = "accepted by the assignee";
    } else if (after_.state == "resolved" || after_.state == "closed") {
      note = after_.state;
    }
    if (note.empty()) continue;
    absl::Status s = Transition(
        i, "stopped", [&](SlaClock& clock, const BusinessCalendar& cal, Segments* closed) {
          return StopClock(clock, cal, when, note, closed);
        });
    if (!s.ok()) return s;
  }

  if (after_.state == "cancelled") {
    for (size_t i = 0; i < t_.clocks.size(); ++i) {
      absl::Status s = Transition(
          i, "cancelled", [&](SlaClock& clock, const BusinessCalendar& cal, Segments* closed) {
            return CancelClock(clock, cal, at_, "cancelled", closed);
          });
      if (!s.ok()) return s;
    }
  } else if (!IsOpenState(after_.state)) {  // resolved or closed
    for (size_t i = 0; i < t_.clocks.size(); ++i) {
      absl::Status s = Transition(
          i, "stopped", [&](SlaClock& clock, const BusinessCalendar& cal, Segments* closed) {
            return StopClock(clock, cal, at_, after_.state, closed);
          });
      if (!s.ok()) return s;
    }
  } else {
    for (size_t i = 0; i < t_.clocks.size(); ++i) {
      if (t_.clocks[i].kind != ClockKind::kResolution) continue;
      absl::Status s = Transition(
          i, "restarted", [&](SlaClock& clock, const BusinessCalendar& cal, Segments* closed) {
            return RestartClock(clock, cal, at_, "reopened", closed);
          });
      if (!s.ok()) return s;
    }
    if (was_known) {
      if (absl::Status s = StartGroupClock(at_); !s.ok()) return s;
    }
    if (absl::Status s = ReconcilePauses(); !s.ok()) return s;
  }
  t_.facts = after_;
  t_.known = true;
  return std::move(plan_);
}

}  // namespace

bool IsOpenState(const std::string& state) {
  return state == "new" || state == "assigned" || state == "in_progress" || state == "pending";
}

AgreementBook::AgreementBook(std::vector<PolicySpec> policies,
                             std::vector<BusinessCalendar> calendars)
    : policies_(std::move(policies)) {
  for (BusinessCalendar& c : calendars) {
    const std::string id = c.spec().id;
    calendars_.insert_or_assign(id, std::move(c));
  }
}

const PolicySpec* AgreementBook::Policy(const std::string& id) const {
  for (const PolicySpec& p : policies_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const BusinessCalendar* AgreementBook::Calendar(const std::string& id) const {
  auto it = calendars_.find(id);
  return it == calendars_.end() ? nullptr : &it->second;
}

absl::StatusOr<TicketPlan> ApplyTicketFacts(TicketClocks& ticket, const TicketFacts& after,
                                            absl::Time at, const AgreementBook& book) {
  return Planner(ticket, after, at, book).Run();
}

}  // namespace tiquete::sla
