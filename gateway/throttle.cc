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

void BatchingCounterStore::IncrementBy(const std::string& key, int64_t n, absl::Duration window,
                                       std::function<void(absl::StatusOr<WindowCount>)> done) {
  const absl::Time now = clock_->Now();
  int64_t settle = 0;
  WindowCount local;
  {
    std::lock_guard lock(mu_);
    PruneLocked(now);
    auto it = entries_.find(key);
    if (it != entries_.end() && now < it->second.resets_at) {
      Entry& e = it->second;
      e.pending += n;
      local.count = e.known + e.in_flight + e.pending;
      local.remaining = e.resets_at - now;
      if (!e.settling &&
          (now - e.settled_at >= options_.settle_interval || e.pending >= options_.max_pending)) {
        e.settling = true;
        e.in_flight = settle = e.pending;
        e.pending = 0;
      }
    } else {
      // No usable local state (a new key, or its window ended): this request waits for the
      // shared store. What an ended window counted locally is dropped with it.
      if (it != entries_.end() && !it->second.settling) entries_.erase(it);
      settle = -n;
    }
  }
  if (settle > 0) {
    Settle(key, settle, window, now, [](absl::StatusOr<WindowCount>) {});
  }
  if (settle < 0) {
    Settle(key, -settle, window, now, std::move(done));
    return;
  }
  done(local);
}

void BatchingCounterStore::Settle(const std::string& key, int64_t n, absl::Duration window,
                                  absl::Time sent,
                                  std::function<void(absl::StatusOr<WindowCount>)> done) {
  shared_->IncrementBy(key, n, window,
                       [this, key, sent, done = std::move(done)](absl::StatusOr<WindowCount> c) {
                         WindowCount answer;
                         {
                           std::lock_guard lock(mu_);
                           if (!c.ok()) {
                             entries_.erase(key);  // the next request asks the shared store again
                           } else {
                             Entry& e = entries_[key];
                             e.known = c->count;
                             e.in_flight = 0;
                             e.settling = false;
                             e.settled_at = sent;
                             e.resets_at = sent + c->remaining;
                             answer.count = e.known + e.pending;
                             answer.remaining = c->remaining;
                           }
                         }
                         if (!c.ok()) return done(c.status());
                         done(answer);
                       });
}

void BatchingCounterStore::PruneLocked(absl::Time now) {
  if (now < next_prune_) return;
  next_prune_ = now + absl::Seconds(10);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.settling && it->second.resets_at <= now) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

void BatchingCounterStore::Read(const std::string& key,
                                std::function<void(absl::StatusOr<WindowCount>)> done) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && !it->second.settling) entries_.erase(it);
  }
  shared_->Read(key, std::move(done));
}

void BatchingCounterStore::Reset(const std::string& key, std::function<void(absl::Status)> done) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && !it->second.settling) entries_.erase(it);
  }
  shared_->Reset(key, std::move(done));
}

size_t BatchingCounterStore::tracked_keys() {
  std::lock_guard lock(mu_);
  return entries_.size();
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
