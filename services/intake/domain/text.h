// Text folding for matching: what classification rules and duplicate detection compare.
// Case, accents, punctuation and spacing are not part of what a person meant, so
// "¡Suplantación de IDENTIDAD!" and "suplantacion  de identidad" fold to the same words.
#pragma once

#include <string>
#include <string_view>

namespace tiquete::intake::domain {

// Lower-case, accents removed (á→a, ñ→n, ü→u, ç→c, ß→ss ...), every character that is not a
// letter or digit (punctuation, symbols, line breaks, malformed UTF-8) turned into a space, and
// spaces collapsed and trimmed: a sequence of words separated by single spaces.
std::string FoldForMatching(std::string_view text);

// Removes the reply and forward markers mail clients put in front of a subject, in Spanish and
// English ("RE:", "RV:", "FW:", "Fwd:", "RES:", "ENC:", "[Ext]" tags are kept), repeatedly:
// "RE: RV: Sin acceso" → "Sin acceso". The same request re-sent by mail must look the same.
std::string_view StripReplyPrefixes(std::string_view subject);

// True when s is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// Number of code points of well-formed UTF-8 text.
size_t CodePointCount(std::string_view s);

// True when s contains control characters other than tab, line feed and carriage return.
bool HasControlCharacters(std::string_view s);

}  // namespace tiquete::intake::domain
