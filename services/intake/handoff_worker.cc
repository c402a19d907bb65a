#include "services/intake/handoff_worker.h"

#include <chrono>

#include "common/log.h"

namespace tiquete::intake {

void HandoffRetrier::Start() {
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void HandoffRetrier::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HandoffRetrier::Run() {
  for (;;) {
    auto attempted = desk_.RetryDueHandoffs(batch_);
    if (!attempted.ok()) {
      log::Warning("hand-over retry tick failed", {{"error", attempted.status().ToString()}});
    }
    // A full batch means more may be due: go again at once (unless stopping).
    const bool more = attempted.ok() && *attempted >= batch_;
    std::unique_lock lock(mu_);
    if (stop_) return;
    if (more) continue;
    cv_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stop_; });
    if (stop_) return;
  }
}

}  // namespace tiquete::intake
