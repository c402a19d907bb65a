#include "services/directory/domain/import_rows.h"

#include "common/text.h"
#include "services/directory/domain/text.h"

namespace tiquete::directory::import_internal {

void RowCheck::Add(std::string field, std::string reason, std::string message) {
  out_->push_back({row_, std::move(field), std::move(reason), std::move(message)});
  ++count_;
}

void RowCheck::AddAll(const Problems& problems, const std::map<std::string, std::string>& renames) {
  for (const FieldProblem& p : problems) {
    auto it = renames.find(p.field);
    Add(it == renames.end() ? p.field : it->second, p.reason, p.message);
  }
}

RefResult ResolveCode(RowCheck& check, const std::string& field, const std::string& raw,
                      const std::unordered_map<std::string, int>& earlier_rows,
                      const std::unordered_map<std::string, int>& all_rows,
                      const std::function<bool(const std::string&)>& is_stored,
                      std::string_view what) {
  if (text::CollapseAsciiSpaces(raw).empty()) return {};
  std::string code;
  if (!NormalizeCode(raw, &code)) {
    check.Add(field, "INVALID_CODE", "\"" + raw + "\" is not a valid code");
    return {};
  }
  if (earlier_rows.contains(code)) return {RefSource::kFile, code};
  if (is_stored(code)) return {RefSource::kStored, code};
  if (auto later = all_rows.find(code); later != all_rows.end() && later->second > check.row()) {
    check.Add(field, "DEFINED_LATER",
              std::string(what) + " \"" + code + "\" is on row " + std::to_string(later->second) +
                  "; it must come before the rows using it");
    return {RefSource::kNone, code};
  }
  check.Add(field, "NOT_FOUND", "no " + std::string(what) + " has code \"" + code + "\"");
  return {RefSource::kNone, code};
}

std::unordered_map<std::string, int> CodesByRow(const CsvTable& table) {
  std::unordered_map<std::string, int> rows;
  for (const CsvRecord& r : table.records) {
    std::string code;
    if (!r.fields.empty() && NormalizeCode(r.fields[0], &code)) rows.emplace(code, r.row);
  }
  return rows;
}

std::vector<std::string> SplitList(std::string_view cell) {
  std::vector<std::string> items;
  while (true) {
    const size_t at = cell.find(';');
    std::string item = text::CollapseAsciiSpaces(cell.substr(0, at));
    if (!item.empty()) items.push_back(std::move(item));
    if (at == std::string_view::npos) break;
    cell.remove_prefix(at + 1);
  }
  return items;
}

std::string Cell(const CsvRecord& record, size_t i) {
  return i < record.fields.size() ? record.fields[i] : std::string();
}

void Report(const ImportProgress& progress, int done, int total) {
  if (progress && (done % kProgressEvery == 0 || done == total)) progress(done, total);
}

bool IsBlank(const CsvRecord& record) {
  for (const std::string& f : record.fields) {
    if (!text::CollapseAsciiSpaces(f).empty()) return false;
  }
  return true;
}

}  // namespace tiquete::directory::import_internal
