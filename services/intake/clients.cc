#include "services/intake/clients.h"

#include <chrono>

#include "common/errors.h"
#include "tiquete/directory/v1/directory.grpc.pb.h"
#include "tiquete/incident/v1/incident.grpc.pb.h"

namespace tiquete::intake {
namespace inc = ::tiquete::incident::v1;
namespace dir = ::tiquete::directory::v1;

namespace {

void Prepare(grpc::ClientContext* ctx, const CallerSigner& signer, const api::v1::Caller& caller,
             absl::Duration deadline) {
  ctx->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(deadline));
  signer.Attach(ctx, caller);
}

// The contract gives intake's and incident's Channel, Level and TicketType the same numbers.
template <typename To, typename From>
To SameNumber(From value) {
  return static_cast<To>(static_cast<int>(value));
}

void CopyAttachments(const std::vector<v1::Attachment>& from,
                     google::protobuf::RepeatedPtrField<inc::Attachment>* to) {
  for (const auto& a : from) {
    inc::Attachment* out = to->Add();
    out->set_filename(a.filename());
    out->set_content_type(a.content_type());
    out->set_content(a.content());
    out->set_sha256(a.sha256());
  }
}

domain::IncidentState StateOf(inc::State state) {
  switch (state) {
    case inc::NEW:
      return domain::IncidentState::kNew;
    case inc::ASSIGNED:
      return domain::IncidentState::kAssigned;
    case inc::IN_PROGRESS:
      return domain::IncidentState::kInProgress;
    case inc::PENDING:
      return domain::IncidentState::kPending;
    case inc::RESOLVED:
      return domain::IncidentState::kResolved;
    case inc::CANCELLED:
      return domain::IncidentState::kCancelled;
    case inc::CLOSED:
    default:
      // A state this build does not know is treated as closed: the message then gets an
      // incident of its own rather than being merged into something we do not understand.
      return domain::IncidentState::kClosed;
  }
}

}  // namespace

struct IncidentClient::Stub {
  std::unique_ptr<inc::IncidentService::Stub> stub;
};

IncidentClient::IncidentClient(std::shared_ptr<grpc::Channel> channel, const CallerSigner& signer,
                               absl::Duration deadline)
    : stub_(std::make_unique<Stub>(Stub{inc::IncidentService::NewStub(channel)})),
      signer_(signer),
      deadline_(deadline) {}

IncidentClient::~IncidentClient() = default;

absl::StatusOr<std::string> IncidentClient::CreateIncident(const api::v1::Caller& caller,
                                                           const NewIncident& n) {
  inc::CreateIncidentRequest request;
  request.set_idempotency_key(n.idempotency_key);
  request.set_title(n.title);
  request.set_description(n.description);
  request.set_requester_id(n.requester_id);
  request.set_channel(SameNumber<inc::Channel>(n.channel));
  request.set_category_id(n.category_id);
  request.set_service_id(n.service_id);
  for (const auto& ci : n.ci_ids) request.add_ci_ids(ci);
  request.set_impact(SameNumber<inc::Level>(n.impact));
  request.set_urgency(SameNumber<inc::Level>(n.urgency));
  request.set_type(SameNumber<inc::TicketType>(n.type));
  request.set_possible_security(n.possible_security);
  request.set_security_reason(n.security_reason);
  request.set_intake_message_id(n.intake_message_id);
  CopyAttachments(n.attachments, request.mutable_attachments());
  grpc::ClientContext ctx;
  Prepare(&ctx, signer_, caller, deadline_);
  inc::Incident incident;
  grpc::Status status = stub_->stub->CreateIncident(&ctx, request, &incident);
  if (!status.ok()) return FromGrpcStatus(status);
  return incident.number();
}

absl::StatusOr<domain::IncidentSnapshot> IncidentClient::GetIncidentState(
    const api::v1::Caller& caller, const std::string& number) {
  inc::GetIncidentRequest request;
  request.set_number(number);
  grpc::ClientContext ctx;
  Prepare(&ctx, signer_, caller, deadline_);
  inc::Incident incident;
  grpc::Status status = stub_->stub->GetIncident(&ctx, request, &incident);
  if (!status.ok()) return FromGrpcStatus(status);
  return domain::IncidentSnapshot{StateOf(incident.state()), incident.possible_security()};
}

absl::StatusOr<std::string> IncidentClient::AddPublicComment(const api::v1::Caller& caller,
                                                             const PublicComment& c) {
  inc::AddCommentRequest request;
  request.set_number(c.incident_number);
  request.set_body(c.body);
  request.set_visibility(inc::PUBLIC);
  request.set_idempotency_key(c.idempotency_key);
  request.set_source_message_id(c.source_message_id);
  CopyAttachments(c.attachments, request.mutable_attachments());
  grpc::ClientContext ctx;
  Prepare(&ctx, signer_, caller, deadline_);
  inc::WorkLogEntry entry;
  grpc::Status status = stub_->stub->AddComment(&ctx, request, &entry);
  if (!status.ok()) return FromGrpcStatus(status);
  return entry.id();
}

struct DirectoryClient::Stub {
  std::unique_ptr<dir::DirectoryService::Stub> stub;
};

DirectoryClient::DirectoryClient(std::shared_ptr<grpc::Channel> channel, const CallerSigner& signer,
                                 absl::Duration deadline)
    : stub_(std::make_unique<Stub>(Stub{dir::DirectoryService::NewStub(channel)})),
      signer_(signer),
      deadline_(deadline) {}

DirectoryClient::~DirectoryClient() = default;

absl::StatusOr<CategoryInfo> DirectoryClient::GetCategory(const api::v1::Caller& caller,
                                                          const std::string& category_id) {
  dir::GetRequest request;
  request.set_id(category_id);
  grpc::ClientContext ctx;
  Prepare(&ctx, signer_, caller, deadline_);
  dir::Category category;
  grpc::Status status = stub_->stub->GetCategory(&ctx, request, &category);
  if (!status.ok()) return FromGrpcStatus(status);
  return CategoryInfo{category.id(), category.full_path(), category.security(), category.active()};
}

}  // namespace tiquete::intake
