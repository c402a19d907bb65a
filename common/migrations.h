// Versioned schema migrations, embedded in each binary and applied at start-up.
#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/status.h"

namespace tiquete {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// One set of migrations with its own version sequence: "common" (outbox, processed events,
// dead letters, idempotency keys) or the service's own.
struct MigrationSet {
  std::string component;
  const std::vector<Migration>* migrations;
};

// Applies what is missing under a session advisory lock keyed by the schema, so two
// replicas starting at once apply each migration once. Each migration runs in its own
// transaction with its SHA-256 recorded; an applied migration whose text has changed is a
// FAILED_PRECONDITION naming it, and nothing is applied.
absl::Status ApplyMigrations(pqxx::connection& conn, const std::string& schema,
                             const std::vector<MigrationSet>& sets);

// The infrastructure tables every service schema has.
const std::vector<Migration>& CommonMigrations();

std::string Sha256Hex(const std::string& data);

}  // namespace tiquete
