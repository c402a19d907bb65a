#include "services/reporting/live_gauges.h"

#include <prometheus/family.h>

#include "common/log.h"
#include "common/metrics.h"

namespace tiquete::reporting {

LiveGauges::LiveGauges(const Reports& reports, Metrics& metrics, absl::Duration interval)
    : reports_(reports), interval_(interval) {
  auto& backlog = prometheus::BuildGauge()
                      .Name("tiquete_reporting_backlog")
                      .Help("Open incidents now, by kind of figure")
                      .Register(metrics.registry());
  open_ = &backlog.Add({{"figure", "open"}});
  pending_ = &backlog.Add({{"figure", "pending"}});
  over_threshold_ = &backlog.Add({{"figure", "over_max_wait"}});
  auto& sla = prometheus::BuildGauge()
                  .Name("tiquete_reporting_sla_open_incidents")
                  .Help("Open incidents by SLA status (at_risk: a warning fired, no breach)")
                  .Register(metrics.registry());
  at_risk_ = &sla.Add({{"status", "at_risk"}});
  breached_ = &sla.Add({{"status", "breached"}});
  oldest_hours_ = &prometheus::BuildGauge()
                       .Name("tiquete_reporting_backlog_oldest_hours")
                       .Help("Age of the oldest open incident, in hours")
                       .Register(metrics.registry())
                       .Add({});
}

LiveGauges::~LiveGauges() { Stop(); }

absl::Status LiveGauges::RefreshOnce() {
  auto b = reports_.Backlog(v1::ReportFilter());
  if (!b.ok()) return b.status();
  open_->Set(static_cast<double>(b->open()));
  pending_->Set(static_cast<double>(b->pending()));
  over_threshold_->Set(static_cast<double>(b->over_threshold()));
  at_risk_->Set(static_cast<double>(b->at_risk()));
  breached_->Set(static_cast<double>(b->breached()));
  oldest_hours_->Set(b->oldest_hours());
  return absl::OkStatus();
}

void LiveGauges::Start() {
  stop_ = false;
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      if (absl::Status s = RefreshOnce(); !s.ok()) {
        log::Warning("live gauges not refreshed", {{"error", s.ToString()}});
      }
      const absl::Time until = absl::Now() + interval_;
      while (!stop_.load() && absl::Now() < until) absl::SleepFor(absl::Milliseconds(100));
    }
  });
}

void LiveGauges::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace tiquete::reporting
