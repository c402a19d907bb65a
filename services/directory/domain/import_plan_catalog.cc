// Planning category and configuration-item files: the two kinds whose rows refer to rows of
// the same file (parent paths, CI relations).
#include <set>
#include <tuple>
#include <unordered_map>

#include "common/text.h"
#include "services/directory/domain/import_rows.h"
#include "services/directory/domain/text.h"

namespace tiquete::directory::import_internal {
namespace {

// Looks up a stored group by a code cell; reports unknown and deactivated groups.
const v1::Group* StoredGroup(RowCheck& check, const std::string& field, const std::string& raw,
                             const std::unordered_map<std::string, const v1::Group*>& groups) {
  if (text::CollapseAsciiSpaces(raw).empty()) return nullptr;
  std::string code;
  auto it = NormalizeCode(raw, &code) ? groups.find(code) : groups.end();
  if (it == groups.end()) {
    check.Add(field, "NOT_FOUND", "no group has code \"" + raw + "\"");
    return nullptr;
  }
  if (!it->second->active()) {
    check.Add(field, "GROUP_INACTIVE", "group " + code + " is deactivated");
  }
  return it->second;
}

std::unordered_map<std::string, const v1::Group*> GroupsByCode(const ImportSnapshot& stored) {
  std::unordered_map<std::string, const v1::Group*> groups;
  for (const v1::Group& g : stored.groups) groups[g.code()] = &g;
  return groups;
}

}  // namespace

void PlanCategories(const CsvTable& table, const ImportSnapshot& stored, ImportPlan* plan,
                    const ImportProgress& progress) {
  std::unordered_map<std::string, const v1::Category*> by_key;
  for (const v1::Category& c : stored.categories) by_key[CategoryPathKey(c.full_path())] = &c;
  const auto groups = GroupsByCode(stored);
  std::unordered_map<std::string, int> all_rows;
  for (const CsvRecord& r : table.records) all_rows.emplace(CategoryPathKey(Cell(r, 0)), r.row);
  std::unordered_map<std::string, int> earlier;
  std::unordered_map<std::string, std::string> final_path;  // key → path after the import
  int done = 0;
  for (const CsvRecord& record : table.records) {
    RowCheck check(record.row, &plan->problems);
    const std::string raw_path = Cell(record, 0);
    std::vector<std::string> names = SplitCategoryPath(raw_path);
    const std::string key = CategoryPathKey(raw_path);
    bool path_ok = true;
    for (const std::string& n : names) path_ok = path_ok && !n.empty();
    if (text::CollapseAsciiSpaces(raw_path).empty()) {
      check.Add("path", "REQUIRED", "is required");
      path_ok = false;
    } else if (!path_ok) {
      check.Add("path", "INVALID_PATH", "\"" + raw_path + "\" has an empty level");
    }

    v1::Category c;
    c.set_name(names.back());
    c.set_description(Cell(record, 3));
    bool security = false;
    if (!ParseCsvBool(Cell(record, 2), &security)) {
      check.Add("security", "INVALID_VALUE", "\"" + Cell(record, 2) + "\" is not yes/no");
    }
    c.set_security(security);

    const v1::Category* stored_parent = nullptr;
    std::string parent_path;
    if (path_ok && names.size() > 1) {
      const std::string parent_key = ParentCategoryPathKey(raw_path);
      auto sp = by_key.find(parent_key);
      stored_parent = sp == by_key.end() ? nullptr : sp->second;
      names.pop_back();
      const std::string shown = JoinCategoryPath(names);
      if (earlier.contains(parent_key)) {
        parent_path = final_path[parent_key];
      } else if (stored_parent) {
        parent_path = stored_parent->full_path();
        if (!stored_parent->active()) {
          check.Add("path", "PARENT_INACTIVE", "category \"" + shown + "\" is deactivated");
        }
      } else if (auto later = all_rows.find(parent_key);
                 later != all_rows.end() && later->second > record.row) {
        check.Add("path", "DEFINED_LATER",
                  "parent \"" + shown + "\" is on row " + std::to_string(later->second) +
                      "; parents must come before their children");
      } else {
        check.Add("path", "NOT_FOUND", "parent category \"" + shown + "\" does not exist");
      }
      c.set_parent_id(std::string(kPendingId));
    }
    const v1::Group* group = StoredGroup(check, "default_group_code", Cell(record, 1), groups);
    if (group) c.set_default_group_id(group->id());
    check.AddAll(
        NormalizeCategory(&c),
        {{"name", "path"}, {"parent_id", "path"}, {"default_group_id", "default_group_code"}});
    c.set_parent_id(stored_parent ? stored_parent->id() : "");
    if (group) c.set_default_group_code(group->code());
    c.set_full_path(parent_path.empty() ? c.name()
                                        : parent_path + std::string(kPathSeparator) + c.name());
    if (path_ok && !earlier.emplace(key, record.row).second) {
      check.Add("path", "DUPLICATE_IN_FILE",
                "\"" + raw_path + "\" is also on row " + std::to_string(earlier[key]));
    }
    final_path.emplace(key, c.full_path());

    PlannedRow<v1::Category> planned;
    planned.row = record.row;
    if (auto it = by_key.find(key); it != by_key.end()) {
      c.set_id(it->second->id());
      c.set_version(it->second->version());
      c.set_active(it->second->active());
      *c.mutable_create_time() = it->second->create_time();
      planned.fields_changed = !SameMutableFields(c, *it->second);
      planned.change = planned.fields_changed ? Change::kUpdate : Change::kUnchanged;
    } else {
      planned.change = Change::kCreate;
      planned.fields_changed = true;
    }
    planned.resource = std::move(c);
    if (check.ok()) plan->categories.push_back(std::move(planned));
    Report(progress, ++done, static_cast<int>(table.records.size()));
  }
}

void PlanCis(const CsvTable& table, const ImportSnapshot& stored, ImportPlan* plan,
             const ImportProgress& progress) {
  std::unordered_map<std::string, const v1::ConfigurationItem*> by_code;
  for (const v1::ConfigurationItem& ci : stored.cis) by_code[ci.code()] = &ci;
  std::unordered_map<std::string, const v1::ItService*> services;
  for (const v1::ItService& s : stored.services) services[s.code()] = &s;
  const auto groups = GroupsByCode(stored);
  const auto all_rows = CodesByRow(table);
  std::unordered_map<std::string, int> earlier;
  // connected_to is symmetric: A–B and B–A are one relation, whichever row names it first.
  std::set<std::pair<std::string, std::string>> links;
  auto link_key = [](const std::string& a, const std::string& b) {
    return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
  };
  for (const v1::ConfigurationItem& ci : stored.cis) {
    for (const v1::CiRelation& r : ci.relations()) {
      if (r.kind() == "connected_to") links.insert(link_key(r.source_code(), r.target_code()));
    }
  }
  int done = 0;
  for (const CsvRecord& record : table.records) {
    RowCheck check(record.row, &plan->problems);
    v1::ConfigurationItem ci;
    ci.set_code(Cell(record, 0));
    ci.set_name(Cell(record, 1));
    ci.set_type(Cell(record, 2));
    ci.set_criticality(Cell(record, 5));
    const v1::ItService* service = nullptr;
    if (const std::string raw = Cell(record, 3); !text::CollapseAsciiSpaces(raw).empty()) {
      std::string code;
      auto it = NormalizeCode(raw, &code) ? services.find(code) : services.end();
      if (it == services.end()) {
        check.Add("service_code", "NOT_FOUND", "no service has code \"" + raw + "\"");
      } else {
        service = it->second;
        if (!service->active()) {
          check.Add("service_code", "SERVICE_INACTIVE", "service " + code + " is deactivated");
        }
      }
    }
    const v1::Group* group = StoredGroup(check, "owner_group_code", Cell(record, 4), groups);
    check.AddAll(NormalizeConfigurationItem(&ci), {});
    if (service) {
      ci.set_service_id(service->id());
      ci.set_service_code(service->code());
    }
    if (group) {
      ci.set_owner_group_id(group->id());
      ci.set_owner_group_code(group->code());
    }
    if (!ci.code().empty() && !earlier.emplace(ci.code(), record.row).second) {
      check.Add("code", "DUPLICATE_IN_FILE",
                "code \"" + ci.code() + "\" is also on row " + std::to_string(earlier[ci.code()]));
    }

    // Desired outgoing relations, as (kind, target code).
    std::set<std::pair<std::string, std::string>> wanted;
    for (const std::string& item : SplitList(Cell(record, 6))) {
      const size_t colon = item.find(':');
      const std::string kind = AsciiLower(text::CollapseAsciiSpaces(item.substr(0, colon)));
      if (colon == std::string::npos || !IsOneOf(kind, CiRelationKinds())) {
        check.Add(
            "relations", "INVALID_VALUE",
            "\"" + item + "\" is not kind:ci_code with kind " + JoinValues(CiRelationKinds()));
        continue;
      }
      const RefResult target = ResolveCode(
          check, "relations", item.substr(colon + 1), earlier, all_rows,
          [&](const std::string& c) { return by_code.contains(c); }, "configuration item");
      if (target.code.empty()) continue;
      if (target.code == ci.code()) {
        check.Add("relations", "SELF_RELATION", "a configuration item cannot relate to itself");
        continue;
      }
      wanted.emplace(kind, target.code);
    }

    PlannedRow<v1::ConfigurationItem> planned;
    planned.row = record.row;
    std::set<std::pair<std::string, std::string>> current;
    auto existing = by_code.find(ci.code());
    if (existing != by_code.end()) {
      for (const v1::CiRelation& r : existing->second->relations()) {
        if (r.source_code() == ci.code()) current.emplace(r.kind(), r.target_code());
      }
    }
    for (const auto& [kind, target] : wanted) {
      if (current.contains({kind, target})) continue;
      if (kind == "connected_to" && !links.insert(link_key(ci.code(), target)).second) continue;
      v1::CiRelation r;
      r.set_kind(kind);
      r.set_source_code(ci.code());
      r.set_target_code(target);
      if (auto t = by_code.find(target); t != by_code.end()) r.set_target_ci_id(t->second->id());
      planned.add_relations.push_back(std::move(r));
    }
    for (const auto& [kind, target] : current) {
      if (wanted.contains({kind, target})) continue;
      v1::CiRelation r;
      r.set_kind(kind);
      r.set_source_code(ci.code());
      r.set_target_code(target);
      r.set_source_ci_id(existing->second->id());
      r.set_target_ci_id(by_code.at(target)->id());
      planned.remove_relations.push_back(std::move(r));
    }

    if (existing != by_code.end()) {
      ci.set_id(existing->second->id());
      ci.set_version(existing->second->version());
      ci.set_active(existing->second->active());
      *ci.mutable_create_time() = existing->second->create_time();
      for (v1::CiRelation& r : planned.add_relations) r.set_source_ci_id(ci.id());
      planned.fields_changed = !SameMutableFields(ci, *existing->second);
      const bool links_changed =
          !planned.add_relations.empty() || !planned.remove_relations.empty();
      planned.change =
          planned.fields_changed || links_changed ? Change::kUpdate : Change::kUnchanged;
    } else {
      planned.change = Change::kCreate;
      planned.fields_changed = true;
    }
    planned.resource = std::move(ci);
    if (check.ok()) plan->cis.push_back(std::move(planned));
    Report(progress, ++done, static_cast<int>(table.records.size()));
  }
}

}  // namespace tiquete::directory::import_internal
