// Internal to the store's .cc files: statement helpers, row readers and the checks every
// resource shares (versions, references, idempotency, events).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>
#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "services/directory/store.h"

#define DIRECTORY_RETURN_IF_ERROR(expr)  \
  do {                                   \
    const absl::Status status_ = (expr); \
    if (!status_.ok()) return status_;   \
  } while (false)

namespace tiquete::directory::store_internal {

// A statement prepared on each connection the first time it is used there (libpqxx registers
// it lazily, and re-declaring the same text is a no-op), so hot paths such as the import
// skip re-planning without the pool having to know every statement up front.
struct Stmt {
  const char* name;
  const char* sql;
};
template <typename... Args>
pqxx::result Exec(pqxx::work& tx, const Stmt& stmt, Args&&... args) {
  tx.conn().prepare(stmt.name, stmt.sql);
  return tx.exec_prepared(stmt.name, std::forward<Args>(args)...);
}

// Empty strings are NULL for optional columns (ids, DANE codes, national ids).
inline std::optional<std::string> Opt(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}
inline std::string Str(const pqxx::field& f) { return f.is_null() ? "" : f.c_str(); }
void SetTime(const pqxx::field& micros, google::protobuf::Timestamp* out);
std::string NowText(const Clock& clock);  // timestamptz literal for the injected clock
// A text[] literal ({"a","b"}) for binding arrays as one parameter.
std::string PgArray(const std::vector<std::string>& items);
// SQL that renders a timestamptz column as microseconds since the epoch.
#define DIRECTORY_MICROS(col) "(extract(epoch from " col ") * 1000000)::bigint"

// ---- shared checks ----

// The resources, for generic checks (existence, active flag, lifecycle writes).
enum class Kind { kOrgUnit, kPerson, kGroup, kCategory, kService, kCi };
const char* KindName(Kind kind);  // "org unit", "person", ...

// ABORTED/STALE_VERSION unless the caller holds the current version.
absl::Status CheckVersion(Kind kind, const std::string& id, int64_t current, int64_t expected);

// A reference to another resource must exist (NOT_FOUND naming `field`) and, when
// `require_active`, be active (FAILED_PRECONDITION, reason <KIND>_INACTIVE).
absl::Status CheckReference(pqxx::work& tx, Kind kind, const std::string& id,
                            const std::string& field, bool require_active = true);

// Sets active and bumps the version.
void WriteActive(pqxx::work& tx, Kind kind, const std::string& id, bool active,
                 const std::string& now);

// Creates: returns the id an earlier call with the same key created, if any.
absl::StatusOr<std::optional<std::string>> ClaimCreate(pqxx::work& tx, const std::string& scope,
                                                       const WriteContext& ctx);
void RecordCreate(pqxx::work& tx, const std::string& scope, const WriteContext& ctx,
                  const std::string& id);

// Appends "directory.<aggregate>.<what>" with `payload` to the outbox.
void Emit(pqxx::work& tx, const std::string& aggregate, const std::string& what,
          const std::string& id, const google::protobuf::Message& payload, const WriteContext& ctx);

// Serialises structural changes of a tree (moves), so two concurrent moves cannot together
// create a cycle that neither would alone.
void LockTree(pqxx::work& tx, const char* tree);

// ---- keyset pagination ----

// Runs `sql`, whose last three parameters are (after_key, after_id, limit) and which selects
// sort_key and id, fetching one row more than the page to know whether another page follows.
template <typename... Filters>
pqxx::result PageRows(pqxx::work& tx, const std::string& sql, const PageArgs& page,
                      Filters&&... filters) {
  std::optional<std::string> key, id;
  if (page.after) {
    key = page.after->last_key;
    id = page.after->last_id;
  }
  return tx.exec_params(sql, std::forward<Filters>(filters)..., key, id, page.size + 1);
}
// The token for the page after `rows` ("" when it was the last page); rows beyond the page
// size are not part of the page.
std::string NextPageToken(const pqxx::result& rows, const PageArgs& page);
inline size_t PageLength(const pqxx::result& rows, const PageArgs& page) {
  return std::min(rows.size(), static_cast<size_t>(page.size));
}

// ---- row readers and loaders shared by the API and the import ----

extern const char* const kOrgUnitSelect;  // ... FROM org_units o LEFT JOIN org_units p ...
v1::OrgUnit ReadOrgUnit(const pqxx::row& row);
absl::Status LoadOrgUnit(pqxx::work& tx, const std::string& id, bool for_update, v1::OrgUnit* out);
std::string InsertOrgUnitRow(pqxx::work& tx, const v1::OrgUnit& u, const std::string& now);
absl::Status UpdateOrgUnitRow(pqxx::work& tx, const v1::OrgUnit& u, const std::string& now);

extern const char* const kPersonSelect;
v1::Person ReadPerson(const pqxx::row& row);  // without groups
void LoadGroupsOfPeople(pqxx::work& tx, std::vector<v1::Person*> people);
absl::Status LoadPerson(pqxx::work& tx, const std::string& id, bool for_update, v1::Person* out);
std::string InsertPersonRow(pqxx::work& tx, const v1::Person& p, const std::string& now);
absl::Status UpdatePersonRow(pqxx::work& tx, const v1::Person& p, const std::string& now);
v1::GroupMember InsertMembership(pqxx::work& tx, const std::string& group_id,
                                 const std::string& person_id, const std::string& now);
void DeleteMembership(pqxx::work& tx, const std::string& group_id, const std::string& person_id);

extern const char* const kGroupSelect;
v1::Group ReadGroup(const pqxx::row& row);
absl::Status LoadGroup(pqxx::work& tx, const std::string& id, bool for_update, v1::Group* out);
std::string InsertGroupRow(pqxx::work& tx, const v1::Group& g, const std::string& now);
absl::Status UpdateGroupRow(pqxx::work& tx, const v1::Group& g, const std::string& now);

extern const char* const kCategorySelect;
v1::Category ReadCategory(const pqxx::row& row);
absl::Status LoadCategory(pqxx::work& tx, const std::string& id, bool for_update,
                          v1::Category* out);
std::string InsertCategoryRow(pqxx::work& tx, const v1::Category& c, const std::string& now);
// Also rewrites the paths below it; returns the ids of descendants whose path changed.
absl::StatusOr<std::vector<std::string>> UpdateCategoryRow(pqxx::work& tx, const v1::Category& c,
                                                           const std::string& now);

extern const char* const kItServiceSelect;
v1::ItService ReadItService(const pqxx::row& row);
absl::Status LoadItService(pqxx::work& tx, const std::string& id, bool for_update,
                           v1::ItService* out);
std::string InsertItServiceRow(pqxx::work& tx, const v1::ItService& s, const std::string& now);
absl::Status UpdateItServiceRow(pqxx::work& tx, const v1::ItService& s, const std::string& now);

extern const char* const kCiSelect;
v1::ConfigurationItem ReadCi(const pqxx::row& row);  // without relations
void LoadCiRelations(pqxx::work& tx, v1::ConfigurationItem* ci);
absl::Status LoadCi(pqxx::work& tx, const std::string& id, bool for_update,
                    v1::ConfigurationItem* out);
std::string InsertCiRow(pqxx::work& tx, const v1::ConfigurationItem& ci, const std::string& now);
absl::Status UpdateCiRow(pqxx::work& tx, const v1::ConfigurationItem& ci, const std::string& now);
v1::CiRelation InsertCiRelation(pqxx::work& tx, const std::string& source_id,
                                const std::string& target_id, const std::string& kind,
                                const std::string& now);
bool DeleteCiRelation(pqxx::work& tx, const std::string& source_id, const std::string& target_id,
                      const std::string& kind);

}  // namespace tiquete::directory::store_internal
