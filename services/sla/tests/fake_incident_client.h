// An in-memory incident service for escalation tests: one incident per number, optimistic
// versions like the real service, and a record of every write it accepted.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/sla/incident_client.h"

namespace tiquete::sla::testing {

class FakeIncidentClient final : public IncidentClient {
 public:
  struct Write {
    std::string number, what, idempotency_key, reason;
  };

  void Put(IncidentSnapshot s) {
    std::lock_guard lock(mu_);
    incidents_[s.number] = std::move(s);
  }
  IncidentSnapshot Get(const std::string& number) {
    std::lock_guard lock(mu_);
    return incidents_.at(number);
  }
  std::vector<Write> writes() {
    std::lock_guard lock(mu_);
    return writes_;
  }

  // Lets `person_id` see incident `number` (CheckVisibleTo).
  void Share(const std::string& number, const std::string& person_id) {
    std::lock_guard lock(mu_);
    visible_.insert({person_id, number});
  }
  absl::Status CheckVisibleTo(const Caller& caller, const std::string& number) override {
    std::lock_guard lock(mu_);
    if (visible_.count({caller.person_id(), number}) == 0) return absl::NotFoundError(number);
    return absl::OkStatus();
  }
  absl::StatusOr<IncidentSnapshot> GetIncident(const std::string& number) override {
    std::lock_guard lock(mu_);
    auto it = incidents_.find(number);
    if (it == incidents_.end()) return absl::NotFoundError(number);
    return it->second;
  }
  absl::StatusOr<IncidentSnapshot> EscalateToGroup(const std::string& number, int64_t version,
                                                   const std::string& group_id,
                                                   const std::string& reason,
                                                   const std::string& key) override {
    std::lock_guard lock(mu_);
    IncidentSnapshot& s = incidents_.at(number);
    if (s.version != version) return absl::AbortedError("stale version");
    s.group_id = group_id;
    s.level = s.level == "L1" ? "L2" : "L3";
    ++s.version;
    writes_.push_back({number, absl::StrCat("escalate:", group_id), key, reason});
    return s;
  }
  absl::StatusOr<IncidentSnapshot> SetPriority(const std::string& number, int64_t version,
                                               int priority, const std::string& justification,
                                               const std::string& key) override {
    std::lock_guard lock(mu_);
    IncidentSnapshot& s = incidents_.at(number);
    if (s.version != version) return absl::AbortedError("stale version");
    s.priority = priority;
    ++s.version;
    writes_.push_back({number, absl::StrCat("priority:", priority), key, justification});
    return s;
  }

 private:
  std::mutex mu_;
  std::map<std::string, IncidentSnapshot> incidents_;
  std::set<std::pair<std::string, std::string>> visible_;  // (person, number)
  std::vector<Write> writes_;
};

}  // namespace tiquete::sla::testing
