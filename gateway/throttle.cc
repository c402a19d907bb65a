#include "gateway/throttle.h"

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tiquete::gateway {

void InMemoryCounterStore::IncrementBy(const std::string& key, int64_t n, absl::Duration window,
                                       std::function<void(absl::StatusOr<WindowCount>)> done) {
  WindowCount out;
  {
    std::lock_guard lock(mu_);
    const absl::Time now = clock_->Now();
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.resets_at <= now) {
      it = entries_.insert_or_assign(key, Entry{0, now + window}).first;
    }
    out.count = it->second.count += n;
    out.remaining = it->second.resets_at - now;
  }
  done(out);
}

void InMemoryCounterStore::Read(const std::string& key,
                                std::function<void(absl::StatusOr<WindowCount>)> done) {
  WindowCount out;
  {
    std::lock_guard lock(mu_);
    const absl::Time now = clock_->Now();
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.resets_at > now) {
      out.count = it->second.count;
      out.remaining = it->second.resets_at - now;
    }
  }
  done(out);
}

void InMemoryCounterStore::Reset(const std::string& key, std::function<void(absl::Status)> done) {
  {
    std::lock_guard lock(mu_);
    entries_.erase(key);
  }
  done(absl::OkStatus());
}

BatchingCounterStore::BatchingCounterStore(CounterStore* shared, const Clock* clock,
                                           BatchingOptions options)
    : shared_(shared), clock_(clock), options_(options), state_(std::make_shared<State>()) {}

void BatchingCounterStore::IncrementBy(const std::string& key, int64_t n, absl::Duration window,
                                       std::function<void(absl::StatusOr<WindowCount>)> done) {
  const absl::Time now = clock_->Now();
  int64_t settle = 0;
  uint64_t generation = 0;
  bool counted_here = false;
  WindowCount local;
  {
    std::lock_guard lock(state_->mu);
    PruneLocked(*state_, now);
    auto it = state_->entries.find(key);
    if (it != state_->entries.end() && now < it->second.resets_at) {
      Entry& e = it->second;
      counted_here = true;
      e.pending += n;
      local.count = e.known + e.in_flight + e.pending;
      local.remaining = e.resets_at - now;
      if (!e.settling &&
          (now - e.settled_at >= options_.settle_interval || e.pending >= options_.max_pending)) {
        e.settling = true;
        e.in_flight = settle = e.pending;
        e.pending = 0;
        generation = e.generation;
      }
    } else if (it != state_->entries.end()) {
      state_->entries.erase(it);  // the window ended: what it counted here goes with it
    }
  }
  if (settle > 0) {
    // In the background; this request is answered from the local count below.
    shared_->IncrementBy(
        key, settle, window, [state = state_, key, generation, now](absl::StatusOr<WindowCount> c) {
          std::lock_guard lock(state->mu);
          auto it = state->entries.find(key);
          if (it == state->entries.end() || it->second.generation != generation) return;
          if (!c.ok()) {
            state->entries.erase(it);  // the next request asks the shared store again
            return;
          }
          Entry& e = it->second;
          e.known = c->count;
          e.in_flight = 0;
          e.settling = false;
          e.settled_at = now;
          e.resets_at = now + c->remaining;
        });
  }
  if (counted_here) {
    done(local);
    return;
  }
  // No usable local state (a new key, or its window ended): this request waits for the shared
  // store, and its answer starts the key's local state.
  shared_->IncrementBy(
      key, n, window,
      [state = state_, key, now, done = std::move(done)](absl::StatusOr<WindowCount> c) {
        if (!c.ok()) return done(c.status());
        WindowCount answer = *c;
        {
          std::lock_guard lock(state->mu);
          auto [it, fresh] = state->entries.try_emplace(key);
          Entry& e = it->second;
          if (fresh) {
            e.generation = state->next_generation++;
            e.known = c->count;
            e.settled_at = now;
            e.resets_at = now + c->remaining;
          } else {
            // Another first request of this window got here first.
            e.known = std::max(e.known, c->count);
            answer.count = e.known + e.in_flight + e.pending;
          }
        }
        done(answer);
      });
}

void BatchingCounterStore::PruneLocked(State& state, absl::Time now) {
  if (now < state.next_prune) return;
  state.next_prune = now + absl::Seconds(10);
  std::erase_if(state.entries, [&](const auto& e) { return e.second.resets_at <= now; });
}

void BatchingCounterStore::Read(const std::string& key,
                                std::function<void(absl::StatusOr<WindowCount>)> done) {
  {
    std::lock_guard lock(state_->mu);
    state_->entries.erase(key);
  }
  shared_->Read(key, std::move(done));
}

void BatchingCounterStore::Reset(const std::string& key, std::function<void(absl::Status)> done) {
  {
    std::lock_guard lock(state_->mu);
    state_->entries.erase(key);
  }
  shared_->Reset(key, std::move(done));
}

size_t BatchingCounterStore::tracked_keys() {
  std::lock_guard lock(state_->mu);
  return state_->entries.size();
}

void FixedWindowLimiter::Check(const std::string& key,
                               std::function<void(absl::StatusOr<LimitDecision>)> done) {
  if (limit_ <= 0) {
    done(LimitDecision{});
    return;
  }
  store_->Increment(absl::StrCat(prefix_, key), window_,
                    [limit = limit_, done = std::move(done)](absl::StatusOr<WindowCount> c) {
                      if (!c.ok()) {
                        done(c.status());
                        return;
                      }
                      LimitDecision d;
                      d.allowed = c->count <= limit;
                      if (!d.allowed) d.retry_after = c->remaining;
                      done(d);
                    });
}

std::string LoginThrottle::AccountKey(const std::string& email) const {
  return absl::StrCat("login-fail:account:", absl::AsciiStrToLower(email));
}

std::string LoginThrottle::AddressKey(const std::string& address) const {
  return absl::StrCat("login-fail:address:", address);
}

void LoginThrottle::Check(const std::string& email, const std::string& address,
                          std::function<void(absl::StatusOr<LimitDecision>)> done) {
  // Both counters are read; the longer wait wins.
  store_->Read(AccountKey(email), [this, address, done = std::move(done)](
                                      absl::StatusOr<WindowCount> account) mutable {
    if (!account.ok()) {
      done(account.status());
      return;
    }
    store_->Read(AddressKey(address), [this, account = *account, done = std::move(done)](
                                          absl::StatusOr<WindowCount> by_address) {
      if (!by_address.ok()) {
        done(by_address.status());
        return;
      }
      LimitDecision d;
      if (account.count >= policy_.max_failures_per_account) {
        d.allowed = false;
        d.retry_after = account.remaining;
      }
      if (by_address->count >= policy_.max_failures_per_address) {
        d.allowed = false;
        d.retry_after = std::max(d.retry_after, by_address->remaining);
      }
      done(d);
    });
  });
}

void LoginThrottle::RecordFailure(const std::string& email, const std::string& address,
                                  std::function<void(absl::Status)> done) {
  store_->Increment(AccountKey(email), policy_.window,
                    [this, address, done = std::move(done)](absl::StatusOr<WindowCount> c) mutable {
                      if (!c.ok()) {
                        done(c.status());
                        return;
                      }
                      store_->Increment(AddressKey(address), policy_.window,
                                        [done = std::move(done)](absl::StatusOr<WindowCount> a) {
                                          done(a.status());
                                        });
                    });
}

void LoginThrottle::RecordSuccess(const std::string& email,
                                  std::function<void(absl::Status)> done) {
  store_->Reset(AccountKey(email), std::move(done));
}

}  // namespace tiquete::gateway
