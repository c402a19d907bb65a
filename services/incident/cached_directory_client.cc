#include "services/incident/cached_directory_client.h"

namespace tiquete::incident {

namespace dir = directory::v1;

absl::StatusOr<dir::Person> CachedDirectoryClient::GetPerson(const std::string& id) {
  return CachedFetch(people_, id, [&] { return directory_->GetPerson(id); });
}

absl::StatusOr<dir::Group> CachedDirectoryClient::GetGroup(const std::string& id) {
  return CachedFetch(groups_, id, [&] { return directory_->GetGroup(id); });
}

absl::StatusOr<dir::Category> CachedDirectoryClient::GetCategory(const std::string& id) {
  return CachedFetch(categories_, id, [&] { return directory_->GetCategory(id); });
}

absl::StatusOr<dir::ItService> CachedDirectoryClient::GetItService(const std::string& id) {
  return CachedFetch(services_, id, [&] { return directory_->GetItService(id); });
}

absl::StatusOr<dir::ConfigurationItem> CachedDirectoryClient::GetConfigurationItem(
    const std::string& id) {
  return CachedFetch(cis_, id, [&] { return directory_->GetConfigurationItem(id); });
}

}  // namespace tiquete::incident
