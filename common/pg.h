// A bounded PostgreSQL connection pool over libpqxx, and the one place libpqxx exceptions
// become absl::Status. Stores run their work through Pool::Transact.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace tiquete {

class Metrics;

// Maps a libpqxx/libpq exception to a Status by meaning: unique_violation → ALREADY_EXISTS,
// foreign_key_violation → FAILED_PRECONDITION, check/not-null → INVALID_ARGUMENT,
// serialization/deadlock → ABORTED, broken connection → UNAVAILABLE, privilege → PERMISSION_DENIED.
absl::Status StatusFromPqxx(const std::exception& e);

struct PgPoolOptions {
  std::string url;
  std::string schema;  // set as search_path on every connection
  int size = 8;
  absl::Duration acquire_timeout = absl::Seconds(2);
  // Statements prepared on every connection: (name, sql).
  std::vector<std::pair<std::string, std::string>> prepared;
};

// Marks the transaction this thread runs inside PgPool::Transact as one that wrote outbox rows:
// once it commits, the pool runs its outbox hooks (the relay of this process wakes up and
// publishes). Outside Transact it does nothing. AppendEvent and AppendEvents call it; a
// statement that inserts into the outbox itself must too.
void MarkOutboxWritten();

class PgPool {
 public:
  explicit PgPool(PgPoolOptions options, Metrics* metrics = nullptr);
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // A connection on loan; returned to the pool on destruction, discarded if it broke.
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<pqxx::connection> conn);
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& conn() { return *conn_; }

   private:
    PgPool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
  };

  // Waits up to acquire_timeout for a connection (UNAVAILABLE after that); opens one lazily,
  // so a PostgreSQL restart is survived by simply reconnecting.
  absl::Status Acquire(std::unique_ptr<Lease>* out);

  // Runs fn inside one transaction and commits when it returns OK; any error rolls back, so
  // nothing is half-written. Serialization failures, deadlocks and connections broken before
  // commit are retried (fn must therefore be safe to re-run). A connection lost during COMMIT
  // is UNAVAILABLE with reason OUTCOME_UNKNOWN (callers retry with their idempotency key).
  absl::Status Transact(const std::function<absl::Status(pqxx::work&)>& fn, int attempts = 3);

  // Read-only variant for queries (same error mapping, no commit needed).
  absl::Status Read(const std::function<absl::Status(pqxx::work&)>& fn);

  // Reads without a transaction: each statement runs on its own (autocommit), which saves the
  // BEGIN and COMMIT round trips of Read. For hot single-statement reads, or reads whose
  // statements need not see one snapshot. A broken connection is retried once elsewhere.
  absl::Status ReadAutocommit(const std::function<absl::Status(pqxx::transaction_base&)>& fn);

  // SELECT 1 through the pool: the health probe.
  absl::Status Ping();

  // Hooks run after each commit of a Transact that called MarkOutboxWritten, on the committing
  // thread (keep them short: the outbox relay's hook only signals its thread). Rows committed by
  // another process are not signalled; their relay, or this one's poll, finds them.
  int AddOutboxHook(std::function<void()> hook);
  void RemoveOutboxHook(int id);

  // Prepares the configured statements on a fresh connection (used by Acquire).
  void PrepareConnection(pqxx::connection& conn);

  const PgPoolOptions& options() const { return options_; }

 private:
  void Release(std::unique_ptr<pqxx::connection> conn);
  void UpdateGauges();
  void RunOutboxHooks();

  PgPoolOptions options_;
  Metrics* metrics_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;  // idle + leased
  int waiting_ = 0;
  std::mutex hooks_mu_;
  std::vector<std::pair<int, std::function<void()>>> outbox_hooks_;
  int next_hook_ = 0;
};

// A PostgreSQL text[] literal ("{"a","b"}") for a $n::text[] parameter: every element quoted,
// quotes and backslashes escaped, so any text survives (libpqxx 6.4 cannot bind arrays; for
// hot batch statements, pg_array below sends the binary form instead).
std::string PgTextArray(const std::vector<std::string>& values);

// The lower-case hexadecimal digits of `bytes`, for decode($n, 'hex') into a bytea column from
// a text parameter (a statement built with dynamic, all-text parameters).
std::string HexDigits(std::string_view bytes);

// One-dimensional arrays in PostgreSQL's binary wire format (what array_send writes), for a
// statement parameter cast to the array's type (`unnest($1::bigint[])`). libpqxx 6.4 sends a
// pqxx::binarystring parameter in binary format, so the server reads these with array_recv
// instead of parsing a text literal character by character (array_in was a tenth of the
// database's time on the SLA engine's event path). Each function names the SQL element type;
// the server refuses an array whose element type is not the parameter's.
namespace pg_array {
pqxx::binarystring Bigint(const std::vector<int64_t>& values);
pqxx::binarystring Integer(const std::vector<int>& values);
pqxx::binarystring Smallint(const std::vector<int>& values);  // each value must fit 16 bits
pqxx::binarystring Boolean(const std::vector<bool>& values);
pqxx::binarystring Text(const std::vector<std::string>& values);  // valid UTF-8, no NUL
pqxx::binarystring Bytea(const std::vector<std::string>& values);
// uuid[] from the canonical text form (8-4-4-4-12 hexadecimal digits, either case);
// std::invalid_argument names the first value that is not one.
pqxx::binarystring Uuid(const std::vector<std::string>& values);
// timestamptz[]; an infinite time (absl::InfinitePast / InfiniteFuture) is a NULL element,
// one before 4714 BC throws std::out_of_range (one after 294276 AD the server refuses).
pqxx::binarystring Timestamptz(const std::vector<absl::Time>& values);
}  // namespace pg_array

// Opens one standalone connection with search_path set (migrations, tools).
std::unique_ptr<pqxx::connection> ConnectPg(const std::string& url, const std::string& schema);

}  // namespace tiquete
