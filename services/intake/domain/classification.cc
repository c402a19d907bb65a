#include "services/intake/domain/classification.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/intake/domain/text.h"

namespace tiquete::intake::domain {

std::string_view RuleKindCode(RuleKind kind) {
  switch (kind) {
    case RuleKind::kSecurity:
      return "security";
    case RuleKind::kServiceRequestHint:
      return "service_request";
    case RuleKind::kIncidentHint:
      return "incident";
  }
  return "unknown";
}

std::optional<std::string> FoldPhrase(std::string_view phrase) {
  std::string folded = FoldForMatching(phrase);
  if (folded.empty()) return std::nullopt;
  return folded;
}

bool ContainsWholeWords(std::string_view folded_text, std::string_view folded_phrase) {
  if (folded_phrase.empty()) return false;
  size_t from = 0;
  while (true) {
    const size_t at = folded_text.find(folded_phrase, from);
    if (at == std::string_view::npos) return false;
    const size_t end = at + folded_phrase.size();
    const bool starts_word = at == 0 || folded_text[at - 1] == ' ';
    const bool ends_word = end == folded_text.size() || folded_text[end] == ' ';
    if (starts_word && ends_word) return true;
    from = at + 1;
  }
}

RuleSet::RuleSet(std::vector<Rule> rules) {
  for (Rule& rule : rules) {
    auto folded = FoldPhrase(rule.phrase);
    if (!folded) continue;  // validated on write; a blank phrase must never match everything
    rules_.push_back({std::move(rule), std::move(*folded)});
  }
  // Stable order so matched_rules reads the same on every run.
  std::sort(rules_.begin(), rules_.end(), [](const Compiled& a, const Compiled& b) {
    if (a.rule.kind != b.rule.kind) return a.rule.kind < b.rule.kind;
    return a.folded < b.folded;
  });
}

namespace {

std::string Quoted(const std::vector<std::string>& phrases) {
  std::vector<std::string> quoted;
  quoted.reserve(phrases.size());
  for (const auto& p : phrases) quoted.push_back(absl::StrCat("\"", p, "\""));
  return absl::StrJoin(quoted, ", ");
}

}  // namespace

Classification RuleSet::Classify(std::string_view subject, std::string_view body,
                                 const std::optional<CategoryHint>& category) const {
  const std::string text =
      FoldForMatching(absl::StrCat(std::string(subject), "\n", std::string(body)));
  const std::string path = category ? FoldForMatching(category->path) : std::string();

  Classification out;
  std::vector<std::string> security_hits;
  std::vector<std::string> request_hits;
  std::vector<std::string> incident_hits;
  int request_weight = 0;
  int incident_weight = 0;
  for (const Compiled& c : rules_) {
    if (!ContainsWholeWords(text, c.folded) && !ContainsWholeWords(path, c.folded)) continue;
    out.matched_rules.push_back(
        absl::StrCat(std::string(RuleKindCode(c.rule.kind)), ":", c.folded));
    switch (c.rule.kind) {
      case RuleKind::kSecurity:
        security_hits.push_back(c.folded);
        break;
      case RuleKind::kServiceRequestHint:
        request_hits.push_back(c.folded);
        request_weight += c.rule.weight;
        break;
      case RuleKind::kIncidentHint:
        incident_hits.push_back(c.folded);
        incident_weight += c.rule.weight;
        break;
    }
  }
  const bool flagged_category = category && category->security;
  if (flagged_category) out.matched_rules.push_back("category:security");

  std::vector<std::string> security_why;
  if (flagged_category) {
    security_why.push_back(
        absl::StrCat("category \"", category->path, "\" is flagged as security"));
  }
  if (!security_hits.empty()) {
    security_why.push_back(absl::StrCat("security keywords ", Quoted(security_hits)));
  }
  out.possible_security = !security_why.empty();
  if (out.possible_security) out.security_reason = absl::StrJoin(security_why, "; ");

  if (out.possible_security) {
    out.type = TicketType::kIncident;
    out.reason = absl::StrCat("possible security incident (", out.security_reason,
                              "), handled as an incident");
  } else if (request_weight > incident_weight) {
    out.type = TicketType::kServiceRequest;
    out.reason = absl::StrCat("service request: request hints ", Quoted(request_hits), " (weight ",
                              request_weight, ")");
    if (!incident_hits.empty()) {
      absl::StrAppend(&out.reason, " outweigh incident hints ", Quoted(incident_hits), " (weight ",
                      incident_weight, ")");
    }
  } else if (request_hits.empty()) {
    out.type = TicketType::kIncident;
    out.reason = incident_hits.empty()
                     ? std::string("incident: no rule matched")
                     : absl::StrCat("incident: incident hints ", Quoted(incident_hits));
  } else {
    out.type = TicketType::kIncident;
    out.reason = absl::StrCat("incident: incident hints ", Quoted(incident_hits), " (weight ",
                              incident_weight, ") are not outweighed by request hints ",
                              Quoted(request_hits), " (weight ", request_weight, ")");
  }
  return out;
}

}  // namespace tiquete::intake::domain
