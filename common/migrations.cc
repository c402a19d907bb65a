#include "common/migrations.h"

#include <sodium.h>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/log.h"
#include "common/pg.h"

namespace tiquete {
namespace common_schema {
const std::vector<Migration>& Migrations();  // generated from common/migrations/*.sql
}

const std::vector<Migration>& CommonMigrations() { return common_schema::Migrations(); }

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

namespace {

absl::Status ApplyLocked(pqxx::connection& conn, const std::vector<MigrationSet>& sets) {
  {
    pqxx::work tx(conn);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " component text NOT NULL, version integer NOT NULL, name text NOT NULL,"
        " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
        " PRIMARY KEY (component, version))");
    tx.commit();
  }
  std::map<std::pair<std::string, int>, std::string> applied;
  {
    pqxx::read_transaction tx(conn);
    for (const auto& row : tx.exec("SELECT component, version, checksum FROM schema_migrations")) {
      applied[{row[0].as<std::string>(), row[1].as<int>()}] = row[2].as<std::string>();
    }
  }
  // Verify everything before applying anything: a changed migration stops the service.
  for (const auto& set : sets) {
    for (const auto& m : *set.migrations) {
      auto it = applied.find({set.component, m.version});
      if (it != applied.end() && it->second != Sha256Hex(m.sql)) {
        return Error(absl::StatusCode::kFailedPrecondition, "MIGRATION_CHANGED",
                     absl::StrCat("migration ", set.component, "/", m.name,
                                  " was already applied but its file has changed (checksum ",
                                  it->second.substr(0, 12),
                                  " in the database); write a new "
                                  "migration instead of editing an applied one"));
      }
    }
  }
  for (const auto& set : sets) {
    for (const auto& m : *set.migrations) {
      if (applied.count({set.component, m.version})) continue;
      pqxx::work tx(conn);
      tx.exec(m.sql);
      tx.exec_params(
          "INSERT INTO schema_migrations (component, version, name, checksum) "
          "VALUES ($1, $2, $3, $4)",
          set.component, m.version, m.name, Sha256Hex(m.sql));
      tx.commit();
      log::Info("migration applied", {{"component", set.component}, {"migration", m.name}});
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyMigrations(pqxx::connection& conn, const std::string& schema,
                             const std::vector<MigrationSet>& sets) {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  const std::string lock_key = "tiquete.migrations." + schema;
  try {
    {
      pqxx::nontransaction tx(conn);
      tx.exec_params("SELECT pg_advisory_lock(hashtext($1))", lock_key);
    }
    absl::Status status;
    try {
      status = ApplyLocked(conn, sets);
    } catch (const std::exception& e) {
      status = StatusFromPqxx(e);
      status = Error(status.code(), "MIGRATION_FAILED",
                     absl::StrCat("applying migrations: ", status.message()));
    }
    pqxx::nontransaction tx(conn);
    tx.exec_params("SELECT pg_advisory_unlock(hashtext($1))", lock_key);
    return status;
  } catch (const std::exception& e) {
    return StatusFromPqxx(e);
  }
}

}  // namespace tiquete
