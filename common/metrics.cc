#include "common/metrics.h"

#include "absl/strings/str_cat.h"

namespace tiquete {
namespace {

// Fine enough for sub-millisecond RPCs, wide enough for slow reports.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return kBuckets;
}

}  // namespace

Metrics::Metrics(std::string service)
    : service_(std::move(service)), registry_(std::make_shared<prometheus::Registry>()) {
  const prometheus::Labels constant = {{"service", service_}};
  rpc_total_ = &prometheus::BuildCounter()
                    .Name("tiquete_rpc_total")
                    .Help("gRPC calls handled, by method and status code")
                    .Labels(constant)
                    .Register(*registry_);
  rpc_seconds_ = &prometheus::BuildHistogram()
                      .Name("tiquete_rpc_duration_seconds")
                      .Help("gRPC handling latency, by method and status code")
                      .Labels(constant)
                      .Register(*registry_);
  auto& pool = prometheus::BuildGauge()
                   .Name("tiquete_db_pool_connections")
                   .Help("PostgreSQL pool connections by state")
                   .Labels(constant)
                   .Register(*registry_);
  db_pool_in_use_ = &pool.Add({{"state", "in_use"}});
  db_pool_waiting_ = &pool.Add({{"state", "waiting"}});
  db_pool_size_ = &pool.Add({{"state", "max"}});
  outbox_backlog_ = &prometheus::BuildGauge()
                         .Name("tiquete_outbox_backlog")
                         .Help("Outbox rows not yet published to Redis")
                         .Labels(constant)
                         .Register(*registry_)
                         .Add({});
  outbox_published_ = &prometheus::BuildCounter()
                           .Name("tiquete_outbox_published_total")
                           .Help("Outbox rows published to Redis")
                           .Labels(constant)
                           .Register(*registry_)
                           .Add({});
  consumer_lag_ = &prometheus::BuildGauge()
                       .Name("tiquete_consumer_lag")
                       .Help("Stream entries not yet delivered or acknowledged, by group")
                       .Labels(constant)
                       .Register(*registry_);
  events_handled_ = &prometheus::BuildCounter()
                         .Name("tiquete_events_handled_total")
                         .Help("Events consumed, by outcome (handled, duplicate, failed, dead)")
                         .Labels(constant)
                         .Register(*registry_);
}

Metrics::~Metrics() = default;

absl::Status Metrics::Serve(const std::string& host_port) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(host_port);
    exposer_->RegisterCollectable(registry_);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", host_port, ": ", e.what()));
  }
  return absl::OkStatus();
}

void Metrics::ObserveRpc(const std::string& method, const std::string& code, double seconds) {
  rpc_total_->Add({{"method", method}, {"code", code}}).Increment();
  rpc_seconds_->Add({{"method", method}, {"code", code}}, LatencyBuckets()).Observe(seconds);
}

prometheus::Gauge& Metrics::ConsumerLag(const std::string& stream, const std::string& group) {
  return consumer_lag_->Add({{"stream", stream}, {"group", group}});
}

prometheus::Counter& Metrics::EventsHandled(const std::string& stream, const std::string& outcome) {
  return events_handled_->Add({{"stream", stream}, {"outcome", outcome}});
}

}  // namespace tiquete
