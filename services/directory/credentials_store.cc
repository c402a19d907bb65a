#include "services/directory/credentials_store.h"

#include "absl/strings/str_split.h"
#include "common/errors.h"
#include "services/directory/store_internal.h"

namespace tiquete::directory {
namespace {

using store_internal::Exec;
using store_internal::SetTime;
using store_internal::Stmt;
using store_internal::Str;

// The person, their roles and active groups, and their password hash.
#define CREDENTIALS_ACCOUNT_SELECT                                                          \
  "SELECT p.id::text, p.email, p.given_name || ' ' || p.family_name, "                      \
  "array_to_string(p.roles, ','), p.active, pw.password_hash, "                             \
  "(SELECT string_agg(gm.group_id::text, ',' ORDER BY gm.group_id) FROM group_members gm "  \
  "   JOIN support_groups g ON g.id = gm.group_id WHERE gm.person_id = p.id AND g.active) " \
  "FROM people p LEFT JOIN person_passwords pw ON pw.person_id = p.id "

constexpr Stmt kAccountById = {"cred_account_by_id",
                               CREDENTIALS_ACCOUNT_SELECT "WHERE p.id = $1::uuid"};
constexpr Stmt kAccountByEmail = {"cred_account_by_email",
                                  CREDENTIALS_ACCOUNT_SELECT "WHERE lower(p.email) = lower($1)"};

#define CREDENTIALS_TOKEN_COLUMNS \
  "t.id::text, t.person_id::text, t.name, t.prefix, " DIRECTORY_MICROS("t.created_at") \
  ", " DIRECTORY_MICROS("t.expires_at") ", " DIRECTORY_MICROS("t.last_used_at") ", "   \
  DIRECTORY_MICROS("t.revoked_at")

Account ReadAccount(const pqxx::row& r) {
  Account a;
  a.person.set_person_id(Str(r[0]));
  a.person.set_email(Str(r[1]));
  a.person.set_display_name(Str(r[2]));
  for (absl::string_view role : absl::StrSplit(Str(r[3]), ',', absl::SkipEmpty())) {
    a.person.add_roles(std::string(role));
  }
  if (a.person.roles().empty()) a.person.add_roles("requester");
  a.active = r[4].as<bool>();
  a.password_hash = Str(r[5]);
  for (absl::string_view g : absl::StrSplit(Str(r[6]), ',', absl::SkipEmpty())) {
    a.person.add_group_ids(std::string(g));
  }
  return a;
}

// Columns from CREDENTIALS_TOKEN_COLUMNS starting at `at`.
v1::ApiToken ReadToken(const pqxx::row& r, int at = 0) {
  v1::ApiToken t;
  t.set_id(Str(r[at]));
  t.set_person_id(Str(r[at + 1]));
  t.set_name(Str(r[at + 2]));
  t.set_prefix(Str(r[at + 3]));
  SetTime(r[at + 4], t.mutable_create_time());
  if (!r[at + 5].is_null()) SetTime(r[at + 5], t.mutable_expire_time());
  if (!r[at + 6].is_null()) SetTime(r[at + 6], t.mutable_last_use_time());
  if (!r[at + 7].is_null()) SetTime(r[at + 7], t.mutable_revoke_time());
  return t;
}

std::optional<std::string> TimeText(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return std::nullopt;
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00",
                          absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()),
                          absl::UTCTimeZone());
}

absl::Status LoadToken(pqxx::work& tx, const std::string& id, bool for_update, v1::ApiToken* out) {
  static const Stmt kGet = {"cred_token_get", "SELECT " CREDENTIALS_TOKEN_COLUMNS
                                              " FROM api_tokens t WHERE t.id = $1::uuid"};
  static const Stmt kGetForUpdate = {"cred_token_get_lock",
                                     "SELECT " CREDENTIALS_TOKEN_COLUMNS
                                     " FROM api_tokens t WHERE t.id = $1::uuid FOR UPDATE"};
  pqxx::result rows = Exec(tx, for_update ? kGetForUpdate : kGet, id);
  if (rows.empty()) return NotFound("API token", id);
  *out = ReadToken(rows[0]);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Account>> FindAccount(PgPool& pool, const Stmt& stmt,
                                                   const std::string& key) {
  std::optional<Account> out;
  absl::Status s = pool.Read([&](pqxx::work& tx) {
    pqxx::result rows = Exec(tx, stmt, key);
    if (!rows.empty()) out = ReadAccount(rows[0]);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace

absl::StatusOr<std::optional<Account>> CredentialsStore::FindAccountById(
    const std::string& person_id) {
  return FindAccount(pool_, kAccountById, person_id);
}

absl::StatusOr<std::optional<Account>> CredentialsStore::FindAccountByEmail(
    const std::string& email) {
  return FindAccount(pool_, kAccountByEmail, email);
}

absl::StatusOr<v1::SetPasswordResponse> CredentialsStore::SetPasswordHash(
    const std::string& person_id, const std::string& hash, const WriteContext& ctx) {
  static const Stmt kUpsert = {
      "cred_password_upsert",
      "INSERT INTO person_passwords (person_id, password_hash, updated_at) "
      "VALUES ($1::uuid, $2, $3::timestamptz) ON CONFLICT (person_id) DO UPDATE "
      "SET password_hash = excluded.password_hash, updated_at = excluded.updated_at "
      "RETURNING " DIRECTORY_MICROS("updated_at")};
  v1::SetPasswordResponse out;
  absl::Status s = pool_.Transact([&](pqxx::work& tx) {
    DIRECTORY_RETURN_IF_ERROR(store_internal::CheckReference(tx, store_internal::Kind::kPerson,
                                                             person_id, "person_id",
                                                             /*require_active=*/false));
    pqxx::result rows = Exec(tx, kUpsert, person_id, hash, store_internal::NowText(clock_));
    out.Clear();
    out.set_person_id(person_id);
    SetTime(rows[0][0], out.mutable_update_time());
    // The event says that the password changed, never what it is.
    store_internal::Emit(tx, "credential", "password_set", person_id, out, ctx);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ApiToken> CredentialsStore::CreateApiToken(const v1::ApiToken& token,
                                                              const std::string& secret_digest,
                                                              const WriteContext& ctx) {
  static const Stmt kInsert = {
      "cred_token_insert",
      "INSERT INTO api_tokens (person_id, name, secret_sha256, prefix, created_at, expires_at) "
      "VALUES ($1::uuid, $2, $3, $4, $5::timestamptz, $6::timestamptz) RETURNING id::text"};
  v1::ApiToken out;
  absl::Status s = pool_.Transact([&](pqxx::work& tx) {
    // Keys are per person, so two people choosing the same key never share a token.
    const std::string scope = "api_token:" + token.person_id();
    auto earlier = store_internal::ClaimCreate(tx, scope, ctx);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) return LoadToken(tx, **earlier, false, &out);
    DIRECTORY_RETURN_IF_ERROR(store_internal::CheckReference(tx, store_internal::Kind::kPerson,
                                                             token.person_id(), "person_id"));
    pqxx::result rows =
        Exec(tx, kInsert, token.person_id(), token.name(), secret_digest, token.prefix(),
             store_internal::NowText(clock_), TimeText(token.expire_time()));
    const std::string id = Str(rows[0][0]);
    store_internal::RecordCreate(tx, scope, ctx, id);
    DIRECTORY_RETURN_IF_ERROR(LoadToken(tx, id, false, &out));
    store_internal::Emit(tx, "credential", "api_token_created", id, out, ctx);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::optional<std::pair<v1::ApiToken, Account>>> CredentialsStore::FindApiToken(
    const std::string& secret_digest) {
  static const Stmt kFind = {"cred_token_find", "SELECT " CREDENTIALS_TOKEN_COLUMNS
                                                " FROM api_tokens t WHERE t.secret_sha256 = $1"};
  std::optional<std::pair<v1::ApiToken, Account>> out;
  absl::Status s = pool_.Read([&](pqxx::work& tx) {
    pqxx::result rows = Exec(tx, kFind, secret_digest);
    if (rows.empty()) return absl::OkStatus();
    v1::ApiToken token = ReadToken(rows[0]);
    pqxx::result account = Exec(tx, kAccountById, token.person_id());
    if (account.empty()) return absl::OkStatus();
    out.emplace(std::move(token), ReadAccount(account[0]));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status CredentialsStore::TouchApiToken(const std::string& id) {
  static const Stmt kTouch = {
      "cred_token_touch",
      "UPDATE api_tokens SET last_used_at = $2::timestamptz WHERE id = $1::uuid "
      "AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')"};
  return pool_.Transact([&](pqxx::work& tx) {
    Exec(tx, kTouch, id, store_internal::NowText(clock_));
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::ApiToken> CredentialsStore::GetApiToken(const std::string& id) {
  v1::ApiToken out;
  absl::Status s = pool_.Read([&](pqxx::work& tx) { return LoadToken(tx, id, false, &out); });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ApiToken> CredentialsStore::RevokeApiToken(const std::string& id,
                                                              const WriteContext& ctx) {
  static const Stmt kRevoke = {
      "cred_token_revoke",
      "UPDATE api_tokens SET revoked_at = $2::timestamptz WHERE id = $1::uuid"};
  v1::ApiToken out;
  absl::Status s = pool_.Transact([&](pqxx::work& tx) {
    DIRECTORY_RETURN_IF_ERROR(LoadToken(tx, id, true, &out));
    if (out.has_revoke_time()) return absl::OkStatus();
    Exec(tx, kRevoke, id, store_internal::NowText(clock_));
    DIRECTORY_RETURN_IF_ERROR(LoadToken(tx, id, false, &out));
    store_internal::Emit(tx, "credential", "api_token_revoked", id, out, ctx);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<v1::ApiToken>> CredentialsStore::ListApiTokens(
    const std::string& person_id, bool include_revoked) {
  static const Stmt kList = {
      "cred_token_list",
      "SELECT " CREDENTIALS_TOKEN_COLUMNS
      " FROM api_tokens t WHERE t.person_id = $1::uuid "
      "AND ($2 OR t.revoked_at IS NULL) ORDER BY t.created_at DESC, t.id LIMIT 500"};
  std::vector<v1::ApiToken> out;
  absl::Status s = pool_.Read([&](pqxx::work& tx) {
    for (const auto& row : Exec(tx, kList, person_id, include_revoked)) {
      out.push_back(ReadToken(row));
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace tiquete::directory
