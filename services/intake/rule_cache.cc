#include "services/intake/rule_cache.h"

#include "common/log.h"

namespace tiquete::intake {

absl::StatusOr<std::shared_ptr<const domain::RuleSet>> RuleCache::Get() {
  std::lock_guard lock(mu_);
  const absl::Time now = clock_.Now();
  if (rules_ && now - loaded_at_ < ttl_) return rules_;
  auto loaded = store_.ActiveRules();
  if (!loaded.ok()) {
    if (!rules_) return loaded.status();
    log::Warning("classification rules could not be reloaded; using the previous ones",
                 {{"error", loaded.status().ToString()}});
    return rules_;
  }
  rules_ = std::make_shared<const domain::RuleSet>(std::move(*loaded));
  loaded_at_ = now;
  return rules_;
}

void RuleCache::Invalidate() {
  std::lock_guard lock(mu_);
  loaded_at_ = absl::InfinitePast();
}

}  // namespace tiquete::intake
