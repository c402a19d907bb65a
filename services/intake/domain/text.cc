#include "services/intake/domain/text.h"

#include "absl/strings/ascii.h"
#include "common/text.h"

namespace tiquete::intake::domain {
namespace {

// Code points that separate words: Latin-1 punctuation and symbols (¡ ¿ « » ° ...), general
// punctuation, symbols, arrows and dingbats, CJK punctuation, BOM/variation selectors, emoji.
bool IsSeparator(char32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
         (cp >= 0x1F000 && cp <= 0x1FAFF);
}

// Combining marks: text typed on some systems arrives decomposed ("e" + U+0301); dropping the
// mark leaves the base letter, as for precomposed "é".
bool IsCombiningMark(char32_t cp) { return cp >= 0x300 && cp <= 0x36F; }

}  // namespace

std::string FoldForMatching(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  auto emit = [&](std::string_view piece) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(piece);
  };
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    size_t len = tiquete::text::DecodeUtf8(text, i, &cp);
    if (len == 0) {  // a malformed byte separates words rather than joining them
      pending_space = true;
      ++i;
      continue;
    }
    i += len;
    if (const char* folded = tiquete::text::FoldLatinLetter(cp)) {
      emit(folded);
    } else if (cp >= '0' && cp <= '9') {
      const char digit = static_cast<char>(cp);
      emit(std::string_view(&digit, 1));
    } else if (cp < 0x80) {  // ASCII punctuation, spaces and controls
      pending_space = true;
    } else if (IsCombiningMark(cp)) {
      continue;
    } else if (IsSeparator(cp)) {
      pending_space = true;
    } else {
      std::string kept;
      tiquete::text::AppendUtf8(cp, &kept);
      emit(kept);
    }
  }
  return out;
}

std::string_view StripReplyPrefixes(std::string_view subject) {
  static constexpr std::string_view kPrefixes[] = {"re", "rv", "fw", "fwd", "res", "enc", "tr"};
  for (;;) {
    size_t start = 0;
    while (start < subject.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(subject[start]))) {
      ++start;
    }
    subject.remove_prefix(start);
    bool stripped = false;
    for (std::string_view prefix : kPrefixes) {
      if (subject.size() <= prefix.size() || subject[prefix.size()] != ':') continue;
      bool same = true;
      for (size_t k = 0; k < prefix.size(); ++k) {
        char c = subject[k];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[k]) same = false;
      }
      if (same) {
        subject.remove_prefix(prefix.size() + 1);
        stripped = true;
        break;
      }
    }
    if (!stripped) return subject;
  }
}

bool IsValidUtf8(std::string_view s) { return tiquete::text::IsValidUtf8(s); }

size_t CodePointCount(std::string_view s) {
  size_t count = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool HasControlCharacters(std::string_view s) {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) return true;
  }
  return false;
}

}  // namespace tiquete::intake::domain
