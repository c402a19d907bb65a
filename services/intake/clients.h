// The gRPC adapters behind IncidentGateway and DirectoryGateway. Each call re-attaches the
// caller intake acts for (signed afresh, so a background retry hours later is accepted) and
// carries a deadline.
#pragma once

#include <memory>

#include <grpcpp/channel.h>

#include "absl/time/time.h"
#include "common/caller.h"
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

}  // namespace tiquete::intake
