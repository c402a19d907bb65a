#include "gateway/gateway_metrics.h"

#include <prometheus/text_serializer.h>

namespace tiquete::gateway {

GatewayMetrics::GatewayMetrics(std::shared_ptr<prometheus::Registry> registry)
    : registry_(std::move(registry)) {
  requests_ = &prometheus::BuildCounter()
                   .Name("tiquete_gateway_http_requests_total")
                   .Help("HTTP requests by route template, method and status")
                   .Register(*registry_);
  latency_ = &prometheus::BuildHistogram()
                  .Name("tiquete_gateway_http_request_duration_seconds")
                  .Help("HTTP request latency by route template, until the response is ready")
                  .Register(*registry_);
  connections_ = &prometheus::BuildGauge()
                      .Name("tiquete_gateway_open_connections")
                      .Help("Open HTTP connections")
                      .Register(*registry_)
                      .Add({});
}

namespace {

// Clients choose the method; only known ones become label values, so the series stay bounded.
const std::string& MethodLabel(const std::string& method) {
  static const std::string kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  static const std::string kOther = "OTHER";
  for (const std::string& m : kKnown) {
    if (m == method) return m;
  }
  return kOther;
}

}  // namespace

void GatewayMetrics::ObserveRequest(const std::string& route, const std::string& raw_method,
                                    int status, double seconds) {
  const std::string& method = MethodLabel(raw_method);
  // Fine buckets below 10 ms: most calls are a Redis round trip plus one millisecond RPC.
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  std::string key;
  key.reserve(route.size() + method.size() + 5);
  key.append(route).append(1, ' ').append(method).append(1, ' ');
  key.push_back(static_cast<char>('0' + (status / 100) % 10));
  key.push_back(static_cast<char>('0' + (status / 10) % 10));
  key.push_back(static_cast<char>('0' + status % 10));
  Series series;
  {
    std::lock_guard lock(mu_);
    auto it = series_.find(key);
    if (it == series_.end()) {
      Series created{
          &requests_->Add(
              {{"route", route}, {"method", method}, {"status", std::to_string(status)}}),
          &latency_->Add({{"route", route}}, kBuckets)};
      it = series_.emplace(key, created).first;
    }
    series = it->second;
  }
  series.requests->Increment();
  series.latency->Observe(seconds);
}

std::string GatewayMetrics::Render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace tiquete::gateway
