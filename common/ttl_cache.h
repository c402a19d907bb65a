// A small thread-safe map whose entries expire: for reads of another service's records that
// may be a little stale (directory lookups made to validate a request). Full → expired entries
// are dropped, and everything if that is not enough, so memory stays bounded.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace tiquete {

template <typename T>
class TtlCache {
 public:
  TtlCache(const Clock* clock, absl::Duration ttl, size_t max_entries = 20000)
      : clock_(clock), ttl_(ttl), max_entries_(max_entries) {}

  std::optional<T> Get(const std::string& key) {
    const absl::Time now = clock_->Now();
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || now >= it->second.expires) return std::nullopt;
    return it->second.value;
  }

  void Put(const std::string& key, T value) {
    const absl::Time now = clock_->Now();
    std::lock_guard lock(mu_);
    if (entries_.size() >= max_entries_) {
      std::erase_if(entries_, [&](const auto& e) { return e.second.expires <= now; });
      if (entries_.size() >= max_entries_) entries_.clear();
    }
    entries_.insert_or_assign(key, Entry{std::move(value), now + ttl_});
  }

 private:
  struct Entry {
    T value;
    absl::Time expires;
  };
  const Clock* clock_;
  absl::Duration ttl_;
  size_t max_entries_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

// The cached answer for `key`, or fetch()'s answer, kept when it succeeded. Errors (NOT_FOUND
// included) are never kept. Concurrent misses of one key may both fetch, which is harmless.
template <typename T, typename Fetch>
absl::StatusOr<T> CachedFetch(TtlCache<T>& cache, const std::string& key, Fetch fetch) {
  if (auto hit = cache.Get(key)) return *std::move(hit);
  absl::StatusOr<T> fetched = fetch();
  if (fetched.ok()) cache.Put(key, *fetched);
  return fetched;
}

}  // namespace tiquete
