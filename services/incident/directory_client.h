// What the incident service needs from the directory: groups (level, active), people (active,
// roles, memberships), categories (default group, security flag), IT services and CIs. An
// interface, so rules are tested against a fake and the gRPC adapter is swapped in by main.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "tiquete/directory/v1/directory.pb.h"

namespace tiquete::incident {

class DirectoryClient {
 public:
  virtual ~DirectoryClient() = default;
  // Each returns NOT_FOUND for an unknown id and UNAVAILABLE when the directory cannot be
  // reached (callers pass that on, so intake retries the hand-over later).
  virtual absl::StatusOr<directory::v1::Person> GetPerson(const std::string& id) = 0;
  virtual absl::StatusOr<directory::v1::Group> GetGroup(const std::string& id) = 0;
  virtual absl::StatusOr<directory::v1::Category> GetCategory(const std::string& id) = 0;
  virtual absl::StatusOr<directory::v1::ItService> GetItService(const std::string& id) = 0;
  virtual absl::StatusOr<directory::v1::ConfigurationItem> GetConfigurationItem(
      const std::string& id) = 0;
};

}  // namespace tiquete::incident
