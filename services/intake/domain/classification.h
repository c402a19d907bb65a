// Classifying an inbound message: incident or service request, and whether it may be a
// security incident. Rules are words or phrases matched as whole words ignoring case and
// accents; the directory's security flag on the chosen category also marks a message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiquete::intake::domain {

enum class RuleKind { kSecurity, kServiceRequestHint, kIncidentHint };
enum class TicketType { kIncident, kServiceRequest };

std::string_view RuleKindCode(RuleKind kind);  // "security", "service_request", "incident"

struct Rule {
  std::string id;
  RuleKind kind = RuleKind::kSecurity;
  std::string phrase;  // as written by the administrator
  int weight = 1;
};

// What the directory says about the category the requester chose.
struct CategoryHint {
  std::string path;  // "Seguridad > Correo sospechoso"; its words are matched like the text
  bool security = false;
};

struct Classification {
  TicketType type = TicketType::kIncident;
  bool possible_security = false;
  std::vector<std::string> matched_rules;  // "<kind>:<phrase>", "category:security"
  std::string reason;                      // why, for agents
  std::string security_reason;             // empty unless possible_security
};

inline constexpr size_t kMaxPhraseChars = 100;
inline constexpr int kMaxRuleWeight = 100;

// The folded form of a phrase (what uniqueness and matching use), or nullopt when the phrase
// has no letters or digits.
std::optional<std::string> FoldPhrase(std::string_view phrase);

// True when the words of folded_phrase occur consecutively in folded_text (both folded by
// FoldForMatching): "virus" matches "un virus en" but not "antivirus" or "viruses".
bool ContainsWholeWords(std::string_view folded_text, std::string_view folded_phrase);

// A compiled, immutable set of active rules.
class RuleSet {
 public:
  RuleSet() = default;
  explicit RuleSet(std::vector<Rule> rules);

  // Security: any security rule in the text or the category path, or a flagged category.
  // Type: service request when the weights of matched request hints exceed those of incident
  // hints; otherwise (and always for a possible security incident, which must be handled as
  // an incident) incident.
  Classification Classify(std::string_view subject, std::string_view body,
                          const std::optional<CategoryHint>& category) const;

  size_t size() const { return rules_.size(); }

 private:
  struct Compiled {
    Rule rule;
    std::string folded;
  };
  std::vector<Compiled> rules_;
};

}  // namespace tiquete::intake::domain
