// Helpers shared by store.cc and store_queries.cc (SQL text and parameter encoding).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/time/time.h"
#include "services/reporting/domain/fact.h"
#include "services/reporting/domain/rollup.h"

namespace tiquete::reporting::store_internal {

// A PostgreSQL array literal with every element quoted ("{\"a\",\"b\"}"); nullopt elements
// become NULL.
std::string ArrayLiteral(const std::vector<std::optional<std::string>>& values);
std::string ArrayLiteral(const std::vector<std::string>& values);
std::string HistogramLiteral(const Histogram& h);  // "{0,1,...}"

// RFC 3339 in UTC, or NULL for the infinite "never".
std::optional<std::string> TimeParam(absl::Time t);
// Reads "extract(epoch ...) * 1e6" columns back; NULL → InfiniteFuture.
absl::Time TimeColumn(const pqxx::field& f);

// The fact columns in the order FactFromRow reads them.
std::string FactColumns();
IncidentFact FactFromRow(const pqxx::row& r);

// INSERT ... ON CONFLICT adding the deltas passed as 34 parallel arrays ($1..$34) into `table`.
std::string UpsertRollupSql(const std::string& table);
// Runs that upsert (prepared when table is "rollup").
void UpsertRollup(pqxx::work& tx, const std::string& table, const std::vector<RollupDelta>& rows);

// Adds dashboard-rollup deltas into `table` (rollup_dash, or a scratch copy), one statement.
void UpsertDash(pqxx::work& tx, const std::string& table, const std::vector<DashDelta>& rows);

}  // namespace tiquete::reporting::store_internal
