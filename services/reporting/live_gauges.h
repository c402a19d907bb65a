// Prometheus gauges for the live figures (backlog, over threshold, at risk, breached),
// refreshed from the read model on an interval.
#pragma once

#include <atomic>
#include <thread>

#include <prometheus/gauge.h>

#include "absl/time/time.h"
#include "services/reporting/reports.h"

namespace tiquete {
class Metrics;
}

namespace tiquete::reporting {

class LiveGauges {
 public:
  LiveGauges(const Reports& reports, Metrics& metrics, absl::Duration interval);
  ~LiveGauges();
  void Start();
  void Stop();
  absl::Status RefreshOnce();

 private:
  const Reports& reports_;
  absl::Duration interval_;
  prometheus::Gauge* open_;
  prometheus::Gauge* pending_;
  prometheus::Gauge* over_threshold_;
  prometheus::Gauge* at_risk_;
  prometheus::Gauge* breached_;
  prometheus::Gauge* oldest_hours_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace tiquete::reporting
