// How a ticket's lifecycle drives its clocks. Given what the engine last knew about a ticket and
// the ticket as it is after a change, ApplyTicketFacts brings every clock in line:
//
// - creation starts the response and resolution clocks of the ticket's SLA (at created_at, even
//   when the first event the engine sees is a later one), and an OLA / underpinning-contract
//   clock when the assigned group has one;
// - the response clock stops at the incident's first response (a public answer or an assignee
//   accepting the work), or when the ticket is resolved;
// - clocks pause while the ticket is in a state their policy pauses on, and resume after;
// - resolution and closure stop the clocks; reopening restarts the resolution clock keeping
//   its elapsed time and opens a new assignment period for the group's clock;
// - cancellation cancels every live clock;
// - a priority change retargets live clocks, keeping elapsed time;
// - a service or category change moves live SLA clocks to the newly matching policy
//   (MoveClockToPolicy: elapsed time kept, paused time stays paused);
// - a group change ends the group's assignment period and opens one for the new group.
// Thresholds crossed before the change are fired first, so a breach is never lost because an
// event overtook the scanner.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/sla/domain/calendar.h"
#include "services/sla/domain/clock.h"
#include "services/sla/domain/policy.h"

namespace tiquete::sla {

// What the SLA engine needs to know about a ticket (from the incident snapshot).
struct TicketFacts {
  std::string number;
  // new | assigned | in_progress | pending | resolved | closed | cancelled
  std::string state;
  std::string pending_reason;  // requester | provider | change, while pending
  int priority = 3;            // 1..5
  std::string service_id;
  std::string category_id;
  std::string group_id;
  std::string group_level;  // L1 | L2 | L3
  absl::Time created_at = absl::InfinitePast();
  absl::Time first_response_at = absl::InfiniteFuture();  // InfiniteFuture: not yet
  int64_t version = 0;
  // A possible security incident: the incident service shows it to the security team (and
  // its requester) only, and so do the clock reads (the clocks themselves run as any other).
  bool restricted = false;
};

bool IsOpenState(const std::string& state);

// The policies and calendars in force: an immutable snapshot shared by readers.
class AgreementBook {
 public:
  AgreementBook() = default;
  AgreementBook(std::vector<PolicySpec> policies, std::vector<BusinessCalendar> calendars);

  const std::vector<PolicySpec>& policies() const { return policies_; }
  const PolicySpec* Policy(const std::string& id) const;
  const BusinessCalendar* Calendar(const std::string& id) const;

 private:
  std::vector<PolicySpec> policies_;
  std::map<std::string, BusinessCalendar> calendars_;
};

struct TicketClocks {
  bool known = false;  // false until the engine has seen an event of the ticket
  TicketFacts facts;   // as last applied
  std::vector<SlaClock> clocks;
};

// What happened to one clock.
struct ClockChange {
  size_t index = 0;  // into TicketClocks::clocks (new clocks are appended)
  bool created = false;
  Segments closed;
  // "started", "paused", "resumed", "retargeted", "policy_changed", "stopped", "cancelled",
  // "restarted", "regrouped" (SLA clock follows the ticket's group), in order.
  std::vector<std::string> transitions;
  std::vector<Firing> firings;
};

struct TicketPlan {
  std::vector<ClockChange> changes;  // only clocks that changed
  std::vector<std::string> notes;    // e.g. "no SLA policy matches"
};

// Applies `after` at instant `at` (clamped to no earlier than each open segment's start).
// FAILED_PRECONDITION when a clock's calendar is missing from the book.
absl::StatusOr<TicketPlan> ApplyTicketFacts(TicketClocks& ticket, const TicketFacts& after,
                                            absl::Time at, const AgreementBook& book);

}  // namespace tiquete::sla
