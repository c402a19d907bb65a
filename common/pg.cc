#include "common/pg.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/log.h"
#include "common/metrics.h"

namespace tiquete {
namespace {

absl::StatusCode CodeForSqlState(const std::string& state) {
  if (state == "23505") return absl::StatusCode::kAlreadyExists;
  if (state == "23503" || state == "23001") return absl::StatusCode::kFailedPrecondition;
  if (absl::StartsWith(state, "23") || absl::StartsWith(state, "22")) {
    return absl::StatusCode::kInvalidArgument;
  }
  if (state == "40001" || state == "40P01" || state == "55P03") return absl::StatusCode::kAborted;
  if (state == "42501") return absl::StatusCode::kPermissionDenied;
  if (state == "57014") return absl::StatusCode::kDeadlineExceeded;
  if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57P") || state == "53300") {
    return absl::StatusCode::kUnavailable;
  }
  return absl::StatusCode::kInternal;
}

std::string ReasonForSqlState(const std::string& state) {
  if (state == "23505") return "DUPLICATE";
  if (state == "23503") return "REFERENCE_VIOLATION";
  if (state == "40001" || state == "40P01") return "CONCURRENT_UPDATE";
  if (state == "42501") return "SCHEMA_PERMISSION_DENIED";
  return "DATABASE_ERROR";
}

bool IsRetryable(const std::string& state) { return state == "40001" || state == "40P01"; }

std::string WithConnectTimeout(const std::string& url) {
  if (absl::StrContains(url, "connect_timeout=")) return url;
  return absl::StrCat(url, absl::StrContains(url, "?") ? "&" : "?", "connect_timeout=5");
}

// libpqxx 6.4 drops the SQLSTATE for some typed exceptions; recover it from the type.
std::string SqlState(const pqxx::sql_error& e) {
  if (!e.sqlstate().empty()) return e.sqlstate();
  if (dynamic_cast<const pqxx::unique_violation*>(&e)) return "23505";
  if (dynamic_cast<const pqxx::foreign_key_violation*>(&e)) return "23503";
  if (dynamic_cast<const pqxx::not_null_violation*>(&e)) return "23502";
  if (dynamic_cast<const pqxx::check_violation*>(&e)) return "23514";
  if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e)) return "23000";
  if (dynamic_cast<const pqxx::insufficient_privilege*>(&e)) return "42501";
  if (dynamic_cast<const pqxx::deadlock_detected*>(&e)) return "40P01";
  if (dynamic_cast<const pqxx::serialization_failure*>(&e)) return "40001";
  if (dynamic_cast<const pqxx::data_exception*>(&e)) return "22000";
  return "";
}

}  // namespace

absl::Status StatusFromPqxx(const std::exception& e) {
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = SqlState(*sql);
    // The status leaves the service: it keeps PostgreSQL's first line (what failed, which
    // constraint) and not its DETAIL, which quotes the row's values ("Key (email)=(...)",
    // "Failing row contains (...)"). The whole text goes to this service's log.
    const std::string_view what = e.what();
    const std::string first_line(what.substr(0, what.find('\n')));
    if (first_line.size() < what.size() && state != "40001" && state != "40P01") {
      log::Warning("database error", {{"sqlstate", state}, {"error", std::string(what)}});
    }
    return Error(CodeForSqlState(state), ReasonForSqlState(state),
                 absl::StrCat("database: ", first_line, " (SQLSTATE ", state, ")"));
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    return Error(absl::StatusCode::kUnavailable, "OUTCOME_UNKNOWN",
                 absl::StrCat("database connection lost during commit: ", e.what()));
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) {
    return Error(absl::StatusCode::kUnavailable, "DATABASE_UNAVAILABLE",
                 absl::StrCat("database unreachable: ", e.what()));
  }
  return Error(absl::StatusCode::kInternal, "DATABASE_ERROR", absl::StrCat("database: ", e.what()));
}

std::unique_ptr<pqxx::connection> ConnectPg(const std::string& url, const std::string& schema) {
  auto conn = std::make_unique<pqxx::connection>(WithConnectTimeout(url));
  if (!schema.empty()) {
    pqxx::nontransaction tx(*conn);
    tx.exec(absl::StrCat("SET search_path TO ", tx.quote_name(schema), ", ext"));
  }
  return conn;
}

PgPool::Lease::Lease(PgPool* pool, std::unique_ptr<pqxx::connection> conn)
    : pool_(pool), conn_(std::move(conn)) {}
PgPool::Lease::Lease(Lease&& other) noexcept : pool_(other.pool_), conn_(std::move(other.conn_)) {}
PgPool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

PgPool::PgPool(PgPoolOptions options, Metrics* metrics)
    : options_(std::move(options)), metrics_(metrics) {
  if (metrics_) metrics_->db_pool_size().Set(options_.size);
}

PgPool::~PgPool() = default;

void PgPool::PrepareConnection(pqxx::connection& conn) {
  for (const auto& [name, sql] : options_.prepared) conn.prepare(name, sql);
}

void PgPool::UpdateGauges() {
  if (!metrics_) return;
  metrics_->db_pool_in_use().Set(open_ - static_cast<int>(idle_.size()));
  metrics_->db_pool_waiting().Set(waiting_);
}

absl::Status PgPool::Acquire(std::unique_ptr<Lease>* out) {
  std::unique_lock lock(mu_);
  ++waiting_;
  UpdateGauges();
  const bool got = cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.acquire_timeout),
                                [this] { return !idle_.empty() || open_ < options_.size; });
  --waiting_;
  if (!got) {
    UpdateGauges();
    return Error(absl::StatusCode::kUnavailable, "DATABASE_POOL_EXHAUSTED",
                 absl::StrCat("no database connection free within ",
                              absl::FormatDuration(options_.acquire_timeout)));
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    UpdateGauges();
    *out = std::make_unique<Lease>(this, std::move(conn));
    return absl::OkStatus();
  }
  ++open_;  // reserve the slot, then connect without holding the lock
  UpdateGauges();
  lock.unlock();
  try {
    auto conn = ConnectPg(options_.url, options_.schema);
    PrepareConnection(*conn);
    *out = std::make_unique<Lease>(this, std::move(conn));
    return absl::OkStatus();
  } catch (const std::exception& e) {
    lock.lock();
    --open_;
    UpdateGauges();
    cv_.notify_one();
    return StatusFromPqxx(e);
  }
}

void PgPool::Release(std::unique_ptr<pqxx::connection> conn) {
  std::lock_guard lock(mu_);
  if (conn->is_open()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
    // A broken connection usually means PostgreSQL restarted: the idle ones are dead too.
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
  }
  UpdateGauges();
  cv_.notify_all();
}

namespace {

// The flag of the Transact attempt running on this thread (nullptr outside one).
thread_local bool* t_outbox_written = nullptr;

// Points t_outbox_written at one attempt's flag for its lifetime (and restores the outer one:
// a Transact inside another's function, on another connection, has its own).
class OutboxFlagScope {
 public:
  explicit OutboxFlagScope(bool* flag) : previous_(t_outbox_written) { t_outbox_written = flag; }
  ~OutboxFlagScope() { t_outbox_written = previous_; }
  OutboxFlagScope(const OutboxFlagScope&) = delete;
  OutboxFlagScope& operator=(const OutboxFlagScope&) = delete;

 private:
  bool* previous_;
};

}  // namespace

void MarkOutboxWritten() {
  if (t_outbox_written != nullptr) *t_outbox_written = true;
}

int PgPool::AddOutboxHook(std::function<void()> hook) {
  std::lock_guard lock(hooks_mu_);
  outbox_hooks_.emplace_back(++next_hook_, std::move(hook));
  return next_hook_;
}

void PgPool::RemoveOutboxHook(int id) {
  std::lock_guard lock(hooks_mu_);
  std::erase_if(outbox_hooks_, [id](const auto& h) { return h.first == id; });
}

void PgPool::RunOutboxHooks() {
  // Under the mutex: RemoveOutboxHook waits for a running hook, so its owner can go after it.
  std::lock_guard lock(hooks_mu_);
  for (const auto& [id, hook] : outbox_hooks_) {
    try {
      hook();
    } catch (const std::exception& e) {
      log::Error("an outbox hook failed", {{"error", e.what()}});
    }
  }
}

absl::Status PgPool::Transact(const std::function<absl::Status(pqxx::work&)>& fn, int attempts) {
  absl::Status last;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    std::unique_ptr<Lease> lease;
    if (absl::Status s = Acquire(&lease); !s.ok()) return s;
    bool outbox_written = false;  // this attempt's: a rolled-back attempt's rows are gone
    bool committed = false;
    try {
      OutboxFlagScope scope(&outbox_written);
      pqxx::work tx(lease->conn());
      absl::Status status = fn(tx);
      if (!status.ok()) {
        tx.abort();
        return status;
      }
      tx.commit();
      committed = true;
    } catch (const pqxx::in_doubt_error& e) {
      return StatusFromPqxx(e);
    } catch (const pqxx::broken_connection& e) {
      lease->conn().disconnect();
      last = StatusFromPqxx(e);
      log::Warning("database connection broken; retrying", {{"error", e.what()}});
    } catch (const pqxx::sql_error& e) {
      last = StatusFromPqxx(e);
      if (!IsRetryable(SqlState(e))) return last;
    } catch (const std::exception& e) {
      return StatusFromPqxx(e);
    }
    if (!committed) continue;  // a retryable failure: the next attempt
    // After the try: the transaction is committed, and nothing a hook does may report it as
    // failed (the caller could then redo it).
    if (outbox_written) RunOutboxHooks();
    return absl::OkStatus();
  }
  return last;
}

std::string PgTextArray(const std::vector<std::string>& values) {
  // Sized once and copied in runs between the characters that need a backslash: the SLA
  // engine builds a dozen of these per batch of 500 events (5 % of its CPU when it went one
  // character at a time).
  size_t size = 2;
  for (const std::string& v : values) size += v.size() + 3;
  std::string out;
  out.reserve(size);
  out += '{';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    // One plain pass: string_view::find_first_of calls memchr over the set for every
    // character (8 % of the SLA engine's CPU on hex payloads).
    const std::string& v = values[i];
    size_t run = 0;
    for (size_t k = 0; k < v.size(); ++k) {
      const char ch = v[k];
      if (ch != '"' && ch != '\\') continue;
      out.append(v, run, k - run);
      out += '\\';
      out += ch;
      run = k + 1;
    }
    out.append(v, run, std::string::npos);
    out += '"';
  }
  out += '}';
  return out;
}

std::string HexDigits(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  char* o = out.data();
  for (unsigned char ch : bytes) {
    *o++ = kDigits[ch >> 4];
    *o++ = kDigits[ch & 15];
  }
  return out;
}

namespace pg_array {
namespace {

// Element type OIDs (pg_type.dat): fixed since PostgreSQL's first releases.
constexpr uint32_t kBoolOid = 16;
constexpr uint32_t kByteaOid = 17;
constexpr uint32_t kInt8Oid = 20;
constexpr uint32_t kInt2Oid = 21;
constexpr uint32_t kInt4Oid = 23;
constexpr uint32_t kTextOid = 25;
constexpr uint32_t kTimestamptzOid = 1184;
constexpr uint32_t kUuidOid = 2950;
// Binary timestamps count microseconds from 2000-01-01 00:00 UTC.
constexpr int64_t kPgEpochUnixMicros = 946684800LL * 1000000;
// The earliest timestamptz (4714-11-24 BC, Julian day 0) in Unix microseconds: earlier
// instants would also overflow the subtraction above.
constexpr int64_t kPgMinUnixMicros = -211813488000000000LL + kPgEpochUnixMicros;

// Writes the header (dimensions, null flag, element type, bounds), then one length-prefixed
// element at a time, all integers in network byte order.
class ArrayWriter {
 public:
  ArrayWriter(uint32_t element_oid, size_t count, size_t payload_bytes) {
    if (count > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      throw std::length_error("a PostgreSQL array holds at most 2^31 - 1 elements");
    }
    out_.reserve(20 + 4 * count + payload_bytes);
    Put(count == 0 ? 0 : 1, 4);  // dimensions: an empty array has none
    Put(0, 4);                   // has NULL elements: set by Done
    Put(element_oid, 4);
    if (count > 0) {
      Put(count, 4);  // elements in the dimension
      Put(1, 4);      // its lower bound
    }
  }
  void Null() {
    Put(0xFFFFFFFFu, 4);  // length -1
    has_null_ = true;
  }
  void Fixed(uint64_t value, int bytes) {
    Put(static_cast<uint64_t>(bytes), 4);
    Put(value, bytes);
  }
  void Bytes(std::string_view bytes) {
    if (bytes.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      throw std::length_error("a PostgreSQL array element holds at most 2^31 - 1 bytes");
    }
    Put(bytes.size(), 4);
    out_.append(bytes);
  }
  pqxx::binarystring Done() {
    if (has_null_) out_[7] = 1;
    return pqxx::binarystring(out_.data(), out_.size());
  }

 private:
  void Put(uint64_t value, int bytes) {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
      out_ += static_cast<char>((value >> shift) & 0xFF);
    }
  }
  std::string out_;
  bool has_null_ = false;
};

template <typename T>
pqxx::binarystring FixedArray(uint32_t oid, int bytes, const std::vector<T>& values) {
  ArrayWriter w(oid, values.size(), values.size() * bytes);
  for (const T& v : values) w.Fixed(static_cast<uint64_t>(static_cast<int64_t>(v)), bytes);
  return w.Done();
}

pqxx::binarystring BytesArray(uint32_t oid, const std::vector<std::string>& values) {
  size_t payload = 0;
  for (const std::string& v : values) payload += v.size();
  ArrayWriter w(oid, values.size(), payload);
  for (const std::string& v : values) w.Bytes(v);
  return w.Done();
}

}  // namespace

pqxx::binarystring Bigint(const std::vector<int64_t>& values) {
  return FixedArray(kInt8Oid, 8, values);
}

pqxx::binarystring Integer(const std::vector<int>& values) {
  return FixedArray(kInt4Oid, 4, values);
}

pqxx::binarystring Smallint(const std::vector<int>& values) {
  for (int v : values) {
    if (v < std::numeric_limits<int16_t>::min() || v > std::numeric_limits<int16_t>::max()) {
      throw std::out_of_range(absl::StrCat(v, " does not fit a smallint"));
    }
  }
  return FixedArray(kInt2Oid, 2, values);
}

pqxx::binarystring Boolean(const std::vector<bool>& values) {
  ArrayWriter w(kBoolOid, values.size(), values.size());
  for (bool v : values) w.Fixed(v ? 1 : 0, 1);
  return w.Done();
}

pqxx::binarystring Text(const std::vector<std::string>& values) {
  return BytesArray(kTextOid, values);
}

pqxx::binarystring Bytea(const std::vector<std::string>& values) {
  return BytesArray(kByteaOid, values);
}

pqxx::binarystring Uuid(const std::vector<std::string>& values) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  ArrayWriter w(kUuidOid, values.size(), values.size() * 16);
  for (const std::string& v : values) {
    char bytes[16];
    size_t at = 0;
    bool ok = v.size() == 36;
    for (size_t i = 0; ok && i < v.size(); ++i) {
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        ok = v[i] == '-';
        continue;
      }
      const int hi = nibble(v[i]), lo = i + 1 < v.size() ? nibble(v[i + 1]) : -1;
      ok = hi >= 0 && lo >= 0;
      bytes[at++] = static_cast<char>(hi << 4 | lo);
      ++i;
    }
    if (!ok) throw std::invalid_argument(absl::StrCat("\"", v, "\" is not a UUID"));
    w.Bytes(std::string_view(bytes, sizeof bytes));
  }
  return w.Done();
}

pqxx::binarystring Timestamptz(const std::vector<absl::Time>& values) {
  ArrayWriter w(kTimestamptzOid, values.size(), values.size() * 8);
  for (absl::Time t : values) {
    if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
      w.Null();
    } else {
      const int64_t unix_us = absl::ToUnixMicros(t);  // saturates far outside int64
      if (unix_us < kPgMinUnixMicros) {
        throw std::out_of_range(
            absl::StrCat(absl::FormatTime(t), " is before PostgreSQL's first timestamp (4714 BC)"));
      }
      // Later than PostgreSQL's last timestamp (294276 AD) is refused by the server.
      w.Fixed(static_cast<uint64_t>(unix_us - kPgEpochUnixMicros), 8);
    }
  }
  return w.Done();
}

}  // namespace pg_array

absl::Status PgPool::Read(const std::function<absl::Status(pqxx::work&)>& fn) {
  return Transact(fn);
}

absl::Status PgPool::ReadAutocommit(
    const std::function<absl::Status(pqxx::transaction_base&)>& fn) {
  absl::Status last;
  for (int attempt = 1; attempt <= 2; ++attempt) {
    std::unique_ptr<Lease> lease;
    if (absl::Status s = Acquire(&lease); !s.ok()) return s;
    try {
      pqxx::nontransaction tx(lease->conn());
      return fn(tx);
    } catch (const pqxx::broken_connection& e) {
      lease->conn().disconnect();
      last = StatusFromPqxx(e);
      log::Warning("database connection broken; retrying", {{"error", e.what()}});
    } catch (const std::exception& e) {
      return StatusFromPqxx(e);
    }
  }
  return last;
}

absl::Status PgPool::Ping() {
  return Read([](pqxx::work& tx) {
    tx.exec("SELECT 1");
    return absl::OkStatus();
  });
}

}  // namespace tiquete
