// Fixed-window counters (kept in Redis in production) and the two policies built on them:
// request rate limits per principal or address, and sign-in throttling per account and per
// address after repeated failures.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace tiquete::gateway {

struct WindowCount {
  int64_t count = 0;
  absl::Duration remaining = absl::ZeroDuration();  // until the window resets
};

// Async counters; callbacks may run on any thread.
class CounterStore {
 public:
  virtual ~CounterStore() = default;
  // Adds `n` (≥ 1); the first increment opens a window of `window`, after which the count
  // resets. Answers the count after the addition.
  virtual void IncrementBy(const std::string& key, int64_t n, absl::Duration window,
                           std::function<void(absl::StatusOr<WindowCount>)> done) = 0;
  void Increment(const std::string& key, absl::Duration window,
                 std::function<void(absl::StatusOr<WindowCount>)> done) {
    IncrementBy(key, 1, window, std::move(done));
  }
  virtual void Read(const std::string& key,
                    std::function<void(absl::StatusOr<WindowCount>)> done) = 0;
  virtual void Reset(const std::string& key, std::function<void(absl::Status)> done) = 0;
};

// Process-local counters on an injectable clock (tests; answers synchronously).
class InMemoryCounterStore final : public CounterStore {
 public:
  explicit InMemoryCounterStore(const Clock* clock) : clock_(clock) {}
  void IncrementBy(const std::string& key, int64_t n, absl::Duration window,
                   std::function<void(absl::StatusOr<WindowCount>)> done) override;
  void Read(const std::string& key, std::function<void(absl::StatusOr<WindowCount>)> done) override;
  void Reset(const std::string& key, std::function<void(absl::Status)> done) override;

 private:
  struct Entry {
    int64_t count;
    absl::Time resets_at;
  };
  const Clock* clock_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

struct BatchingOptions {
  // A key's local count is settled with the shared store at least this often while requests
  // come in, and at once when this many increments are waiting.
  absl::Duration settle_interval = absl::Milliseconds(100);
  int64_t max_pending = 64;
};

// Counts increments locally and settles them with a shared store (Redis) in batches: one
// INCRBY per key per interval instead of one round trip per request. For request rate limits,
// where a count that lags the other replicas is acceptable: another replica's requests become
// visible here at this replica's next settlement, and each replica may hold up to
// `max_pending` increments it has not sent yet, so a principal spread over several replicas
// can exceed its limit by about that much per replica. The first request of a key and of each
// window waits for the shared store (so the window and the other replicas' count are known);
// what was counted locally in an ended window is dropped with it, though a settlement sent just
// before the end may land in the next window. A failed settlement forgets the key, so the next
// request asks the store again and its error reaches the caller. Sign-in throttling keeps using
// the shared store directly.
class BatchingCounterStore final : public CounterStore {
 public:
  BatchingCounterStore(CounterStore* shared, const Clock* clock, BatchingOptions options = {});
  void IncrementBy(const std::string& key, int64_t n, absl::Duration window,
                   std::function<void(absl::StatusOr<WindowCount>)> done) override;
  // Reads and resets go to the shared store (and drop the local state of the key).
  void Read(const std::string& key, std::function<void(absl::StatusOr<WindowCount>)> done) override;
  void Reset(const std::string& key, std::function<void(absl::Status)> done) override;

  size_t tracked_keys();  // for tests

 private:
  struct Entry {
    uint64_t generation = 0;  // which window this is; late answers for another are ignored
    int64_t known = 0;        // the shared count at the last settlement
    int64_t in_flight = 0;    // sent to the shared store, not yet answered
    int64_t pending = 0;      // counted here only
    absl::Time settled_at;
    absl::Time resets_at;
    bool settling = false;
  };
  // Shared with the callbacks of requests to the shared store, which may run after this
  // object is gone (the Redis client fails what is in flight when it shuts down).
  struct State {
    std::mutex mu;
    std::map<std::string, Entry> entries;
    uint64_t next_generation = 1;
    absl::Time next_prune = absl::InfinitePast();
  };
  static void PruneLocked(State& state, absl::Time now);

  CounterStore* shared_;
  const Clock* clock_;
  BatchingOptions options_;
  std::shared_ptr<State> state_;
};

struct LimitDecision {
  bool allowed = true;
  absl::Duration retry_after = absl::ZeroDuration();
};

// At most `limit` requests per key per window (0 disables the limit).
class FixedWindowLimiter {
 public:
  FixedWindowLimiter(CounterStore* store, std::string prefix, int64_t limit, absl::Duration window)
      : store_(store), prefix_(std::move(prefix)), limit_(limit), window_(window) {}
  void Check(const std::string& key, std::function<void(absl::StatusOr<LimitDecision>)> done);
  bool enabled() const { return limit_ > 0; }

 private:
  CounterStore* store_;
  std::string prefix_;
  int64_t limit_;
  absl::Duration window_;
};

struct LoginPolicy {
  int64_t max_failures_per_account = 5;
  int64_t max_failures_per_address = 20;  // schools share one NAT address
  absl::Duration window = absl::Minutes(15);
};

// Sign-in throttling: after too many failures for an account or from an address within the
// window, further attempts are refused (429 with Retry-After) without checking the password.
class LoginThrottle {
 public:
  LoginThrottle(CounterStore* store, LoginPolicy policy) : store_(store), policy_(policy) {}
  void Check(const std::string& email, const std::string& address,
             std::function<void(absl::StatusOr<LimitDecision>)> done);
  void RecordFailure(const std::string& email, const std::string& address,
                     std::function<void(absl::Status)> done);
  // A successful sign-in clears the account's failures (not the address's).
  void RecordSuccess(const std::string& email, std::function<void(absl::Status)> done);

 private:
  std::string AccountKey(const std::string& email) const;
  std::string AddressKey(const std::string& address) const;
  CounterStore* store_;
  LoginPolicy policy_;
};

}  // namespace tiquete::gateway
