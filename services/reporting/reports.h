// The report use cases behind the RPCs: validates filters, picks the rollup or the facts path,
// and assembles the KPI report, trend, backlog and CSV exports.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/reporting/store.h"
#include "tiquete/reporting/v1/reporting.pb.h"

namespace tiquete::reporting {

struct ReportOptions {
  absl::TimeZone zone;
  int64_t backlog_max_wait_hours = 72;
  int projection_months = 6;
};

class Reports {
 public:
  Reports(ReportStore& store, Clock* clock, ReportOptions options)
      : store_(store), clock_(clock), options_(options) {}

  absl::StatusOr<v1::KpiReport> Kpis(const v1::ReportFilter& filter) const;
  absl::StatusOr<v1::TicketTrend> Trend(const v1::ReportFilter& filter) const;
  absl::StatusOr<v1::Backlog> Backlog(const v1::ReportFilter& filter) const;
  absl::StatusOr<v1::Dashboard> Dashboard(const v1::ReportFilter& filter) const;
  absl::StatusOr<v1::CsvFile> Export(const v1::ReportFilter& filter, v1::ReportTable table) const;

 private:
  // Fills defaults and checks the filter (INVALID_ARGUMENT naming the field).
  absl::StatusOr<v1::ReportFilter> Normalize(const v1::ReportFilter& filter) const;

  ReportStore& store_;
  Clock* clock_;
  ReportOptions options_;
};

}  // namespace tiquete::reporting
