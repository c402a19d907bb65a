#include "services/incident/grpc_directory_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace tiquete::incident {

GrpcDirectoryClient::GrpcDirectoryClient(std::shared_ptr<grpc::Channel> channel,
                                         const CallerSigner* signer, absl::Duration deadline)
    : stub_(directory::v1::DirectoryService::NewStub(std::move(channel))),
      signer_(signer),
      deadline_(deadline) {}

std::shared_ptr<grpc::Channel> GrpcDirectoryClient::Connect(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

template <typename Response, typename Method>
absl::StatusOr<Response> GrpcDirectoryClient::Call(const std::string& id, Method method) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  Caller self;
  self.set_system("incident");
  self.add_roles("integration");
  signer_->Attach(&context, self);
  directory::v1::GetRequest request;
  request.set_id(id);
  Response response;
  grpc::Status status = ((*stub_).*method)(&context, request, &response);
  if (status.ok()) return response;
  absl::Status mapped = FromGrpcStatus(status);
  // A directory that does not answer in time is unavailable to us, whatever its own code says.
  if (mapped.code() == absl::StatusCode::kDeadlineExceeded) {
    return Error(absl::StatusCode::kUnavailable, "DIRECTORY_UNAVAILABLE",
                 absl::StrCat("directory did not answer: ", status.error_message()));
  }
  return mapped;
}

absl::StatusOr<directory::v1::Person> GrpcDirectoryClient::GetPerson(const std::string& id) {
  return Call<directory::v1::Person>(id, &directory::v1::DirectoryService::Stub::GetPerson);
}

absl::StatusOr<directory::v1::Group> GrpcDirectoryClient::GetGroup(const std::string& id) {
  return Call<directory::v1::Group>(id, &directory::v1::DirectoryService::Stub::GetGroup);
}

absl::StatusOr<directory::v1::Category> GrpcDirectoryClient::GetCategory(const std::string& id) {
  return Call<directory::v1::Category>(id, &directory::v1::DirectoryService::Stub::GetCategory);
}

absl::StatusOr<directory::v1::ItService> GrpcDirectoryClient::GetItService(const std::string& id) {
  return Call<directory::v1::ItService>(id, &directory::v1::DirectoryService::Stub::GetItService);
}

absl::StatusOr<directory::v1::ConfigurationItem> GrpcDirectoryClient::GetConfigurationItem(
    const std::string& id) {
  return Call<directory::v1::ConfigurationItem>(
      id, &directory::v1::DirectoryService::Stub::GetConfigurationItem);
}

}  // namespace tiquete::incident
