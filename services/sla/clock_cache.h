#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "services/sla/domain/ticket_clocks.h"

namespace tiquete::sla {

// The tickets an event recently changed (facts and clocks) as this engine last wrote them, so
// that the ticket's next event neither reads nor locks them before applying.
//
// An entry is the state written by the (sub)transaction `xmin` of the ticket row. The event
// path applies a batch from an entry without touching the database, and checks it when it
// writes:
//  - the ticket row is rewritten only while its xmin is still the entry's. Every application
//    of an event (another replica, another consumer, a stale-event count) rewrites the row and
//    clocks are only created there, so a matching xmin means nobody else has applied an event
//    to the ticket since; a rolled-back write left the older xmin behind, which does not match;
//  - the due-time scanner and calendar rescheduling write clocks without touching the ticket
//    row, but every clock write of the event path is checked against the row version it was
//    read (or cached) at.
// A failed check sends the batch round again, read and locked from the database
// (SlaStore::ApplyTicketChanges).
//
// Bounded: the least recently used ticket is dropped first. Thread-safe.
class TicketClockCache {
 public:
  struct Entry {
    std::string xmin;    // of the ticket row, as written with this state
    TicketClocks state;  // facts and clocks
  };

  explicit TicketClockCache(size_t capacity) : capacity_(capacity) {}

  // Hands the ticket's entry over and forgets it (no copy): the batch that took it puts the
  // state it wrote back, and a batch that fails leaves the ticket to be read from the database.
  bool Take(const std::string& ticket, Entry* out);
  void Put(const std::string& ticket, std::string xmin, TicketClocks state);
  void Erase(const std::string& ticket);

  size_t size() const;
  int64_t hits() const;
  int64_t misses() const;

 private:
  struct Node {
    std::string ticket;
    Entry entry;
  };
  using Lru = std::list<Node>;  // most recently used first

  const size_t capacity_;
  mutable std::mutex mu_;
  Lru lru_;
  absl::flat_hash_map<std::string, Lru::iterator> index_;
  int64_t hits_ = 0, misses_ = 0;
};

}  // namespace tiquete::sla
