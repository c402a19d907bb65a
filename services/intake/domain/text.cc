#include "services/intake/domain/text.h"

#include <array>
#include <cstdint>

namespace tiquete::intake::domain {
namespace {

bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Decodes one code point at s[i]; returns the bytes consumed, 0 when malformed.
size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  char32_t value;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, value = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, value = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, value = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *cp = value;
  return len;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// U+00C0..U+00FF folded as PostgreSQL's unaccent + lower do; "" marks × and ÷ (separators).
constexpr std::array<const char*, 64> kLatin1 = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
};

// U+0100..U+017F (Latin Extended-A): the base letter of each; '*' marks the ligatures Ĳ ĳ Œ œ.
constexpr std::string_view kLatinExtendedA =
    "aaaaaacccccccc"  // Ā..č
    "dddd"            // Ď..đ
    "eeeeeeeeee"      // Ē..ě
    "gggggggg"        // Ĝ..ģ
    "hhhh"            // Ĥ..ħ
    "iiiiiiiiii"      // Ĩ..ı
    "**"              // Ĳ ĳ
    "jjkkk"           // Ĵ ĵ Ķ ķ ĸ
    "llllllllll"      // Ĺ..ł
    "nnnnnnnnn"       // Ń..ŋ
    "oooooo"          // Ō..ő
    "**"              // Œ œ
    "rrrrrr"          // Ŕ..ř
    "ssssssss"        // Ś..š
    "tttttt"          // Ţ..ŧ
    "uuuuuuuuuuuu"    // Ũ..ų
    "wwyyy"           // Ŵ ŵ Ŷ ŷ Ÿ
    "zzzzzz"          // Ź..ž
    "s";              // ſ
static_assert(kLatinExtendedA.size() == 0x80);

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
    size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) {  // a malformed byte separates words rather than joining them
      pending_space = true;
      ++i;
      continue;
    }
    i += len;
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        emit(std::string_view(&c, 1));
      } else {
        pending_space = true;
      }
    } else if (cp >= 0xC0 && cp <= 0xFF) {
      const char* folded = kLatin1[cp - 0xC0];
      if (*folded == '\0') {
        pending_space = true;
      } else {
        emit(folded);
      }
    } else if (cp >= 0x100 && cp <= 0x17F) {
      const char base = kLatinExtendedA[cp - 0x100];
      if (base == '*') {
        emit(cp <= 0x133 ? "ij" : "oe");
      } else {
        emit(std::string_view(&base, 1));
      }
    } else if (IsCombiningMark(cp)) {
      continue;
    } else if (IsSeparator(cp)) {
      pending_space = true;
    } else {
      std::string kept;
      AppendUtf8(cp, &kept);
      emit(kept);
    }
  }
  return out;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (IsAsciiSpace(static_cast<unsigned char>(c))) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string_view StripReplyPrefixes(std::string_view subject) {
  static constexpr std::string_view kPrefixes[] = {"re", "rv", "fw", "fwd", "res", "enc", "tr"};
  for (;;) {
    size_t start = 0;
    while (start < subject.size() && IsAsciiSpace(static_cast<unsigned char>(subject[start]))) {
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

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp;
    size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

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
