#include "services/incident/service.h"

#include "common/errors.h"
#include "common/log.h"
#include "common/server.h"

namespace tiquete::incident {

IncidentServiceImpl::IncidentServiceImpl(IncidentManagement& management, const CallerSigner& signer)
    : management_(management), signer_(signer) {}

template <typename Response, typename Fn>
grpc::Status IncidentServiceImpl::Handle(grpc::ServerContext* context, Response* response, Fn fn) {
  // Events written during the call carry the request id.
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = signer_.Verify(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto result = fn(*caller);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

#define TIQUETE_RPC(Rpc, Request, Response, call)                                              \
  grpc::Status IncidentServiceImpl::Rpc(grpc::ServerContext* c, const v1::Request* r,          \
                                        v1::Response* out) {                                   \
    return Handle(c, out, [&](const Caller& caller) { return management_.call(caller, *r); }); \
  }

TIQUETE_RPC(CreateIncident, CreateIncidentRequest, Incident, Create)
TIQUETE_RPC(ListIncidents, ListIncidentsRequest, ListIncidentsResponse, List)
TIQUETE_RPC(CountIncidentsByState, CountIncidentsByStateRequest, CountIncidentsByStateResponse,
            CountByState)
TIQUETE_RPC(UpdateIncident, UpdateIncidentRequest, Incident, Update)
TIQUETE_RPC(AssignIncident, AssignIncidentRequest, Incident, Assign)
TIQUETE_RPC(EscalateIncident, EscalateIncidentRequest, Incident, Escalate)
TIQUETE_RPC(StartWork, StartWorkRequest, Incident, Start)
TIQUETE_RPC(SetPending, SetPendingRequest, Incident, Pend)
TIQUETE_RPC(Resume, ResumeRequest, Incident, Resume)
TIQUETE_RPC(ResolveIncident, ResolveIncidentRequest, Incident, Resolve)
TIQUETE_RPC(CloseIncident, CloseIncidentRequest, Incident, Close)
TIQUETE_RPC(CancelIncident, CancelIncidentRequest, Incident, Cancel)
TIQUETE_RPC(ReopenIncident, ReopenIncidentRequest, Incident, Reopen)
TIQUETE_RPC(AddComment, AddCommentRequest, WorkLogEntry, AddComment)
TIQUETE_RPC(ListWorkLog, ListWorkLogRequest, ListWorkLogResponse, ListWorkLog)
TIQUETE_RPC(GetAttachment, GetAttachmentRequest, Attachment, GetAttachment)
TIQUETE_RPC(GetAuditTrail, GetAuditTrailRequest, GetAuditTrailResponse, AuditTrail)
TIQUETE_RPC(ListEscalations, ListEscalationsRequest, ListEscalationsResponse, Escalations)
TIQUETE_RPC(SetPriority, SetPriorityRequest, Incident, SetPriority)
TIQUETE_RPC(SetMajorIncident, SetMajorIncidentRequest, Incident, SetMajor)
TIQUETE_RPC(LinkParent, LinkParentRequest, Incident, LinkParent)
TIQUETE_RPC(SubmitSurvey, SubmitSurveyRequest, Survey, SubmitSurvey)

#undef TIQUETE_RPC

grpc::Status IncidentServiceImpl::GetIncident(grpc::ServerContext* c,
                                              const v1::GetIncidentRequest* r, v1::Incident* out) {
  return Handle(c, out, [&](const Caller& caller) { return management_.Get(caller, r->number()); });
}

}  // namespace tiquete::incident
