// Configuration items (the CMDB side of the directory) and the relations between them.
#include "common/errors.h"
#include "services/directory/domain/text.h"
#include "services/directory/store_internal.h"

namespace tiquete::directory {

using namespace store_internal;  // NOLINT(google-build-using-namespace): this file's helpers

namespace {

#define CI_SELECT \
  "SELECT ci.id, ci.code, ci.name, ci.type, ci.service_id, ci.owner_group_id, "           \
  "ci.criticality, ci.active, ci.version, ci.sort_key, "                                  \
  DIRECTORY_MICROS("ci.created_at") " AS created_us, " DIRECTORY_MICROS("ci.updated_at")  \
  " AS updated_us, s.code AS service_code, g.code AS owner_group_code "                   \
  "FROM configuration_items ci LEFT JOIN it_services s ON s.id = ci.service_id "          \
  "LEFT JOIN support_groups g ON g.id = ci.owner_group_id "

const Stmt kCiById = {"dir_ci_by_id", CI_SELECT "WHERE ci.id = $1"};
const Stmt kCiByIdForUpdate = {"dir_ci_by_id_fu", CI_SELECT "WHERE ci.id = $1 FOR UPDATE OF ci"};
const Stmt kCiInsert = {
    "dir_ci_insert",
    "INSERT INTO configuration_items (code, name, type, service_id, owner_group_id, "
    "criticality, created_at, updated_at) VALUES ($1, $2, $3, $4::uuid, $5::uuid, $6, "
    "$7::timestamptz, $7::timestamptz) RETURNING id"};
const Stmt kCiUpdate = {
    "dir_ci_update",
    "UPDATE configuration_items SET code = $3, name = $4, type = $5, service_id = $6::uuid, "
    "owner_group_id = $7::uuid, criticality = $8, version = version + 1, "
    "updated_at = $9::timestamptz WHERE id = $1 AND version = $2"};
const Stmt kCiCodeTaken = {"dir_ci_code_taken",
                           "SELECT 1 FROM configuration_items WHERE code = $1 AND id IS "
                           "DISTINCT FROM $2::uuid"};
const Stmt kRelationsOf = {
    "dir_ci_relations_of",
    "SELECT r.source_id, r.target_id, r.kind, s.code AS source_code, t.code AS target_code, "
    DIRECTORY_MICROS("r.created_at") " AS created_us FROM ci_relations r "
    "JOIN configuration_items s ON s.id = r.source_id "
    "JOIN configuration_items t ON t.id = r.target_id "
    "WHERE r.source_id = $1 OR r.target_id = $1 ORDER BY r.kind, s.code, t.code"};
const Stmt kRelationInsert = {"dir_ci_relation_insert",
                              "INSERT INTO ci_relations (source_id, target_id, kind, created_at) "
                              "VALUES ($1, $2, $3, $4::timestamptz) ON CONFLICT DO NOTHING"};
// connected_to has no direction: B–A is the same link as A–B.
const Stmt kRelationExists = {
    "dir_ci_relation_exists",
    "SELECT 1 FROM ci_relations WHERE kind = $3 AND ((source_id = $1 AND target_id = $2) OR "
    "($3 = 'connected_to' AND source_id = $2 AND target_id = $1))"};
const Stmt kRelationDelete = {
    "dir_ci_relation_delete",
    "DELETE FROM ci_relations WHERE kind = $3 AND ((source_id = $1 AND target_id = $2) OR "
    "($3 = 'connected_to' AND source_id = $2 AND target_id = $1)) RETURNING source_id"};
const Stmt kCodeOf = {"dir_ci_code_of", "SELECT code FROM configuration_items WHERE id = $1"};

#define CI_FILTERS                                    \
  "WHERE ($1::boolean IS NULL OR ci.active = $1) "    \
  "AND ($2::text IS NULL OR ci.type = $2) "           \
  "AND ($3::uuid IS NULL OR ci.service_id = $3) "     \
  "AND ($4::uuid IS NULL OR ci.owner_group_id = $4) " \
  "AND ($5::text IS NULL OR ci.criticality = $5) "    \
  "AND ($6::text IS NULL OR ci.search_text LIKE fold_search($6)) "

const std::string kCiListSql = CI_SELECT CI_FILTERS
    "AND ($7::text IS NULL OR (ci.sort_key, ci.id) > ($7::text COLLATE \"C\", $8::uuid)) "
    "ORDER BY ci.sort_key, ci.id LIMIT $9";
const std::string kCiCountSql = "SELECT count(*) FROM configuration_items ci " CI_FILTERS;

absl::Status CheckCiUnique(pqxx::work& tx, const v1::ConfigurationItem& ci,
                           const std::string& self) {
  if (!Exec(tx, kCiCodeTaken, ci.code(), Opt(self)).empty()) {
    return Error(absl::StatusCode::kAlreadyExists, "CODE_TAKEN",
                 "another configuration item has code " + ci.code(), "code");
  }
  return absl::OkStatus();
}

// References are checked for being active only when they change, so an item whose service
// was retired can still be edited.
absl::Status CheckCiReferences(pqxx::work& tx, const v1::ConfigurationItem& ci,
                               const v1::ConfigurationItem* current) {
  if (!ci.service_id().empty() && (!current || current->service_id() != ci.service_id())) {
    DIRECTORY_RETURN_IF_ERROR(CheckReference(tx, Kind::kService, ci.service_id(), "service_id"));
  }
  if (!ci.owner_group_id().empty() &&
      (!current || current->owner_group_id() != ci.owner_group_id())) {
    DIRECTORY_RETURN_IF_ERROR(
        CheckReference(tx, Kind::kGroup, ci.owner_group_id(), "owner_group_id"));
  }
  return absl::OkStatus();
}

v1::CiRelation ReadRelation(const pqxx::row& row) {
  v1::CiRelation r;
  r.set_source_ci_id(row["source_id"].c_str());
  r.set_target_ci_id(row["target_id"].c_str());
  r.set_kind(row["kind"].c_str());
  r.set_source_code(row["source_code"].c_str());
  r.set_target_code(row["target_code"].c_str());
  SetTime(row["created_us"], r.mutable_create_time());
  return r;
}

}  // namespace

namespace store_internal {

const char* const kCiSelect = CI_SELECT;

v1::ConfigurationItem ReadCi(const pqxx::row& row) {
  v1::ConfigurationItem ci;
  ci.set_id(row["id"].c_str());
  ci.set_code(row["code"].c_str());
  ci.set_name(row["name"].c_str());
  ci.set_type(row["type"].c_str());
  ci.set_service_id(Str(row["service_id"]));
  ci.set_owner_group_id(Str(row["owner_group_id"]));
  ci.set_criticality(row["criticality"].c_str());
  ci.set_active(row["active"].as<bool>());
  ci.set_version(row["version"].as<int64_t>());
  SetTime(row["created_us"], ci.mutable_create_time());
  SetTime(row["updated_us"], ci.mutable_update_time());
  ci.set_service_code(Str(row["service_code"]));
  ci.set_owner_group_code(Str(row["owner_group_code"]));
  return ci;
}

void LoadCiRelations(pqxx::work& tx, v1::ConfigurationItem* ci) {
  ci->clear_relations();
  for (const pqxx::row& row : Exec(tx, kRelationsOf, ci->id())) {
    *ci->add_relations() = ReadRelation(row);
  }
}

absl::Status LoadCi(pqxx::work& tx, const std::string& id, bool for_update,
                    v1::ConfigurationItem* out) {
  const pqxx::result r = Exec(tx, for_update ? kCiByIdForUpdate : kCiById, id);
  if (r.empty()) return NotFound("configuration item", id);
  *out = ReadCi(r[0]);
  LoadCiRelations(tx, out);
  return absl::OkStatus();
}

std::string InsertCiRow(pqxx::work& tx, const v1::ConfigurationItem& ci, const std::string& now) {
  return Exec(tx, kCiInsert, ci.code(), ci.name(), ci.type(), Opt(ci.service_id()),
              Opt(ci.owner_group_id()), ci.criticality(), now)[0][0]
      .c_str();
}

absl::Status UpdateCiRow(pqxx::work& tx, const v1::ConfigurationItem& ci, const std::string& now) {
  const pqxx::result r =
      Exec(tx, kCiUpdate, ci.id(), ci.version(), ci.code(), ci.name(), ci.type(),
           Opt(ci.service_id()), Opt(ci.owner_group_id()), ci.criticality(), now);
  if (r.affected_rows() == 0) {
    return Error(absl::StatusCode::kAborted, "STALE_VERSION",
                 "configuration item " + ci.code() + " changed while this write was prepared",
                 "version");
  }
  return absl::OkStatus();
}

v1::CiRelation InsertCiRelation(pqxx::work& tx, const std::string& source_id,
                                const std::string& target_id, const std::string& kind,
                                const std::string& now) {
  Exec(tx, kRelationInsert, source_id, target_id, kind, now);
  v1::CiRelation r;
  r.set_source_ci_id(source_id);
  r.set_target_ci_id(target_id);
  r.set_kind(kind);
  r.set_source_code(Exec(tx, kCodeOf, source_id)[0][0].c_str());
  r.set_target_code(Exec(tx, kCodeOf, target_id)[0][0].c_str());
  return r;
}

bool DeleteCiRelation(pqxx::work& tx, const std::string& source_id, const std::string& target_id,
                      const std::string& kind) {
  return !Exec(tx, kRelationDelete, source_id, target_id, kind).empty();
}

}  // namespace store_internal

absl::StatusOr<v1::ConfigurationItem> DirectoryStore::CreateConfigurationItem(
    const v1::ConfigurationItem& ci, const WriteContext& ctx) {
  v1::ConfigurationItem out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto first = ClaimCreate(tx, "directory.ci.create", ctx);
    if (!first.ok()) return first.status();
    if (first->has_value()) return LoadCi(tx, **first, false, &out);
    DIRECTORY_RETURN_IF_ERROR(CheckCiReferences(tx, ci, nullptr));
    DIRECTORY_RETURN_IF_ERROR(CheckCiUnique(tx, ci, ""));
    const std::string id = InsertCiRow(tx, ci, NowText(clock_));
    RecordCreate(tx, "directory.ci.create", ctx, id);
    DIRECTORY_RETURN_IF_ERROR(LoadCi(tx, id, false, &out));
    Emit(tx, "ci", "created", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ConfigurationItem> DirectoryStore::UpdateConfigurationItem(
    const std::string& id, int64_t version, const v1::ConfigurationItem& ci,
    const WriteContext& ctx) {
  v1::ConfigurationItem out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::ConfigurationItem current;
    DIRECTORY_RETURN_IF_ERROR(LoadCi(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kCi, id, current.version(), version));
    v1::ConfigurationItem desired = ci;
    desired.set_id(id);
    desired.set_version(version);
    if (SameMutableFields(desired, current)) {
      out = current;
      return absl::OkStatus();
    }
    DIRECTORY_RETURN_IF_ERROR(CheckCiReferences(tx, desired, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckCiUnique(tx, desired, id));
    DIRECTORY_RETURN_IF_ERROR(UpdateCiRow(tx, desired, NowText(clock_)));
    DIRECTORY_RETURN_IF_ERROR(LoadCi(tx, id, false, &out));
    Emit(tx, "ci", "updated", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ConfigurationItem> DirectoryStore::SetConfigurationItemActive(
    const std::string& id, int64_t version, bool active, const WriteContext& ctx) {
  v1::ConfigurationItem out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::ConfigurationItem current;
    DIRECTORY_RETURN_IF_ERROR(LoadCi(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kCi, id, current.version(), version));
    if (current.active() != active) {
      WriteActive(tx, Kind::kCi, id, active, NowText(clock_));
      DIRECTORY_RETURN_IF_ERROR(LoadCi(tx, id, false, &current));
      Emit(tx, "ci", active ? "reactivated" : "deactivated", id, current, ctx);
    }
    out = current;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ConfigurationItem> DirectoryStore::GetConfigurationItem(const std::string& id) {
  v1::ConfigurationItem out;
  const absl::Status status =
      pool_.Read([&](pqxx::work& tx) { return LoadCi(tx, id, false, &out); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ListConfigurationItemsResponse> DirectoryStore::ListConfigurationItems(
    const v1::ListConfigurationItemsRequest& request, const PageArgs& page) {
  v1::ListConfigurationItemsResponse out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    const auto active = request.has_active() ? std::optional<bool>(request.active()) : std::nullopt;
    const auto type = Opt(request.type());
    const auto service = Opt(request.service_id());
    const auto owner = Opt(request.owner_group_id());
    const auto criticality = Opt(request.criticality());
    const auto query = Opt(ContainsWordsPattern(request.query()));
    const pqxx::result rows =
        PageRows(tx, kCiListSql, page, active, type, service, owner, criticality, query);
    for (size_t i = 0; i < PageLength(rows, page); ++i) {
      *out.add_configuration_items() = ReadCi(rows[i]);
    }
    out.set_next_page_token(NextPageToken(rows, page));
    if (page.include_total) {
      out.set_total_size(
          tx.exec_params1(kCiCountSql, active, type, service, owner, criticality, query)[0]
              .as<int>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::CiRelation> DirectoryStore::AddCiRelation(const v1::CiRelationRequest& relation,
                                                             const WriteContext& ctx) {
  v1::CiRelation out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    DIRECTORY_RETURN_IF_ERROR(
        CheckReference(tx, Kind::kCi, relation.source_ci_id(), "source_ci_id"));
    DIRECTORY_RETURN_IF_ERROR(
        CheckReference(tx, Kind::kCi, relation.target_ci_id(), "target_ci_id"));
    if (!Exec(tx, kRelationExists, relation.source_ci_id(), relation.target_ci_id(),
              relation.kind())
             .empty()) {
      return Error(absl::StatusCode::kAlreadyExists, "RELATION_EXISTS",
                   "the two configuration items are already related this way", "target_ci_id");
    }
    out = InsertCiRelation(tx, relation.source_ci_id(), relation.target_ci_id(), relation.kind(),
                           NowText(clock_));
    Emit(tx, "ci", "relation_added", relation.source_ci_id(), out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::CiRelation> DirectoryStore::RemoveCiRelation(
    const v1::CiRelationRequest& relation, const WriteContext& ctx) {
  v1::CiRelation out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    if (!DeleteCiRelation(tx, relation.source_ci_id(), relation.target_ci_id(), relation.kind())) {
      return Error(absl::StatusCode::kNotFound, "RELATION_NOT_FOUND",
                   "the two configuration items are not related this way", "target_ci_id");
    }
    out.set_source_ci_id(relation.source_ci_id());
    out.set_target_ci_id(relation.target_ci_id());
    out.set_kind(relation.kind());
    out.set_source_code(Exec(tx, kCodeOf, relation.source_ci_id())[0][0].c_str());
    out.set_target_code(Exec(tx, kCodeOf, relation.target_ci_id())[0][0].c_str());
    Emit(tx, "ci", "relation_removed", relation.source_ci_id(), out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::directory
