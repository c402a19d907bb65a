#include <catch2/catch.hpp>

#include "services/incident/domain/number.h"

using namespace tiquete::incident;  // NOLINT: test

TEST_CASE("incident numbers are INC-YYYY-NNNNNN and requests REQ-YYYY-NNNNNN", "[number]") {
  CHECK(FormatNumber(v1::INCIDENT, 2026, 123) == "INC-2026-000123");
  CHECK(FormatNumber(v1::SERVICE_REQUEST, 2026, 1) == "REQ-2026-000001");
  CHECK(FormatNumber(v1::INCIDENT, 2027, 999999) == "INC-2027-999999");
}

TEST_CASE("the counter widens past six digits instead of wrapping", "[number]") {
  CHECK(FormatNumber(v1::INCIDENT, 2026, 1000000) == "INC-2026-1000000");
  CHECK(IsTicketNumber("INC-2026-1000000"));
}

TEST_CASE("only well-formed numbers are recognised", "[number]") {
  CHECK(IsTicketNumber("INC-2026-000123"));
  CHECK(IsTicketNumber("REQ-2026-000123"));
  CHECK_FALSE(IsTicketNumber("PRB-2026-000123"));
  CHECK_FALSE(IsTicketNumber("INC-2026-00012"));
  CHECK_FALSE(IsTicketNumber("INC-26-000123xx"));
  CHECK_FALSE(IsTicketNumber("INC-2026_000123"));
  CHECK_FALSE(IsTicketNumber("inc-2026-000123"));
  CHECK_FALSE(IsTicketNumber("INC-2026-00012a"));
}

TEST_CASE("the year is Colombia's: 31 December at 20:00 local is still that year", "[number]") {
  // 2027-01-01T01:00:00Z is 2026-12-31T20:00:00-05:00.
  CHECK(ColombianYear(absl::FromUnixSeconds(1798765200)) == 2026);
  // 2027-01-01T05:00:00Z is midnight in Bogotá.
  CHECK(ColombianYear(absl::FromUnixSeconds(1798779600)) == 2027);
}
