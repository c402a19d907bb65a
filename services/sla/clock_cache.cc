#include "services/sla/clock_cache.h"

namespace tiquete::sla {

bool TicketClockCache::Take(const std::string& ticket, Entry* out) {
  std::lock_guard lock(mu_);
  auto it = index_.find(ticket);
  if (it == index_.end()) {
    ++misses_;
    return false;
  }
  *out = std::move(it->second->entry);
  lru_.erase(it->second);
  index_.erase(it);
  ++hits_;
  return true;
}

void TicketClockCache::Put(const std::string& ticket, std::string xmin, TicketClocks state) {
  std::lock_guard lock(mu_);
  if (capacity_ == 0) return;
  if (auto it = index_.find(ticket); it != index_.end()) {
    it->second->entry = Entry{std::move(xmin), std::move(state)};
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Node{ticket, Entry{std::move(xmin), std::move(state)}});
  index_[ticket] = lru_.begin();
  if (lru_.size() > capacity_) {
    index_.erase(lru_.back().ticket);
    lru_.pop_back();
  }
}

void TicketClockCache::Erase(const std::string& ticket) {
  std::lock_guard lock(mu_);
  auto it = index_.find(ticket);
  if (it == index_.end()) return;
  lru_.erase(it->second);
  index_.erase(it);
}

size_t TicketClockCache::size() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

int64_t TicketClockCache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

int64_t TicketClockCache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

}  // namespace tiquete::sla
