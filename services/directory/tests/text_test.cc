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
