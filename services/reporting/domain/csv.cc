#include "services/reporting/domain/csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

namespace tiquete::reporting {
namespace {

std::string Num(int64_t v) { return std::to_string(v); }
std::string Dec(double v) { return absl::StrFormat("%.2f", v); }

std::string CountRows(const google::protobuf::RepeatedPtrField<v1::CountRow>& rows,
                      const std::string& key_name) {
  std::string out = CsvLine({key_name, "count", "percent"});
  for (const auto& r : rows) out += CsvLine({r.key(), Num(r.count()), Dec(r.percent())});
  return out;
}

void DurationLine(std::string& out, const std::string& clock, const v1::DurationStats& d) {
  out += CsvLine({clock, Num(d.count()), Dec(d.average_minutes()), Dec(d.median_minutes()),
                  Dec(d.p90_minutes())});
}

void ComplianceLine(std::string& out, const std::string& clock, const v1::Compliance& c) {
  out += CsvLine({clock, Num(c.met()), Num(c.breached()), Dec(c.percent())});
}

void RateLine(std::string& out, const std::string& name, const v1::Rate& r) {
  out += CsvLine({name, Num(r.numerator()), Num(r.denominator()), Dec(r.percent())});
}

}  // namespace

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += CsvField(fields[i]);
  }
  return line + "\r\n";
}

std::string TableSlug(v1::ReportTable table) {
  return absl::AsciiStrToLower(v1::ReportTable_Name(table));
}

std::string RenderCsv(v1::ReportTable table, const v1::Dashboard& dashboard) {
  const v1::KpiReport& k = dashboard.kpis();
  std::string out;
  switch (table) {
    case v1::STATES: {
      const v1::StateCounts& s = k.states();
      out = CsvLine({"opened", "open", "pending", "resolved", "closed", "cancelled"});
      out += CsvLine({Num(s.opened()), Num(s.open()), Num(s.pending()), Num(s.resolved()),
                      Num(s.closed()), Num(s.cancelled())});
      return out;
    }
    case v1::BY_SERVICE:
      return CountRows(k.by_service(), "service_id");
    case v1::BY_CI:
      return CountRows(k.by_ci(), "ci_id");
    case v1::BY_PRIORITY:
      return CountRows(k.by_priority(), "priority");
    case v1::BY_GROUP:
      return CountRows(k.by_group(), "group_id");
    case v1::BY_CATEGORY:
      return CountRows(k.by_category(), "category_id");
    case v1::RESOLVED_BY_LEVEL:
      return CountRows(k.resolved_by_level(), "level");
    case v1::HANDLED_BY_ANALYST:
      return CountRows(k.handled_by_analyst(), "assignee_id");
    case v1::RESOLUTION_TIME:
      out = CsvLine({"clock", "count", "average_minutes", "median_minutes", "p90_minutes"});
      DurationLine(out, "calendar", k.resolution_time().calendar());
      DurationLine(out, "business", k.resolution_time().business());
      return out;
    case v1::SLA:
      out = CsvLine({"clock", "met", "breached", "percent"});
      ComplianceLine(out, "response", k.sla().response());
      ComplianceLine(out, "resolution", k.sla().resolution());
      return out;
    case v1::SATISFACTION: {
      const v1::Satisfaction& s = k.satisfaction();
      out = CsvLine({"surveys", "average", "rating1", "rating2", "rating3", "rating4", "rating5",
                     "closed", "response_rate"});
      std::vector<std::string> line = {Num(s.surveys()), Dec(s.average())};
      for (int i = 0; i < 5; ++i)
        line.push_back(Num(i < s.distribution_size() ? s.distribution(i) : 0));
      line.push_back(Num(s.closed()));
      line.push_back(Dec(s.response_rate()));
      return out + CsvLine(line);
    }
    case v1::RATES:
      out = CsvLine({"rate", "numerator", "denominator", "percent"});
      RateLine(out, "first_contact_resolution", k.first_contact_resolution());
      RateLine(out, "reopen_rate", k.reopen_rate());
      return out;
    case v1::INTAKE_CHANNELS:
      out = CsvLine({"channel", "received", "duplicates", "handed_off"});
      for (const auto& c : k.intake_channels()) {
        out += CsvLine({c.channel(), Num(c.received()), Num(c.duplicates()), Num(c.handed_off())});
      }
      return out;
    case v1::MONTHLY:
      out = CsvLine({"month", "count", "partial", "projected", "method", "backtest_mape"});
      for (const auto& m : dashboard.trend().months()) {
        out += CsvLine({m.month(), Num(m.count()), m.partial() ? "true" : "false",
                        m.projected() ? "true" : "false", dashboard.trend().method(),
                        Dec(dashboard.trend().backtest_mape())});
      }
      return out;
    case v1::BACKLOG: {
      const v1::Backlog& b = dashboard.backlog();
      out = CsvLine({"open", "pending", "max_wait_hours", "over_threshold", "oldest_hours",
                     "at_risk", "breached"});
      out += CsvLine({Num(b.open()), Num(b.pending()), Num(b.max_wait_hours()),
                      Num(b.over_threshold()), Dec(b.oldest_hours()), Num(b.at_risk()),
                      Num(b.breached())});
      return out;
    }
    case v1::WORKLOAD:
      out = CsvLine({"assignee_id", "open", "pending", "oldest_hours"});
      for (const auto& w : dashboard.backlog().workload()) {
        out += CsvLine({w.assignee_id(), Num(w.open()), Num(w.pending()), Dec(w.oldest_hours())});
      }
      return out;
    default:
      return {};
  }
}

}  // namespace tiquete::reporting
