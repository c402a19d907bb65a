// Text rules shared by validation, search and import: UTF-8 checks, whitespace clean-up and
// the case- and accent-insensitive folding used to match names ("Ibagué" ~ "ibague").
#pragma once

#include <string>
#include <string_view>

namespace tiquete::directory {

// True when s is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Lower-case, accents removed (á→a, ñ→n, ü→u, ç→c, ß→ss, æ→ae ...), whitespace collapsed.
// Agrees with the database's lower(unaccent(...)) for the Latin letters Spanish and its
// neighbours use, so keys folded here and there match.
std::string FoldForSearch(std::string_view s);

// ASCII lower-case (emails, codes).
std::string AsciiLower(std::string_view s);

// Escapes the LIKE wildcards % and _ (and the escape character \) so free text is matched
// literally.
std::string EscapeLikePattern(std::string_view s);

// A LIKE pattern matching text that contains the words of `query` in order, whatever lies
// between them: "ibague  tolima" → "%ibague%tolima%". Wildcards typed by the user are escaped.
// Empty when the query has no words.
std::string ContainsWordsPattern(std::string_view query);

}  // namespace tiquete::directory
