// Applying a CSV import: load what the file refers to, let the planner check every row, then
// write only what changed — all in one transaction, so a failed import leaves no trace.
#include <map>
#include <unordered_map>

#include "absl/time/time.h"
#include "common/errors.h"
#include "services/directory/store_internal.h"

namespace tiquete::directory {

using namespace store_internal;  // NOLINT(google-build-using-namespace): this file's helpers

namespace {

const Stmt kImportLock = {"dir_import_lock",
                          "SELECT pg_advisory_xact_lock(hashtext('tiquete.directory.import'))"};
const Stmt kAllMemberships = {"dir_import_memberships",
                              "SELECT m.person_id, g.id, g.code, g.name FROM group_members m "
                              "JOIN support_groups g ON g.id = m.group_id ORDER BY g.code"};
const Stmt kAllRelations = {
    "dir_import_relations",
    "SELECT r.source_id, r.target_id, r.kind, s.code AS source_code, t.code AS target_code "
    "FROM ci_relations r JOIN configuration_items s ON s.id = r.source_id "
    "JOIN configuration_items t ON t.id = r.target_id"};

template <typename T, typename Reader>
std::vector<T> LoadAll(pqxx::work& tx, const char* select, Reader read) {
  std::vector<T> out;
  for (const pqxx::row& row : tx.exec(select)) out.push_back(read(row));
  return out;
}

ImportSnapshot LoadSnapshot(pqxx::work& tx, ImportKind kind) {
  ImportSnapshot s;
  const bool org_units = kind == ImportKind::kOrgUnits || kind == ImportKind::kPeople;
  const bool groups = kind != ImportKind::kOrgUnits;
  if (org_units) s.org_units = LoadAll<v1::OrgUnit>(tx, kOrgUnitSelect, ReadOrgUnit);
  if (groups) s.groups = LoadAll<v1::Group>(tx, kGroupSelect, ReadGroup);
  if (kind == ImportKind::kServices || kind == ImportKind::kCis) {
    s.services = LoadAll<v1::ItService>(tx, kItServiceSelect, ReadItService);
  }
  if (kind == ImportKind::kCategories) {
    s.categories = LoadAll<v1::Category>(tx, kCategorySelect, ReadCategory);
  }
  if (kind == ImportKind::kCis) {
    s.cis = LoadAll<v1::ConfigurationItem>(tx, kCiSelect, ReadCi);
    std::unordered_map<std::string, v1::ConfigurationItem*> by_id;
    for (v1::ConfigurationItem& ci : s.cis) by_id[ci.id()] = &ci;
    for (const pqxx::row& row : Exec(tx, kAllRelations)) {
      v1::CiRelation r;
      r.set_source_ci_id(row["source_id"].c_str());
      r.set_target_ci_id(row["target_id"].c_str());
      r.set_kind(row["kind"].c_str());
      r.set_source_code(row["source_code"].c_str());
      r.set_target_code(row["target_code"].c_str());
      *by_id[r.source_ci_id()]->add_relations() = r;
      *by_id[r.target_ci_id()]->add_relations() = r;
    }
  }
  if (kind == ImportKind::kPeople) {
    s.people = LoadAll<v1::Person>(tx, kPersonSelect, ReadPerson);
    std::unordered_map<std::string, v1::Person*> by_id;
    for (v1::Person& p : s.people) by_id[p.id()] = &p;
    for (const pqxx::row& row : Exec(tx, kAllMemberships)) {
      v1::GroupRef* g = by_id[row[0].c_str()]->add_groups();
      g->set_id(row[1].c_str());
      g->set_code(row[2].c_str());
      g->set_name(row[3].c_str());
    }
  }
  return s;
}

// Applies one kind's planned rows in file order, counting the outcome of each.
class Applier {
 public:
  Applier(pqxx::work& tx, const Clock& clock, ImportOutcome* outcome, const ApplyProgress& progress)
      : tx_(tx),
        now_(NowText(clock)),
        now_us_(absl::ToUnixMicros(clock.Now())),
        outcome_(outcome),
        progress_(progress) {}

  absl::Status Apply(ImportPlan& plan, const ImportSnapshot& stored) {
    total_ = static_cast<int>(plan.org_units.size() + plan.groups.size() + plan.services.size() +
                              plan.categories.size() + plan.cis.size() + plan.people.size());
    for (const v1::OrgUnit& u : stored.org_units) ids_[u.code()] = u.id();
    for (const v1::Category& c : stored.categories) ids_[CategoryPathKey(c.full_path())] = c.id();
    for (const v1::ConfigurationItem& ci : stored.cis) ids_[ci.code()] = ci.id();

    for (auto& row : plan.org_units) {
      v1::OrgUnit& u = row.resource;
      if (u.parent_id().empty() && !u.parent_code().empty()) u.set_parent_id(ids_[u.parent_code()]);
      if (row.change == Change::kCreate) u.set_id(InsertOrgUnitRow(tx_, u, now_));
      if (row.change == Change::kUpdate) DIRECTORY_RETURN_IF_ERROR(UpdateOrgUnitRow(tx_, u, now_));
      ids_[u.code()] = u.id();
      Finish(row, "org_unit");
    }
    for (auto& row : plan.groups) {
      v1::Group& g = row.resource;
      if (row.change == Change::kCreate) g.set_id(InsertGroupRow(tx_, g, now_));
      if (row.change == Change::kUpdate) DIRECTORY_RETURN_IF_ERROR(UpdateGroupRow(tx_, g, now_));
      Finish(row, "group");
    }
    for (auto& row : plan.services) {
      v1::ItService& s = row.resource;
      if (row.change == Change::kCreate) s.set_id(InsertItServiceRow(tx_, s, now_));
      if (row.change == Change::kUpdate) {
        DIRECTORY_RETURN_IF_ERROR(UpdateItServiceRow(tx_, s, now_));
      }
      Finish(row, "service");
    }
    for (auto& row : plan.categories) DIRECTORY_RETURN_IF_ERROR(ApplyCategory(row));
    for (auto& row : plan.cis) DIRECTORY_RETURN_IF_ERROR(ApplyCi(row));
    for (auto& row : plan.people) DIRECTORY_RETURN_IF_ERROR(ApplyPerson(row));
    return absl::OkStatus();
  }

 private:
  absl::Status ApplyCategory(PlannedRow<v1::Category>& row) {
    v1::Category& c = row.resource;
    const std::string parent_key = ParentCategoryPathKey(c.full_path());
    if (c.parent_id().empty() && !parent_key.empty()) c.set_parent_id(ids_[parent_key]);
    if (row.change == Change::kCreate) c.set_id(InsertCategoryRow(tx_, c, now_));
    if (row.change == Change::kUpdate) {
      auto moved = UpdateCategoryRow(tx_, c, now_);
      if (!moved.ok()) return moved.status();
      for (const std::string& id : *moved) {  // descendants whose path changed with a rename
        v1::Category changed;
        DIRECTORY_RETURN_IF_ERROR(LoadCategory(tx_, id, false, &changed));
        Emit(tx_, "category", "updated", id, changed, ctx_);
      }
    }
    ids_[CategoryPathKey(c.full_path())] = c.id();
    Finish(row, "category");
    return absl::OkStatus();
  }

  absl::Status ApplyCi(PlannedRow<v1::ConfigurationItem>& row) {
    v1::ConfigurationItem& ci = row.resource;
    if (row.change == Change::kCreate) ci.set_id(InsertCiRow(tx_, ci, now_));
    if (row.change == Change::kUpdate && row.fields_changed) {
      DIRECTORY_RETURN_IF_ERROR(UpdateCiRow(tx_, ci, now_));
    }
    ids_[ci.code()] = ci.id();
    for (const v1::CiRelation& r : row.remove_relations) {
      DeleteCiRelation(tx_, r.source_ci_id(), r.target_ci_id(), r.kind());
      Emit(tx_, "ci", "relation_removed", ci.id(), r, ctx_);
    }
    for (v1::CiRelation r : row.add_relations) {
      r.set_source_ci_id(ci.id());
      if (r.target_ci_id().empty()) r.set_target_ci_id(ids_[r.target_code()]);
      InsertCiRelation(tx_, r.source_ci_id(), r.target_ci_id(), r.kind(), now_);
      Emit(tx_, "ci", "relation_added", ci.id(), r, ctx_);
    }
    Finish(row, "ci");
    return absl::OkStatus();
  }

  absl::Status ApplyPerson(PlannedRow<v1::Person>& row) {
    v1::Person& p = row.resource;
    if (row.change == Change::kCreate) p.set_id(InsertPersonRow(tx_, p, now_));
    if (row.change == Change::kUpdate && row.fields_changed) {
      DIRECTORY_RETURN_IF_ERROR(UpdatePersonRow(tx_, p, now_));
    }
    p.set_display_name(DisplayName(p));
    Finish(row, "person");
    for (const v1::GroupRef& g : row.remove_groups) {
      DeleteMembership(tx_, g.id(), p.id());
      Emit(tx_, "group", "member_removed", g.id(), Member(g, p), ctx_);
    }
    for (const v1::GroupRef& g : row.add_groups) {
      InsertMembership(tx_, g.id(), p.id(), now_);
      Emit(tx_, "group", "member_added", g.id(), Member(g, p), ctx_);
    }
    return absl::OkStatus();
  }

  v1::GroupMember Member(const v1::GroupRef& g, const v1::Person& p) const {
    v1::GroupMember m;
    m.set_group_id(g.id());
    m.set_person_id(p.id());
    m.set_group_code(g.code());
    m.set_email(p.email());
    m.set_display_name(p.display_name());
    m.set_person_active(p.active());
    return m;
  }

  // Counts the row and, when its own fields were written, emits the event with the new state
  // (built from what was written rather than read back: one round trip less per row).
  template <typename T>
  void Finish(PlannedRow<T>& row, const std::string& aggregate) {
    T& r = row.resource;
    if (row.change == Change::kCreate) {
      r.set_version(1);
      r.set_active(true);
      SetMicros(now_us_, r.mutable_create_time());
    } else if (row.change == Change::kUpdate && row.fields_changed) {
      r.set_version(r.version() + 1);
    }
    if (row.fields_changed) {
      SetMicros(now_us_, r.mutable_update_time());
      Emit(tx_, aggregate, row.change == Change::kCreate ? "created" : "updated", r.id(), r, ctx_);
    }
    (row.change == Change::kCreate   ? outcome_->created
     : row.change == Change::kUpdate ? outcome_->updated
                                     : outcome_->unchanged)++;
    ++done_;
    if (progress_ && (done_ % kProgressEvery == 0 || done_ == total_)) progress_(done_, total_);
  }

  static void SetMicros(int64_t us, google::protobuf::Timestamp* t) {
    t->set_seconds(us / 1000000);
    t->set_nanos(static_cast<int32_t>(us % 1000000) * 1000);
  }

  pqxx::work& tx_;
  const std::string now_;
  const int64_t now_us_;
  ImportOutcome* outcome_;
  const ApplyProgress& progress_;
  const WriteContext ctx_;  // imports run as the operator at the console, not as a person
  std::unordered_map<std::string, std::string> ids_;  // natural key → id
  int done_ = 0;
  int total_ = 0;
};

}  // namespace

absl::StatusOr<ImportOutcome> DirectoryStore::Import(ImportKind kind, const PlanFunction& plan,
                                                     const ApplyProgress& progress) {
  ImportOutcome outcome;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    outcome = ImportOutcome{};  // Transact may run this again after a serialization failure
    Exec(tx, kImportLock);
    const ImportSnapshot stored = LoadSnapshot(tx, kind);
    outcome.plan = plan(stored);
    if (!outcome.plan.problems.empty()) return absl::OkStatus();  // nothing was written
    Applier applier(tx, clock_, &outcome, progress);
    return applier.Apply(outcome.plan, stored);
  });
  if (!status.ok()) return status;
  return outcome;
}

}  // namespace tiquete::directory
