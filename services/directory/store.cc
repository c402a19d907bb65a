// Helpers shared by every resource of the store; the resources themselves live in
// store_<resource>.cc and the import in store_import.cc.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "common/events.h"
#include "common/idempotency.h"
#include "services/directory/store_internal.h"

namespace tiquete::directory::store_internal {
namespace {

struct KindInfo {
  const char* name;
  const char* reason_prefix;
  Stmt select_active;
  Stmt write_active;
};

// Table names cannot be bound as parameters, so each kind has its own fixed statements.
#define DIRECTORY_KIND(name, prefix, table)                                                   \
  KindInfo {                                                                                  \
    name, prefix, {"dir_active_" table, "SELECT active FROM " table " WHERE id = $1"},        \
        {"dir_set_active_" table, "UPDATE " table                                             \
                                  " SET active = $2, version = version + 1, updated_at = $3 " \
                                  "WHERE id = $1"},                                           \
  }

const KindInfo& Info(Kind kind) {
  static const KindInfo kInfo[] = {
      DIRECTORY_KIND("org unit", "ORG_UNIT", "org_units"),
      DIRECTORY_KIND("person", "PERSON", "people"),
      DIRECTORY_KIND("group", "GROUP", "support_groups"),
      DIRECTORY_KIND("category", "CATEGORY", "categories"),
      DIRECTORY_KIND("service", "SERVICE", "it_services"),
      DIRECTORY_KIND("configuration item", "CI", "configuration_items"),
  };
  return kInfo[static_cast<int>(kind)];
}

}  // namespace

void SetTime(const pqxx::field& micros, google::protobuf::Timestamp* out) {
  if (micros.is_null()) return;
  const auto us = micros.as<int64_t>();
  int64_t seconds = us / 1000000;
  int64_t rest = us % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rest * 1000));
}

std::string NowText(const Clock& clock) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", clock.Now(), absl::UTCTimeZone());
}

std::string PgArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

const char* KindName(Kind kind) { return Info(kind).name; }

absl::Status CheckVersion(Kind kind, const std::string& id, int64_t current, int64_t expected) {
  if (current == expected) return absl::OkStatus();
  return Error(absl::StatusCode::kAborted, "STALE_VERSION",
               absl::StrCat(KindName(kind), " ", id, " is at version ", current, ", not ", expected,
                            "; read it again and retry"),
               "version");
}

absl::Status CheckReference(pqxx::work& tx, Kind kind, const std::string& id,
                            const std::string& field, bool require_active) {
  const KindInfo& info = Info(kind);
  const pqxx::result r = Exec(tx, info.select_active, id);
  if (r.empty()) {
    return Error(absl::StatusCode::kNotFound, absl::StrCat(info.reason_prefix, "_NOT_FOUND"),
                 absl::StrCat("no ", info.name, " has id ", id), field);
  }
  if (require_active && !r[0][0].as<bool>()) {
    return Error(absl::StatusCode::kFailedPrecondition,
                 absl::StrCat(info.reason_prefix, "_INACTIVE"),
                 absl::StrCat(info.name, " ", id, " is deactivated"), field);
  }
  return absl::OkStatus();
}

void WriteActive(pqxx::work& tx, Kind kind, const std::string& id, bool active,
                 const std::string& now) {
  Exec(tx, Info(kind).write_active, id, active, now);
}

absl::StatusOr<std::optional<std::string>> ClaimCreate(pqxx::work& tx, const std::string& scope,
                                                       const WriteContext& ctx) {
  if (ctx.idempotency_key.empty()) return std::optional<std::string>();
  return ClaimIdempotencyKey(tx, scope, ctx.idempotency_key, ctx.fingerprint);
}

void RecordCreate(pqxx::work& tx, const std::string& scope, const WriteContext& ctx,
                  const std::string& id) {
  if (!ctx.idempotency_key.empty()) RecordIdempotentResult(tx, scope, ctx.idempotency_key, id);
}

void Emit(pqxx::work& tx, const std::string& aggregate, const std::string& what,
          const std::string& id, const google::protobuf::Message& payload,
          const WriteContext& ctx) {
  EventSpec spec;
  spec.type = "directory." + aggregate + "." + what;
  spec.aggregate_type = aggregate;
  spec.aggregate_id = id;
  spec.payload = &payload;
  spec.actor_id = ctx.actor_id;
  AppendEvent(tx, spec);
}

void LockTree(pqxx::work& tx, const char* tree) {
  static const Stmt kLock = {"dir_lock_tree", "SELECT pg_advisory_xact_lock(hashtext($1))"};
  Exec(tx, kLock, std::string("tiquete.directory.tree.") + tree);
}

std::string NextPageToken(const pqxx::result& rows, const PageArgs& page) {
  if (rows.size() <= static_cast<size_t>(page.size)) return "";
  const pqxx::row last = rows[page.size - 1];
  return EncodePageToken({page.scope, last["sort_key"].c_str(), last["id"].c_str()});
}

}  // namespace tiquete::directory::store_internal
