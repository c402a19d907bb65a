#include <catch2/catch.hpp>

#include "services/intake/domain/classification.h"

using namespace tiquete::intake::domain;

namespace {

RuleSet SeedLike() {
  return RuleSet({
      {"1", RuleKind::kSecurity, "phishing", 1},
      {"2", RuleKind::kSecurity, "virus", 1},
      {"3", RuleKind::kSecurity, "suplantacion", 1},
      {"4", RuleKind::kSecurity, "contraseña comprometida", 1},
      {"5", RuleKind::kSecurity, "fuga de datos", 1},
      {"6", RuleKind::kSecurity, "data breach", 1},
      {"7", RuleKind::kSecurity, "correo sospechoso", 1},
      {"8", RuleKind::kServiceRequestHint, "solicito", 1},
      {"9", RuleKind::kServiceRequestHint, "instalar", 1},
      {"10", RuleKind::kServiceRequestHint, "nuevo usuario", 1},
      {"11", RuleKind::kServiceRequestHint, "request", 1},
      {"12", RuleKind::kIncidentHint, "no funciona", 1},
  });
}

bool Has(const Classification& c, const std::string& rule) {
  return std::find(c.matched_rules.begin(), c.matched_rules.end(), rule) != c.matched_rules.end();
}

}  // namespace

TEST_CASE("a rule written without accents matches text written with them", "[classify]") {
  auto c = SeedLike().Classify("Posible SUPLANTACIÓN", "alguien usa mi nombre", std::nullopt);
  CHECK(c.possible_security);
  CHECK(Has(c, "security:suplantacion"));
  CHECK(c.security_reason.find("suplantacion") != std::string::npos);
}

TEST_CASE("a rule written with accents matches text written without them", "[classify]") {
  auto c = SeedLike().Classify("Ayuda", "creo que tengo la contrasena comprometida", std::nullopt);
  CHECK(c.possible_security);
  CHECK(Has(c, "security:contrasena comprometida"));
}

TEST_CASE("rules match whole words only", "[classify]") {
  const RuleSet rules = SeedLike();
  CHECK_FALSE(
      rules.Classify("Antivirus vencido", "renovar el antivirus", std::nullopt).possible_security);
  CHECK_FALSE(rules.Classify("viruses", "", std::nullopt).possible_security);
  CHECK(rules.Classify("Virus.", "", std::nullopt).possible_security);
  CHECK(rules.Classify("x", "mensaje de PHISHING!", std::nullopt).possible_security);
}

TEST_CASE("a phrase rule needs its words next to each other", "[classify]") {
  const RuleSet rules = SeedLike();
  CHECK(rules.Classify("Fuga de datos", "", std::nullopt).possible_security);
  CHECK_FALSE(rules.Classify("Fuga de muchos datos", "", std::nullopt).possible_security);
  CHECK(rules.Classify("Possible DATA-BREACH", "", std::nullopt).possible_security);
}

TEST_CASE("request hints make a service request", "[classify]") {
  auto c =
      SeedLike().Classify("Solicito instalar Office", "en el equipo de rectoría", std::nullopt);
  CHECK(c.type == TicketType::kServiceRequest);
  CHECK_FALSE(c.possible_security);
  CHECK(Has(c, "service_request:solicito"));
  CHECK(Has(c, "service_request:instalar"));
  CHECK(c.reason.find("service request") == 0);
}

TEST_CASE("incident hints are not outweighed by request hints of equal weight", "[classify]") {
  auto c = SeedLike().Classify("Solicito ayuda", "el SIMAT no funciona", std::nullopt);
  CHECK(c.type == TicketType::kIncident);
  CHECK(Has(c, "incident:no funciona"));
}

TEST_CASE("rule weights decide between request and incident hints", "[classify]") {
  RuleSet rules({{"a", RuleKind::kServiceRequestHint, "nuevo usuario", 3},
                 {"b", RuleKind::kIncidentHint, "no funciona", 1}});
  CHECK(rules.Classify("Nuevo usuario", "el correo no funciona aún", std::nullopt).type ==
        TicketType::kServiceRequest);
}

TEST_CASE("a message matching no rule is an incident and says why", "[classify]") {
  auto c = SeedLike().Classify("Pantalla negra", "el equipo enciende sin imagen", std::nullopt);
  CHECK(c.type == TicketType::kIncident);
  CHECK_FALSE(c.possible_security);
  CHECK(c.matched_rules.empty());
  CHECK(c.reason == "incident: no rule matched");
}

TEST_CASE("a category flagged as security marks a possible security incident", "[classify]") {
  auto c = SeedLike().Classify("Mensaje raro", "me llegó esto",
                               CategoryHint{"Seguridad > Reportes", true});
  CHECK(c.possible_security);
  CHECK(Has(c, "category:security"));
  CHECK(c.security_reason.find("Seguridad > Reportes") != std::string::npos);
}

TEST_CASE("a possible security incident is handled as an incident even when asked as a request",
          "[classify]") {
  auto c = SeedLike().Classify("Solicito revisar", "un correo sospechoso", std::nullopt);
  CHECK(c.possible_security);
  CHECK(c.type == TicketType::kIncident);
}

TEST_CASE("the words of the category path count like the text", "[classify]") {
  auto c = SeedLike().Classify("Docente", "para la sede norte",
                               CategoryHint{"Cuentas > Nuevo usuario", false});
  CHECK(c.type == TicketType::kServiceRequest);
}

TEST_CASE("a phrase without letters or digits is no rule at all", "[classify]") {
  CHECK_FALSE(FoldPhrase(" ¡!? ").has_value());
  CHECK(FoldPhrase("Correo  SOSPECHOSO") == std::optional<std::string>("correo sospechoso"));
  RuleSet rules({{"x", RuleKind::kSecurity, "  ...  ", 1}});
  CHECK(rules.size() == 0);
  CHECK_FALSE(rules.Classify("...", "...", std::nullopt).possible_security);
}

TEST_CASE("whole-word matching looks past an earlier partial match", "[classify]") {
  CHECK(ContainsWholeWords("antivirus y virus", "virus"));
  CHECK_FALSE(ContainsWholeWords("antivirus", "virus"));
  CHECK_FALSE(ContainsWholeWords("anything", ""));
}
