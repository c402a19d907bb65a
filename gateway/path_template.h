// URL templates from the (tiquete.api.v1.http) option: literal segments, {field} or
// {a.b} variables matching exactly one segment, and an optional literal ":verb" on the last
// segment, e.g. "/v1/directory/groups/{group_id}/members/{person_id}:remove".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tiquete::gateway {

struct PathBinding {
  std::string field_path;  // e.g. "id" or "incident.number"
  std::string value;       // percent-decoded
};

class PathTemplate {
 public:
  static absl::StatusOr<PathTemplate> Parse(std::string_view text);

  // The variable bindings when `path` (percent-encoded, without the query) matches.
  std::optional<std::vector<PathBinding>> Match(std::string_view path) const;

  const std::string& text() const { return text_; }
  std::vector<std::string> variables() const;
  // Precedence between templates matching the same path: more literal segments first, and
  // among those the one whose first variable comes later.
  bool MoreSpecificThan(const PathTemplate& other) const;

 private:
  struct Segment {
    bool variable = false;
    std::string text;  // the literal, or the variable's field path
  };
  std::vector<Segment> segments_;
  std::string verb_;
  std::string text_;
};

// Decodes %XX escapes (and '+' as space when plus_is_space); nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace tiquete::gateway
