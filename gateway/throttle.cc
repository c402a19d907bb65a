#include "gateway/throttle.h"

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tiquete::gateway {

void InMemoryCounterStore::Increment(const std::string& key, absl::Duration window,
                                     std::function<void(absl::StatusOr<WindowCount>)> done) {
  WindowCount out;
  {
    std::lock_guard lock(mu_);
    const absl::Time now = clock_->Now();
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.resets_at <= now) {
      it = entries_.insert_or_assign(key, Entry{0, now + window}).first;
    }
    out.count = ++it->second.count;
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
