#include "services/directory/domain/validation.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/text.h"
#include "services/directory/domain/text.h"

namespace tiquete::directory {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ValidLocalPart(std::string_view local) {
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-.";
  char previous = '\0';
  for (const char c : local) {
    if (!IsAlnum(c) && kSpecials.find(c) == std::string_view::npos) return false;
    if (c == '.' && previous == '.') return false;
    previous = c;
  }
  return true;
}

bool ValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  size_t labels = 0;
  std::string_view last;
  while (true) {
    const size_t dot = domain.find('.');
    const std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (const char c : label) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  if (labels < 2 || last.size() < 2) return false;
  return std::all_of(last.begin(), last.end(), IsAlpha);
}

// Splits an extension off a phone number: "ext 12", "ext. 12", "extension 12", "x12", "#12".
std::string_view SplitExtension(std::string_view s, std::string* extension) {
  const std::string lower = AsciiLower(s);
  for (const std::string_view marker : {"extension", "ext.", "ext", "x", "#"}) {
    const size_t at = lower.find(marker);
    if (at == std::string::npos) continue;
    *extension = std::string(TrimAscii(s.substr(at + marker.size())));
    return s.substr(0, at);
  }
  return s;
}

constexpr std::array<std::string_view, 4> kOrgUnitKinds = {"secretariat", "office", "school",
                                                           "campus"};
constexpr std::array<std::string_view, 12> kRoles = {
    "requester",        "agent_l1",        "specialist_l2",   "provider",         "coordinator",
    "incident_manager", "problem_manager", "request_manager", "security_officer", "admin",
    "reporting_viewer", "integration"};
constexpr std::array<std::string_view, 3> kGroupLevels = {"L1", "L2", "L3"};
constexpr std::array<std::string_view, 4> kGroupKinds = {"support", "provider", "management",
                                                         "security"};
constexpr std::array<std::string_view, 3> kCriticalities = {"high", "medium", "low"};
constexpr std::array<std::string_view, 9> kCiTypes = {"application",    "database",      "server",
                                                      "network_device", "workstation",   "printer",
                                                      "platform",       "email_service", "link"};
constexpr std::array<std::string_view, 3> kCiRelationKinds = {"depends_on", "runs_on",
                                                              "connected_to"};

}  // namespace

bool NormalizeEmail(std::string_view raw, std::string* out) {
  const std::string email = AsciiLower(TrimAscii(raw));
  if (email.size() > 254) return false;
  const size_t at = email.find('@');
  if (at == std::string::npos || email.find('@', at + 1) != std::string::npos) return false;
  const std::string_view view(email);
  if (!ValidLocalPart(view.substr(0, at)) || !ValidDomain(view.substr(at + 1))) return false;
  *out = email;
  return true;
}

bool NormalizePhone(std::string_view raw, std::string* out) {
  std::string extension;
  const std::string_view number = SplitExtension(TrimAscii(raw), &extension);
  std::string digits;
  bool plus = false;
  for (const char c : number) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return false;
    }
  }
  if (!extension.empty() &&
      (extension.size() > 6 || !std::all_of(extension.begin(), extension.end(), IsDigit))) {
    return false;
  }
  // Toll-free lines keep their national form; they cannot be dialled with +57.
  if (!plus && digits.size() == 12 && digits.rfind("018000", 0) == 0) {
    *out = digits;
    return true;
  }
  if (digits.size() == 12 && digits.rfind("57", 0) == 0) {
    digits.erase(0, 2);
  } else if (plus) {
    return false;  // a foreign or malformed international number
  }
  if (digits.size() != 10) return false;
  const bool mobile = digits[0] == '3';
  const bool landline =
      digits[0] == '6' && digits[1] == '0' && digits[2] >= '1' && digits[2] <= '8';
  if (!mobile && !landline) return false;
  *out = "+57" + digits;
  if (!extension.empty()) *out += " ext " + extension;
  return true;
}

bool IsValidDaneCode(std::string_view code) {
  return code.size() == 12 && std::all_of(code.begin(), code.end(), IsDigit) &&
         code.find_first_not_of('0') != std::string_view::npos;
}

bool NormalizeNationalId(std::string_view raw, std::string* out) {
  std::string id;
  for (const char c : TrimAscii(raw)) {
    if (c == '.' || c == ' ') continue;
    if (!IsAlnum(c) && c != '-') return false;
    id.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (id.size() < 3 || id.size() > 20 || !IsAlnum(id.front()) || !IsAlnum(id.back())) {
    return false;
  }
  *out = id;
  return true;
}

bool NormalizeCode(std::string_view raw, std::string* out) {
  std::string code(TrimAscii(raw));
  if (code.empty() || code.size() > 40 || !IsAlnum(code.front())) return false;
  for (char& c : code) {
    if (!IsAlnum(c) && c != '.' && c != '_' && c != '-') return false;
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  *out = code;
  return true;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

namespace {

bool NormalizeTextImpl(std::string_view field, std::string_view raw, size_t max_chars,
                       bool multiline, std::string* out, Problems* problems) {
  if (!IsValidUtf8(raw)) {
    problems->push_back(
        {std::string(field), "INVALID_TEXT", "is not valid UTF-8 (save the file as CSV UTF-8)"});
    return false;
  }
  for (const char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    const bool allowed_control = u == '\t' || u == '\n' || u == '\r';
    if ((u < 0x20 && !allowed_control) || u == 0x7F) {
      problems->push_back({std::string(field), "INVALID_TEXT", "contains control characters"});
      return false;
    }
  }
  std::string text;
  if (multiline) {
    // Keep paragraphs, trim each line's trailing blanks and the text's ends.
    std::string line;
    for (const char c : raw) {
      if (c == '\r') continue;
      if (c == '\n') {
        text += text::CollapseAsciiSpaces(line) + "\n";
        line.clear();
      } else {
        line.push_back(c);
      }
    }
    text += text::CollapseAsciiSpaces(line);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    while (!text.empty() && text.front() == '\n') text.erase(0, 1);
  } else {
    text = text::CollapseAsciiSpaces(raw);
  }
  size_t chars = 0;
  for (const char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (chars > max_chars) {
    problems->push_back({std::string(field), "TOO_LONG",
                         "is longer than " + std::to_string(max_chars) + " characters"});
    return false;
  }
  *out = std::move(text);
  return true;
}

}  // namespace

bool NormalizeText(std::string_view field, std::string_view raw, size_t max_chars, std::string* out,
                   Problems* problems) {
  return NormalizeTextImpl(field, raw, max_chars, false, out, problems);
}

bool NormalizeMultilineText(std::string_view field, std::string_view raw, size_t max_chars,
                            std::string* out, Problems* problems) {
  return NormalizeTextImpl(field, raw, max_chars, true, out, problems);
}

std::span<const std::string_view> OrgUnitKinds() { return kOrgUnitKinds; }
std::span<const std::string_view> Roles() { return kRoles; }
std::span<const std::string_view> GroupLevels() { return kGroupLevels; }
std::span<const std::string_view> GroupKinds() { return kGroupKinds; }
std::span<const std::string_view> Criticalities() { return kCriticalities; }
std::span<const std::string_view> CiTypes() { return kCiTypes; }
std::span<const std::string_view> CiRelationKinds() { return kCiRelationKinds; }

bool IsOneOf(std::string_view value, std::span<const std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::string JoinValues(std::span<const std::string_view> values) {
  std::string out;
  for (const std::string_view v : values) {
    if (!out.empty()) out += " | ";
    out += v;
  }
  return out;
}

bool ParseCsvBool(std::string_view raw, bool* out) {
  const std::string v = FoldForSearch(raw);
  if (v.empty() || v == "false" || v == "no" || v == "0" || v == "n") {
    *out = false;
    return true;
  }
  if (v == "true" || v == "yes" || v == "si" || v == "1" || v == "x" || v == "y" || v == "s") {
    *out = true;
    return true;
  }
  return false;
}

}  // namespace tiquete::directory
