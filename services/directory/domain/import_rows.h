// Internal to the import planner: the per-row bookkeeping shared by every kind of file.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/directory/domain/csv.h"
#include "services/directory/domain/import_plan.h"

namespace tiquete::directory::import_internal {

// Stands in for the id of a row created earlier in the same file while the resource rules
// run (they check that a required reference is present); cleared afterwards.
inline constexpr std::string_view kPendingId = "00000000-0000-0000-0000-000000000000";

// Collects the problems of one row, naming fields as the CSV header does.
class RowCheck {
 public:
  RowCheck(int row, std::vector<RowProblem>* out) : row_(row), out_(out) {}
  void Add(std::string field, std::string reason, std::string message);
  // Adds resource-rule problems, renaming proto fields to CSV columns (e.g. org_unit_id →
  // org_unit_code).
  void AddAll(const Problems& problems, const std::map<std::string, std::string>& renames = {});
  bool ok() const { return count_ == 0; }
  int row() const { return row_; }

 private:
  int row_;
  std::vector<RowProblem>* out_;
  int count_ = 0;
};

// Resolves a code cell against rows earlier in the file and stored rows, reporting unknown
// codes and codes whose row comes later (parents must come first).
enum class RefSource { kNone, kFile, kStored };
struct RefResult {
  RefSource source = RefSource::kNone;
  std::string code;  // normalised
};
RefResult ResolveCode(RowCheck& check, const std::string& field, const std::string& raw,
                      const std::unordered_map<std::string, int>& earlier_rows,
                      const std::unordered_map<std::string, int>& all_rows,
                      const std::function<bool(const std::string&)>& is_stored,
                      std::string_view what);

// The normalised code in the first column of every row, to tell "unknown" from "comes later"
// when a reference does not resolve.
std::unordered_map<std::string, int> CodesByRow(const CsvTable& table);

std::vector<std::string> SplitList(std::string_view cell);  // "a; b;;c" → {a, b, c}
std::string Cell(const CsvRecord& record, size_t i);

void PlanCategories(const CsvTable& table, const ImportSnapshot& stored, ImportPlan* plan,
                    const ImportProgress& progress);
void PlanCis(const CsvTable& table, const ImportSnapshot& stored, ImportPlan* plan,
             const ImportProgress& progress);
void PlanPeople(const CsvTable& table, const ImportSnapshot& stored, ImportPlan* plan,
                const ImportProgress& progress);

// Reports progress every kProgressEvery rows and once at the end.
void Report(const ImportProgress& progress, int done, int total);

// Rows that are entirely blank (",,,," lines spreadsheets leave at the end) are skipped.
bool IsBlank(const CsvRecord& record);

}  // namespace tiquete::directory::import_internal
