// DirectoryClient over gRPC: calls the directory service with a deadline, signed as the
// incident service.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/channel.h>

#include "absl/time/time.h"
#include "common/caller.h"
#include "services/incident/directory_client.h"
#include "tiquete/directory/v1/directory.grpc.pb.h"

namespace tiquete::incident {

class GrpcDirectoryClient final : public DirectoryClient {
 public:
  GrpcDirectoryClient(std::shared_ptr<grpc::Channel> channel, const CallerSigner* signer,
                      absl::Duration deadline = absl::Seconds(2));
  // A channel to host:port (plaintext inside the cluster network).
  static std::shared_ptr<grpc::Channel> Connect(const std::string& address);

  absl::StatusOr<directory::v1::Person> GetPerson(const std::string& id) override;
  absl::StatusOr<directory::v1::Group> GetGroup(const std::string& id) override;
  absl::StatusOr<directory::v1::Category> GetCategory(const std::string& id) override;
  absl::StatusOr<directory::v1::ItService> GetItService(const std::string& id) override;
  absl::StatusOr<directory::v1::ConfigurationItem> GetConfigurationItem(
      const std::string& id) override;

 private:
  template <typename Response, typename Method>
  absl::StatusOr<Response> Call(const std::string& id, Method method);

  std::unique_ptr<directory::v1::DirectoryService::Stub> stub_;
  const CallerSigner* signer_;
  absl::Duration deadline_;
};

}  // namespace tiquete::incident
