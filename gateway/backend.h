// The gRPC services behind the gateway. Backend is the seam the gateway's tests replace with a
// fake; GrpcBackend calls a real service with grpc::GenericStub on the callback API (no
// thread waits on a call), a deadline, the request id and the signed caller.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <google/protobuf/message.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include "absl/time/time.h"
#include "common/caller.h"

namespace tiquete::gateway {

struct BackendCall {
  std::string grpc_path;  // "/tiquete.directory.v1.DirectoryService/GetPerson"
  std::string request_id;
  Caller caller;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // `request` and `response` must stay alive until `done` runs (on any thread).
  virtual void Call(const BackendCall& call, const google::protobuf::Message& request,
                    google::protobuf::Message* response,
                    std::function<void(grpc::Status)> done) = 0;
  // The service's gRPC health: OK when SERVING, else a status saying what it is.
  virtual void CheckHealth(std::function<void(grpc::Status)> done) = 0;
};

class GrpcBackend final : public Backend {
 public:
  GrpcBackend(std::string address, const CallerSigner* signer, absl::Duration deadline);
  void Call(const BackendCall& call, const google::protobuf::Message& request,
            google::protobuf::Message* response, std::function<void(grpc::Status)> done) override;
  void CheckHealth(std::function<void(grpc::Status)> done) override;
  const std::string& address() const { return address_; }

 private:
  std::string address_;
  const CallerSigner* signer_;
  absl::Duration deadline_;
  std::shared_ptr<grpc::Channel> channel_;
  grpc::TemplatedGenericStub<google::protobuf::Message, google::protobuf::Message> stub_;
};

}  // namespace tiquete::gateway
