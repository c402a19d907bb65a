#include "common/text.h"

#include <array>

#include "absl/strings/ascii.h"

namespace tiquete::text {
namespace {

// 'a'..'z' as strings, so ASCII letters fold through the same pointer interface.
constexpr std::array<const char*, 26> kAscii = {
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
};

// U+00C0..U+00FF as lower(unaccent()) spells them; nullptr for × and ÷, which are not letters.
constexpr std::array<const char*, 64> kLatin1 = {
    "a", "a", "a", "a", "a", "a", "ae", "c",      // À Á Â Ã Ä Å Æ Ç
    "e", "e", "e", "e", "i", "i", "i",  "i",      // È É Ê Ë Ì Í Î Ï
    "d", "n", "o", "o", "o", "o", "o",  nullptr,  // Ð Ñ Ò Ó Ô Õ Ö ×
    "o", "u", "u", "u", "u", "y", "th", "ss",     // Ø Ù Ú Û Ü Ý Þ ß
    "a", "a", "a", "a", "a", "a", "ae", "c",      // à á â ã ä å æ ç
    "e", "e", "e", "e", "i", "i", "i",  "i",      // è é ê ë ì í î ï
    "d", "n", "o", "o", "o", "o", "o",  nullptr,  // ð ñ ò ó ô õ ö ÷
    "o", "u", "u", "u", "u", "y", "th", "y",      // ø ù ú û ü ý þ ÿ
};

// U+0100..U+017F (Latin Extended-A): the base letter of each as lower(unaccent()) gives it
// ('q' for the kra ĸ is unaccent's choice); '*' marks the ligatures Ĳ ĳ Œ œ.
constexpr std::string_view kLatinExtendedA =
    "aaaaaacccccccc"  // Ā..č
    "dddd"            // Ď..đ
    "eeeeeeeeee"      // Ē..ě
    "gggggggg"        // Ĝ..ģ
    "hhhh"            // Ĥ..ħ
    "iiiiiiiiii"      // Ĩ..ı
    "**"              // Ĳ ĳ
    "jjkkq"           // Ĵ ĵ Ķ ķ ĸ
    "llllllllll"      // Ĺ..ł
    "nnnnnnnnn"       // Ń..ŋ (ŉ: unaccent says "'n")
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

// One string per base letter of kLatinExtendedA, so the fold can be returned by pointer.
const char* Letter(char c) { return kAscii[c - 'a']; }

}  // namespace

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
    return 0;  // a continuation byte, or 0xF8..0xFF which UTF-8 never uses
  }
  if (len > s.size() - i) return 0;
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

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    const size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

const char* FoldLatinLetter(char32_t cp) {
  if (cp >= 'a' && cp <= 'z') return kAscii[cp - 'a'];
  if (cp >= 'A' && cp <= 'Z') return kAscii[cp - 'A'];
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) {
    const char base = kLatinExtendedA[cp - 0x100];
    if (base != '*') return Letter(base);
    return cp <= 0x133 ? "ij" : "oe";
  }
  return nullptr;
}

std::string CollapseAsciiSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (const char c : s) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace tiquete::text
