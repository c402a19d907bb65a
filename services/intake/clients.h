// The gRPC adapters behind IncidentGateway and DirectoryGateway. Each call re-attaches the
// caller intake acts for (signed afresh, so a background retry hours later is accepted) and
// carries a deadline.
#pragma once

#include <memory>

#include <grpcpp/channel.h>

#include "absl/time/time.h"
#include "common/caller.h"
#include "common/clock.h"
#include "common/ttl_cache.h"
#include "services/intake/gateways.h"

namespace tiquete::intake {

class IncidentClient final : public IncidentGateway {
 public:
  IncidentClient(std::shared_ptr<grpc::Channel> channel, const CallerSigner& signer,
                 absl::Duration deadline = absl::Seconds(10));
  ~IncidentClient() override;

  absl::StatusOr<std::string> CreateIncident(const api::v1::Caller& caller,
                                             const NewIncident& incident) override;
  absl::StatusOr<domain::IncidentSnapshot> GetIncidentState(const api::v1::Caller& caller,
                                                            const std::string& number) override;
  absl::StatusOr<std::string> AddPublicComment(const api::v1::Caller& caller,
                                               const PublicComment& comment) override;

 private:
  struct Stub;
  std::unique_ptr<Stub> stub_;
  const CallerSigner& signer_;
  absl::Duration deadline_;
};

class DirectoryClient final : public DirectoryGateway {
 public:
  DirectoryClient(std::shared_ptr<grpc::Channel> channel, const CallerSigner& signer,
                  absl::Duration deadline = absl::Seconds(5));
  ~DirectoryClient() override;

  absl::StatusOr<CategoryInfo> GetCategory(const api::v1::Caller& caller,
                                           const std::string& category_id) override;

 private:
  struct Stub;
  std::unique_ptr<Stub> stub_;
  const CallerSigner& signer_;
  absl::Duration deadline_;
};

// Keeps the categories the directory found for `ttl` (categories are the same whoever asks):
// a category renamed, deactivated or flagged as security is seen at most `ttl` later. Unknown
// ids and errors are asked again every time.
class CachedDirectoryGateway final : public DirectoryGateway {
 public:
  CachedDirectoryGateway(DirectoryGateway* directory, const Clock* clock, absl::Duration ttl)
      : directory_(directory), categories_(clock, ttl) {}
  absl::StatusOr<CategoryInfo> GetCategory(const api::v1::Caller& caller,
                                           const std::string& category_id) override {
    return CachedFetch(categories_, category_id,
                       [&] { return directory_->GetCategory(caller, category_id); });
  }

 private:
  DirectoryGateway* directory_;
  TtlCache<CategoryInfo> categories_;
};

}  // namespace tiquete::intake
