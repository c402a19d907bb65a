// The active classification rules, read from the database at most once per TTL: rules change
// rarely and every submission needs them.
#pragma once

#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/intake/domain/classification.h"
#include "services/intake/store.h"

namespace tiquete::intake {

class RuleCache {
 public:
  RuleCache(IntakeStore& store, const Clock& clock, absl::Duration ttl)
      : store_(store), clock_(clock), ttl_(ttl) {}

  // The current rules; reloads when older than the TTL. When a reload fails the previous
  // rules are served (and the failure logged) rather than failing submissions; with nothing
  // loaded yet the error is returned.
  absl::StatusOr<std::shared_ptr<const domain::RuleSet>> Get();
  // Forces the next Get to reload (after this process changed a rule).
  void Invalidate();

 private:
  IntakeStore& store_;
  const Clock& clock_;
  absl::Duration ttl_;
  std::mutex mu_;
  std::shared_ptr<const domain::RuleSet> rules_;
  absl::Time loaded_at_ = absl::InfinitePast();
};

}  // namespace tiquete::intake
