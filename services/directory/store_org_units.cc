// Org units: the secretariat, its offices, schools and their campuses, as one tree.
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/text.h"
#include "services/directory/domain/text.h"
#include "services/directory/store_internal.h"

namespace tiquete::directory {

using namespace store_internal;  // NOLINT(google-build-using-namespace): this file's helpers

namespace {

#define ORG_UNIT_SELECT \
  "SELECT o.id, o.code, o.name, o.kind, o.parent_id, o.dane_code, o.municipality, "          \
  "o.department, o.address, o.phone, o.email, o.active, o.version, o.sort_key, "             \
  DIRECTORY_MICROS("o.created_at") " AS created_us, " DIRECTORY_MICROS("o.updated_at")       \
  " AS updated_us, p.code AS parent_code FROM org_units o "                                  \
  "LEFT JOIN org_units p ON p.id = o.parent_id "

const Stmt kById = {"dir_org_unit_by_id", ORG_UNIT_SELECT "WHERE o.id = $1"};
const Stmt kByIdForUpdate = {"dir_org_unit_by_id_fu",
                             ORG_UNIT_SELECT "WHERE o.id = $1 FOR UPDATE OF o"};
const Stmt kByCode = {"dir_org_unit_by_code", ORG_UNIT_SELECT "WHERE o.code = $1"};
const Stmt kByDane = {"dir_org_unit_by_dane", ORG_UNIT_SELECT "WHERE o.dane_code = $1"};
const Stmt kInsert = {
    "dir_org_unit_insert",
    "INSERT INTO org_units (code, name, kind, parent_id, dane_code, municipality, department, "
    "address, phone, email, created_at, updated_at) VALUES ($1, $2, $3, $4::uuid, $5, $6, $7, "
    "$8, $9, $10, $11::timestamptz, $11::timestamptz) RETURNING id"};
const Stmt kUpdate = {
    "dir_org_unit_update",
    "UPDATE org_units SET code = $3, name = $4, kind = $5, parent_id = $6::uuid, "
    "dane_code = $7, municipality = $8, department = $9, address = $10, phone = $11, "
    "email = $12, version = version + 1, updated_at = $13::timestamptz "
    "WHERE id = $1 AND version = $2"};
const Stmt kCodeTaken = {"dir_org_unit_code_taken",
                         "SELECT 1 FROM org_units WHERE code = $1 AND id IS DISTINCT FROM "
                         "$2::uuid"};
const Stmt kDaneTaken = {"dir_org_unit_dane_taken",
                         "SELECT code FROM org_units WHERE dane_code = $1 AND id IS DISTINCT "
                         "FROM $2::uuid"};
const Stmt kKind = {"dir_org_unit_kind", "SELECT kind FROM org_units WHERE id = $1"};
const Stmt kChildKinds = {"dir_org_unit_child_kinds",
                          "SELECT DISTINCT kind FROM org_units WHERE parent_id = $1"};
// UNION (not UNION ALL) stops on a loop instead of running forever should one ever exist.
const Stmt kIsAncestor = {
    "dir_org_unit_is_ancestor",
    "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM org_units WHERE id = $1 "
    "UNION SELECT o.id, o.parent_id FROM org_units o JOIN up ON o.id = up.parent_id) "
    "SELECT 1 FROM up WHERE id = $2"};
const Stmt kActiveChildren = {"dir_org_unit_active_children",
                              "SELECT count(*) FROM org_units WHERE parent_id = $1 AND active"};
const Stmt kActivePeople = {"dir_org_unit_active_people",
                            "SELECT count(*) FROM people WHERE org_unit_id = $1 AND active"};

#define ORG_UNIT_FILTERS                                                     \
  "WHERE ($1::boolean IS NULL OR o.active = $1) "                            \
  "AND ($2::text IS NULL OR o.kind = $2) "                                   \
  "AND ($3::uuid IS NULL OR o.parent_id = $3) "                              \
  "AND ($4::text IS NULL OR fold_search(o.municipality) = fold_search($4)) " \
  "AND ($5::text IS NULL OR o.search_text LIKE fold_search($5)) "

const std::string kListSql = ORG_UNIT_SELECT ORG_UNIT_FILTERS
    "AND ($6::text IS NULL OR (o.sort_key, o.id) > ($6::text COLLATE \"C\", $7::uuid)) "
    "ORDER BY o.sort_key, o.id LIMIT $8";
const std::string kCountSql = "SELECT count(*) FROM org_units o " ORG_UNIT_FILTERS;

absl::Status CheckUnique(pqxx::work& tx, const v1::OrgUnit& u, const std::string& self_id) {
  if (!Exec(tx, kCodeTaken, u.code(), Opt(self_id)).empty()) {
    return Error(absl::StatusCode::kAlreadyExists, "CODE_TAKEN",
                 "another org unit has code " + u.code(), "code");
  }
  if (!u.dane_code().empty()) {
    const pqxx::result r = Exec(tx, kDaneTaken, u.dane_code(), Opt(self_id));
    if (!r.empty()) {
      return Error(absl::StatusCode::kAlreadyExists, "DANE_CODE_TAKEN",
                   "DANE code " + u.dane_code() + " belongs to org unit " + r[0][0].c_str(),
                   "dane_code");
    }
  }
  return absl::OkStatus();
}

// The parent must exist, be active when newly chosen, suit the unit's kind and (on a move)
// not lie inside the unit itself.
absl::Status CheckParent(pqxx::work& tx, const v1::OrgUnit& u, const v1::OrgUnit* current) {
  const bool moved = current == nullptr || current->parent_id() != u.parent_id();
  if (!u.parent_id().empty()) {
    DIRECTORY_RETURN_IF_ERROR(CheckReference(tx, Kind::kOrgUnit, u.parent_id(), "parent_id",
                                             /*require_active=*/moved));
    const std::string parent_kind = Exec(tx, kKind, u.parent_id())[0][0].c_str();
    if (const std::string rule = OrgUnitParentRule(u.kind(), parent_kind); !rule.empty()) {
      return Error(absl::StatusCode::kFailedPrecondition, "INVALID_PARENT", rule, "parent_id");
    }
    if (current != nullptr && moved) {
      LockTree(tx, "org_units");
      if (!Exec(tx, kIsAncestor, u.parent_id(), current->id()).empty()) {
        return Error(absl::StatusCode::kFailedPrecondition, "ORG_UNIT_CYCLE",
                     "an org unit cannot be moved under itself or one of its descendants",
                     "parent_id");
      }
    }
  }
  if (current != nullptr && current->kind() != u.kind()) {
    for (const pqxx::row& child : Exec(tx, kChildKinds, current->id())) {
      if (const std::string rule = OrgUnitParentRule(child[0].c_str(), u.kind()); !rule.empty()) {
        return Error(absl::StatusCode::kFailedPrecondition, "INVALID_CHILDREN",
                     "its children no longer fit: " + rule, "kind");
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace store_internal {

const char* const kOrgUnitSelect = ORG_UNIT_SELECT;

v1::OrgUnit ReadOrgUnit(const pqxx::row& row) {
  v1::OrgUnit u;
  u.set_id(row["id"].c_str());
  u.set_code(row["code"].c_str());
  u.set_name(row["name"].c_str());
  u.set_kind(row["kind"].c_str());
  u.set_parent_id(Str(row["parent_id"]));
  u.set_dane_code(Str(row["dane_code"]));
  u.set_municipality(row["municipality"].c_str());
  u.set_department(row["department"].c_str());
  u.set_address(row["address"].c_str());
  u.set_phone(row["phone"].c_str());
  u.set_email(row["email"].c_str());
  u.set_active(row["active"].as<bool>());
  u.set_version(row["version"].as<int64_t>());
  SetTime(row["created_us"], u.mutable_create_time());
  SetTime(row["updated_us"], u.mutable_update_time());
  u.set_parent_code(Str(row["parent_code"]));
  return u;
}

absl::Status LoadOrgUnit(pqxx::work& tx, const std::string& id, bool for_update, v1::OrgUnit* out) {
  const pqxx::result r = Exec(tx, for_update ? kByIdForUpdate : kById, id);
  if (r.empty()) return NotFound("org unit", id);
  *out = ReadOrgUnit(r[0]);
  return absl::OkStatus();
}

std::string InsertOrgUnitRow(pqxx::work& tx, const v1::OrgUnit& u, const std::string& now) {
  return Exec(tx, kInsert, u.code(), u.name(), u.kind(), Opt(u.parent_id()), Opt(u.dane_code()),
              u.municipality(), u.department(), u.address(), u.phone(), u.email(), now)[0][0]
      .c_str();
}

absl::Status UpdateOrgUnitRow(pqxx::work& tx, const v1::OrgUnit& u, const std::string& now) {
  const pqxx::result r = Exec(tx, kUpdate, u.id(), u.version(), u.code(), u.name(), u.kind(),
                              Opt(u.parent_id()), Opt(u.dane_code()), u.municipality(),
                              u.department(), u.address(), u.phone(), u.email(), now);
  if (r.affected_rows() == 0) {
    return Error(absl::StatusCode::kAborted, "STALE_VERSION",
                 "org unit " + u.code() + " changed while this write was prepared", "version");
  }
  return absl::OkStatus();
}

}  // namespace store_internal

absl::StatusOr<v1::OrgUnit> DirectoryStore::CreateOrgUnit(const v1::OrgUnit& unit,
                                                          const WriteContext& ctx) {
  v1::OrgUnit out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto first = ClaimCreate(tx, "directory.org_unit.create", ctx);
    if (!first.ok()) return first.status();
    if (first->has_value()) return LoadOrgUnit(tx, **first, false, &out);
    DIRECTORY_RETURN_IF_ERROR(CheckUnique(tx, unit, ""));
    DIRECTORY_RETURN_IF_ERROR(CheckParent(tx, unit, nullptr));
    const std::string id = InsertOrgUnitRow(tx, unit, NowText(clock_));
    RecordCreate(tx, "directory.org_unit.create", ctx, id);
    DIRECTORY_RETURN_IF_ERROR(LoadOrgUnit(tx, id, false, &out));
    Emit(tx, "org_unit", "created", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::OrgUnit> DirectoryStore::UpdateOrgUnit(const std::string& id, int64_t version,
                                                          const v1::OrgUnit& unit,
                                                          const WriteContext& ctx) {
  v1::OrgUnit out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::OrgUnit current;
    DIRECTORY_RETURN_IF_ERROR(LoadOrgUnit(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kOrgUnit, id, current.version(), version));
    v1::OrgUnit desired = unit;
    desired.set_id(id);
    desired.set_version(version);
    if (SameMutableFields(desired, current)) {
      out = current;
      return absl::OkStatus();
    }
    DIRECTORY_RETURN_IF_ERROR(CheckUnique(tx, desired, id));
    DIRECTORY_RETURN_IF_ERROR(CheckParent(tx, desired, &current));
    DIRECTORY_RETURN_IF_ERROR(UpdateOrgUnitRow(tx, desired, NowText(clock_)));
    DIRECTORY_RETURN_IF_ERROR(LoadOrgUnit(tx, id, false, &out));
    Emit(tx, "org_unit", "updated", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::OrgUnit> DirectoryStore::SetOrgUnitActive(const std::string& id, int64_t version,
                                                             bool active, const WriteContext& ctx) {
  v1::OrgUnit out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::OrgUnit current;
    DIRECTORY_RETURN_IF_ERROR(LoadOrgUnit(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kOrgUnit, id, current.version(), version));
    if (current.active() == active) {
      out = current;
      return absl::OkStatus();
    }
    if (active && !current.parent_id().empty()) {
      DIRECTORY_RETURN_IF_ERROR(
          CheckReference(tx, Kind::kOrgUnit, current.parent_id(), "parent_id"));
    }
    if (!active) {
      // Deactivating must not strand active units or people somewhere nobody can pick.
      if (Exec(tx, kActiveChildren, id)[0][0].as<int64_t>() > 0) {
        return Error(absl::StatusCode::kFailedPrecondition, "HAS_ACTIVE_CHILDREN",
                     "deactivate or move its active child units first", "id");
      }
      if (Exec(tx, kActivePeople, id)[0][0].as<int64_t>() > 0) {
        return Error(absl::StatusCode::kFailedPrecondition, "HAS_ACTIVE_PEOPLE",
                     "deactivate or move the active people of this unit first", "id");
      }
    }
    WriteActive(tx, Kind::kOrgUnit, id, active, NowText(clock_));
    DIRECTORY_RETURN_IF_ERROR(LoadOrgUnit(tx, id, false, &out));
    Emit(tx, "org_unit", active ? "reactivated" : "deactivated", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::OrgUnit> DirectoryStore::GetOrgUnit(const std::string& id) {
  v1::OrgUnit out;
  const absl::Status status =
      pool_.Read([&](pqxx::work& tx) { return LoadOrgUnit(tx, id, false, &out); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::OrgUnit> DirectoryStore::LookupOrgUnit(const std::string& code,
                                                          const std::string& dane_code) {
  v1::OrgUnit out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    const pqxx::result r = code.empty() ? Exec(tx, kByDane, dane_code) : Exec(tx, kByCode, code);
    if (r.empty()) return NotFound("org unit", code.empty() ? dane_code : code);
    out = ReadOrgUnit(r[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ListOrgUnitsResponse> DirectoryStore::ListOrgUnits(
    const v1::ListOrgUnitsRequest& request, const PageArgs& page) {
  v1::ListOrgUnitsResponse out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    const auto active = request.has_active() ? std::optional<bool>(request.active()) : std::nullopt;
    const auto kind = Opt(request.kind());
    const auto parent = Opt(request.parent_id());
    const auto municipality = Opt(text::CollapseAsciiSpaces(request.municipality()));
    const auto query = Opt(ContainsWordsPattern(request.query()));
    const pqxx::result rows =
        PageRows(tx, kListSql, page, active, kind, parent, municipality, query);
    for (size_t i = 0; i < PageLength(rows, page); ++i) {
      *out.add_org_units() = ReadOrgUnit(rows[i]);
    }
    out.set_next_page_token(NextPageToken(rows, page));
    if (page.include_total) {
      out.set_total_size(
          tx.exec_params1(kCountSql, active, kind, parent, municipality, query)[0].as<int>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::directory
