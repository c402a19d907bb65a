#include "services/reporting/ingest.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <tuple>

#include "absl/strings/match.h"
#include "common/log.h"
#include "common/pg.h"
#include "services/reporting/domain/rollup.h"
#include "services/reporting/sla_signal.h"
#include "services/reporting/store.h"
#include "tiquete/directory/v1/directory.pb.h"
#include "tiquete/incident/v1/incident.pb.h"
#include "tiquete/intake/v1/intake.pb.h"

namespace tiquete::reporting {
namespace {

constexpr char kGroup[] = "reporting";

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

template <typename T>
absl::Status Unpack(const events::v1::Event& event, T* out) {
  if (!event.payload().UnpackTo(out)) {
    return absl::InvalidArgumentError("event " + event.id() + " of type " + event.type() +
                                      " has no parsable " + T::descriptor()->full_name());
  }
  return absl::OkStatus();
}

// Applies `change` to the incident's fact and the rollups, in one transaction.
template <typename Change>
void UpdateFact(pqxx::work& tx, const std::string& number, absl::TimeZone zone, Change change) {
  std::optional<IncidentFact> before = LoadFactForUpdate(tx, number);
  IncidentFact after = before ? *before : IncidentFact{};
  after.number = number;
  if (!change(after)) return;
  const IncidentFact* was = before ? &*before : nullptr;
  SaveFacts(tx, {FactChange{was, after}}, Deltas(was, after, zone));
}

}  // namespace

absl::Status EventIngest::Handle(pqxx::work& tx, const events::v1::Event& event) const {
  const std::string& type = event.type();
  if (absl::StartsWith(type, "incident.incident.")) return HandleIncident(tx, event);
  if (absl::StartsWith(type, "intake.message.")) return HandleIntake(tx, event);
  if (absl::StartsWith(type, "sla.")) return HandleSla(tx, event);
  if (absl::StartsWith(type, "directory.person.")) return HandlePerson(tx, event);
  return absl::OkStatus();  // not something reporting counts
}

absl::Status EventIngest::HandleIncident(pqxx::work& tx, const events::v1::Event& event) const {
  incident::v1::IncidentEvent payload;
  if (absl::Status s = Unpack(event, &payload); !s.ok()) return s;
  if (payload.incident().number().empty()) {
    return absl::InvalidArgumentError("incident event " + event.id() + " has no number");
  }
  const absl::Time at =
      payload.has_occurred_at() ? FromProto(payload.occurred_at()) : FromProto(event.occurred_at());
  UpdateFact(tx, payload.incident().number(), zone_,
             [&](IncidentFact& fact) { return ApplyIncidentEvent(fact, payload, at); });
  return absl::OkStatus();
}

absl::Status EventIngest::HandleIntake(pqxx::work& tx, const events::v1::Event& event) const {
  const absl::CivilDay day = absl::ToCivilDay(FromProto(event.occurred_at()), zone_);
  const std::string& type = event.type();
  if (type == "intake.message.received") {
    intake::v1::MessageReceived p;
    if (absl::Status s = Unpack(event, &p); !s.ok()) return s;
    const absl::Time at =
        p.has_received_at() ? FromProto(p.received_at()) : FromProto(event.occurred_at());
    CountIntake(tx, absl::ToCivilDay(at, zone_), p.channel(), IntakeCounter::kReceived);
  } else if (type == "intake.message.duplicate_detected") {
    intake::v1::DuplicateDetected p;
    if (absl::Status s = Unpack(event, &p); !s.ok()) return s;
    CountIntake(tx, day, p.channel(), IntakeCounter::kDuplicate);
  } else if (type == "intake.message.handed_off") {
    intake::v1::MessageHandedOff p;
    if (absl::Status s = Unpack(event, &p); !s.ok()) return s;
    CountIntake(tx, day, p.channel(), IntakeCounter::kHandedOff);
  } else if (type == "intake.message.split") {
    CountIntake(tx, day, 0, IntakeCounter::kSplit);
  }
  return absl::OkStatus();
}

absl::Status EventIngest::HandleSla(pqxx::work& tx, const events::v1::Event& event) const {
  auto decoded = DecodeSlaSignal(event);
  if (!decoded.ok()) return decoded.status();
  const std::optional<SlaSignal>& signal = *decoded;
  if (!signal) return absl::OkStatus();  // another clock, or not an outcome
  // An SLA event may overtake the incident's creation (another stream): the fact is then kept
  // with version 0, counted nowhere until the incident event fills it in.
  UpdateFact(tx, signal->number, zone_, [&](IncidentFact& fact) {
    ApplySlaSignal(fact, *signal);
    return true;
  });
  return absl::OkStatus();
}

absl::Status EventIngest::HandlePerson(pqxx::work& tx, const events::v1::Event& event) const {
  directory::v1::Person person;
  if (absl::Status s = Unpack(event, &person); !s.ok()) return s;
  if (person.id().empty() || person.org_unit_id().empty()) return absl::OkStatus();
  RecordOrgUnit(tx, person.id(), person.org_unit_id(), person.version());
  return absl::OkStatus();
}

absl::Status EventIngest::HandleBatch(pqxx::work& tx,
                                      const std::vector<const events::v1::Event*>& events) const {
  // Directory events change what a fact save fills in (the requester's org unit), so they
  // split the batch into runs handled in order.
  std::vector<const events::v1::Event*> run;
  for (const events::v1::Event* e : events) {
    if (!absl::StartsWith(e->type(), "directory.person.")) {
      run.push_back(e);
      continue;
    }
    if (absl::Status s = HandleRun(tx, run); !s.ok()) return s;
    run.clear();
    if (absl::Status s = HandlePerson(tx, *e); !s.ok()) return s;
  }
  return HandleRun(tx, run);
}

absl::Status EventIngest::HandleRun(pqxx::work& tx,
                                    const std::vector<const events::v1::Event*>& events) const {
  if (events.empty()) return absl::OkStatus();
  // 1. Decode everything first: a bad payload fails the batch before anything is written.
  struct FactEvent {
    std::string number;
    std::optional<incident::v1::IncidentEvent> incident;
    absl::Time at;
    std::optional<SlaSignal> sla;
  };
  std::vector<FactEvent> fact_events;
  struct IntakeKey {
    absl::CivilDay day;
    int channel;
    bool operator<(const IntakeKey& o) const {
      return std::tie(day, channel) < std::tie(o.day, o.channel);
    }
  };
  std::map<IntakeKey, std::array<int64_t, 4>> intake;
  for (const events::v1::Event* e : events) {
    const std::string& type = e->type();
    if (absl::StartsWith(type, "incident.incident.")) {
      FactEvent f;
      f.incident.emplace();
      if (absl::Status s = Unpack(*e, &*f.incident); !s.ok()) return s;
      f.number = f.incident->incident().number();
      if (f.number.empty()) {
        return absl::InvalidArgumentError("incident event " + e->id() + " has no number");
      }
      f.at = f.incident->has_occurred_at() ? FromProto(f.incident->occurred_at())
                                           : FromProto(e->occurred_at());
      fact_events.push_back(std::move(f));
    } else if (absl::StartsWith(type, "sla.")) {
      auto decoded = DecodeSlaSignal(*e);
      if (!decoded.ok()) return decoded.status();
      if (!*decoded) continue;
      FactEvent f;
      f.number = (*decoded)->number;
      f.sla = **decoded;
      fact_events.push_back(std::move(f));
    } else if (absl::StartsWith(type, "intake.message.")) {
      const absl::CivilDay day = absl::ToCivilDay(FromProto(e->occurred_at()), zone_);
      if (type == "intake.message.received") {
        intake::v1::MessageReceived p;
        if (absl::Status s = Unpack(*e, &p); !s.ok()) return s;
        const absl::Time at =
            p.has_received_at() ? FromProto(p.received_at()) : FromProto(e->occurred_at());
        intake[{absl::ToCivilDay(at, zone_), p.channel()}][0]++;
      } else if (type == "intake.message.duplicate_detected") {
        intake::v1::DuplicateDetected p;
        if (absl::Status s = Unpack(*e, &p); !s.ok()) return s;
        intake[{day, p.channel()}][1]++;
      } else if (type == "intake.message.handed_off") {
        intake::v1::MessageHandedOff p;
        if (absl::Status s = Unpack(*e, &p); !s.ok()) return s;
        intake[{day, p.channel()}][2]++;
      } else if (type == "intake.message.split") {
        intake[{day, 0}][3]++;
      }
    }
  }
  // 2. The facts the run touches, locked, then every event applied in order in memory.
  if (!fact_events.empty()) {
    std::vector<std::string> numbers;
    for (const FactEvent& f : fact_events) numbers.push_back(f.number);
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    struct Working {
      std::optional<IncidentFact> before;
      IncidentFact now;
      bool changed = false;
    };
    std::map<std::string, Working> facts;
    for (IncidentFact& f : LoadFactsForUpdate(tx, numbers)) {
      Working& w = facts[f.number];
      w.before = f;
      w.now = std::move(f);
    }
    for (const FactEvent& e : fact_events) {
      Working& w = facts[e.number];
      if (w.now.number.empty()) w.now.number = e.number;
      if (e.incident) {
        w.changed |= ApplyIncidentEvent(w.now, *e.incident, e.at);
      } else {
        ApplySlaSignal(w.now, *e.sla);
        w.changed = true;
      }
    }
    // 3. One write per fact, the net deltas merged across incidents.
    std::vector<FactChange> changes;
    std::vector<RollupDelta> deltas;
    for (auto& [number, w] : facts) {
      if (!w.changed) continue;
      const IncidentFact* was = w.before ? &*w.before : nullptr;
      for (RollupDelta& d : Deltas(was, w.now, zone_)) deltas.push_back(std::move(d));
      changes.push_back({was, w.now});
    }
    SaveFacts(tx, changes, MergeDeltas(std::move(deltas)));
  }
  if (!intake.empty()) {
    std::vector<IntakeDelta> rows;
    for (const auto& [key, counts] : intake) rows.push_back({key.day, key.channel, counts});
    AddIntake(tx, rows);
  }
  return absl::OkStatus();
}

std::vector<std::string> ReportingStreams() {
  return {StreamForService("incident"), StreamForService("intake"), StreamForService("sla"),
          StreamForService("directory")};
}

IngestLoop::IngestLoop(PgPool& pool, RedisAddress redis, const EventIngest& ingest,
                       std::string consumer, Metrics* metrics, int batch, bool set_based) {
  for (const std::string& stream : ReportingStreams()) {
    ConsumerOptions o;
    o.stream = stream;
    o.group = kGroup;
    o.consumer = consumer;
    o.batch = batch;
    // No blocking reads: the loop visits four streams, and a wait on an idle one would stall a
    // busy one (even BLOCK 1 returns only at Redis's next timer tick, up to 100 ms: that was
    // most of the ingest time). Idle rounds sleep instead (Run).
    o.block = absl::ZeroDuration();
    EventHandler one = [&ingest](pqxx::work& tx, const events::v1::Event& e) {
      return ingest.Handle(tx, e);
    };
    if (set_based) {
      consumers_.push_back(std::make_unique<EventConsumer>(
          pool, redis, o, std::move(one),
          [&ingest](pqxx::work& tx, const std::vector<const events::v1::Event*>& events) {
            return ingest.HandleBatch(tx, events);
          },
          metrics));
    } else {
      consumers_.push_back(
          std::make_unique<EventConsumer>(pool, redis, o, std::move(one), metrics));
    }
  }
}

IngestLoop::~IngestLoop() { Stop(); }

void IngestLoop::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void IngestLoop::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> IngestLoop::PollRound() {
  int total = 0;
  absl::Status first_error;
  for (auto& consumer : consumers_) {
    auto n = consumer->PollOnce();
    if (n.ok()) {
      total += *n;
    } else if (first_error.ok()) {
      first_error = n.status();
    }
  }
  if (total == 0 && !first_error.ok()) return first_error;
  return total;
}

absl::StatusOr<long> IngestLoop::DrainUntilIdle() {
  long total = 0;
  for (;;) {
    auto n = PollRound();
    if (!n.ok()) return n.status();
    if (*n == 0) return total;
    total += *n;
  }
}

void IngestLoop::Run() {
  absl::Time next_reclaim = absl::Now() + absl::Seconds(5);
  while (!stop_.load()) {
    auto n = PollRound();
    if (!n.ok()) {
      log::Warning("reporting ingest round failed", {{"error", n.status().ToString()}});
    }
    if (absl::Now() >= next_reclaim) {
      next_reclaim = absl::Now() + absl::Seconds(5);
      for (auto& consumer : consumers_) {
        if (auto r = consumer->ReclaimOnce(); !r.ok()) {
          log::Warning("reporting reclaim failed", {{"error", r.status().ToString()}});
        }
      }
    }
    if (!n.ok() || *n == 0) {
      for (int i = 0; i < 20 && !stop_.load(); ++i) absl::SleepFor(absl::Milliseconds(10));
    }
  }
}

absl::Status DropConsumerGroups(const RedisAddress& redis) {
  auto conn = RedisConnection::Connect(redis);
  if (!conn.ok()) return conn.status();
  for (const std::string& stream : ReportingStreams()) {
    auto reply = (*conn)->Command({"XGROUP", "DESTROY", stream, kGroup});
    // A stream that does not exist yet has no group to drop.
    if (!reply.ok() && !absl::StrContains(reply.status().message(), "no such key") &&
        !absl::StrContains(reply.status().message(), "requires the key to exist")) {
      return reply.status();
    }
  }
  return absl::OkStatus();
}

}  // namespace tiquete::reporting
