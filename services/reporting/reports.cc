#include "services/reporting/reports.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/log.h"
#include "services/reporting/domain/csv.h"
#include "services/reporting/domain/period.h"
#include "services/reporting/domain/report.h"

namespace tiquete::reporting {
namespace {

DimFilter DimsOf(const v1::ReportFilter& f) {
  DimFilter d;
  d.group_id = f.group_id();
  d.level = f.level();
  d.category_id = f.category_id();
  d.service_id = f.service_id();
  d.priority = f.priority();
  d.ci_id = f.ci_id();
  d.org_unit_id = f.org_unit_id();
  return d;
}

Period PeriodOf(const v1::ReportFilter& f) {
  return {*ParseDay(f.from_date()), *ParseDay(f.to_date())};
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  ts.set_seconds(micros / 1000000);
  ts.set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  return ts;
}

}  // namespace

absl::StatusOr<v1::ReportFilter> Reports::Normalize(const v1::ReportFilter& in) const {
  v1::ReportFilter f = in;
  if (f.to_date().empty()) {
    f.set_to_date(FormatDay(absl::ToCivilDay(clock_->Now(), options_.zone)));
  }
  const auto to = ParseDay(f.to_date());
  if (!to) return InvalidField("filter.to_date", "INVALID_DATE", "to_date must be YYYY-MM-DD");
  if (f.from_date().empty()) f.set_from_date(FormatDay(absl::CivilDay(absl::CivilMonth(*to))));
  const auto from = ParseDay(f.from_date());
  if (!from) {
    return InvalidField("filter.from_date", "INVALID_DATE", "from_date must be YYYY-MM-DD");
  }
  if (*to < *from) {
    return InvalidField("filter.to_date", "INVALID_DATE_RANGE",
                        "to_date must not be before from_date");
  }
  if (*to - *from > 366 * 20) {
    return InvalidField("filter.from_date", "DATE_RANGE_TOO_LONG",
                        "a report covers at most 20 years");
  }
  if (!incident::v1::SupportLevel_IsValid(f.level())) {
    return InvalidField("filter.level", "INVALID_LEVEL", "unknown support level");
  }
  if (!incident::v1::Priority_IsValid(f.priority())) {
    return InvalidField("filter.priority", "INVALID_PRIORITY", "unknown priority");
  }
  return f;
}

absl::StatusOr<v1::KpiReport> Reports::Kpis(const v1::ReportFilter& raw) const {
  auto f = Normalize(raw);
  if (!f.ok()) return f.status();
  const DimFilter dims = DimsOf(*f);
  const Period period = PeriodOf(*f);
  KpiInputs inputs;
  absl::Status s = dims.needs_facts() ? store_.SummarizeFacts(dims, period, &inputs)
                                      : store_.SummarizeRollups(dims, period, &inputs);
  if (!s.ok()) return s;
  if (s = store_.IntakeChannels(period, &inputs.channels); !s.ok()) return s;
  v1::KpiReport report;
  *report.mutable_filter() = *f;
  BuildKpis(inputs, &report);
  report.set_from_facts(dims.needs_facts());
  return report;
}

absl::StatusOr<v1::TicketTrend> Reports::Trend(const v1::ReportFilter& raw) const {
  auto f = Normalize(raw);
  if (!f.ok()) return f.status();
  const absl::CivilMonth last(*ParseDay(f->to_date()));
  const absl::CivilMonth current(absl::ToCivilDay(clock_->Now(), options_.zone));
  std::vector<MonthTotal> observed;
  if (absl::Status s = store_.MonthlyOpened(DimsOf(*f), last, &observed); !s.ok()) return s;
  v1::TicketTrend trend;
  BuildTrend(observed, last, last >= current, options_.projection_months, &trend);
  return trend;
}

absl::StatusOr<v1::Backlog> Reports::Backlog(const v1::ReportFilter& raw) const {
  auto f = Normalize(raw);
  if (!f.ok()) return f.status();
  const absl::Time now = clock_->Now();
  LiveSnapshot live;
  if (absl::Status s = store_.Live(DimsOf(*f), now, options_.backlog_max_wait_hours, &live);
      !s.ok()) {
    return s;
  }
  v1::Backlog b;
  *b.mutable_as_of() = ToProto(now);
  b.set_open(live.open);
  b.set_pending(live.pending);
  b.set_max_wait_hours(options_.backlog_max_wait_hours);
  b.set_over_threshold(live.over_threshold);
  b.set_oldest_hours(live.oldest_hours);
  b.set_at_risk(live.at_risk);
  b.set_breached(live.breached);
  for (const auto& w : live.workload) {
    v1::AnalystLoad* load = b.add_workload();
    load->set_assignee_id(w.assignee_id);
    load->set_open(w.open);
    load->set_pending(w.pending);
    load->set_oldest_hours(w.oldest_hours);
  }
  return b;
}

absl::StatusOr<v1::Dashboard> Reports::Dashboard(const v1::ReportFilter& filter) const {
  // The three sections read different tables on their own pooled connections, so they run at
  // the same time: the dashboard takes as long as its slowest section instead of their sum.
  // A bad filter is refused before anything starts, and the sections all get the normalised
  // one: "up to today" is decided once, so the three cannot cover different days at midnight.
  auto normalized = Normalize(filter);
  if (!normalized.ok()) return normalized.status();
  const v1::ReportFilter& f = *normalized;
  absl::StatusOr<v1::TicketTrend> trend = absl::UnknownError("not run");
  absl::StatusOr<v1::Backlog> backlog = absl::UnknownError("not run");
  const std::string request_id = log::CurrentRequestId();
  std::thread trend_thread([&] {
    log::RequestScope scope(request_id);
    trend = Trend(f);
  });
  std::thread backlog_thread([&] {
    log::RequestScope scope(request_id);
    backlog = Backlog(f);
  });
  auto kpis = Kpis(f);
  trend_thread.join();
  backlog_thread.join();
  if (!kpis.ok()) return kpis.status();
  if (!trend.ok()) return trend.status();
  if (!backlog.ok()) return backlog.status();
  v1::Dashboard d;
  *d.mutable_kpis() = *std::move(kpis);
  *d.mutable_trend() = *std::move(trend);
  *d.mutable_backlog() = *std::move(backlog);
  return d;
}

absl::StatusOr<v1::CsvFile> Reports::Export(const v1::ReportFilter& filter,
                                            v1::ReportTable table) const {
  if (table == v1::REPORT_TABLE_UNSPECIFIED || !v1::ReportTable_IsValid(table)) {
    return InvalidField("table", "INVALID_REPORT_TABLE", "name the table to export");
  }
  auto f = Normalize(filter);
  if (!f.ok()) return f.status();
  v1::Dashboard d;
  absl::Status s;
  // Only the section the table needs is computed.
  if (table == v1::MONTHLY) {
    auto t = Trend(*f);
    s = t.status();
    if (t.ok()) *d.mutable_trend() = *std::move(t);
  } else if (table == v1::BACKLOG || table == v1::WORKLOAD) {
    auto b = Backlog(*f);
    s = b.status();
    if (b.ok()) *d.mutable_backlog() = *std::move(b);
  } else {
    auto k = Kpis(*f);
    s = k.status();
    if (k.ok()) *d.mutable_kpis() = *std::move(k);
  }
  if (!s.ok()) return s;
  v1::CsvFile file;
  file.set_filename(absl::StrCat(TableSlug(table), "_", f->from_date(), "_", f->to_date(), ".csv"));
  file.set_content_type("text/csv; charset=utf-8");
  file.set_content(RenderCsv(table, d));
  return file;
}

}  // namespace tiquete::reporting
