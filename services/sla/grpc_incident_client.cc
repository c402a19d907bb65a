#include "services/sla/grpc_incident_client.h"

#include <chrono>

#include "common/errors.h"
#include "common/log.h"
#include "services/sla/incident_events.h"

namespace tiquete::sla {
namespace {

IncidentSnapshot Snapshot(const incident::v1::Incident& in) {
  IncidentSnapshot s;
  s.number = in.number();
  s.state = StateCode(in.state());
  s.priority = PriorityNumber(in.priority());
  s.level = LevelCode(in.level());
  s.group_id = in.assignment_group_id();
  s.version = in.version();
  return s;
}

absl::StatusOr<IncidentSnapshot> Result(const grpc::Status& status,
                                        const incident::v1::Incident& incident) {
  if (!status.ok()) return FromGrpcStatus(status);
  return Snapshot(incident);
}

}  // namespace

GrpcIncidentClient::GrpcIncidentClient(std::shared_ptr<grpc::Channel> channel,
                                       const CallerSigner& signer, absl::Duration deadline)
    : stub_(incident::v1::IncidentService::NewStub(std::move(channel))),
      signer_(signer),
      deadline_(deadline) {}

Caller GrpcIncidentClient::SystemCaller() {
  Caller caller;
  caller.set_system("sla");
  caller.set_display_name("Motor de SLA");
  caller.add_roles("incident_manager");
  return caller;
}

void GrpcIncidentClient::Prepare(grpc::ClientContext* context, const std::string& idempotency_key,
                                 const Caller* as) const {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(absl::ToInt64Milliseconds(deadline_)));
  const std::string request_id = log::CurrentRequestId();
  if (!request_id.empty()) context->AddMetadata("x-request-id", request_id);
  if (!idempotency_key.empty()) context->AddMetadata("x-idempotency-key", idempotency_key);
  signer_.Attach(context, as ? *as : SystemCaller());
}

absl::StatusOr<IncidentSnapshot> GrpcIncidentClient::GetIncident(const std::string& number) {
  grpc::ClientContext context;
  Prepare(&context, "");
  incident::v1::GetIncidentRequest request;
  request.set_number(number);
  incident::v1::Incident response;
  return Result(stub_->GetIncident(&context, request, &response), response);
}

absl::Status GrpcIncidentClient::CheckVisibleTo(const Caller& caller, const std::string& number) {
  grpc::ClientContext context;
  // Asked as the caller (re-signed with the key the gateway signed it with), so the incident
  // service applies that person's row-level visibility.
  Prepare(&context, "", &caller);
  incident::v1::GetIncidentRequest request;
  request.set_number(number);
  incident::v1::Incident response;
  const grpc::Status status = stub_->GetIncident(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    return absl::NotFoundError(number);  // the same answer as for a case that does not exist
  }
  return status.ok() ? absl::OkStatus() : FromGrpcStatus(status);
}

absl::StatusOr<IncidentSnapshot> GrpcIncidentClient::EscalateToGroup(
    const std::string& number, int64_t version, const std::string& group_id,
    const std::string& reason, const std::string& idempotency_key) {
  grpc::ClientContext context;
  Prepare(&context, idempotency_key);
  incident::v1::EscalateIncidentRequest request;
  request.set_number(number);
  request.set_version(version);
  request.set_kind(incident::v1::FUNCTIONAL);
  request.set_reason(reason);
  request.set_group_id(group_id);
  incident::v1::Incident response;
  return Result(stub_->EscalateIncident(&context, request, &response), response);
}

absl::StatusOr<IncidentSnapshot> GrpcIncidentClient::SetPriority(
    const std::string& number, int64_t version, int priority, const std::string& justification,
    const std::string& idempotency_key) {
  grpc::ClientContext context;
  Prepare(&context, idempotency_key);
  incident::v1::SetPriorityRequest request;
  request.set_number(number);
  request.set_version(version);
  request.set_priority(static_cast<incident::v1::Priority>(priority));
  request.set_justification(justification);
  incident::v1::Incident response;
  return Result(stub_->SetPriority(&context, request, &response), response);
}

}  // namespace tiquete::sla
