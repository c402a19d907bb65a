#include "services/intake/domain/dedup.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/intake/domain/text.h"

namespace tiquete::intake::domain {

bool IsOpen(IncidentState state) {
  switch (state) {
    case IncidentState::kResolved:
    case IncidentState::kClosed:
    case IncidentState::kCancelled:
      return false;
    default:
      return true;
  }
}

std::string DedupText(std::string_view subject, std::string_view body) {
  std::string text = FoldForMatching(
      absl::StrCat(std::string(StripReplyPrefixes(subject)), "\n", std::string(body)));
  if (text.size() > kMaxDedupChars) {
    text.resize(kMaxDedupChars);
    // Cut at a word boundary: half a word would add trigrams no other text has.
    const size_t space = text.rfind(' ');
    if (space != std::string::npos) text.resize(space);
  }
  return text;
}

std::vector<DuplicateCandidate> RankDuplicateCandidates(std::vector<DuplicateCandidate> candidates,
                                                        const DedupPolicy& policy,
                                                        absl::Time reference) {
  std::vector<DuplicateCandidate> kept;
  for (auto& c : candidates) {
    if (c.similarity < policy.threshold) continue;
    if (c.received_at < reference - policy.window || c.received_at > reference + policy.window) {
      continue;
    }
    kept.push_back(std::move(c));
  }
  std::sort(kept.begin(), kept.end(), [](const DuplicateCandidate& a, const DuplicateCandidate& b) {
    if (a.similarity != b.similarity) return a.similarity > b.similarity;
    if (a.received_at != b.received_at) return a.received_at > b.received_at;
    return a.message_id < b.message_id;
  });
  std::vector<DuplicateCandidate> ranked;
  std::set<std::string> incidents;
  for (auto& c : kept) {
    if (static_cast<int>(ranked.size()) >= policy.max_candidates) break;
    if (!incidents.insert(c.incident_number).second) continue;
    ranked.push_back(std::move(c));
  }
  return ranked;
}

bool CanMergeInto(const IncidentSnapshot& incident, bool message_possible_security) {
  if (!IsOpen(incident.state)) return false;
  return !message_possible_security || incident.possible_security;
}

}  // namespace tiquete::intake::domain
