// What the escalation actions need from the incident service, behind an interface so domain
// and consumer tests use a fake; GrpcIncidentClient is the real adapter.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/caller.h"

namespace tiquete::sla {

struct IncidentSnapshot {
  std::string number;
  std::string state;  // new | assigned | in_progress | pending | resolved | closed | cancelled
  int priority = 0;   // 1..5
  std::string level;  // L1 | L2 | L3
  std::string group_id;
  int64_t version = 0;
};

class IncidentClient {
 public:
  virtual ~IncidentClient() = default;
  virtual absl::StatusOr<IncidentSnapshot> GetIncident(const std::string& number) = 0;
  // OK when `caller` may see incident `number` (asked as that caller, so the incident service's
  // row-level rules decide); NOT_FOUND when not.
  virtual absl::Status CheckVisibleTo(const Caller& caller, const std::string& number) = 0;
  // Functional escalation to `group_id`, guarded by `version` (ABORTED when it moved on).
  // `idempotency_key` is derived from the firing; it travels as x-idempotency-key.
  virtual absl::StatusOr<IncidentSnapshot> EscalateToGroup(const std::string& number,
                                                           int64_t version,
                                                           const std::string& group_id,
                                                           const std::string& reason,
                                                           const std::string& idempotency_key) = 0;
  virtual absl::StatusOr<IncidentSnapshot> SetPriority(const std::string& number, int64_t version,
                                                       int priority,
                                                       const std::string& justification,
                                                       const std::string& idempotency_key) = 0;
};

}  // namespace tiquete::sla
