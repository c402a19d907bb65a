#include "services/sla/proto_mapping.h"

#include <cstdio>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace tiquete::sla {
namespace {

constexpr const char* kWeekdays[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};

std::string FormatMinute(int minute) {
  return absl::StrFormat("%02d:%02d", minute / 60, minute % 60);
}

// "07:00" → 420; "24:00" allowed as the end of the day.
bool ParseMinute(const std::string& s, int* out) {
  std::vector<std::string> parts = absl::StrSplit(s, ':');
  int h = 0, m = 0;
  if (parts.size() != 2 || parts[0].size() != 2 || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) || m < 0 || m > 59 ||
      h < 0 || h > 24 || (h == 24 && m != 0)) {
    return false;
  }
  *out = h * 60 + m;
  return true;
}

}  // namespace

bool Finite(absl::Time t) { return t != absl::InfiniteFuture() && t != absl::InfinitePast(); }

google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  google::protobuf::Timestamp ts;
  if (!Finite(t)) return ts;
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rem * 1000));
  return ts;
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

v1::Clock ClockToProto(const SlaClock& c, const BusinessCalendar* calendar, absl::Time now) {
  v1::Clock out;
  out.set_id(std::to_string(c.id));
  out.set_ticket(c.ticket);
  out.set_kind(ClockKindName(c.kind));
  out.set_period(c.period);
  out.set_policy_id(c.policy_id);
  out.set_calendar_id(c.calendar_id);
  out.set_priority(c.priority);
  out.set_state(ClockStateName(c.state));
  ClockReading r;
  if (calendar != nullptr) {
    r = ReadClock(c, *calendar, now);
  } else {
    r.elapsed_seconds = c.elapsed_seconds;
    r.remaining_seconds = c.target_seconds - c.elapsed_seconds;
    r.breached = c.breached;
    r.due_at = c.due_at;
  }
  out.set_target_seconds(c.target_seconds);
  out.set_target_minutes(c.target_seconds / 60);
  out.set_elapsed_seconds(r.elapsed_seconds);
  out.set_elapsed_minutes(r.elapsed_seconds / 60);
  // Rounded towards "less time left", so a clock never shows a minute it does not have.
  out.set_remaining_minutes(r.remaining_seconds >= 0 ? r.remaining_seconds / 60
                                                     : -((-r.remaining_seconds + 59) / 60));
  out.set_percent(c.target_seconds > 0 ? 100.0 * r.elapsed_seconds / c.target_seconds : 0);
  // "Never" and "not yet" (a paused clock's due time, a running clock's stop time) leave the
  // field unset: the API must not answer 1970-01-01.
  if (Finite(c.due_at)) *out.mutable_due_time() = ToProtoTime(c.due_at);
  if (Finite(c.started_at)) *out.mutable_start_time() = ToProtoTime(c.started_at);
  if (Finite(c.stopped_at)) *out.mutable_stop_time() = ToProtoTime(c.stopped_at);
  out.set_breached(r.breached);
  out.set_at_risk(r.at_risk);
  out.set_group_id(c.group_id);
  out.set_group_level(c.group_level);
  out.set_fired_percent(c.fired_percent);
  if (Finite(c.next_fire_at)) *out.mutable_next_fire_time() = ToProtoTime(c.next_fire_at);
  return out;
}

v1::ClockSegment SegmentToProto(const ClockSegment& s, bool open) {
  v1::ClockSegment out;
  out.set_seq(s.seq);
  if (Finite(s.from)) *out.mutable_start_time() = ToProtoTime(s.from);
  if (Finite(s.to)) *out.mutable_end_time() = ToProtoTime(s.to);
  out.set_running(s.running);
  out.set_calendar_id(s.calendar_id);
  out.set_business_seconds(s.business_seconds);
  out.set_business_minutes(s.business_seconds / 60);
  out.set_note(s.note);
  out.set_open(open);
  return out;
}

v1::Policy PolicyToProto(const PolicyRecord& record) {
  const PolicySpec& p = record.spec;
  v1::Policy out;
  out.set_id(p.id);
  out.set_name(p.name);
  out.set_description(p.description);
  out.set_kind(AgreementKindName(p.kind));
  out.set_calendar_id(p.calendar_id);
  out.set_service_id(p.service_id);
  out.set_category_id(p.category_id);
  out.set_group_id(p.group_id);
  out.set_group_level(p.group_level);
  for (int i = 0; i < 5; ++i) {
    auto* t = out.add_targets();
    t->set_priority(i + 1);
    t->set_response_minutes(p.targets[i].response_minutes);
    t->set_resolution_minutes(p.targets[i].resolution_minutes);
  }
  for (int w : p.warning_percents) out.add_warning_percents(w);
  for (const std::string& cond : p.pause_on) out.add_pause_on(cond);
  for (const EscalationRule& rule : p.escalations) {
    auto* r = out.add_escalations();
    r->set_threshold_percent(rule.threshold_percent);
    r->set_clocks(ClockScopeName(rule.clocks));
    r->set_action(EscalationActionName(rule.action));
  }
  for (const EscalationStep& step : p.escalation_path) {
    auto* s = out.add_escalation_path();
    s->set_from_level(step.from_level);
    s->set_to_group_id(step.to_group_id);
  }
  out.set_active(p.active);
  out.set_version(p.version);
  *out.mutable_create_time() = ToProtoTime(record.created_at);
  *out.mutable_update_time() = ToProtoTime(record.updated_at);
  return out;
}

Problems PolicyFromProto(const v1::Policy& in, PolicySpec* out) {
  Problems problems;
  out->name = in.name();
  out->description = in.description();
  if (!ParseAgreementKind(in.kind().empty() ? "sla" : in.kind(), &out->kind)) {
    problems.push_back({"kind", "INVALID_KIND", "kind is sla, ola or uc"});
  }
  out->calendar_id = in.calendar_id();
  out->service_id = in.service_id();
  out->category_id = in.category_id();
  out->group_id = in.group_id();
  out->group_level = in.group_level();
  if (in.targets_size() != 5) {
    problems.push_back({"targets", "TARGETS_REQUIRED", "give targets for P1 to P5"});
  } else {
    bool seen[5] = {false, false, false, false, false};
    for (const auto& t : in.targets()) {
      if (t.priority() < 1 || t.priority() > 5 || seen[t.priority() - 1]) {
        problems.push_back({"targets", "INVALID_PRIORITY", "one target per priority 1..5"});
        break;
      }
      seen[t.priority() - 1] = true;
      out->targets[t.priority() - 1] = {t.response_minutes(), t.resolution_minutes()};
    }
  }
  out->warning_percents.assign(in.warning_percents().begin(), in.warning_percents().end());
  out->pause_on.assign(in.pause_on().begin(), in.pause_on().end());
  out->escalations.clear();
  for (const auto& r : in.escalations()) {
    EscalationRule rule;
    rule.threshold_percent = r.threshold_percent();
    if (!ParseClockScope(r.clocks().empty() ? "any" : r.clocks(), &rule.clocks)) {
      problems.push_back(
          {"escalations", "INVALID_CLOCK_SCOPE", "clocks is any, response or resolution"});
    }
    if (!ParseEscalationAction(r.action(), &rule.action)) {
      problems.push_back({"escalations", "INVALID_ACTION",
                          "action is notify_coordinator, escalate_level or raise_priority"});
    }
    out->escalations.push_back(rule);
  }
  out->escalation_path.clear();
  for (const auto& s : in.escalation_path()) {
    out->escalation_path.push_back({s.from_level(), s.to_group_id()});
  }
  // Codes and ids are stored in comma-separated arrays: they must not contain one.
  for (const std::string& id : {out->group_id, out->calendar_id}) {
    if (id.find(',') != std::string::npos || id.find(':') != std::string::npos) {
      problems.push_back({"group_id", "INVALID_ID", "ids contain no ',' or ':'"});
    }
  }
  for (const auto& s : out->escalation_path) {
    if (s.to_group_id.find(',') != std::string::npos ||
        s.to_group_id.find(':') != std::string::npos) {
      problems.push_back({"escalation_path", "INVALID_ID", "ids contain no ',' or ':'"});
    }
  }
  return problems;
}

v1::Calendar CalendarToProto(const CalendarRecord& record) {
  const CalendarSpec& c = record.spec;
  v1::Calendar out;
  out.set_id(c.id);
  out.set_name(c.name);
  out.set_time_zone(c.time_zone);
  out.set_always_open(c.always_open);
  for (int d = 0; d < 7; ++d) {
    if (c.week[d].empty()) continue;
    auto* day = out.add_week();
    day->set_weekday(kWeekdays[d]);
    for (const Shift& s : c.week[d]) {
      auto* shift = day->add_shifts();
      shift->set_start(FormatMinute(s.start_minute));
      shift->set_end(FormatMinute(s.end_minute));
    }
  }
  out.set_colombian_holidays(c.colombian_holidays);
  for (const Closure& closure : c.closures) {
    auto* cl = out.add_closures();
    cl->set_id(closure.id);
    *cl->mutable_start_time() = ToProtoTime(closure.from);
    *cl->mutable_end_time() = ToProtoTime(closure.to);
    cl->set_reason(closure.reason);
  }
  out.set_version(c.version);
  *out.mutable_create_time() = ToProtoTime(record.created_at);
  *out.mutable_update_time() = ToProtoTime(record.updated_at);
  return out;
}

Problems CalendarFromProto(const v1::Calendar& in, CalendarSpec* out) {
  Problems problems;
  out->name = in.name();
  out->time_zone = in.time_zone().empty() ? "America/Bogota" : in.time_zone();
  out->always_open = in.always_open();
  out->colombian_holidays = in.colombian_holidays();
  for (auto& day : out->week) day.clear();
  for (const auto& day : in.week()) {
    int index = -1;
    for (int d = 0; d < 7; ++d) {
      if (day.weekday() == kWeekdays[d]) index = d;
    }
    if (index < 0) {
      problems.push_back(
          {"week", "INVALID_WEEKDAY", absl::StrCat("unknown weekday \"", day.weekday(), "\"")});
      continue;
    }
    for (const auto& shift : day.shifts()) {
      Shift s;
      if (!ParseMinute(shift.start(), &s.start_minute) ||
          !ParseMinute(shift.end(), &s.end_minute)) {
        problems.push_back({"week", "INVALID_TIME", "shift times are HH:MM, 00:00 to 24:00"});
        continue;
      }
      out->week[index].push_back(s);
    }
  }
  return problems;
}

Problems ClosureFromProto(const v1::Closure& in, Closure* out) {
  Problems problems;
  if (!IsSet(in.start_time()) || !IsSet(in.end_time())) {
    problems.push_back({"closure", "REQUIRED", "a closure needs start_time and end_time"});
    return problems;
  }
  out->from = FromProtoTime(in.start_time());
  out->to = FromProtoTime(in.end_time());
  out->reason = in.reason();
  if (out->to <= out->from) {
    problems.push_back(
        {"closure.end_time", "INVALID_CLOSURE", "a closure must end after it starts"});
  }
  if (out->reason.empty()) {
    problems.push_back({"closure.reason", "REQUIRED", "say why the desk is closed"});
  }
  return problems;
}

std::string EncodeClockPageToken(absl::Time due, int64_t id) {
  const std::string due_part =
      due == absl::InfiniteFuture() ? "-" : std::to_string(absl::ToUnixMicros(due));
  return absl::WebSafeBase64Escape(absl::StrCat(due_part, ":", id));
}

bool DecodeClockPageToken(const std::string& token, absl::Time* due, int64_t* id) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return false;
  std::vector<std::string> parts = absl::StrSplit(raw, ':');
  int64_t micros = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], id)) return false;
  if (parts[0] == "-") {
    *due = absl::InfiniteFuture();
    return true;
  }
  if (!absl::SimpleAtoi(parts[0], &micros)) return false;
  *due = absl::FromUnixMicros(micros);
  return true;
}

}  // namespace tiquete::sla
