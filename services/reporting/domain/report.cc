#include "services/reporting/domain/report.h"

#include <algorithm>
#include <cmath>

#include "services/reporting/domain/period.h"
#include "services/reporting/domain/projection.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::reporting {
namespace {

namespace inc = incident::v1;

std::string KeyName(const std::string& breakdown, const std::string& key) {
  if (breakdown == "priority") {
    const int p = std::atoi(key.c_str());
    return inc::Priority_IsValid(p) ? inc::Priority_Name(static_cast<inc::Priority>(p)) : key;
  }
  if (breakdown == "level") {
    const int l = std::atoi(key.c_str());
    return inc::SupportLevel_IsValid(l) ? inc::SupportLevel_Name(static_cast<inc::SupportLevel>(l))
                                        : key;
  }
  return key;
}

void FillRows(const Breakdowns& b, const std::string& name,
              google::protobuf::RepeatedPtrField<v1::CountRow>* rows) {
  auto it = b.find(name);
  if (it == b.end()) return;
  std::vector<std::pair<std::string, int64_t>> sorted = it->second;
  // Biggest first, then by key, so exports are stable.
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& c) {
    return a.second != c.second ? a.second > c.second : a.first < c.first;
  });
  int64_t total = 0;
  for (const auto& [key, count] : sorted) total += count;
  for (const auto& [key, count] : sorted) {
    if (count == 0) continue;
    v1::CountRow* row = rows->Add();
    row->set_key(KeyName(name, key));
    row->set_count(count);
    row->set_percent(Percent(count, total));
  }
}

void FillDuration(int64_t count, int64_t seconds, const Histogram& h, v1::DurationStats* out) {
  out->set_count(count);
  out->set_average_minutes(count > 0 ? seconds / 60.0 / count : 0.0);
  out->set_median_minutes(HistogramPercentile(h, 0.5));
  out->set_p90_minutes(HistogramPercentile(h, 0.9));
}

void FillCompliance(int64_t met, int64_t breached, v1::Compliance* out) {
  out->set_met(met);
  out->set_breached(breached);
  out->set_percent(Percent(met, met + breached));
}

void FillRate(int64_t numerator, int64_t denominator, v1::Rate* out) {
  out->set_numerator(numerator);
  out->set_denominator(denominator);
  out->set_percent(Percent(numerator, denominator));
}

}  // namespace

void BuildKpis(const KpiInputs& in, v1::KpiReport* out) {
  const auto& o = in.opened.measures;
  const auto& r = in.resolved.measures;
  v1::StateCounts* states = out->mutable_states();
  states->set_opened(o[kCount]);
  states->set_open(o[kStateOpen]);
  states->set_pending(o[kStatePending]);
  states->set_resolved(o[kStateResolved]);
  states->set_closed(o[kStateClosed]);
  states->set_cancelled(o[kStateCancelled]);
  FillRows(in.breakdowns, "service", out->mutable_by_service());
  FillRows(in.breakdowns, "ci", out->mutable_by_ci());
  FillRows(in.breakdowns, "priority", out->mutable_by_priority());
  FillRows(in.breakdowns, "group", out->mutable_by_group());
  FillRows(in.breakdowns, "category", out->mutable_by_category());
  out->set_resolved(r[kCount]);
  FillRows(in.breakdowns, "level", out->mutable_resolved_by_level());
  FillRows(in.breakdowns, "analyst", out->mutable_handled_by_analyst());
  FillDuration(r[kCount], r[kResolutionSeconds], in.resolved.calendar,
               out->mutable_resolution_time()->mutable_calendar());
  FillDuration(r[kBusinessResolved], r[kBusinessResolutionSeconds], in.resolved.business,
               out->mutable_resolution_time()->mutable_business());
  FillCompliance(r[kResponseMet], r[kResponseBreached], out->mutable_sla()->mutable_response());
  FillCompliance(r[kResolutionMet], r[kResolutionBreached],
                 out->mutable_sla()->mutable_resolution());
  v1::Satisfaction* s = out->mutable_satisfaction();
  s->set_surveys(r[kSurveys]);
  s->set_average(r[kSurveys] > 0 ? static_cast<double>(r[kSurveyPoints]) / r[kSurveys] : 0.0);
  for (int i = 0; i < 5; ++i) s->add_distribution(r[kRating1 + i]);
  s->set_closed(r[kStateClosed]);
  s->set_response_rate(Percent(r[kSurveys], r[kStateClosed]));
  FillRate(r[kFirstContact], r[kCount], out->mutable_first_contact_resolution());
  FillRate(r[kReopened], r[kCount], out->mutable_reopen_rate());
  for (const ChannelCounts& c : in.channels) {
    v1::ChannelRow* row = out->add_intake_channels();
    row->set_channel(inc::Channel_IsValid(c.channel)
                         ? inc::Channel_Name(static_cast<inc::Channel>(c.channel))
                         : std::to_string(c.channel));
    row->set_received(c.received);
    row->set_duplicates(c.duplicates);
    row->set_handed_off(c.handed_off);
  }
}

void BuildTrend(const std::vector<MonthTotal>& observed, absl::CivilMonth last, bool last_partial,
                int horizon, v1::TicketTrend* out) {
  if (observed.empty()) {
    out->set_method("mean");
    return;
  }
  absl::CivilMonth first = observed.front().month;
  for (const MonthTotal& m : observed) first = std::min(first, m.month);
  std::vector<double> series(static_cast<size_t>(last - first) + 1, 0.0);
  for (const MonthTotal& m : observed) {
    if (m.month >= first && m.month <= last) series[m.month - first] += m.count;
  }
  for (size_t i = 0; i < series.size(); ++i) {
    v1::MonthCount* row = out->add_months();
    row->set_month(FormatMonth(first + static_cast<int>(i)));
    row->set_count(static_cast<int64_t>(series[i]));
    row->set_partial(last_partial && i + 1 == series.size());
  }
  std::vector<double> fit = series;
  absl::CivilMonth fit_last = last;
  if (last_partial) {
    fit.pop_back();
    fit_last = last - 1;
  }
  if (fit.empty()) {
    // Only the running month so far: nothing complete to fit, so no projection (a line of
    // zeros would read as a forecast of no tickets).
    out->set_method("insufficient_history");
    return;
  }
  // A running month is projected too, so the six months after it are always shown.
  const int steps = horizon + (last_partial ? 1 : 0);
  const Forecast forecast = ProjectMonthly(fit, first.month(), steps);
  const Backtest backtest = RollingOriginBacktest(fit, first.month());
  out->set_method(forecast.method);
  out->set_backtest_mape(backtest.mape);
  out->set_backtest_points(backtest.points);
  for (int h = 0; h < steps; ++h) {
    v1::MonthCount* row = out->add_months();
    row->set_month(FormatMonth(fit_last + h + 1));
    row->set_count(static_cast<int64_t>(std::llround(forecast.values[h])));
    row->set_projected(true);
  }
}

}  // namespace tiquete::reporting
