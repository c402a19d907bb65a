// The due-time scanner: fires warnings and breaches when clocks reach them. Each pass claims
// due clocks with FOR UPDATE SKIP LOCKED (SlaStore::FireDue), so any number of replicas scan
// the same table without ever claiming the same clock, and a replica that dies simply releases
// its locks with its connection. Time comes from the injected Clock.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include <prometheus/counter.h>
#include <prometheus/histogram.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/sla/store.h"

namespace tiquete {
class Metrics;
}

namespace tiquete::sla {

struct ScannerOptions {
  std::string replica;  // recorded on each firing ("scanner:<replica>")
  // A firing is at most this late plus one pass; 100 ms leaves most of the 1 s budget to a
  // busy database, and an idle pass costs one index probe.
  absl::Duration poll_interval = absl::Milliseconds(100);
  int batch = 500;
  absl::Duration reschedule_interval = absl::Seconds(5);
};

class DueScanner {
 public:
  DueScanner(SlaStore& store, Clock& clock, ScannerOptions options, Metrics* metrics = nullptr);
  ~DueScanner();

  void Start();
  void Stop();
  // Fires everything due now, batch after batch; returns the firings recorded.
  absl::StatusOr<int> RunOnce();

 private:
  void Run();

  SlaStore& store_;
  Clock& clock_;
  ScannerOptions options_;
  prometheus::Counter* warnings_ = nullptr;
  prometheus::Counter* breaches_ = nullptr;
  prometheus::Histogram* lateness_ = nullptr;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace tiquete::sla
