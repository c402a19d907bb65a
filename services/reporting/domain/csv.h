// CSV (RFC 4180) renderings of every table of the dashboard, for spreadsheets and the
// reporting jobs.
#pragma once

#include <string>
#include <vector>

#include "tiquete/reporting/v1/reporting.pb.h"

namespace tiquete::reporting {

// Quotes a field when it holds a comma, quote, CR or LF (quotes doubled).
std::string CsvField(const std::string& value);
std::string CsvLine(const std::vector<std::string>& fields);  // ends with CRLF

// The table as CSV with a header row; the dashboard must hold the sections the table needs.
std::string RenderCsv(v1::ReportTable table, const v1::Dashboard& dashboard);
// "by_service" for BY_SERVICE.
std::string TableSlug(v1::ReportTable table);

}  // namespace tiquete::reporting
