// The gateway's Prometheus metrics, declared in one place: HTTP requests by route, method and
// status, and request latency by route.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace tiquete::gateway {

class GatewayMetrics {
 public:
  explicit GatewayMetrics(std::shared_ptr<prometheus::Registry> registry);

  // `route` is the URL template (bounded label set), never the raw path.
  void ObserveRequest(const std::string& route, const std::string& method, int status,
                      double seconds);
  prometheus::Gauge& connections() { return *connections_; }
  // The Prometheus text exposition of the whole registry (served on /metrics).
  std::string Render() const;

 private:
  struct Series {
    prometheus::Counter* requests;
    prometheus::Histogram* latency;
  };
  std::shared_ptr<prometheus::Registry> registry_;
  // Series by "route method status": found without building label maps on every request.
  std::mutex mu_;
  std::unordered_map<std::string, Series> series_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Gauge* connections_;
};

}  // namespace tiquete::gateway
