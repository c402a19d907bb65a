#include "services/reporting/tests/history.h"

#include <algorithm>
#include <memory>
#include <random>

#include "absl/strings/str_format.h"
#include "common/events.h"
#include "tiquete/directory/v1/directory.pb.h"
#include "tiquete/incident/v1/incident.pb.h"
#include "tiquete/intake/v1/intake.pb.h"
#include "tiquete/sla/v1/sla.pb.h"

namespace tiquete::reporting::testing {
namespace {

namespace inc = incident::v1;
using events::v1::Event;

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  ts.set_seconds(micros / 1000000);
  ts.set_nanos(static_cast<int>(micros % 1000000) * 1000);
  return ts;
}

struct Groups {
  std::string id;
  int level;
  std::vector<std::string> analysts;
};
const std::vector<Groups>& AllGroups() {
  static const std::vector<Groups> kGroups = {
      {"g-l1a", inc::L1, {"ana", "beto"}},
      {"g-l1b", inc::L1, {"carla", "dario"}},
      {"g-l2", inc::L2, {"elena", "fabio"}},
      {"g-l3", inc::L3, {"prov-1", "prov-2"}},
  };
  return kGroups;
}

class Generator {
 public:
  explicit Generator(const HistoryOptions& o) : o_(o), rng_(o.seed) {}

  History Run() {
    for (int p = 0; p < 30; ++p) {
      Event e = Person(p);
      if (p >= 28) {
        h_.late_people.push_back(e);
      } else {
        Push(StreamForService("directory"), e);
      }
    }
    int n = 0;
    for (int m = 0; m < o_.months; ++m) {
      const absl::CivilMonth month = o_.first_month + m;
      const int count = Uniform(o_.min_per_month, o_.max_per_month) + (month.month() == 3 ? 15 : 0);
      for (int i = 0; i < count; ++i) {
        const absl::CivilDay day = absl::CivilDay(month) + Uniform(0, 27);
        const absl::Time opened =
            absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), Uniform(7, 17),
                                              Uniform(0, 59), 0),
                            o_.zone);
        if (opened >= o_.now - absl::Hours(2)) continue;
        Incident(++n, opened);
      }
    }
    // SLA signals reach their stream in time order, across incidents.
    std::stable_sort(sla_.begin(), sla_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [at, e] : sla_) Push(StreamForService("sla"), e);
    std::stable_sort(intake_.begin(), intake_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [at, e] : intake_) Push(StreamForService("intake"), e);
    return std::move(h_);
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  Event Envelope(const std::string& type, const std::string& aggregate_id, absl::Time at,
                 const google::protobuf::Message& payload) {
    Event e;
    e.set_id(absl::StrFormat("00000000-0000-4000-8000-%012d", ++event_seq_));
    e.set_type(type);
    e.set_aggregate_id(aggregate_id);
    *e.mutable_occurred_at() = Ts(at);
    e.mutable_payload()->PackFrom(payload);
    return e;
  }

  void Push(const std::string& stream, const Event& e) { h_.streams[stream].push_back(e); }

  Event Person(int p) {
    directory::v1::Person person;
    person.set_id(absl::StrFormat("p%02d", p));
    person.set_org_unit_id(absl::StrFormat("ou%d", p % 5));
    person.set_version(1);
    return Envelope("directory.person.created", person.id(), o_.now - absl::Hours(24 * 900),
                    person);
  }

  void Emit(const std::string& change, const inc::Incident& before, absl::Time at) {
    inc_.set_version(inc_.version() + 1);
    inc::IncidentEvent e;
    *e.mutable_incident() = inc_;
    e.set_change(change);
    e.set_previous_state(before.state());
    e.set_new_state(inc_.state());
    e.set_previous_level(before.level());
    e.set_new_level(inc_.level());
    e.set_previous_group_id(before.assignment_group_id());
    e.set_new_group_id(inc_.assignment_group_id());
    e.set_previous_priority(before.priority());
    e.set_new_priority(inc_.priority());
    *e.mutable_occurred_at() = Ts(at);
    Event env = Envelope("incident.incident." + change, inc_.number(), at, e);
    Push(StreamForService("incident"), env);
    if (++incident_events_ % 50 == 0) {  // a redelivery: same event id
      Push(StreamForService("incident"), env);
      ++h_.duplicate_deliveries;
    }
    if (inc_.version() == 1) first_snapshot_ = env;
  }

  void Sla(absl::Time at, const std::string& what, const std::string& number, int kind,
           long business_seconds) {
    sla::v1::Clock clock;
    clock.set_ticket(number);
    clock.set_kind(kind == 1 ? "response" : "resolution");
    clock.set_elapsed_seconds(business_seconds);
    Event e;
    if (what == "met") {
      sla::v1::ClockOutcome outcome;
      *outcome.mutable_clock() = clock;
      outcome.set_met(true);
      e = Envelope("sla.clock.stopped", "clock-" + number, at, outcome);
    } else {
      sla::v1::ClockFiring firing;
      *firing.mutable_clock() = clock;
      firing.set_percent(what == "warning" ? 75 : 100);
      e = Envelope("sla.clock." + what, "clock-" + number, at, firing);
    }
    sla_.emplace_back(at, e);
    sla_truth_[number].push_back({what, kind, business_seconds});
  }

  void Message(absl::Time at, int channel, const std::string& number, bool duplicate) {
    intake::v1::MessageReceived received;
    received.set_message_id(absl::StrFormat("m%d", ++messages_));
    received.set_channel(static_cast<intake::v1::Channel>(channel));
    *received.mutable_received_at() = Ts(at);
    intake_.emplace_back(at,
                         Envelope("intake.message.received", received.message_id(), at, received));
    if (duplicate) {
      intake::v1::DuplicateDetected dup;
      dup.set_message_id(received.message_id());
      dup.set_incident_number(number);
      dup.set_channel(received.channel());
      intake_.emplace_back(
          at, Envelope("intake.message.duplicate_detected", dup.message_id(), at, dup));
    } else {
      intake::v1::MessageHandedOff off;
      off.set_message_id(received.message_id());
      off.set_incident_number(number);
      off.set_channel(received.channel());
      intake_.emplace_back(at, Envelope("intake.message.handed_off", off.message_id(), at, off));
    }
    h_.messages.push_back({at, channel, duplicate});
  }

  // Moves the incident to a group (and one of its analysts).
  void Regroup(const Groups& g, bool keep_unassigned = false) {
    inc_.set_assignment_group_id(g.id);
    inc_.set_level(static_cast<inc::SupportLevel>(g.level));
    if (!keep_unassigned) inc_.set_assignee_id(g.analysts[Uniform(0, 1)]);
  }

  void Incident(int n, absl::Time opened) {
    TruthIncident t;
    inc_ = inc::Incident();
    inc_.set_number(absl::StrFormat("INC-%04d-%06d", absl::ToCivilYear(opened, o_.zone).year(), n));
    const int person = Uniform(0, 29);
    const int category = Uniform(0, 5);
    inc_.set_requester_id(absl::StrFormat("p%02d", person));
    inc_.set_category_id(absl::StrFormat("cat-%d", category));
    inc_.set_service_id(absl::StrFormat("svc-%d", category / 2));
    const int cis = Uniform(0, 2);
    for (int c = 0; c < cis; ++c) {
      const std::string ci = absl::StrFormat("ci-%d", (category + c * 3) % 5);
      if (std::find(t.cis.begin(), t.cis.end(), ci) == t.cis.end()) t.cis.push_back(ci);
    }
    for (const auto& ci : t.cis) inc_.add_ci_ids(ci);
    inc_.set_channel(static_cast<inc::Channel>(Uniform(1, 4)));
    inc_.set_priority(static_cast<inc::Priority>(Uniform(1, 5)));
    inc_.set_type(inc::INCIDENT);
    *inc_.mutable_created_at() = Ts(opened);
    const Groups& l1 = AllGroups()[category % 2];
    const bool unassigned = Chance(0.2);
    Regroup(l1, unassigned);
    inc_.set_state(unassigned ? inc::NEW : inc::ASSIGNED);
    Message(opened - absl::Minutes(1), inc_.channel(), inc_.number(), false);
    Emit("created", inc::Incident(), opened);
    const std::string first_assignee = inc_.assignee_id();
    absl::Time at = opened;
    auto step = [&](int lo, int hi) {
      at += absl::Minutes(Uniform(lo, hi));
      return at < o_.now - absl::Minutes(30);
    };
    auto change = [&](const std::string& what, auto mutate) {
      const inc::Incident before = inc_;
      mutate();
      Emit(what, before, at);
    };
    bool alive = true;
    const bool recent = opened > o_.now - absl::Hours(24 * 5);
    const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    const int outcome = r < 0.08 ? 0 : (r < (recent ? 0.6 : 0.18) ? 1 : 2);  // cancel/open/resolve
    if (Chance(0.1) && step(5, 600)) Message(at, Uniform(1, 4), inc_.number(), true);
    if (unassigned && (alive = step(5, 60))) {
      change("assigned", [&] {
        inc_.set_assignee_id(l1.analysts[0]);
        inc_.set_state(inc::ASSIGNED);
      });
    }
    const std::string first = inc_.assignee_id();
    if (alive && (alive = step(5, 120))) {
      change("state_changed", [&] {
        inc_.set_state(inc::IN_PROGRESS);
        *inc_.mutable_first_response_at() = Ts(at);
      });
      if (Chance(0.9)) Sla(at, Chance(0.85) ? "met" : "breached", inc_.number(), 1, 600);
    }
    if (alive && Chance(0.25) && (alive = step(10, 300))) {
      change("state_changed", [&] {
        inc_.set_state(inc::PENDING);
        inc_.set_pending_reason(inc::REQUESTER);
      });
      if ((alive = step(30, 3000))) {
        change("state_changed", [&] {
          inc_.set_state(inc::IN_PROGRESS);
          inc_.set_pending_reason(inc::PENDING_REASON_UNSPECIFIED);
        });
      }
    }
    if (alive && Chance(0.15) && (alive = step(5, 200))) {
      change("priority_changed",
             [&] { inc_.set_priority(static_cast<inc::Priority>(Uniform(1, 5))); });
    }
    if (alive && Chance(0.1) && !first.empty() && (alive = step(5, 200))) {
      change("assigned", [&] {
        const auto& a = l1.analysts;
        inc_.set_assignee_id(inc_.assignee_id() == a[0] ? a[1] : a[0]);
      });
      t.reassigned = true;
    }
    if (alive && Chance(0.3) && (alive = step(10, 600))) {
      change("escalated", [&] { Regroup(AllGroups()[2]); });
      t.escalated = true;
      if (alive && Chance(0.3) && (alive = step(60, 2000))) {
        change("escalated", [&] { Regroup(AllGroups()[3]); });
      }
    }
    if (alive && Chance(0.05) && (alive = step(5, 100))) {
      change("escalated", [&] { inc_.set_coordinator_id("coord"); });  // hierarchical
      t.escalated = true;
    }
    if (alive && outcome == 0 && (alive = step(10, 2000))) {
      change("cancelled", [&] { inc_.set_state(inc::CANCELLED); });
    } else if (alive && outcome == 2) {
      int rounds = Chance(0.15) ? 2 : 1;
      for (int round = 0; round < rounds && alive; ++round) {
        if (!(alive = step(10, 20000))) break;
        change("resolved", [&] {
          inc_.set_state(inc::RESOLVED);
          inc_.set_resolved_level(inc_.level());
          *inc_.mutable_resolved_at() = Ts(at);
        });
        t.resolved_at = at;
        t.resolved_by = inc_.assignee_id();
        if (round == 0 && Chance(0.9)) {
          const bool met = Chance(0.8);
          Sla(at, met ? "met" : "breached", inc_.number(), 2, met ? Uniform(60, 30000) : 99999);
        }
        if (round + 1 < rounds && (alive = step(60, 2000))) {
          change("reopened", [&] {
            inc_.set_state(inc::IN_PROGRESS);
            inc_.set_reopen_count(inc_.reopen_count() + 1);
            inc_.clear_resolved_at();
            inc_.set_resolved_level(inc::SUPPORT_LEVEL_UNSPECIFIED);
          });
        }
      }
      if (alive && inc_.state() == inc::RESOLVED && Chance(0.7) && (alive = step(60, 4000))) {
        change("closed", [&] {
          inc_.set_state(inc::CLOSED);
          *inc_.mutable_closed_at() = Ts(at);
        });
        if (Chance(0.6) && (alive = step(10, 3000))) {
          change("surveyed", [&] { inc_.mutable_survey()->set_rating(Uniform(1, 5)); });
        }
      }
    }
    if (inc_.state() != inc::RESOLVED && inc_.state() != inc::CLOSED &&
        inc_.state() != inc::CANCELLED) {
      if (Chance(0.3)) Sla(at, "warning", inc_.number(), 2, 0);
      if (Chance(0.15)) Sla(at, "breached", inc_.number(), 1, 0);
    }
    if (n % 40 == 0 && inc_.version() > 1) {  // an old snapshot delivered late, new event id
      Event stale = first_snapshot_;
      stale.set_id(absl::StrFormat("00000000-0000-4000-a000-%012d", ++event_seq_));
      Push(StreamForService("incident"), stale);
      ++h_.stale_snapshots;
    }

    // The truth, from the simulation state.
    t.number = inc_.number();
    t.opened_at = opened;
    t.requester = inc_.requester_id();
    t.org_unit = absl::StrFormat("ou%d", person % 5);
    t.category = inc_.category_id();
    t.service = inc_.service_id();
    t.channel = inc_.channel();
    t.priority = inc_.priority();
    t.level = inc_.level();
    t.state = inc_.state();
    t.group = inc_.assignment_group_id();
    t.assignee = inc_.assignee_id();
    t.resolved = inc_.state() == inc::RESOLVED || inc_.state() == inc::CLOSED;
    t.resolved_level = t.resolved ? inc_.resolved_level() : 0;
    if (!t.resolved) t.resolved_by.clear();
    t.reopen_count = inc_.reopen_count();
    t.closed = inc_.state() == inc::CLOSED;
    t.survey = inc_.has_survey() ? inc_.survey().rating() : 0;
    (void)first_assignee;
    // SLA outcome truth from the signals sent for this incident.
    for (const SlaTruth& signal : sla_truth_[t.number]) {
      int& outcome_ref = signal.kind == 1 ? t.response : t.resolution;
      bool& risk = signal.kind == 1 ? t.response_at_risk : t.resolution_at_risk;
      if (signal.what == "warning") risk = true;
      if (signal.what == "breached") outcome_ref = 2;
      if (signal.what == "met") {
        if (outcome_ref != 2) outcome_ref = 1;
        if (signal.kind == 2) t.business_seconds = signal.business;
      }
    }
    h_.incidents.push_back(t);
  }

  HistoryOptions o_;
  std::mt19937 rng_;
  History h_;
  inc::Incident inc_;
  Event first_snapshot_;
  std::vector<std::pair<absl::Time, Event>> sla_, intake_;
  struct SlaTruth {
    std::string what;
    int kind;
    long business;
  };
  std::map<std::string, std::vector<SlaTruth>> sla_truth_;
  long event_seq_ = 0;
  long incident_events_ = 0;
  int messages_ = 0;
};

}  // namespace

History GenerateHistory(const HistoryOptions& options) { return Generator(options).Run(); }

absl::Status Publish(const RedisAddress& redis, const std::string& stream,
                     const std::vector<events::v1::Event>& events) {
  auto conn = RedisConnection::Connect(redis);
  if (!conn.ok()) return conn.status();
  std::vector<std::vector<std::string>> batch;
  for (size_t i = 0; i < events.size(); ++i) {
    batch.push_back(
        {"XADD", stream, "*", "event", events[i].SerializeAsString(), "type", events[i].type()});
    if (batch.size() == 500 || i + 1 == events.size()) {
      auto replies = (*conn)->Pipeline(batch);
      if (!replies.ok()) return replies.status();
      batch.clear();
    }
  }
  return absl::OkStatus();
}

}  // namespace tiquete::reporting::testing
