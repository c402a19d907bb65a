// Cross-channel duplicate detection: the same requester reporting the same problem again (by
// mail after the portal, by phone after mail...) while the first incident is still open gets a
// comment on that incident instead of a second incident.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace tiquete::intake::domain {

// The incident lifecycle states, as the incident service reports them.
enum class IncidentState { kNew, kAssigned, kInProgress, kPending, kResolved, kClosed, kCancelled };

bool IsOpen(IncidentState state);

struct DedupPolicy {
  double threshold = 0.55;  // trigram similarity of the folded texts, 0..1
  absl::Duration window = absl::Hours(24);
  int max_candidates = 5;  // incidents asked about per message, best first
};

// An earlier message of the same requester linked to an incident, with the trigram
// similarity of its text to the new message's (computed by PostgreSQL's pg_trgm).
struct DuplicateCandidate {
  std::string message_id;
  std::string incident_number;
  absl::Time received_at;
  double similarity = 0;
};

// The text compared: subject without reply/forward prefixes, then the body, folded and cut to
// kMaxDedupChars (the opening of a message says what it is about; signatures and quoted
// replies at the end would only add noise and cost).
inline constexpr size_t kMaxDedupChars = 2000;
std::string DedupText(std::string_view subject, std::string_view body);

// Keeps candidates at or above the threshold received within the window around `reference`
// (the new message's arrival), one per incident (its most similar message), most similar first
// and, at equal similarity, most recent first; at most policy.max_candidates.
std::vector<DuplicateCandidate> RankDuplicateCandidates(std::vector<DuplicateCandidate> candidates,
                                                        const DedupPolicy& policy,
                                                        absl::Time reference);

// What we know of an incident when deciding whether to merge into it.
struct IncidentSnapshot {
  IncidentState state = IncidentState::kNew;
  bool possible_security = false;
};

// A message may become a comment on an open incident; a possible security incident only on
// an incident that is already flagged, so the flag is never lost by merging.
bool CanMergeInto(const IncidentSnapshot& incident, bool message_possible_security);

}  // namespace tiquete::intake::domain
