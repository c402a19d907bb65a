#include "gateway/path_template.h"

#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tiquete::gateway {
namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return !std::isdigit(static_cast<unsigned char>(s[0]));
}

bool IsLiteral(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
          c == '~')) {
      return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::Status Invalid(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("URL template \"", std::string(text), "\": ", std::string(why)));
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(std::string_view text) {
  PathTemplate t;
  t.text_ = std::string(text);
  if (text.size() < 2 || text[0] != '/') return Invalid(text, "must start with '/'");
  std::string_view rest = text.substr(1);
  // The verb is a ':' after the last '/' that is outside braces.
  const size_t last_slash = rest.rfind('/');
  const size_t tail_start = last_slash == std::string_view::npos ? 0 : last_slash + 1;
  const size_t close = rest.find('}', tail_start);
  const size_t colon = rest.find(':', close == std::string_view::npos ? tail_start : close);
  if (colon != std::string_view::npos) {
    t.verb_ = std::string(rest.substr(colon + 1));
    if (!IsLiteral(t.verb_)) return Invalid(text, "bad verb");
    rest = rest.substr(0, colon);
  }
  for (absl::string_view part : absl::StrSplit(absl::string_view(rest.data(), rest.size()), '/')) {
    Segment s;
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      s.variable = true;
      s.text = std::string(part.substr(1, part.size() - 2));
      for (absl::string_view name : absl::StrSplit(s.text, '.')) {
        if (!IsIdentifier(std::string_view(name.data(), name.size()))) {
          return Invalid(text, absl::StrCat("bad variable {", s.text, "}"));
        }
      }
    } else {
      s.text = std::string(part);
      if (!IsLiteral(s.text)) return Invalid(text, absl::StrCat("bad segment \"", s.text, "\""));
    }
    t.segments_.push_back(std::move(s));
  }
  return t;
}

std::optional<std::vector<PathBinding>> PathTemplate::Match(std::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  std::string_view rest = path.substr(1);
  const size_t last_slash = rest.rfind('/');
  const size_t colon = rest.find(':', last_slash == std::string_view::npos ? 0 : last_slash + 1);
  std::string_view verb;
  if (colon != std::string_view::npos) {
    verb = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  if (verb != verb_) return std::nullopt;
  // First compare the literals without allocating (the table tries every route per request);
  // variables are decoded only once the whole path matches.
  std::string_view parts[16];
  size_t n = 0;
  size_t start = 0;
  while (true) {
    const size_t end = rest.find('/', start);
    const std::string_view part =
        rest.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (n >= segments_.size() || n >= std::size(parts) || part.empty()) return std::nullopt;
    const Segment& seg = segments_[n];
    if (!seg.variable && part != seg.text) return std::nullopt;
    parts[n++] = part;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (n != segments_.size()) return std::nullopt;
  std::vector<PathBinding> bindings;
  for (size_t i = 0; i < n; ++i) {
    if (!segments_[i].variable) continue;
    auto value = PercentDecode(parts[i], /*plus_is_space=*/false);
    if (!value || value->empty()) return std::nullopt;
    bindings.push_back({segments_[i].text, std::move(*value)});
  }
  return bindings;
}

std::vector<std::string> PathTemplate::variables() const {
  std::vector<std::string> out;
  for (const auto& s : segments_) {
    if (s.variable) out.push_back(s.text);
  }
  return out;
}

bool PathTemplate::MoreSpecificThan(const PathTemplate& other) const {
  const size_t n = std::min(segments_.size(), other.segments_.size());
  for (size_t i = 0; i < n; ++i) {
    if (segments_[i].variable != other.segments_[i].variable) return !segments_[i].variable;
  }
  return false;
}

}  // namespace tiquete::gateway
