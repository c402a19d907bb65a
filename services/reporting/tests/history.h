// A generated, known event history for the integration tests: several months of incidents at
// every level and priority with reopenings, surveys, pending periods, escalations, SLA signals,
// intake messages and directory people — plus the truth the test computes KPIs from, written
// down by the scenario itself and not derived from the events.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/redis.h"
#include "tiquete/events/v1/event.pb.h"

namespace tiquete::reporting::testing {

struct TruthIncident {
  std::string number;
  absl::Time opened_at;
  std::string requester, org_unit, category, service;
  std::vector<std::string> cis;
  int channel = 0;
  int priority = 0, level = 0, state = 0;
  std::string group, assignee;
  bool resolved = false;  // resolved or closed at the end
  absl::Time resolved_at;
  int resolved_level = 0;
  std::string resolved_by;
  bool escalated = false, reassigned = false;
  int reopen_count = 0;
  bool closed = false;
  int survey = 0;
  int response = 0, resolution = 0;  // 0 none, 1 met, 2 breached
  bool response_at_risk = false, resolution_at_risk = false;
  long business_seconds = -1;
};

struct TruthMessage {
  absl::Time at;
  int channel = 0;
  bool duplicate = false;
};

struct HistoryOptions {
  absl::CivilMonth first_month{2024, 1};
  int months = 26;
  int min_per_month = 30;
  int max_per_month = 60;
  unsigned seed = 20260220;
  absl::Time now;  // every event happens before it
  absl::TimeZone zone;
};

struct History {
  std::vector<TruthIncident> incidents;
  std::vector<TruthMessage> messages;
  // Stream name → events in publish order (incident, intake, sla, directory).
  std::map<std::string, std::vector<events::v1::Event>> streams;
  std::vector<events::v1::Event> late_people;  // directory events published after the rest
  int duplicate_deliveries = 0;
  int stale_snapshots = 0;
};

History GenerateHistory(const HistoryOptions& options);

// XADDs the events as the outbox relay does (field "event").
absl::Status Publish(const RedisAddress& redis, const std::string& stream,
                     const std::vector<events::v1::Event>& events);

}  // namespace tiquete::reporting::testing
