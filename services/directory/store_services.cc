// IT services: what the desk supports, each owned by a group.
#include "common/errors.h"
#include "services/directory/domain/text.h"
#include "services/directory/store_internal.h"

namespace tiquete::directory {

using namespace store_internal;  // NOLINT(google-build-using-namespace): this file's helpers

namespace {

#define SERVICE_SELECT \
  "SELECT s.id, s.code, s.name, s.description, s.owner_group_id, s.criticality, s.active, " \
  "s.version, s.sort_key, " DIRECTORY_MICROS("s.created_at") " AS created_us, "            \
  DIRECTORY_MICROS("s.updated_at") " AS updated_us, g.code AS owner_group_code "           \
  "FROM it_services s JOIN support_groups g ON g.id = s.owner_group_id "

const Stmt kServiceById = {"dir_service_by_id", SERVICE_SELECT "WHERE s.id = $1"};
const Stmt kServiceByIdForUpdate = {"dir_service_by_id_fu",
                                    SERVICE_SELECT "WHERE s.id = $1 FOR UPDATE OF s"};
const Stmt kServiceInsert = {
    "dir_service_insert",
    "INSERT INTO it_services (code, name, description, owner_group_id, criticality, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4::uuid, $5, $6::timestamptz, "
    "$6::timestamptz) RETURNING id"};
const Stmt kServiceUpdate = {
    "dir_service_update",
    "UPDATE it_services SET code = $3, name = $4, description = $5, owner_group_id = $6::uuid, "
    "criticality = $7, version = version + 1, updated_at = $8::timestamptz "
    "WHERE id = $1 AND version = $2"};
const Stmt kServiceCodeTaken = {"dir_service_code_taken",
                                "SELECT 1 FROM it_services WHERE code = $1 AND id IS DISTINCT "
                                "FROM $2::uuid"};

#define SERVICE_FILTERS                              \
  "WHERE ($1::boolean IS NULL OR s.active = $1) "    \
  "AND ($2::uuid IS NULL OR s.owner_group_id = $2) " \
  "AND ($3::text IS NULL OR s.criticality = $3) "    \
  "AND ($4::text IS NULL OR s.search_text LIKE fold_search($4)) "

const std::string kServiceListSql = SERVICE_SELECT SERVICE_FILTERS
    "AND ($5::text IS NULL OR (s.sort_key, s.id) > ($5::text COLLATE \"C\", $6::uuid)) "
    "ORDER BY s.sort_key, s.id LIMIT $7";
const std::string kServiceCountSql = "SELECT count(*) FROM it_services s " SERVICE_FILTERS;

absl::Status CheckServiceUnique(pqxx::work& tx, const v1::ItService& s, const std::string& self) {
  if (!Exec(tx, kServiceCodeTaken, s.code(), Opt(self)).empty()) {
    return Error(absl::StatusCode::kAlreadyExists, "CODE_TAKEN",
                 "another service has code " + s.code(), "code");
  }
  return absl::OkStatus();
}

}  // namespace

namespace store_internal {

const char* const kItServiceSelect = SERVICE_SELECT;

v1::ItService ReadItService(const pqxx::row& row) {
  v1::ItService s;
  s.set_id(row["id"].c_str());
  s.set_code(row["code"].c_str());
  s.set_name(row["name"].c_str());
  s.set_description(row["description"].c_str());
  s.set_owner_group_id(row["owner_group_id"].c_str());
  s.set_criticality(row["criticality"].c_str());
  s.set_active(row["active"].as<bool>());
  s.set_version(row["version"].as<int64_t>());
  SetTime(row["created_us"], s.mutable_create_time());
  SetTime(row["updated_us"], s.mutable_update_time());
  s.set_owner_group_code(row["owner_group_code"].c_str());
  return s;
}

absl::Status LoadItService(pqxx::work& tx, const std::string& id, bool for_update,
                           v1::ItService* out) {
  const pqxx::result r = Exec(tx, for_update ? kServiceByIdForUpdate : kServiceById, id);
  if (r.empty()) return NotFound("service", id);
  *out = ReadItService(r[0]);
  return absl::OkStatus();
}

std::string InsertItServiceRow(pqxx::work& tx, const v1::ItService& s, const std::string& now) {
  return Exec(tx, kServiceInsert, s.code(), s.name(), s.description(), s.owner_group_id(),
              s.criticality(), now)[0][0]
      .c_str();
}

absl::Status UpdateItServiceRow(pqxx::work& tx, const v1::ItService& s, const std::string& now) {
  const pqxx::result r = Exec(tx, kServiceUpdate, s.id(), s.version(), s.code(), s.name(),
                              s.description(), s.owner_group_id(), s.criticality(), now);
  if (r.affected_rows() == 0) {
    return Error(absl::StatusCode::kAborted, "STALE_VERSION",
                 "service " + s.code() + " changed while this write was prepared", "version");
  }
  return absl::OkStatus();
}

}  // namespace store_internal

absl::StatusOr<v1::ItService> DirectoryStore::CreateItService(const v1::ItService& service,
                                                              const WriteContext& ctx) {
  v1::ItService out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto first = ClaimCreate(tx, "directory.service.create", ctx);
    if (!first.ok()) return first.status();
    if (first->has_value()) return LoadItService(tx, **first, false, &out);
    DIRECTORY_RETURN_IF_ERROR(
        CheckReference(tx, Kind::kGroup, service.owner_group_id(), "owner_group_id"));
    DIRECTORY_RETURN_IF_ERROR(CheckServiceUnique(tx, service, ""));
    const std::string id = InsertItServiceRow(tx, service, NowText(clock_));
    RecordCreate(tx, "directory.service.create", ctx, id);
    DIRECTORY_RETURN_IF_ERROR(LoadItService(tx, id, false, &out));
    Emit(tx, "service", "created", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ItService> DirectoryStore::UpdateItService(const std::string& id,
                                                              int64_t version,
                                                              const v1::ItService& service,
                                                              const WriteContext& ctx) {
  v1::ItService out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::ItService current;
    DIRECTORY_RETURN_IF_ERROR(LoadItService(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kService, id, current.version(), version));
    v1::ItService desired = service;
    desired.set_id(id);
    desired.set_version(version);
    if (SameMutableFields(desired, current)) {
      out = current;
      return absl::OkStatus();
    }
    if (desired.owner_group_id() != current.owner_group_id()) {
      DIRECTORY_RETURN_IF_ERROR(
          CheckReference(tx, Kind::kGroup, desired.owner_group_id(), "owner_group_id"));
    }
    DIRECTORY_RETURN_IF_ERROR(CheckServiceUnique(tx, desired, id));
    DIRECTORY_RETURN_IF_ERROR(UpdateItServiceRow(tx, desired, NowText(clock_)));
    DIRECTORY_RETURN_IF_ERROR(LoadItService(tx, id, false, &out));
    Emit(tx, "service", "updated", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ItService> DirectoryStore::SetItServiceActive(const std::string& id,
                                                                 int64_t version, bool active,
                                                                 const WriteContext& ctx) {
  v1::ItService out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::ItService current;
    DIRECTORY_RETURN_IF_ERROR(LoadItService(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kService, id, current.version(), version));
    if (current.active() != active) {
      WriteActive(tx, Kind::kService, id, active, NowText(clock_));
      DIRECTORY_RETURN_IF_ERROR(LoadItService(tx, id, false, &current));
      Emit(tx, "service", active ? "reactivated" : "deactivated", id, current, ctx);
    }
    out = current;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ItService> DirectoryStore::GetItService(const std::string& id) {
  v1::ItService out;
  const absl::Status status =
      pool_.Read([&](pqxx::work& tx) { return LoadItService(tx, id, false, &out); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ListItServicesResponse> DirectoryStore::ListItServices(
    const v1::ListItServicesRequest& request, const PageArgs& page) {
  v1::ListItServicesResponse out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    const auto active = request.has_active() ? std::optional<bool>(request.active()) : std::nullopt;
    const auto owner = Opt(request.owner_group_id());
    const auto criticality = Opt(request.criticality());
    const auto query = Opt(ContainsWordsPattern(request.query()));
    const pqxx::result rows =
        PageRows(tx, kServiceListSql, page, active, owner, criticality, query);
    for (size_t i = 0; i < PageLength(rows, page); ++i) {
      *out.add_services() = ReadItService(rows[i]);
    }
    out.set_next_page_token(NextPageToken(rows, page));
    if (page.include_total) {
      out.set_total_size(
          tx.exec_params1(kServiceCountSql, active, owner, criticality, query)[0].as<int>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::directory
