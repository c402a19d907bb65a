// People: the requesters and staff of the secretariat, with their roles and group memberships.
#include <map>

#include "absl/strings/str_split.h"
#include "common/errors.h"
#include "services/directory/domain/text.h"
#include "services/directory/store_internal.h"

namespace tiquete::directory {

using namespace store_internal;  // NOLINT(google-build-using-namespace): this file's helpers

namespace {

#define PERSON_SELECT \
  "SELECT p.id, p.email, p.given_name, p.family_name, p.phone, p.national_id, "              \
  "p.org_unit_id, p.job_title, array_to_string(p.roles, ',') AS roles, p.active, p.version, " \
  "p.sort_key, " DIRECTORY_MICROS("p.created_at") " AS created_us, "                          \
  DIRECTORY_MICROS("p.updated_at") " AS updated_us, o.code AS org_unit_code "                 \
  "FROM people p JOIN org_units o ON o.id = p.org_unit_id "

const Stmt kById = {"dir_person_by_id", PERSON_SELECT "WHERE p.id = $1"};
const Stmt kByIdForUpdate = {"dir_person_by_id_fu",
                             PERSON_SELECT "WHERE p.id = $1 FOR UPDATE OF p"};
const Stmt kByEmail = {"dir_person_by_email", PERSON_SELECT "WHERE p.email = lower($1)"};
const Stmt kInsert = {
    "dir_person_insert",
    "INSERT INTO people (email, given_name, family_name, phone, national_id, org_unit_id, "
    "job_title, roles, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6::uuid, $7, "
    "$8::text[], $9::timestamptz, $9::timestamptz) RETURNING id"};
const Stmt kUpdate = {
    "dir_person_update",
    "UPDATE people SET email = $3, given_name = $4, family_name = $5, phone = $6, "
    "national_id = $7, org_unit_id = $8::uuid, job_title = $9, roles = $10::text[], "
    "version = version + 1, updated_at = $11::timestamptz WHERE id = $1 AND version = $2"};
const Stmt kEmailTaken = {"dir_person_email_taken",
                          "SELECT 1 FROM people WHERE lower(email) = lower($1) AND id IS "
                          "DISTINCT FROM $2::uuid"};
const Stmt kNationalIdTaken = {"dir_person_national_id_taken",
                               "SELECT email FROM people WHERE national_id = $1 AND id IS "
                               "DISTINCT FROM $2::uuid"};
const Stmt kGroupsOf = {
    "dir_person_groups",
    "SELECT m.person_id, g.id, g.code, g.name FROM group_members m JOIN support_groups g "
    "ON g.id = m.group_id WHERE m.person_id = ANY($1::uuid[]) ORDER BY g.code"};
const Stmt kMemberInsert = {
    "dir_member_insert",
    "INSERT INTO group_members (group_id, person_id, created_at) VALUES ($1, $2, "
    "$3::timestamptz) ON CONFLICT DO NOTHING RETURNING " DIRECTORY_MICROS("created_at")};
const Stmt kMemberDelete = {"dir_member_delete",
                            "DELETE FROM group_members WHERE group_id = $1 AND person_id = $2"};

#define PEOPLE_FILTERS                                                                       \
  "WHERE ($1::boolean IS NULL OR p.active = $1) "                                            \
  "AND ($2::uuid IS NULL OR p.org_unit_id = $2) "                                            \
  "AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM group_members m WHERE m.person_id = p.id " \
  "AND m.group_id = $3)) "                                                                   \
  "AND ($4::text IS NULL OR $4 = ANY (p.roles)) "                                            \
  "AND ($5::text IS NULL OR p.search_text LIKE fold_search($5)) "

const std::string kListSql = PERSON_SELECT PEOPLE_FILTERS
    "AND ($6::text IS NULL OR (p.sort_key, p.id) > ($6::text COLLATE \"C\", $7::uuid)) "
    "ORDER BY p.sort_key, p.id LIMIT $8";
const std::string kCountSql = "SELECT count(*) FROM people p " PEOPLE_FILTERS;

std::vector<std::string> RolesOf(const v1::Person& p) {
  return {p.roles().begin(), p.roles().end()};
}

absl::Status CheckUnique(pqxx::work& tx, const v1::Person& p, const std::string& self_id) {
  if (!Exec(tx, kEmailTaken, p.email(), Opt(self_id)).empty()) {
    return Error(absl::StatusCode::kAlreadyExists, "EMAIL_TAKEN",
                 p.email() + " already belongs to another person", "email");
  }
  if (!p.national_id().empty()) {
    if (!Exec(tx, kNationalIdTaken, p.national_id(), Opt(self_id)).empty()) {
      return Error(absl::StatusCode::kAlreadyExists, "NATIONAL_ID_TAKEN",
                   "national id " + p.national_id() + " already belongs to another person",
                   "national_id");
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace store_internal {

const char* const kPersonSelect = PERSON_SELECT;

v1::Person ReadPerson(const pqxx::row& row) {
  v1::Person p;
  p.set_id(row["id"].c_str());
  p.set_email(row["email"].c_str());
  p.set_given_name(row["given_name"].c_str());
  p.set_family_name(row["family_name"].c_str());
  p.set_phone(row["phone"].c_str());
  p.set_national_id(Str(row["national_id"]));
  p.set_org_unit_id(row["org_unit_id"].c_str());
  p.set_job_title(row["job_title"].c_str());
  const std::vector<std::string> roles =
      absl::StrSplit(row["roles"].c_str(), ',', absl::SkipEmpty());
  for (const std::string& role : roles) p.add_roles(role);
  p.set_active(row["active"].as<bool>());
  p.set_version(row["version"].as<int64_t>());
  SetTime(row["created_us"], p.mutable_create_time());
  SetTime(row["updated_us"], p.mutable_update_time());
  p.set_org_unit_code(row["org_unit_code"].c_str());
  p.set_display_name(DisplayName(p));
  return p;
}

void LoadGroupsOfPeople(pqxx::work& tx, std::vector<v1::Person*> people) {
  if (people.empty()) return;
  std::map<std::string, v1::Person*> by_id;
  std::vector<std::string> ids;
  for (v1::Person* p : people) {
    p->clear_groups();
    by_id[p->id()] = p;
    ids.push_back(p->id());
  }
  for (const pqxx::row& row : Exec(tx, kGroupsOf, PgArray(ids))) {
    v1::GroupRef* g = by_id[row[0].c_str()]->add_groups();
    g->set_id(row[1].c_str());
    g->set_code(row[2].c_str());
    g->set_name(row[3].c_str());
  }
}

absl::Status LoadPerson(pqxx::work& tx, const std::string& id, bool for_update, v1::Person* out) {
  const pqxx::result r = Exec(tx, for_update ? kByIdForUpdate : kById, id);
  if (r.empty()) return NotFound("person", id);
  *out = ReadPerson(r[0]);
  LoadGroupsOfPeople(tx, {out});
  return absl::OkStatus();
}

std::string InsertPersonRow(pqxx::work& tx, const v1::Person& p, const std::string& now) {
  return Exec(tx, kInsert, p.email(), p.given_name(), p.family_name(), p.phone(),
              Opt(p.national_id()), p.org_unit_id(), p.job_title(), PgArray(RolesOf(p)), now)[0][0]
      .c_str();
}

absl::Status UpdatePersonRow(pqxx::work& tx, const v1::Person& p, const std::string& now) {
  const pqxx::result r =
      Exec(tx, kUpdate, p.id(), p.version(), p.email(), p.given_name(), p.family_name(), p.phone(),
           Opt(p.national_id()), p.org_unit_id(), p.job_title(), PgArray(RolesOf(p)), now);
  if (r.affected_rows() == 0) {
    return Error(absl::StatusCode::kAborted, "STALE_VERSION",
                 p.email() + " changed while this write was prepared", "version");
  }
  return absl::OkStatus();
}

v1::GroupMember InsertMembership(pqxx::work& tx, const std::string& group_id,
                                 const std::string& person_id, const std::string& now) {
  v1::GroupMember m;
  m.set_group_id(group_id);
  m.set_person_id(person_id);
  const pqxx::result r = Exec(tx, kMemberInsert, group_id, person_id, now);
  if (!r.empty()) SetTime(r[0][0], m.mutable_create_time());
  return m;
}

void DeleteMembership(pqxx::work& tx, const std::string& group_id, const std::string& person_id) {
  Exec(tx, kMemberDelete, group_id, person_id);
}

}  // namespace store_internal

absl::StatusOr<v1::Person> DirectoryStore::CreatePerson(const v1::Person& person,
                                                        const WriteContext& ctx) {
  v1::Person out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto first = ClaimCreate(tx, "directory.person.create", ctx);
    if (!first.ok()) return first.status();
    if (first->has_value()) return LoadPerson(tx, **first, false, &out);
    DIRECTORY_RETURN_IF_ERROR(
        CheckReference(tx, Kind::kOrgUnit, person.org_unit_id(), "org_unit_id"));
    DIRECTORY_RETURN_IF_ERROR(CheckUnique(tx, person, ""));
    const std::string id = InsertPersonRow(tx, person, NowText(clock_));
    RecordCreate(tx, "directory.person.create", ctx, id);
    DIRECTORY_RETURN_IF_ERROR(LoadPerson(tx, id, false, &out));
    Emit(tx, "person", "created", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Person> DirectoryStore::UpdatePerson(const std::string& id, int64_t version,
                                                        const v1::Person& person,
                                                        const WriteContext& ctx) {
  v1::Person out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::Person current;
    DIRECTORY_RETURN_IF_ERROR(LoadPerson(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kPerson, id, current.version(), version));
    v1::Person desired = person;
    desired.set_id(id);
    desired.set_version(version);
    if (SameMutableFields(desired, current)) {
      out = current;
      return absl::OkStatus();
    }
    if (desired.org_unit_id() != current.org_unit_id()) {
      DIRECTORY_RETURN_IF_ERROR(
          CheckReference(tx, Kind::kOrgUnit, desired.org_unit_id(), "org_unit_id"));
    }
    DIRECTORY_RETURN_IF_ERROR(CheckUnique(tx, desired, id));
    DIRECTORY_RETURN_IF_ERROR(UpdatePersonRow(tx, desired, NowText(clock_)));
    DIRECTORY_RETURN_IF_ERROR(LoadPerson(tx, id, false, &out));
    Emit(tx, "person", "updated", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Person> DirectoryStore::SetPersonActive(const std::string& id, int64_t version,
                                                           bool active, const WriteContext& ctx) {
  v1::Person out;
  const absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    v1::Person current;
    DIRECTORY_RETURN_IF_ERROR(LoadPerson(tx, id, true, &current));
    DIRECTORY_RETURN_IF_ERROR(CheckVersion(Kind::kPerson, id, current.version(), version));
    if (current.active() == active) {
      out = current;
      return absl::OkStatus();
    }
    if (active) {
      DIRECTORY_RETURN_IF_ERROR(
          CheckReference(tx, Kind::kOrgUnit, current.org_unit_id(), "org_unit_id"));
    }
    WriteActive(tx, Kind::kPerson, id, active, NowText(clock_));
    DIRECTORY_RETURN_IF_ERROR(LoadPerson(tx, id, false, &out));
    Emit(tx, "person", active ? "reactivated" : "deactivated", id, out, ctx);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Person> DirectoryStore::GetPerson(const std::string& id) {
  v1::Person out;
  const absl::Status status =
      pool_.Read([&](pqxx::work& tx) { return LoadPerson(tx, id, false, &out); });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Person> DirectoryStore::LookupPerson(const std::string& email) {
  v1::Person out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    const pqxx::result r = Exec(tx, kByEmail, email);
    if (r.empty()) return NotFound("person", email);
    out = ReadPerson(r[0]);
    LoadGroupsOfPeople(tx, {&out});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::ListPeopleResponse> DirectoryStore::ListPeople(
    const v1::ListPeopleRequest& request, const PageArgs& page) {
  v1::ListPeopleResponse out;
  const absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    const auto active = request.has_active() ? std::optional<bool>(request.active()) : std::nullopt;
    const auto unit = Opt(request.org_unit_id());
    const auto group = Opt(request.group_id());
    const auto role = Opt(request.role());
    const auto query = Opt(ContainsWordsPattern(request.query()));
    const pqxx::result rows = PageRows(tx, kListSql, page, active, unit, group, role, query);
    std::vector<v1::Person*> people;
    for (size_t i = 0; i < PageLength(rows, page); ++i) {
      v1::Person* p = out.add_people();
      *p = ReadPerson(rows[i]);
      people.push_back(p);
    }
    LoadGroupsOfPeople(tx, people);
    out.set_next_page_token(NextPageToken(rows, page));
    if (page.include_total) {
      out.set_total_size(tx.exec_params1(kCountSql, active, unit, group, role, query)[0].as<int>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::directory
