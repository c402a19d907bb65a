#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "services/sla/domain/clock.h"

namespace tiquete::sla {

// The clocks of recently changed tickets, as this engine last wrote them, so that the next
// event of a ticket does not read them back from the database.
//
// An entry is only used while no other transaction has applied an event to its ticket:
//  - it is keyed by the ticket row's xmin, the (sub)transaction that last wrote the row. Every
//    application of an event rewrites the ticket row, and clocks are only created there, so a
//    matching xmin means no other transaction (another replica, another consumer, or a rolled
//    back attempt of this one) has applied an event to the ticket since;
//  - the due-time scanner and calendar rescheduling write clocks without touching the ticket
//    row: a cached copy of such a clock is stale, but every clock write of the event path is
//    checked against the row version it was read at, so a stale copy makes the write fail and
//    the batch is applied again from the database (SlaStore::ApplyTicketChanges).
//
// Bounded: the least recently used ticket is dropped first. Thread-safe.
class TicketClockCache {
 public:
  explicit TicketClockCache(size_t capacity) : capacity_(capacity) {}

  // The cached clocks of `ticket` if they were cached for this row xmin.
  bool Get(const std::string& ticket, const std::string& xmin, std::vector<SlaClock>* out);
  void Put(const std::string& ticket, std::string xmin, std::vector<SlaClock> clocks);
  void Erase(const std::string& ticket);

  size_t size() const;
  int64_t hits() const;
  int64_t misses() const;

 private:
  struct Entry {
    std::string ticket;
    std::string xmin;
    std::vector<SlaClock> clocks;
  };
  using Lru = std::list<Entry>;  // most recently used first

  const size_t capacity_;
  mutable std::mutex mu_;
  Lru lru_;
  absl::flat_hash_map<std::string, Lru::iterator> index_;
  int64_t hits_ = 0, misses_ = 0;
};

}  // namespace tiquete::sla
