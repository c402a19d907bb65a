#include "services/directory/domain/text.h"

#include "common/text.h"

namespace tiquete::directory {
namespace {

// Lower-case ASCII letters and the accented Latin letters as lower(unaccent()) folds them;
// every other code point (digits, punctuation, × ÷, other scripts) is kept as it is.
void AppendFolded(char32_t cp, std::string* out) {
  if (const char* folded = text::FoldLatinLetter(cp)) {
    out->append(folded);
  } else {
    text::AppendUtf8(cp, out);
  }
}

}  // namespace

bool IsValidUtf8(std::string_view s) { return text::IsValidUtf8(s); }

std::string FoldForSearch(std::string_view s) {
  const std::string collapsed = text::CollapseAsciiSpaces(s);
  std::string out;
  out.reserve(collapsed.size());
  for (size_t i = 0; i < collapsed.size();) {
    char32_t cp;
    const size_t n = text::DecodeUtf8(collapsed, i, &cp);
    if (n == 0) {  // not UTF-8: keep the byte, validation reports it elsewhere
      out.push_back(collapsed[i]);
      ++i;
      continue;
    }
    AppendFolded(cp, &out);
    i += n;
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string EscapeLikePattern(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string ContainsWordsPattern(std::string_view query) {
  const std::string words = text::CollapseAsciiSpaces(query);
  if (words.empty()) return "";
  std::string pattern = "%";
  for (const char c : EscapeLikePattern(words)) pattern.push_back(c == ' ' ? '%' : c);
  return pattern + "%";
}

}  // namespace tiquete::directory
