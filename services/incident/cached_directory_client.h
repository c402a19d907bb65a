// DirectoryClient that remembers what the directory answered for a short time, so creating an
// incident does not ask the directory again for the same category, group and requester
// (three gRPC calls per case otherwise). Only found records are kept; NOT_FOUND and errors are
// asked again every time. A change in the directory (a person deactivated, a category's default
// group moved) is seen at most `ttl` later; the directory stays the authority.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/ttl_cache.h"
#include "services/incident/directory_client.h"

namespace tiquete::incident {

class CachedDirectoryClient final : public DirectoryClient {
 public:
  CachedDirectoryClient(DirectoryClient* directory, const Clock* clock, absl::Duration ttl,
                        size_t max_entries = 20000)
      : directory_(directory),
        people_(clock, ttl, max_entries),
        groups_(clock, ttl, max_entries),
        categories_(clock, ttl, max_entries),
        services_(clock, ttl, max_entries),
        cis_(clock, ttl, max_entries) {}

  absl::StatusOr<directory::v1::Person> GetPerson(const std::string& id) override;
  absl::StatusOr<directory::v1::Group> GetGroup(const std::string& id) override;
  absl::StatusOr<directory::v1::Category> GetCategory(const std::string& id) override;
  absl::StatusOr<directory::v1::ItService> GetItService(const std::string& id) override;
  absl::StatusOr<directory::v1::ConfigurationItem> GetConfigurationItem(
      const std::string& id) override;

 private:
  DirectoryClient* directory_;
  TtlCache<directory::v1::Person> people_;
  TtlCache<directory::v1::Group> groups_;
  TtlCache<directory::v1::Category> categories_;
  TtlCache<directory::v1::ItService> services_;
  TtlCache<directory::v1::ConfigurationItem> cis_;
};

}  // namespace tiquete::incident
