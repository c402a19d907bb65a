// Planning a CSV import: every row is parsed and checked (formats, references to earlier rows
// and to stored data, duplicates inside the file) before anything is written, and compared
// with what is stored so a re-import of the same file changes nothing. Pure: the store loads
// the snapshot and applies the plan.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "services/directory/domain/resources.h"

namespace tiquete::directory {

enum class ImportKind { kOrgUnits, kGroups, kServices, kCategories, kCis, kPeople };

bool ParseImportKind(std::string_view name, ImportKind* kind);
std::string_view ImportKindName(ImportKind kind);  // "org_units", "people"...
std::string ImportKindNames();                     // "org_units | groups | ..."
std::span<const std::string_view> ImportHeader(ImportKind kind);

struct RowProblem {
  int row = 0;  // spreadsheet row; the header is row 1
  std::string field;
  std::string reason;
  std::string message;
};
// "row 7: email: \"ana@\" is not a valid email address [INVALID_EMAIL]"
std::string FormatRowProblem(const RowProblem& p);

// What is stored, with references expressed by natural key (the *_code output fields, the
// category full paths, GroupRef codes and CiRelation codes) as well as by id.
struct ImportSnapshot {
  std::vector<v1::OrgUnit> org_units;
  std::vector<v1::Group> groups;
  std::vector<v1::ItService> services;
  std::vector<v1::Category> categories;
  std::vector<v1::ConfigurationItem> cis;  // relations: both directions
  std::vector<v1::Person> people;          // groups: current memberships
};

enum class Change { kCreate, kUpdate, kUnchanged };

// One row's effect. `resource` is the desired state: id and version are those stored (empty
// for a create); references to stored rows carry their id and code, references to rows
// created earlier in the same file carry only the code (the store resolves it).
template <typename T>
struct PlannedRow {
  int row = 0;
  Change change = Change::kUnchanged;
  bool fields_changed = false;  // the resource row itself needs an INSERT/UPDATE
  T resource;
  std::vector<v1::GroupRef> add_groups, remove_groups;          // people
  std::vector<v1::CiRelation> add_relations, remove_relations;  // configuration items
};

struct ImportPlan {
  ImportKind kind = ImportKind::kOrgUnits;
  int data_rows = 0;
  std::vector<RowProblem> problems;  // any problem: nothing may be written
  std::vector<PlannedRow<v1::OrgUnit>> org_units;
  std::vector<PlannedRow<v1::Group>> groups;
  std::vector<PlannedRow<v1::ItService>> services;
  std::vector<PlannedRow<v1::Category>> categories;
  std::vector<PlannedRow<v1::ConfigurationItem>> cis;
  std::vector<PlannedRow<v1::Person>> people;
};

// Called every `kProgressEvery` rows checked (and at the end) with (done, total).
using ImportProgress = std::function<void(int done, int total)>;
inline constexpr int kProgressEvery = 500;

ImportPlan PlanImport(ImportKind kind, std::string_view csv_text, const ImportSnapshot& stored,
                      const ImportProgress& progress = {});

}  // namespace tiquete::directory
