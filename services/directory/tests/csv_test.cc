#include <array>

#include <catch2/catch.hpp>

#include "services/directory/domain/csv.h"

namespace tiquete::directory {
namespace {

CsvTable Parse(std::string_view text) {
  CsvTable table;
  CsvError error;
  INFO(error.message);
  REQUIRE(ParseCsv(text, &table, &error));
  return table;
}

TEST_CASE("quoted fields keep commas, doubled quotes and line breaks") {
  const CsvTable t = Parse(
      "code,name,address\n"
      "A,\"Colegio \"\"La Paz\"\", sede 2\",\"Calle 10\nBarrio Centro\"\n"
      "B,Simple,\n");
  REQUIRE(t.header == std::vector<std::string>{"code", "name", "address"});
  REQUIRE(t.records.size() == 2);
  CHECK(t.records[0].fields[1] == "Colegio \"La Paz\", sede 2");
  CHECK(t.records[0].fields[2] == "Calle 10\nBarrio Centro");
  CHECK(t.records[1].fields == std::vector<std::string>{"B", "Simple", ""});
}

TEST_CASE("rows are numbered like spreadsheet rows even when a cell spans lines") {
  const CsvTable t = Parse("h1,h2\n\"a\nb\",1\n\nc,2\r\n");
  REQUIRE(t.records.size() == 2);
  CHECK(t.records[0].row == 2);
  CHECK(t.records[1].row == 4);  // the blank row 3 is skipped but counted
}

TEST_CASE("a UTF-8 byte-order mark and CRLF line ends are tolerated") {
  const CsvTable t = Parse(
      "\xEF\xBB\xBF"
      "code,name\r\nA,Ibagué\r\n");
  CHECK(t.header[0] == "code");
  REQUIRE(t.records.size() == 1);
  CHECK(t.records[0].fields[1] == "Ibagué");
}

TEST_CASE("an unterminated quote is reported at the row where it starts") {
  CsvTable table;
  CsvError error;
  REQUIRE_FALSE(ParseCsv("a,b\n1,2\n3,\"open\n4,5\n", &table, &error));
  CHECK(error.row == 3);
  CHECK(error.message.find("never closed") != std::string::npos);
}

TEST_CASE("text after a closing quote is malformed") {
  CsvTable table;
  CsvError error;
  REQUIRE_FALSE(ParseCsv("a,b\n\"x\"y,2\n", &table, &error));
  CHECK(error.row == 2);
}

TEST_CASE("a wrong header names the expected one") {
  constexpr std::array<std::string_view, 2> kExpected = {"code", "name"};
  CHECK(CheckCsvHeader({"code", "name"}, kExpected).empty());
  const std::string message = CheckCsvHeader({"code", "nombre"}, kExpected);
  CHECK(message.find("expected header \"code,name\"") != std::string::npos);
  CHECK(CheckCsvHeader({"code;name"}, kExpected).find("';'") != std::string::npos);
}

TEST_CASE("an empty file has no header") {
  CsvTable table;
  CsvError error;
  REQUIRE_FALSE(ParseCsv("", &table, &error));
  CHECK(error.row == 1);
}

}  // namespace
}  // namespace tiquete::directory
