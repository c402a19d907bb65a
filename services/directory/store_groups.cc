// Support groups (desk levels L1-L3, providers, management, security) and their members.
#include "common/errors.h"
#include "services/directory/domain/text.h"
#include "services/directory/store_internal.h"

namespace tiquete::directory {

using namespace store_internal;  // NOLINT(google-build-using-namespace): this file's helpers

namespace {

#define GROUP_SELECT                                                                              \
  "SELECT g.id, g.code, g.name, g.level, g.kind, g.contract_reference, g.email, g.active, "       \
  "g.version, g.sort_key, " DIRECTORY_MICROS("g.created_at") " AS created_us, " DIRECTORY_MICROS( \
      "g.updated_at") " AS updated_us FROM support_groups g "

const Stmt kById = {"dir_group_by_id", GROUP_SELECT "WHERE g.id = $1"};
const Stmt kByIdForUpdate = {"dir_group_by_id_fu", GROUP_SELECT "WHERE g.id = $1 FOR UPDATE"};
const Stmt kInsert = {
    "dir_group_insert",
    "INSERT INTO support_groups (code, name, level, kind, contract_reference, email, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $7::timestamptz) "
    "RETURNING id"};
const Stmt kUpdate = {
    "dir_group_update",
    "UPDATE support_groups SET code = $3, name = $4, level = $5, kind = $6, "
    "contract_reference = $7, email = $8, version = version + 1, updated_at = $9::timestamptz "
    "WHERE id = $1 AND version = $2"};
const Stmt kCodeTaken = {"dir_group_code_taken",
                         "SELECT 1 FROM support_groups WHERE code = $1 AND id IS DISTINCT FROM "
                         "$2::uuid"};
const Stmt kMember = {
    "dir_member_get",
    "SELECT m.group_id, m.person_id, g.code AS group_code, p.email, p.given_name, "
    "p.family_name, p.active, p.sort_key, p.id, " DIRECTORY_MICROS("m.created_at") " AS "
    "created_us FROM group_members m JOIN support_groups g ON g.id = m.group_id "
    "JOIN people p ON p.id = m.person_id WHERE m.group_id = $1 AND m.person_id = $2"};

#define GROUP_FILTERS                             \
  "WHERE ($1::boolean IS NULL OR g.active = $1) " \
  "AND ($2::text IS NULL OR g.level = $2) "       \
  "AND ($3::text IS NULL OR g.kind = $3) "        \
  "AND ($4::text IS NULL OR g.search_text LIKE fold_search($4)) "

const std::string kListSql = GROUP_SELECT GROUP_FILTERS
    "AND ($5::text IS NULL OR (g.sort_key, g.id) > ($5::text COLLATE \"C\", $6::uuid)) "
    "ORDER BY g.sort_key, g.id LIMIT $7";
const std::string kCountSql = "SELECT count(*) FROM support_groups g " GROUP_FILTERS;

// Members ordered like people lists; the cursor is the person's sort key and id.
const std::string kMembersSql =
    "SELECT m.group_id, m.person_id, g.code AS group_code, p.email, p.given_name, "
    "p.family_name, p.active, p.sort_key, p.id, " DIRECTORY_MICROS("m.created_at") " AS "
    "created_us FROM group_members m JOIN support_groups g ON g.id = m.group_id "
    "JOIN people p ON p.id = m.person_id WHERE m.group_id = $1 "
    "AND ($2::boolean IS NULL OR p.active = $2) "
    "AND ($3::text IS NULL OR (p.sort_key, p.id) > ($3::text COLLATE \"C\", $4::uuid)) "
    "ORDER BY p.sort_key, p.id LIMIT $5";

v1::GroupMember ReadMember(const pqxx::row& row) {
  v1::GroupMember m;
  m.set_group_id(row["group_id"].c_str());
  m.set_person_id(row["person_id"].c_str());
  m.set_group_code(row["group_code"].c_str());
  m.set_email(row["email"].c_str());
  v1::Person p;
  p.set_given_name(row["given_name"].c_str());
  p.set_family_name(row["family_name"].c_str());
  m.set_display_name(DisplayName(p));
  m.set_person_active(row["active"].as<bool>());
  SetTime(row["created_us"], m.mutable_create_time());
  return m;
}

absl::Status CheckUnique(pqxx::work& tx, const v1::Group& g, const std::string& self_id) {
  if (!Exec(tx, kCodeTaken, g.code(), Opt(self_id)).empty()) {
    return Error(absl::StatusCode::kAlreadyExists, "CODE_TAKEN",
                 "another group has code " + g.code(), "code");
  }
  return absl::OkStatus();
}

}  // namespace

namespace store_internal {

const char* const kGroupSelect = GROUP_SELECT;

v1::Group ReadGroup(const pqxx::row& row) {
  v1::Group g;
  g.set_id(row["id"].c_str());
  g.set_code(row["code"].c_str());
  g.set_name(row["name"].c_str());
  g.set_level(row["level"].c_str());
  g.set_kind(row["kind"].c_str());
  g.set_contract_reference(row["contract_reference"].c_str());
  g.set_email(row["email"].c_str());
  g.set_active(row["active"].as<bool>());
  g.set_version(row["version"].as<int64_t>());
  SetTime(row["created_us"], g.mutable_create_time());
  SetTime(row["updated_us"], g.mutable_update_time());
  return g;
}

absl::Status LoadGroup(pqxx::work& tx, const std::string& id, bool for_update, v1::Group* out) {
  const pqxx::result r = Exec(tx, for_update ? kByIdForUpdate : kById, id);
  if (r.empty()) return NotFound("group", id);
  *out = ReadGroup(r[0]);
  return absl::OkStatus();
}

std::string InsertGroupRow(pqxx::work& tx, const v1::Group& g, const std::string& now) {
  return Exec(tx, kInsert, g.code(), g.name(), g.level(), g.kind(), g.contract_reference(),
              g.email(), now)[0][0]
      .c_str();
}

absl::Status UpdateGroupRow(pqxx::work& tx, const v1::Group& g, const std::string& now) {
  const pqxx::result r = Exec(tx, kUpdate, g.id(), g.version(), g.code(), g.name(), g.level(),
                              g.kind(), g.contract_reference(), g.email(), now);
  if (r.affected_rows() == 0) {
    return Error(absl::StatusCode::kAborted, "STALE_VERSION",
                 "group " + g.code() + " changed while this write was prepared", "version");
  }
  return absl::OkStatus();
}

}  // namespace store_internal

absl::StatusOr<v1::Group> DirectoryStore::CreateGroup(const v1::Group& group,
                                                      const WriteContext& ctx) {
  v1::Group out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto first = ClaimCreate(tx, "directory.group.create", ctx);
    if (!first.ok()) return first.status();
    if (first->has_value()) return LoadGroup(tx, **first, false, &out);
    DIRECTORY_RETURN_IF_ERROR(CheckUnique(tx, group, ""));
    const std::string id = InsertGroupRow(tx, group, NowText(clock_));
    RecordCreate(tx, "directory.group.create", ctx, id);
    DIRECTORY_RETURN_IF_ERROR(LoadGroup(tx, id, false, &out));
    Emit(tx, "group", "created", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Group> DirectoryStore::UpdateGroup(const std::string& id, int64_t version,
                                                      const v1::Group& group,
                                                      const WriteContext& ctx) {
  v1::Group out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::Group current;
    DIRECTORY_RETURN_IF_ERROR(LoadGroup(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kGroup, id, current.version(), version));
    v1::Group desired = group;
    desired.set_id(id);
    desired.set_version(version);
    if (SameMutableFields(desired, current)) {
      out = current;
      return absl::OkStatus();
    }
    DIRECTORY_RETURN_IF_ERROR(CheckUnique(tx, desired, id));
    DIRECTORY_RETURN_IF_ERROR(UpdateGroupRow(tx, desired, NowText(clock_)));
    DIRECTORY_RETURN_IF_ERROR(LoadGroup(tx, id, false, &out));
    Emit(tx, "group", "updated", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Group> DirectoryStore::SetGroupActive(const std::string& id, int64_t version,
                                                         bool active, const WriteContext& ctx) {
  v1::Group out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::Group current;
    DIRECTORY_RETURN_IF_ERROR(LoadGroup(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kGroup, id, current.version(), version));
    if (current.active() != active) {
      WriteActive(tx, Kind::kGroup, id, active, NowText(clock_));
      DIRECTORY_RETURN_IF_ERROR(LoadGroup(tx, id, false, &current));
      Emit(tx, "group", active ? "reactivated" : "deactivated", id, current, ctx);
    }
    out = current;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Group> DirectoryStore::GetGroup(const std::string& id) {
  v1::Group out;
  const absl::Status status =
      pool_.Read([&](pqxx::work& tx) { return LoadGroup(tx, id, false, &out); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ListGroupsResponse> DirectoryStore::ListGroups(
    const v1::ListGroupsRequest& request, const PageArgs& page) {
  v1::ListGroupsResponse out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    const auto active = request.has_active() ? std::optional<bool>(request.active()) : std::nullopt;
    const auto level = Opt(request.level());
    const auto kind = Opt(request.kind());
    const auto query = Opt(ContainsWordsPattern(request.query()));
    const pqxx::result rows = PageRows(tx, kListSql, page, active, level, kind, query);
    for (size_t i = 0; i < PageLength(rows, page); ++i) *out.add_groups() = ReadGroup(rows[i]);
    out.set_next_page_token(NextPageToken(rows, page));
    if (page.include_total) {
      out.set_total_size(tx.exec_params1(kCountSql, active, level, kind, query)[0].as<int>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::GroupMember> DirectoryStore::AddGroupMember(const std::string& group_id,
                                                               const std::string& person_id,
                                                               const WriteContext& ctx) {
  v1::GroupMember out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    DIRECTORY_RETURN_IF_ERROR(CheckReference(tx, Kind::kGroup, group_id, "group_id"));
    DIRECTORY_RETURN_IF_ERROR(CheckReference(tx, Kind::kPerson, person_id, "person_id"));
    const v1::GroupMember inserted = InsertMembership(tx, group_id, person_id, NowText(clock_));
    if (!inserted.has_create_time()) {
      return Error(absl::StatusCode::kAlreadyExists, "ALREADY_MEMBER",
                   "the person already belongs to the group", "person_id");
    }
    out = ReadMember(Exec(tx, kMember, group_id, person_id)[0]);
    Emit(tx, "group", "member_added", group_id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::GroupMember> DirectoryStore::RemoveGroupMember(const std::string& group_id,
                                                                  const std::string& person_id,
                                                                  const WriteContext& ctx) {
  v1::GroupMember out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    const pqxx::result r = Exec(tx, kMember, group_id, person_id);
    if (r.empty()) {
      return Error(absl::StatusCode::kNotFound, "NOT_A_MEMBER",
                   "the person does not belong to the group", "person_id");
    }
    out = ReadMember(r[0]);
    DeleteMembership(tx, group_id, person_id);
    Emit(tx, "group", "member_removed", group_id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ListGroupMembersResponse> DirectoryStore::ListGroupMembers(
    const v1::ListGroupMembersRequest& request, const PageArgs& page) {
  v1::ListGroupMembersResponse out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    DIRECTORY_RETURN_IF_ERROR(CheckReference(tx, Kind::kGroup, request.group_id(), "group_id",
                                             /*require_active=*/false));
    const auto active = request.has_active() ? std::optional<bool>(request.active()) : std::nullopt;
    const pqxx::result rows = PageRows(tx, kMembersSql, page, request.group_id(), active);
    for (size_t i = 0; i < PageLength(rows, page); ++i) *out.add_members() = ReadMember(rows[i]);
    out.set_next_page_token(NextPageToken(rows, page));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::directory
