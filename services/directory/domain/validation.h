// Field-level rules of the directory: emails, Colombian phone numbers, DANE codes, national
// ids, codes and the closed sets of values (kinds, levels, roles...). Pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tiquete::directory {

// One thing wrong with one field: reason is the UPPER_SNAKE code clients branch on.
struct FieldProblem {
  std::string field;
  std::string reason;
  std::string message;
};
using Problems = std::vector<FieldProblem>;

// Each Normalize* returns false when the input cannot be made valid; on success *out holds
// the canonical form that is stored and compared.

// Pragmatic RFC 5321 shape: ASCII local part and a dotted domain with a letter TLD. Stored
// lower-case, since no mail system in use distinguishes the case of a mailbox.
bool NormalizeEmail(std::string_view raw, std::string* out);

// Colombian numbers since the 2021 numbering plan: 10 digits, mobiles start with 3 and
// landlines with 60 plus the area digit; "+57"/"57" prefixes, spaces, dots, dashes and
// parentheses are accepted, as is an extension ("ext 123", "x123", "#123"). Canonical form:
// "+57XXXXXXXXXX" or "+57XXXXXXXXXX ext 123". Toll-free "01 8000 ..." numbers are kept as
// "018000XXXXXX".
bool NormalizePhone(std::string_view raw, std::string* out);

// DANE codes of schools and their campuses: exactly 12 digits.
bool IsValidDaneCode(std::string_view code);

// Cédula and similar ids: dots and spaces dropped, letters upper-cased; 3 to 20 letters,
// digits or dashes.
bool NormalizeNationalId(std::string_view raw, std::string* out);

// Natural keys (org unit, group, service and CI codes): upper-cased; 1 to 40 of A-Z 0-9 . _ -
// starting with a letter or digit.
bool NormalizeCode(std::string_view raw, std::string* out);

// Canonical textual UUID (8-4-4-4-12 hex digits).
bool IsUuid(std::string_view s);

// Free text of a field: valid UTF-8 without control characters, whitespace collapsed, at
// most max_chars code points. Adds a problem (INVALID_TEXT or TOO_LONG) and returns false
// otherwise.
bool NormalizeText(std::string_view field, std::string_view raw, size_t max_chars, std::string* out,
                   Problems* problems);
// Like NormalizeText but keeps line breaks (descriptions).
bool NormalizeMultilineText(std::string_view field, std::string_view raw, size_t max_chars,
                            std::string* out, Problems* problems);

// The closed sets of values.
std::span<const std::string_view> OrgUnitKinds();
std::span<const std::string_view> Roles();
std::span<const std::string_view> GroupLevels();
std::span<const std::string_view> GroupKinds();
std::span<const std::string_view> Criticalities();
std::span<const std::string_view> CiTypes();
std::span<const std::string_view> CiRelationKinds();
bool IsOneOf(std::string_view value, std::span<const std::string_view> allowed);
std::string JoinValues(std::span<const std::string_view> values);  // "a | b | c"

// Boolean cells of a CSV file: true/false, yes/no, si/sí/no, 1/0, x; empty is false.
bool ParseCsvBool(std::string_view raw, bool* out);

}  // namespace tiquete::directory
