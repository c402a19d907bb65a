// The metrics every Tiquete service exports on /metrics, declared in one place.
#pragma once

#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/status/status.h"

namespace tiquete {

class Metrics {
 public:
  explicit Metrics(std::string service);
  ~Metrics();

  // Starts the HTTP exposer on host:port (":0" style ports are not supported by civetweb).
  absl::Status Serve(const std::string& host_port);

  prometheus::Registry& registry() { return *registry_; }
  const std::string& service() const { return service_; }

  void ObserveRpc(const std::string& method, const std::string& code, double seconds);
  prometheus::Gauge& db_pool_in_use() { return *db_pool_in_use_; }
  prometheus::Gauge& db_pool_waiting() { return *db_pool_waiting_; }
  prometheus::Gauge& db_pool_size() { return *db_pool_size_; }
  prometheus::Gauge& outbox_backlog() { return *outbox_backlog_; }
  prometheus::Counter& outbox_published() { return *outbox_published_; }
  prometheus::Gauge& ConsumerLag(const std::string& stream, const std::string& group);
  prometheus::Counter& EventsHandled(const std::string& stream, const std::string& outcome);

 private:
  std::string service_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Counter>* rpc_total_;
  prometheus::Family<prometheus::Histogram>* rpc_seconds_;
  prometheus::Family<prometheus::Gauge>* consumer_lag_;
  prometheus::Family<prometheus::Counter>* events_handled_;
  prometheus::Gauge* db_pool_in_use_;
  prometheus::Gauge* db_pool_waiting_;
  prometheus::Gauge* db_pool_size_;
  prometheus::Gauge* outbox_backlog_;
  prometheus::Counter* outbox_published_;
};

}  // namespace tiquete
