#include "services/directory/domain/csv.h"

namespace tiquete::directory {

bool ParseCsv(std::string_view text, CsvTable* table, CsvError* error) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());

  std::vector<std::vector<std::string>> records;
  std::vector<int> rows;
  std::vector<std::string> fields;
  std::string field;
  int row = 1;
  bool any_char_in_record = false;

  auto end_field = [&] {
    fields.push_back(std::move(field));
    field.clear();
  };
  auto end_record = [&] {
    end_field();
    // A line with nothing on it is not a record, but it still is a spreadsheet row.
    if (any_char_in_record) {
      records.push_back(std::move(fields));
      rows.push_back(row);
    }
    fields.clear();
    any_char_in_record = false;
    ++row;
  };

  size_t i = 0;
  bool at_field_start = true;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && at_field_start) {
      // Quoted field: runs to the next quote that is not doubled.
      any_char_in_record = true;
      at_field_start = false;
      const int start_row = row;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        field.push_back(text[i]);
        ++i;
      }
      if (!closed) {
        *error = {start_row, "a quoted field is never closed"};
        return false;
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        *error = {start_row, "unexpected text after a closing quote"};
        return false;
      }
      continue;
    }
    at_field_start = false;
    if (c == ',') {
      any_char_in_record = true;
      end_field();
      at_field_start = true;
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      end_record();
      at_field_start = true;
      i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    // A quote inside an unquoted field is kept literally, as spreadsheets read it.
    any_char_in_record = true;
    field.push_back(c);
    ++i;
  }
  if (any_char_in_record || !field.empty()) end_record();

  table->header.clear();
  table->records.clear();
  if (records.empty()) {
    *error = {1, "the file is empty (a header row is expected)"};
    return false;
  }
  if (rows.front() != 1) {
    *error = {1, "the first row must be the header"};
    return false;
  }
  table->header = std::move(records.front());
  for (size_t r = 1; r < records.size(); ++r) {
    table->records.push_back({rows[r], std::move(records[r])});
  }
  return true;
}

std::string CheckCsvHeader(const std::vector<std::string>& header,
                           std::span<const std::string_view> expected) {
  bool same = header.size() == expected.size();
  for (size_t i = 0; same && i < header.size(); ++i) same = header[i] == expected[i];
  if (same) return "";
  std::string want;
  for (const std::string_view name : expected) {
    if (!want.empty()) want += ',';
    want += name;
  }
  std::string got;
  for (const std::string& name : header) {
    if (!got.empty()) got += ',';
    got += name;
  }
  std::string message = "expected header \"" + want + "\", found \"" + got + "\"";
  // Spreadsheets set to Spanish locales export with ';' unless told otherwise.
  if (header.size() == 1 && header[0].find(';') != std::string::npos) {
    message += " (the file seems to use ';' as separator: export it as CSV with commas)";
  }
  return message;
}

}  // namespace tiquete::directory
