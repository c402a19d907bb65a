// UTF-8 primitives and the Latin letter folding shared by the services that compare text
// (directory search keys, intake matching). What each service does with punctuation, spaces
// and other scripts is its own business; these only decode, encode and fold letters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tiquete::text {

// Decodes the code point starting at s[i] (i < s.size()) into *cp and returns the number of
// bytes it takes (1..4), or 0 when the bytes there are not well-formed UTF-8: a stray
// continuation byte, a truncated sequence, an overlong encoding, a surrogate (U+D800..U+DFFF)
// or a value past U+10FFFF. *cp is left untouched when 0 is returned.
size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp);

// Appends the UTF-8 encoding of cp, which must be a Unicode scalar value (not a surrogate,
// at most U+10FFFF), to *out.
void AppendUtf8(char32_t cp, std::string* out);

// True when the whole of s is well-formed UTF-8 in the sense of DecodeUtf8.
bool IsValidUtf8(std::string_view s);

// The lower-case ASCII spelling of a letter of ASCII, Latin-1 Supplement (U+00C0..U+00FF) or
// Latin Extended-A (U+0100..U+017F), accents removed: 'É' → "e", 'ñ' → "n", 'ł' → "l". The
// ligatures and letters without a one-letter base fold to two ("ae", "oe", "ij", "ss", "th").
// Matches PostgreSQL's lower(unaccent(...)) for every one of these letters except ŉ, which
// unaccent spells "'n" and this folds to "n" (letters only). nullptr when cp is not such a
// letter: digits, punctuation, × and ÷, and everything outside these blocks.
const char* FoldLatinLetter(char32_t cp);

// Trims ASCII whitespace at both ends and turns every inner run of it (line breaks and tabs
// included) into one space; everything else (case, accents, punctuation) is kept as written:
// what a person meant when they typed a name or a subject.
std::string CollapseAsciiSpaces(std::string_view s);

}  // namespace tiquete::text
