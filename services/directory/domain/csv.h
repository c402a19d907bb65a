// RFC 4180 CSV reading for the bulk import: quoted fields with embedded commas, quotes and
// line breaks, CRLF or LF line ends, and a leading UTF-8 byte-order mark (Excel writes one).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tiquete::directory {

struct CsvRecord {
  // Spreadsheet row number: the header is row 1 and every record (blank ones included)
  // counts one, so the number matches what the person sees in their spreadsheet even when a
  // quoted cell spans several lines.
  int row = 0;
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRecord> records;  // blank lines are dropped (their row numbers are skipped)
};

struct CsvError {
  int row = 0;
  std::string message;
};

// Returns false on malformed input (an unterminated quoted field, text after a closing
// quote) with the row where the problem starts.
bool ParseCsv(std::string_view text, CsvTable* table, CsvError* error);

// "" when header equals expected; otherwise a message naming the expected header.
std::string CheckCsvHeader(const std::vector<std::string>& header,
                           std::span<const std::string_view> expected);

}  // namespace tiquete::directory
