#include "common/pg.h"

#include <chrono>

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

absl::Status PgPool::Transact(const std::function<absl::Status(pqxx::work&)>& fn, int attempts) {
  absl::Status last;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    std::unique_ptr<Lease> lease;
    if (absl::Status s = Acquire(&lease); !s.ok()) return s;
    try {
      pqxx::work tx(lease->conn());
      absl::Status status = fn(tx);
      if (!status.ok()) {
        tx.abort();
        return status;
      }
      tx.commit();
      return absl::OkStatus();
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
    std::string_view rest = values[i];
    for (size_t special; (special = rest.find_first_of("\"\\")) != std::string_view::npos;) {
      out.append(rest.data(), special);
      out += '\\';
      out += rest[special];
      rest.remove_prefix(special + 1);
    }
    out.append(rest.data(), rest.size());
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
