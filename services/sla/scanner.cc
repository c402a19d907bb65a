#include "services/sla/scanner.h"

#include <prometheus/family.h>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/metrics.h"

namespace tiquete::sla {

DueScanner::DueScanner(SlaStore& store, Clock& clock, ScannerOptions options, Metrics* metrics)
    : store_(store), clock_(clock), options_(std::move(options)) {
  if (metrics != nullptr) {
    const prometheus::Labels constant = {{"service", metrics->service()}};
    auto& fired = prometheus::BuildCounter()
                      .Name("tiquete_sla_firings_total")
                      .Help("Warnings and breaches fired by the due-time scanner")
                      .Labels(constant)
                      .Register(metrics->registry());
    warnings_ = &fired.Add({{"kind", "warning"}});
    breaches_ = &fired.Add({{"kind", "breach"}});
    lateness_ = &prometheus::BuildHistogram()
                     .Name("tiquete_sla_firing_lateness_seconds")
                     .Help("How long after its due time a threshold was fired")
                     .Labels(constant)
                     .Register(metrics->registry())
                     .Add({}, prometheus::Histogram::BucketBoundaries{0.01, 0.05, 0.1, 0.25, 0.5,
                                                                      0.75, 1, 2, 5, 30, 300});
  }
}

DueScanner::~DueScanner() { Stop(); }

void DueScanner::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void DueScanner::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> DueScanner::RunOnce() {
  int fired = 0;
  const std::string by = absl::StrCat("scanner:", options_.replica);
  while (!stop_.load()) {
    auto result = store_.FireDue(clock_.Now(), options_.batch, by);
    if (!result.ok()) return result.status();
    for (const FiringRecord& f : result->fired) {
      if (lateness_) lateness_->Observe(absl::ToDoubleSeconds(f.fired_at - f.crossed_at));
      if (f.percent >= 100 && breaches_) breaches_->Increment();
      if (f.percent < 100 && warnings_) warnings_->Increment();
    }
    fired += static_cast<int>(result->fired.size());
    if (result->clocks < options_.batch) break;  // caught up
  }
  return fired;
}

void DueScanner::Run() {
  bool failing = false;
  absl::Time next_reschedule = absl::Now();
  while (!stop_.load()) {
    const absl::Time pass_started = absl::Now();
    auto fired = RunOnce();
    if (!fired.ok()) {
      if (!failing)
        log::Warning("due-time scanner failing; will retry",
                     {{"error", fired.status().ToString()}});
      failing = true;
    } else if (failing) {
      log::Info("due-time scanner recovered");
      failing = false;
    }
    if (absl::Now() >= next_reschedule) {
      next_reschedule = absl::Now() + options_.reschedule_interval;
      auto rescheduled = store_.RescheduleForCalendarChanges(options_.batch);
      if (rescheduled.ok() && *rescheduled > 0) {
        log::Info("clocks rescheduled after a calendar change",
                  {{"clocks", std::to_string(*rescheduled)}});
      }
    }
    // Sleep the rest of the interval in small steps so Stop() is quick.
    const absl::Time wake = pass_started + options_.poll_interval;
    while (!stop_.load() && absl::Now() < wake) {
      absl::SleepFor(std::min(absl::Milliseconds(20), wake - absl::Now()));
    }
  }
}

}  // namespace tiquete::sla
