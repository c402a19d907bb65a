#include "services/directory/domain/import_plan.h"

#include <array>
#include <unordered_map>

#include "services/directory/domain/csv.h"
#include "services/directory/domain/import_rows.h"
#include "services/directory/domain/text.h"

namespace tiquete::directory {

using import_internal::Cell;
using import_internal::kPendingId;
using import_internal::RefResult;
using import_internal::RefSource;
using import_internal::ResolveCode;
using import_internal::RowCheck;

namespace {

constexpr std::array<std::string_view, 10> kOrgUnitHeader = {
    "code",         "name",       "kind",    "parent_code", "dane_code",
    "municipality", "department", "address", "phone",       "email"};
constexpr std::array<std::string_view, 6> kGroupHeader = {
    "code", "name", "level", "kind", "contract_reference", "email"};
constexpr std::array<std::string_view, 5> kServiceHeader = {"code", "name", "description",
                                                            "owner_group_code", "criticality"};
constexpr std::array<std::string_view, 4> kCategoryHeader = {"path", "default_group_code",
                                                             "security", "description"};
constexpr std::array<std::string_view, 7> kCiHeader = {
    "code", "name", "type", "service_code", "owner_group_code", "criticality", "relations"};
constexpr std::array<std::string_view, 9> kPeopleHeader = {
    "email",         "given_name", "family_name", "phone", "national_id",
    "org_unit_code", "job_title",  "roles",       "groups"};

struct KindInfo {
  ImportKind kind;
  std::string_view name;
  std::span<const std::string_view> header;
};
const std::array<KindInfo, 6> kKinds = {{
    {ImportKind::kOrgUnits, "org_units", kOrgUnitHeader},
    {ImportKind::kGroups, "groups", kGroupHeader},
    {ImportKind::kServices, "services", kServiceHeader},
    {ImportKind::kCategories, "categories", kCategoryHeader},
    {ImportKind::kCis, "cis", kCiHeader},
    {ImportKind::kPeople, "people", kPeopleHeader},
}};

void PlanOrgUnits(const CsvTable& table, const ImportSnapshot& stored, ImportPlan* plan,
                  const ImportProgress& progress) {
  std::unordered_map<std::string, const v1::OrgUnit*> by_code;
  std::unordered_map<std::string, std::string> code_by_dane;
  std::unordered_map<std::string, std::string> parent_of;  // final parent codes
  for (const v1::OrgUnit& u : stored.org_units) {
    by_code[u.code()] = &u;
    if (!u.dane_code().empty()) code_by_dane[u.dane_code()] = u.code();
    parent_of[u.code()] = u.parent_code();
  }
  const auto all_rows = import_internal::CodesByRow(table);
  std::unordered_map<std::string, int> earlier;
  std::unordered_map<std::string, std::string> kind_in_file;
  std::unordered_map<std::string, int> dane_in_file;
  int done = 0;
  for (const CsvRecord& record : table.records) {
    RowCheck check(record.row, &plan->problems);
    v1::OrgUnit u;
    u.set_code(Cell(record, 0));
    u.set_name(Cell(record, 1));
    u.set_kind(Cell(record, 2));
    u.set_dane_code(Cell(record, 4));
    u.set_municipality(Cell(record, 5));
    u.set_department(Cell(record, 6));
    u.set_address(Cell(record, 7));
    u.set_phone(Cell(record, 8));
    u.set_email(Cell(record, 9));

    const RefResult parent = ResolveCode(
        check, "parent_code", Cell(record, 3), earlier, all_rows,
        [&](const std::string& c) { return by_code.contains(c); }, "org unit");
    const auto stored_it = by_code.find(parent.code);
    const v1::OrgUnit* stored_parent = stored_it == by_code.end() ? nullptr : stored_it->second;
    if (!parent.code.empty()) u.set_parent_id(std::string(kPendingId));
    check.AddAll(NormalizeOrgUnit(&u), {{"parent_id", "parent_code"}});
    u.set_parent_id(stored_parent ? stored_parent->id() : "");
    u.set_parent_code(parent.code);

    if (!parent.code.empty()) {
      std::string parent_kind;
      if (parent.source == RefSource::kFile) {
        parent_kind = kind_in_file[parent.code];
      } else if (stored_parent) {
        parent_kind = stored_parent->kind();
        if (!stored_parent->active()) {
          check.Add("parent_code", "PARENT_INACTIVE",
                    "org unit \"" + parent.code + "\" is deactivated");
        }
      }
      if (!parent_kind.empty()) {
        const std::string rule = OrgUnitParentRule(u.kind(), parent_kind);
        if (!rule.empty()) check.Add("parent_code", "INVALID_PARENT", rule);
      }
    }
    if (earlier.contains(u.code())) {
      check.Add("code", "DUPLICATE_IN_FILE",
                "code \"" + u.code() + "\" is also on row " + std::to_string(earlier[u.code()]));
    }
    if (!u.dane_code().empty()) {
      if (auto it = dane_in_file.find(u.dane_code()); it != dane_in_file.end()) {
        check.Add("dane_code", "DUPLICATE_IN_FILE",
                  "DANE code " + u.dane_code() + " is also on row " + std::to_string(it->second));
      } else if (auto st = code_by_dane.find(u.dane_code());
                 st != code_by_dane.end() && st->second != u.code()) {
        check.Add("dane_code", "DANE_CODE_TAKEN",
                  "DANE code " + u.dane_code() + " belongs to org unit " + st->second);
      }
      dane_in_file.emplace(u.dane_code(), record.row);
    }
    // A parent chain that comes back to this unit would make the tree a loop.
    if (!u.code().empty() && !parent.code.empty()) {
      parent_of[u.code()] = parent.code;
      std::string at = parent.code;
      for (size_t steps = 0; !at.empty() && steps <= parent_of.size(); ++steps) {
        if (at == u.code()) {
          check.Add("parent_code", "ORG_UNIT_CYCLE",
                    "org unit \"" + u.code() + "\" would end up inside itself");
          break;
        }
        auto next = parent_of.find(at);
        at = next == parent_of.end() ? "" : next->second;
      }
    } else if (!u.code().empty()) {
      parent_of[u.code()] = "";
    }
    if (!u.code().empty()) {
      earlier.emplace(u.code(), record.row);
      kind_in_file.emplace(u.code(), u.kind());
    }

    PlannedRow<v1::OrgUnit> planned;
    planned.row = record.row;
    if (auto it = by_code.find(u.code()); it != by_code.end()) {
      u.set_id(it->second->id());
      u.set_version(it->second->version());
      u.set_active(it->second->active());
      *u.mutable_create_time() = it->second->create_time();
      planned.fields_changed = !SameMutableFields(u, *it->second);
      planned.change = planned.fields_changed ? Change::kUpdate : Change::kUnchanged;
    } else {
      planned.change = Change::kCreate;
      planned.fields_changed = true;
    }
    planned.resource = std::move(u);
    if (check.ok()) plan->org_units.push_back(std::move(planned));
    import_internal::Report(progress, ++done, static_cast<int>(table.records.size()));
  }
}

void PlanGroups(const CsvTable& table, const ImportSnapshot& stored, ImportPlan* plan,
                const ImportProgress& progress) {
  std::unordered_map<std::string, const v1::Group*> by_code;
  for (const v1::Group& g : stored.groups) by_code[g.code()] = &g;
  std::unordered_map<std::string, int> earlier;
  int done = 0;
  for (const CsvRecord& record : table.records) {
    RowCheck check(record.row, &plan->problems);
    v1::Group g;
    g.set_code(Cell(record, 0));
    g.set_name(Cell(record, 1));
    g.set_level(Cell(record, 2));
    g.set_kind(Cell(record, 3));
    g.set_contract_reference(Cell(record, 4));
    g.set_email(Cell(record, 5));
    check.AddAll(NormalizeGroup(&g));
    if (!g.code().empty() && !earlier.emplace(g.code(), record.row).second) {
      check.Add("code", "DUPLICATE_IN_FILE",
                "code \"" + g.code() + "\" is also on row " + std::to_string(earlier[g.code()]));
    }
    PlannedRow<v1::Group> planned;
    planned.row = record.row;
    if (auto it = by_code.find(g.code()); it != by_code.end()) {
      g.set_id(it->second->id());
      g.set_version(it->second->version());
      g.set_active(it->second->active());
      *g.mutable_create_time() = it->second->create_time();
      planned.fields_changed = !SameMutableFields(g, *it->second);
      planned.change = planned.fields_changed ? Change::kUpdate : Change::kUnchanged;
    } else {
      planned.change = Change::kCreate;
      planned.fields_changed = true;
    }
    planned.resource = std::move(g);
    if (check.ok()) plan->groups.push_back(std::move(planned));
    import_internal::Report(progress, ++done, static_cast<int>(table.records.size()));
  }
}

void PlanServices(const CsvTable& table, const ImportSnapshot& stored, ImportPlan* plan,
                  const ImportProgress& progress) {
  std::unordered_map<std::string, const v1::ItService*> by_code;
  for (const v1::ItService& s : stored.services) by_code[s.code()] = &s;
  std::unordered_map<std::string, const v1::Group*> groups;
  for (const v1::Group& g : stored.groups) groups[g.code()] = &g;
  std::unordered_map<std::string, int> earlier;
  int done = 0;
  for (const CsvRecord& record : table.records) {
    RowCheck check(record.row, &plan->problems);
    v1::ItService s;
    s.set_code(Cell(record, 0));
    s.set_name(Cell(record, 1));
    s.set_description(Cell(record, 2));
    s.set_criticality(Cell(record, 4));
    const std::string owner_raw = Cell(record, 3);
    std::string owner;
    const v1::Group* group = nullptr;
    if (!owner_raw.empty()) {
      if (!NormalizeCode(owner_raw, &owner) || !groups.contains(owner)) {
        check.Add("owner_group_code", "NOT_FOUND", "no group has code \"" + owner_raw + "\"");
      } else {
        group = groups[owner];
        if (!group->active()) {
          check.Add("owner_group_code", "GROUP_INACTIVE", "group " + owner + " is deactivated");
        }
      }
    }
    s.set_owner_group_id(group ? group->id() : owner_raw.empty() ? "" : std::string(kPendingId));
    check.AddAll(NormalizeItService(&s), {{"owner_group_id", "owner_group_code"}});
    s.set_owner_group_id(group ? group->id() : "");
    s.set_owner_group_code(owner);
    if (!s.code().empty() && !earlier.emplace(s.code(), record.row).second) {
      check.Add("code", "DUPLICATE_IN_FILE",
                "code \"" + s.code() + "\" is also on row " + std::to_string(earlier[s.code()]));
    }
    PlannedRow<v1::ItService> planned;
    planned.row = record.row;
    if (auto it = by_code.find(s.code()); it != by_code.end()) {
      s.set_id(it->second->id());
      s.set_version(it->second->version());
      s.set_active(it->second->active());
      *s.mutable_create_time() = it->second->create_time();
      planned.fields_changed = !SameMutableFields(s, *it->second);
      planned.change = planned.fields_changed ? Change::kUpdate : Change::kUnchanged;
    } else {
      planned.change = Change::kCreate;
      planned.fields_changed = true;
    }
    planned.resource = std::move(s);
    if (check.ok()) plan->services.push_back(std::move(planned));
    import_internal::Report(progress, ++done, static_cast<int>(table.records.size()));
  }
}

}  // namespace

bool ParseImportKind(std::string_view name, ImportKind* kind) {
  for (const KindInfo& info : kKinds) {
    if (info.name == name) {
      *kind = info.kind;
      return true;
    }
  }
  return false;
}

std::string_view ImportKindName(ImportKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return info.name;
  }
  return "?";
}

std::string ImportKindNames() {
  std::string out;
  for (const KindInfo& info : kKinds) {
    if (!out.empty()) out += " | ";
    out += info.name;
  }
  return out;
}

std::span<const std::string_view> ImportHeader(ImportKind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return info.header;
  }
  return {};
}

std::string FormatRowProblem(const RowProblem& p) {
  std::string out = "row " + std::to_string(p.row) + ": ";
  if (!p.field.empty()) out += p.field + ": ";
  out += p.message;
  if (!p.reason.empty()) out += " [" + p.reason + "]";
  return out;
}

ImportPlan PlanImport(ImportKind kind, std::string_view csv_text, const ImportSnapshot& stored,
                      const ImportProgress& progress) {
  ImportPlan plan;
  plan.kind = kind;
  CsvTable table;
  CsvError error;
  if (!ParseCsv(csv_text, &table, &error)) {
    plan.problems.push_back({error.row, "", "MALFORMED_CSV", error.message});
    return plan;
  }
  const auto header = ImportHeader(kind);
  if (std::string bad = CheckCsvHeader(table.header, header); !bad.empty()) {
    plan.problems.push_back({1, "header", "WRONG_HEADER", bad});
    return plan;
  }
  // Rows of the wrong width are reported and left out; their neighbours are still checked.
  CsvTable rows;
  for (CsvRecord& record : table.records) {
    if (import_internal::IsBlank(record)) continue;
    if (record.fields.size() != header.size()) {
      plan.problems.push_back({record.row, "", "WRONG_FIELD_COUNT",
                               "expected " + std::to_string(header.size()) + " fields, found " +
                                   std::to_string(record.fields.size())});
      continue;
    }
    rows.records.push_back(std::move(record));
  }
  plan.data_rows = static_cast<int>(rows.records.size());
  switch (kind) {
    case ImportKind::kOrgUnits:
      PlanOrgUnits(rows, stored, &plan, progress);
      break;
    case ImportKind::kGroups:
      PlanGroups(rows, stored, &plan, progress);
      break;
    case ImportKind::kServices:
      PlanServices(rows, stored, &plan, progress);
      break;
    case ImportKind::kCategories:
      import_internal::PlanCategories(rows, stored, &plan, progress);
      break;
    case ImportKind::kCis:
      import_internal::PlanCis(rows, stored, &plan, progress);
      break;
    case ImportKind::kPeople:
      import_internal::PlanPeople(rows, stored, &plan, progress);
      break;
  }
  return plan;
}

}  // namespace tiquete::directory
