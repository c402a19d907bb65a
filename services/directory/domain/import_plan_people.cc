// Planning a people file: the largest import (every member of staff), with roles and group
// memberships kept in step with the file.
#include <set>
#include <unordered_map>

#include "common/text.h"
#include "services/directory/domain/import_rows.h"
#include "services/directory/domain/text.h"

namespace tiquete::directory::import_internal {

void PlanPeople(const CsvTable& table, const ImportSnapshot& stored, ImportPlan* plan,
                const ImportProgress& progress) {
  std::unordered_map<std::string, const v1::Person*> by_email;
  std::unordered_map<std::string, std::string> email_by_national_id;
  for (const v1::Person& p : stored.people) {
    by_email[p.email()] = &p;
    if (!p.national_id().empty()) email_by_national_id[p.national_id()] = p.email();
  }
  std::unordered_map<std::string, const v1::OrgUnit*> units;
  for (const v1::OrgUnit& u : stored.org_units) units[u.code()] = &u;
  std::unordered_map<std::string, const v1::Group*> groups;
  for (const v1::Group& g : stored.groups) groups[g.code()] = &g;

  std::unordered_map<std::string, int> emails_in_file;
  std::unordered_map<std::string, int> national_ids_in_file;
  int done = 0;
  for (const CsvRecord& record : table.records) {
    RowCheck check(record.row, &plan->problems);
    v1::Person p;
    p.set_email(Cell(record, 0));
    p.set_given_name(Cell(record, 1));
    p.set_family_name(Cell(record, 2));
    p.set_phone(Cell(record, 3));
    p.set_national_id(Cell(record, 4));
    p.set_job_title(Cell(record, 6));
    for (std::string& role : SplitList(Cell(record, 7))) p.add_roles(std::move(role));

    const v1::OrgUnit* unit = nullptr;
    if (const std::string raw = Cell(record, 5); !text::CollapseAsciiSpaces(raw).empty()) {
      std::string code;
      auto it = NormalizeCode(raw, &code) ? units.find(code) : units.end();
      if (it == units.end()) {
        check.Add("org_unit_code", "NOT_FOUND", "no org unit has code \"" + raw + "\"");
      } else {
        unit = it->second;
        if (!unit->active()) {
          check.Add("org_unit_code", "ORG_UNIT_INACTIVE", "org unit " + code + " is deactivated");
        }
      }
      p.set_org_unit_id(unit ? unit->id() : std::string(kPendingId));
    }
    check.AddAll(NormalizePerson(&p), {{"org_unit_id", "org_unit_code"}});
    p.set_org_unit_id(unit ? unit->id() : "");
    if (unit) p.set_org_unit_code(unit->code());

    std::set<std::string> wanted_groups;
    for (const std::string& raw : SplitList(Cell(record, 8))) {
      std::string code;
      auto it = NormalizeCode(raw, &code) ? groups.find(code) : groups.end();
      if (it == groups.end()) {
        check.Add("groups", "NOT_FOUND", "no group has code \"" + raw + "\"");
        continue;
      }
      if (!it->second->active()) {
        check.Add("groups", "GROUP_INACTIVE", "group " + code + " is deactivated");
        continue;
      }
      if (!wanted_groups.insert(code).second) continue;
      v1::GroupRef* ref = p.add_groups();
      ref->set_id(it->second->id());
      ref->set_code(code);
      ref->set_name(it->second->name());
    }

    if (!p.email().empty()) {
      if (auto [it, fresh] = emails_in_file.emplace(p.email(), record.row); !fresh) {
        check.Add("email", "DUPLICATE_IN_FILE",
                  p.email() + " is also on row " + std::to_string(it->second));
      }
    }
    if (!p.national_id().empty()) {
      if (auto [it, fresh] = national_ids_in_file.emplace(p.national_id(), record.row); !fresh) {
        check.Add("national_id", "DUPLICATE_IN_FILE",
                  p.national_id() + " is also on row " + std::to_string(it->second));
      } else if (auto owner = email_by_national_id.find(p.national_id());
                 owner != email_by_national_id.end() && owner->second != p.email()) {
        check.Add("national_id", "NATIONAL_ID_TAKEN",
                  p.national_id() + " belongs to " + owner->second);
      }
    }

    PlannedRow<v1::Person> planned;
    planned.row = record.row;
    if (auto it = by_email.find(p.email()); it != by_email.end()) {
      const v1::Person& existing = *it->second;
      p.set_id(existing.id());
      p.set_version(existing.version());
      p.set_active(existing.active());
      *p.mutable_create_time() = existing.create_time();
      planned.fields_changed = !SameMutableFields(p, existing);
      std::set<std::string> current;
      for (const v1::GroupRef& g : existing.groups()) {
        current.insert(g.code());
        if (!wanted_groups.contains(g.code())) planned.remove_groups.push_back(g);
      }
      for (const v1::GroupRef& g : p.groups()) {
        if (!current.contains(g.code())) planned.add_groups.push_back(g);
      }
      const bool links_changed = !planned.add_groups.empty() || !planned.remove_groups.empty();
      planned.change =
          planned.fields_changed || links_changed ? Change::kUpdate : Change::kUnchanged;
    } else {
      planned.change = Change::kCreate;
      planned.fields_changed = true;
      planned.add_groups.assign(p.groups().begin(), p.groups().end());
    }
    planned.resource = std::move(p);
    if (check.ok()) plan->people.push_back(std::move(planned));
    Report(progress, ++done, static_cast<int>(table.records.size()));
  }
}

}  // namespace tiquete::directory::import_internal
