#include "services/directory/domain/text.h"

#include <cstdint>

namespace tiquete::directory {
namespace {

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Decodes one code point at s[i]; returns the number of bytes consumed, 0 when malformed.
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

// Latin-1 Supplement letters U+00C0..U+00FF folded to lower-case ASCII (as unaccent does).
// Entries of two letters are ligatures; "" means keep the code point (×, ÷).
constexpr const char* kLatin1Fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",   // ÀÁÂÃÄÅÆÇ
    "e", "e", "e", "e", "i", "i", "i",  "i",   // ÈÉÊËÌÍÎÏ
    "d", "n", "o", "o", "o", "o", "o",  "",    // ÐÑÒÓÔÕÖ×
    "o", "u", "u", "u", "u", "y", "th", "ss",  // ØÙÚÛÜÝÞß
    "a", "a", "a", "a", "a", "a", "ae", "c",   // àáâãäåæç
    "e", "e", "e", "e", "i", "i", "i",  "i",   // èéêëìíîï
    "d", "n", "o", "o", "o", "o", "o",  "",    // ðñòóôõö÷
    "o", "u", "u", "u", "u", "y", "th", "y",   // øùúûüýþÿ
};

std::string FoldCodePoint(char32_t cp) {
  if (cp < 0x80) {
    char c = static_cast<char>(cp);
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return std::string(1, c);
  }
  if (cp >= 0xC0 && cp <= 0xFF) {
    const char* folded = kLatin1Fold[cp - 0xC0];
    if (*folded != '\0') return folded;
  }
  // The Latin Extended-A letters that occur in names of people living in Colombia (Polish,
  // Czech, Turkish, French surnames...). Anything else is kept as is.
  switch (cp) {
    case 0x100:
    case 0x101:
    case 0x102:
    case 0x103:
    case 0x104:
    case 0x105:
      return "a";
    case 0x106:
    case 0x107:
    case 0x108:
    case 0x109:
    case 0x10A:
    case 0x10B:
    case 0x10C:
    case 0x10D:
      return "c";
    case 0x10E:
    case 0x10F:
    case 0x110:
    case 0x111:
      return "d";
    case 0x112:
    case 0x113:
    case 0x114:
    case 0x115:
    case 0x116:
    case 0x117:
    case 0x118:
    case 0x119:
    case 0x11A:
    case 0x11B:
      return "e";
    case 0x11C:
    case 0x11D:
    case 0x11E:
    case 0x11F:
    case 0x120:
    case 0x121:
    case 0x122:
    case 0x123:
      return "g";
    case 0x124:
    case 0x125:
    case 0x126:
    case 0x127:
      return "h";
    case 0x128:
    case 0x129:
    case 0x12A:
    case 0x12B:
    case 0x12C:
    case 0x12D:
    case 0x12E:
    case 0x12F:
    case 0x130:
    case 0x131:
      return "i";
    case 0x134:
    case 0x135:
      return "j";
    case 0x136:
    case 0x137:
      return "k";
    case 0x139:
    case 0x13A:
    case 0x13B:
    case 0x13C:
    case 0x13D:
    case 0x13E:
    case 0x13F:
    case 0x140:
    case 0x141:
    case 0x142:
      return "l";
    case 0x143:
    case 0x144:
    case 0x145:
    case 0x146:
    case 0x147:
    case 0x148:
      return "n";
    case 0x14C:
    case 0x14D:
    case 0x14E:
    case 0x14F:
    case 0x150:
    case 0x151:
      return "o";
    case 0x152:
    case 0x153:
      return "oe";
    case 0x154:
    case 0x155:
    case 0x156:
    case 0x157:
    case 0x158:
    case 0x159:
      return "r";
    case 0x15A:
    case 0x15B:
    case 0x15C:
    case 0x15D:
    case 0x15E:
    case 0x15F:
    case 0x160:
    case 0x161:
      return "s";
    case 0x162:
    case 0x163:
    case 0x164:
    case 0x165:
    case 0x166:
    case 0x167:
      return "t";
    case 0x168:
    case 0x169:
    case 0x16A:
    case 0x16B:
    case 0x16C:
    case 0x16D:
    case 0x16E:
    case 0x16F:
    case 0x170:
    case 0x171:
    case 0x172:
    case 0x173:
      return "u";
    case 0x174:
    case 0x175:
      return "w";
    case 0x176:
    case 0x177:
    case 0x178:
      return "y";
    case 0x179:
    case 0x17A:
    case 0x17B:
    case 0x17C:
    case 0x17D:
    case 0x17E:
      return "z";
    default:
      break;
  }
  std::string kept;
  AppendUtf8(cp, &kept);
  return kept;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    const size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (const char c : s) {
    if (IsSpace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string FoldForSearch(std::string_view s) {
  const std::string collapsed = CollapseSpaces(s);
  std::string out;
  out.reserve(collapsed.size());
  for (size_t i = 0; i < collapsed.size();) {
    char32_t cp;
    const size_t n = DecodeUtf8(collapsed, i, &cp);
    if (n == 0) {  // not UTF-8: keep the byte, validation reports it elsewhere
      out.push_back(collapsed[i]);
      ++i;
      continue;
    }
    out += FoldCodePoint(cp);
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
  const std::string words = CollapseSpaces(query);
  if (words.empty()) return "";
  std::string pattern = "%";
  for (const char c : EscapeLikePattern(words)) pattern.push_back(c == ' ' ? '%' : c);
  return pattern + "%";
}

}  // namespace tiquete::directory
