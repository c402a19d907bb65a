#include <catch2/catch.hpp>

#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "common/text.h"

namespace tiquete::text {
namespace {

using namespace std::string_view_literals;

// Decodes the single code point s must hold; 0xFFFFFFFF when s is not exactly one.
char32_t DecodeOne(std::string_view s) {
  char32_t cp = 0xFFFFFFFF;
  if (s.empty() || DecodeUtf8(s, 0, &cp) != s.size()) return 0xFFFFFFFF;
  return cp;
}

std::string Fold(char32_t cp) {
  const char* folded = FoldLatinLetter(cp);
  return folded == nullptr ? "(null)" : folded;
}

TEST_CASE("DecodeUtf8 reads every length up to the edges of its range") {
  CHECK(DecodeOne("\x00"sv) == 0x00);
  CHECK(DecodeOne("\x7F") == 0x7F);
  CHECK(DecodeOne("\xC2\x80") == 0x80);
  CHECK(DecodeOne("\xC3\xA9") == 0xE9);  // é
  CHECK(DecodeOne("\xDF\xBF") == 0x7FF);
  CHECK(DecodeOne("\xE0\xA0\x80") == 0x800);
  CHECK(DecodeOne("\xED\x9F\xBF") == 0xD7FF);  // just below the surrogates
  CHECK(DecodeOne("\xEE\x80\x80") == 0xE000);  // just above them
  CHECK(DecodeOne("\xEF\xBF\xBF") == 0xFFFF);
  CHECK(DecodeOne("\xF0\x90\x80\x80") == 0x10000);
  CHECK(DecodeOne("\xF0\x9F\x98\x80") == 0x1F600);  // 😀
  CHECK(DecodeOne("\xF4\x8F\xBF\xBF") == 0x10FFFF);
}

TEST_CASE("DecodeUtf8 reads at an offset and reports the bytes it took") {
  const std::string_view s = "a\xC3\xB1o\xE2\x82\xAC";  // a ñ o €
  char32_t cp = 0;
  CHECK(DecodeUtf8(s, 0, &cp) == 1);
  CHECK(cp == 'a');
  CHECK(DecodeUtf8(s, 1, &cp) == 2);
  CHECK(cp == 0xF1);
  CHECK(DecodeUtf8(s, 3, &cp) == 1);
  CHECK(cp == 'o');
  CHECK(DecodeUtf8(s, 4, &cp) == 3);
  CHECK(cp == 0x20AC);
  CHECK(DecodeUtf8(s, 2, &cp) == 0);               // inside ñ: a continuation byte
  CHECK(DecodeUtf8(s.substr(0, 6), 4, &cp) == 0);  // € cut short by the end of the view
}

TEST_CASE("DecodeUtf8 refuses malformed UTF-8 and leaves the code point alone") {
  const std::string_view malformed[] = {
      "\x80",                      // a continuation byte with no lead
      "\xBF",                      //
      "\xF8\x88\x80\x80\x80",      // five-byte form, never UTF-8
      "\xFC\x84\x80\x80\x80\x80",  // six-byte form
      "\xFE",                      //
      "\xFF",                      //
      "\xC3",                      // truncated: lead byte at the end
      "\xE2\x82",                  // truncated three-byte sequence
      "\xF0\x9F\x98",              // truncated four-byte sequence
      "\xC3\x28",                  // second byte is not a continuation
      "\xE2\x28\xA1",              //
      "\xE2\x82\x28",              //
      "\xF0\x9F\x28\x80",          //
      "\xC0\xAF",                  // overlong '/'
      "\xC1\xBF",                  // overlong U+007F
      "\xE0\x80\xAF",              // overlong '/' in three bytes
      "\xE0\x9F\xBF",              // overlong U+07FF
      "\xF0\x80\x80\xAF",          // overlong '/' in four bytes
      "\xF0\x8F\xBF\xBF",          // overlong U+FFFF
      "\xED\xA0\x80",              // U+D800, a surrogate
      "\xED\xBF\xBF",              // U+DFFF
      "\xF4\x90\x80\x80",          // U+110000, past the end of Unicode
      "\xF5\x80\x80\x80",          //
      "\xF7\xBF\xBF\xBF",          //
  };
  for (std::string_view s : malformed) {
    INFO("bytes: " << s.size()
                   << " first: " << static_cast<unsigned>(static_cast<unsigned char>(s[0])));
    char32_t cp = 0x1234;
    CHECK(DecodeUtf8(s, 0, &cp) == 0);
    CHECK(cp == 0x1234);
    CHECK_FALSE(IsValidUtf8(s));
    CHECK_FALSE(IsValidUtf8(std::string("ok ") + std::string(s) + " ok"));
  }
}

TEST_CASE("IsValidUtf8 accepts well-formed text and refuses Latin-1 bytes") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("Ibagu\xC3\xA9, Nari\xC3\xB1o \xE2\x82\xAC 100 \xF0\x9F\x98\x80"));
  CHECK(IsValidUtf8("nul\x00inside"sv));
  CHECK_FALSE(IsValidUtf8("Ibagu\xE9"));         // é as Latin-1, at the end
  CHECK_FALSE(IsValidUtf8("Nari\xF1o"));         // ñ as Latin-1, followed by ASCII
  CHECK_FALSE(IsValidUtf8("\xEF\xBB\xBF\xFF"));  // a BOM, then garbage
}

TEST_CASE("AppendUtf8 encodes every scalar value so DecodeUtf8 reads it back") {
  std::string out;
  AppendUtf8('A', &out);
  AppendUtf8(0xE9, &out);
  AppendUtf8(0x20AC, &out);
  AppendUtf8(0x1F600, &out);
  CHECK(out == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");

  size_t failures = 0;
  std::string buf;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp == 0xD800) cp = 0xE000;
    buf.clear();
    AppendUtf8(cp, &buf);
    const size_t expected_len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    char32_t back = 0xFFFFFFFF;
    if (buf.size() != expected_len || DecodeUtf8(buf, 0, &back) != expected_len || back != cp) {
      ++failures;
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("FoldLatinLetter folds ASCII letters to lower case and refuses the rest of ASCII") {
  for (char c = 'a'; c <= 'z'; ++c) {
    CHECK(Fold(c) == std::string(1, c));
    CHECK(Fold(c - 'a' + 'A') == std::string(1, c));
  }
  for (char32_t cp = 0; cp < 0x80; ++cp) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) continue;
    INFO("code point " << static_cast<unsigned>(cp));
    CHECK(FoldLatinLetter(cp) == nullptr);
  }
}

TEST_CASE("FoldLatinLetter folds Latin-1 and Latin Extended-A letters as lower(unaccent()) does") {
  // Every letter of U+00C0..U+017F with what PostgreSQL 15's unaccent.rules maps it to, lower-
  // cased. ŉ (U+0149) is the one exception, checked below.
  const std::pair<char32_t, std::string_view> unaccent[] = {
      {0xC0, "a"},   {0xC1, "a"},  {0xC2, "a"},  {0xC3, "a"},  {0xC4, "a"},   {0xC5, "a"},
      {0xC6, "ae"},  {0xC7, "c"},  {0xC8, "e"},  {0xC9, "e"},  {0xCA, "e"},   {0xCB, "e"},
      {0xCC, "i"},   {0xCD, "i"},  {0xCE, "i"},  {0xCF, "i"},  {0xD0, "d"},   {0xD1, "n"},
      {0xD2, "o"},   {0xD3, "o"},  {0xD4, "o"},  {0xD5, "o"},  {0xD6, "o"},   {0xD8, "o"},
      {0xD9, "u"},   {0xDA, "u"},  {0xDB, "u"},  {0xDC, "u"},  {0xDD, "y"},   {0xDE, "th"},
      {0xDF, "ss"},  {0xE0, "a"},  {0xE1, "a"},  {0xE2, "a"},  {0xE3, "a"},   {0xE4, "a"},
      {0xE5, "a"},   {0xE6, "ae"}, {0xE7, "c"},  {0xE8, "e"},  {0xE9, "e"},   {0xEA, "e"},
      {0xEB, "e"},   {0xEC, "i"},  {0xED, "i"},  {0xEE, "i"},  {0xEF, "i"},   {0xF0, "d"},
      {0xF1, "n"},   {0xF2, "o"},  {0xF3, "o"},  {0xF4, "o"},  {0xF5, "o"},   {0xF6, "o"},
      {0xF8, "o"},   {0xF9, "u"},  {0xFA, "u"},  {0xFB, "u"},  {0xFC, "u"},   {0xFD, "y"},
      {0xFE, "th"},  {0xFF, "y"},  {0x100, "a"}, {0x101, "a"}, {0x102, "a"},  {0x103, "a"},
      {0x104, "a"},  {0x105, "a"}, {0x106, "c"}, {0x107, "c"}, {0x108, "c"},  {0x109, "c"},
      {0x10A, "c"},  {0x10B, "c"}, {0x10C, "c"}, {0x10D, "c"}, {0x10E, "d"},  {0x10F, "d"},
      {0x110, "d"},  {0x111, "d"}, {0x112, "e"}, {0x113, "e"}, {0x114, "e"},  {0x115, "e"},
      {0x116, "e"},  {0x117, "e"}, {0x118, "e"}, {0x119, "e"}, {0x11A, "e"},  {0x11B, "e"},
      {0x11C, "g"},  {0x11D, "g"}, {0x11E, "g"}, {0x11F, "g"}, {0x120, "g"},  {0x121, "g"},
      {0x122, "g"},  {0x123, "g"}, {0x124, "h"}, {0x125, "h"}, {0x126, "h"},  {0x127, "h"},
      {0x128, "i"},  {0x129, "i"}, {0x12A, "i"}, {0x12B, "i"}, {0x12C, "i"},  {0x12D, "i"},
      {0x12E, "i"},  {0x12F, "i"}, {0x130, "i"}, {0x131, "i"}, {0x132, "ij"}, {0x133, "ij"},
      {0x134, "j"},  {0x135, "j"}, {0x136, "k"}, {0x137, "k"}, {0x138, "q"},  {0x139, "l"},
      {0x13A, "l"},  {0x13B, "l"}, {0x13C, "l"}, {0x13D, "l"}, {0x13E, "l"},  {0x13F, "l"},
      {0x140, "l"},  {0x141, "l"}, {0x142, "l"}, {0x143, "n"}, {0x144, "n"},  {0x145, "n"},
      {0x146, "n"},  {0x147, "n"}, {0x148, "n"}, {0x14A, "n"}, {0x14B, "n"},  {0x14C, "o"},
      {0x14D, "o"},  {0x14E, "o"}, {0x14F, "o"}, {0x150, "o"}, {0x151, "o"},  {0x152, "oe"},
      {0x153, "oe"}, {0x154, "r"}, {0x155, "r"}, {0x156, "r"}, {0x157, "r"},  {0x158, "r"},
      {0x159, "r"},  {0x15A, "s"}, {0x15B, "s"}, {0x15C, "s"}, {0x15D, "s"},  {0x15E, "s"},
      {0x15F, "s"},  {0x160, "s"}, {0x161, "s"}, {0x162, "t"}, {0x163, "t"},  {0x164, "t"},
      {0x165, "t"},  {0x166, "t"}, {0x167, "t"}, {0x168, "u"}, {0x169, "u"},  {0x16A, "u"},
      {0x16B, "u"},  {0x16C, "u"}, {0x16D, "u"}, {0x16E, "u"}, {0x16F, "u"},  {0x170, "u"},
      {0x171, "u"},  {0x172, "u"}, {0x173, "u"}, {0x174, "w"}, {0x175, "w"},  {0x176, "y"},
      {0x177, "y"},  {0x178, "y"}, {0x179, "z"}, {0x17A, "z"}, {0x17B, "z"},  {0x17C, "z"},
      {0x17D, "z"},  {0x17E, "z"}, {0x17F, "s"},
  };
  CHECK(std::size(unaccent) == 0x180 - 0xC0 - 3);  // all but × ÷ ŉ
  for (const auto& [cp, expected] : unaccent) {
    INFO("code point " << std::hex << static_cast<unsigned>(cp));
    CHECK(Fold(cp) == expected);
  }
  CHECK(Fold(0x149) == "n");  // ŉ: unaccent says "'n"; only letters here
}

TEST_CASE("FoldLatinLetter refuses symbols, digits and letters of other blocks") {
  CHECK(FoldLatinLetter(0xD7) == nullptr);     // ×
  CHECK(FoldLatinLetter(0xF7) == nullptr);     // ÷
  for (char32_t cp = 0x80; cp < 0xC0; ++cp) {  // ¡ ¿ « » ° ª º and friends
    INFO("code point " << std::hex << static_cast<unsigned>(cp));
    CHECK(FoldLatinLetter(cp) == nullptr);
  }
  CHECK(FoldLatinLetter(0x180) == nullptr);   // ƀ, Latin Extended-B
  CHECK(FoldLatinLetter(0x301) == nullptr);   // combining acute accent
  CHECK(FoldLatinLetter(0x3B1) == nullptr);   // α
  CHECK(FoldLatinLetter(0x1E9E) == nullptr);  // ẞ
  CHECK(FoldLatinLetter(0xFF21) == nullptr);  // fullwidth Ａ
  CHECK(FoldLatinLetter(0x1F600) == nullptr);
  CHECK(FoldLatinLetter(0x10FFFF) == nullptr);
}

}  // namespace
}  // namespace tiquete::text

TEST_CASE("CollapseAsciiSpaces trims and turns every inner run of whitespace into one space") {
  using tiquete::text::CollapseAsciiSpaces;
  CHECK(CollapseAsciiSpaces("  Ibagué \t\r\n  Tolima  ") == "Ibagué Tolima");
  CHECK(CollapseAsciiSpaces("a\vb\fc") == "a b c");
  CHECK(CollapseAsciiSpaces(" \n\t ").empty());
  CHECK(CollapseAsciiSpaces("") == "");
  // Only ASCII whitespace: a no-break space (U+00A0) is kept as written.
  CHECK(CollapseAsciiSpaces("a\xC2\xA0 b") == "a\xC2\xA0 b");
}
