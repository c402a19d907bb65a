#include "gateway/backend.h"

#include "grpc/health/v1/health.pb.h"

namespace tiquete::gateway {
namespace {

// Keeps the per-call state alive until gRPC reports completion.
struct HealthCall {
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
};

}  // namespace

GrpcBackend::GrpcBackend(std::string address, const CallerSigner* signer, absl::Duration deadline)
    : address_(std::move(address)),
      signer_(signer),
      deadline_(deadline),
      channel_(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials())),
      stub_(channel_) {}

void GrpcBackend::Call(const BackendCall& call, const google::protobuf::Message& request,
                       google::protobuf::Message* response,
                       std::function<void(grpc::Status)> done) {
  auto context = std::make_shared<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  context->AddMetadata("x-request-id", call.request_id);
  signer_->Attach(context.get(), call.caller);
  stub_.UnaryCall(
      context.get(), call.grpc_path, grpc::StubOptions(), &request, response,
      [context, done = std::move(done)](grpc::Status status) { done(std::move(status)); });
}

void GrpcBackend::CheckHealth(std::function<void(grpc::Status)> done) {
  auto call = std::make_shared<HealthCall>();
  call->context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
  grpc::TemplatedGenericStub<google::protobuf::Message, google::protobuf::Message> stub(channel_);
  stub.UnaryCall(
      &call->context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &call->request,
      &call->response, [call, done = std::move(done)](grpc::Status status) {
        if (status.ok() &&
            call->response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
          status = grpc::Status(
              grpc::StatusCode::UNAVAILABLE,
              grpc::health::v1::HealthCheckResponse::ServingStatus_Name(call->response.status()));
        }
        done(std::move(status));
      });
}

}  // namespace tiquete::gateway
