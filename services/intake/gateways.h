// What intake needs from other services, as small interfaces: the real implementations are
// gRPC clients (incident_client.h, directory_client.h); tests use fakes. Calls are made on
// behalf of `caller` (the person or system that submitted, or the agent splitting).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/intake/domain/classification.h"
#include "services/intake/domain/dedup.h"
#include "tiquete/api/v1/caller.pb.h"
#include "tiquete/intake/v1/intake.pb.h"

namespace tiquete::intake {

struct NewIncident {
  std::string idempotency_key;
  std::string title;
  std::string description;
  std::string requester_id;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  std::string category_id;
  std::string service_id;
  std::vector<std::string> ci_ids;
  v1::Level impact = v1::LEVEL_UNSPECIFIED;
  v1::Level urgency = v1::LEVEL_UNSPECIFIED;
  v1::TicketType type = v1::INCIDENT;
  bool possible_security = false;
  std::string security_reason;
  std::string intake_message_id;
  std::vector<v1::Attachment> attachments;
};

struct PublicComment {
  std::string incident_number;
  std::string body;
  std::string idempotency_key;
  std::string source_message_id;
  std::vector<v1::Attachment> attachments;
};

class IncidentGateway {
 public:
  virtual ~IncidentGateway() = default;
  // Returns the new incident's number. The same idempotency key returns the same incident.
  virtual absl::StatusOr<std::string> CreateIncident(const api::v1::Caller& caller,
                                                     const NewIncident& incident) = 0;
  virtual absl::StatusOr<domain::IncidentSnapshot> GetIncidentState(const api::v1::Caller& caller,
                                                                    const std::string& number) = 0;
  // Returns the work-log entry id. The same idempotency key returns the same entry.
  virtual absl::StatusOr<std::string> AddPublicComment(const api::v1::Caller& caller,
                                                       const PublicComment& comment) = 0;
};

struct CategoryInfo {
  std::string id;
  std::string full_path;
  bool security = false;
  bool active = true;
};

class DirectoryGateway {
 public:
  virtual ~DirectoryGateway() = default;
  // NOT_FOUND when the category does not exist.
  virtual absl::StatusOr<CategoryInfo> GetCategory(const api::v1::Caller& caller,
                                                   const std::string& category_id) = 0;
};

}  // namespace tiquete::intake
