#include <catch2/catch.hpp>

#include "common/text.h"
#include "services/intake/domain/text.h"

using namespace tiquete::intake::domain;

TEST_CASE("folding removes accents and case and collapses whitespace", "[text]") {
  CHECK(FoldForMatching("  Suplantación   de IDENTIDAD\n\t") == "suplantacion de identidad");
  CHECK(FoldForMatching("Contraseña PINGÜINO Ñandú") == "contrasena pinguino nandu");
  CHECK(FoldForMatching("ÁÉÍÓÚ àèìòù") == "aeiou aeiou");
}

TEST_CASE("folding turns punctuation and symbols into word breaks", "[text]") {
  CHECK(FoldForMatching("¡Correo sospechoso!!! (urgente)") == "correo sospechoso urgente");
  CHECK(FoldForMatching("¿Qué pasó?") == "que paso");
  CHECK(FoldForMatching("e-mail/SIMAT…«hola»") == "e mail simat hola");
  CHECK(FoldForMatching("virus😀malware") == "virus malware");
  CHECK(FoldForMatching("  ...  ") == "");
}

TEST_CASE("decomposed accents fold like precomposed ones", "[text]") {
  CHECK(FoldForMatching("Suplantacio\xCC\x81n") == "suplantacion");  // o + U+0301
  CHECK(FoldForMatching("Suplantacio\xCC\x81n") == FoldForMatching("Suplantación"));
}

TEST_CASE("Latin Extended-A letters and ligatures fold to their base letters", "[text]") {
  CHECK(FoldForMatching("Łódź") == "lodz");
  CHECK(FoldForMatching("Œuvre Ĳssel") == "oeuvre ijssel");
  CHECK(FoldForMatching("Ŋaŋ ſ ĸ 2×4÷8") == "nan s q 2 4 8");  // ĸ as unaccent spells it
  CHECK(FoldForMatching("Straße") == "strasse");
}

TEST_CASE("malformed UTF-8 separates words instead of joining them", "[text]") {
  CHECK(FoldForMatching("virus\xFFmalware") == "virus malware");
  CHECK(FoldForMatching("\xC3") == "");
}

TEST_CASE("scripts without a folding rule are kept as words", "[text]") {
  CHECK(FoldForMatching("Привет мир") == "Привет мир");
}

TEST_CASE("collapsing whitespace keeps case, accents and punctuation", "[text]") {
  CHECK(tiquete::text::CollapseAsciiSpaces("  No  funciona\r\n el  SIMAT. ") ==
        "No funciona el SIMAT.");
  CHECK(tiquete::text::CollapseAsciiSpaces("\n\t ") == "");
}

TEST_CASE("reply and forward prefixes are stripped from subjects", "[text]") {
  CHECK(StripReplyPrefixes("RE: RV: Fwd: Sin acceso al SIMAT") == "Sin acceso al SIMAT");
  CHECK(StripReplyPrefixes("re:Re:  Impresora") == "Impresora");
  CHECK(StripReplyPrefixes("Reunión: agenda") == "Reunión: agenda");
  CHECK(StripReplyPrefixes("Resultado del examen") == "Resultado del examen");
}

TEST_CASE("UTF-8 validity, code points and control characters are told apart", "[text]") {
  CHECK(IsValidUtf8("Tolima ñ €"));
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  CHECK(CodePointCount("ñandú") == 5);
  CHECK(HasControlCharacters(std::string("a\0b", 3)));
  CHECK(HasControlCharacters("bell\a"));
  CHECK_FALSE(HasControlCharacters("line\nbreak\ttab\r"));
}
