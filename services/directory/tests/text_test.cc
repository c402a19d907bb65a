#include <catch2/catch.hpp>

#include "services/directory/domain/text.h"

namespace tiquete::directory {
namespace {

TEST_CASE("folding removes accents and case the way unaccent does") {
  CHECK(FoldForSearch("Ibagué") == "ibague");
  CHECK(FoldForSearch("MUÑOZ Güicán") == "munoz guican");
  CHECK(FoldForSearch("  Institución   Educativa\tSan Simón ") ==
        "institucion educativa san simon");
  CHECK(FoldForSearch("Łukasz Dvořák Çelik") == "lukasz dvorak celik");
  CHECK(FoldForSearch("Æsir Œuvre straße") == "aesir oeuvre strasse");
  // The rarer Latin Extended-A letters follow unaccent too (ĸ is "q" there).
  CHECK(FoldForSearch("Ĳssel Ŋaŋ ſ ĸ") == "ijssel nan s q");
}

TEST_CASE("folding keeps punctuation, digits, symbols and other scripts") {
  CHECK(FoldForSearch("O'Neil-Pérez, J. (2º)") == "o'neil-perez, j. (2º)");
  CHECK(FoldForSearch("2×4 ÷ Ωmega") == "2×4 ÷ Ωmega");
  CHECK(FoldForSearch("Ibagu\xE9") == "ibagu\xE9");  // a malformed byte is kept as it is
}

TEST_CASE("Latin-1 bytes from a spreadsheet are not valid UTF-8") {
  CHECK(IsValidUtf8("Ibagué"));
  CHECK_FALSE(IsValidUtf8("Ibagu\xE9"));
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
}

TEST_CASE("free text becomes a LIKE pattern of its words in order with wildcards escaped") {
  CHECK(ContainsWordsPattern("  san   simon ") == "%san%simon%");
  CHECK(ContainsWordsPattern("100%_x") == "%100\\%\\_x%");
  CHECK(ContainsWordsPattern("   ").empty());
}

}  // namespace
}  // namespace tiquete::directory
