// The IncidentService gRPC surface: verifies the signed caller, hands the request to
// IncidentManagement and maps the outcome to a grpc::Status. No rules and no SQL here.
#pragma once

#include <grpcpp/grpcpp.h>

#include "common/caller.h"
#include "services/incident/incident_management.h"
#include "tiquete/incident/v1/incident.grpc.pb.h"

namespace tiquete::incident {

class IncidentServiceImpl final : public v1::IncidentService::Service {
 public:
  IncidentServiceImpl(IncidentManagement& management, const CallerSigner& signer);

  grpc::Status CreateIncident(grpc::ServerContext* c, const v1::CreateIncidentRequest* r,
                              v1::Incident* out) override;
  grpc::Status GetIncident(grpc::ServerContext* c, const v1::GetIncidentRequest* r,
                           v1::Incident* out) override;
  grpc::Status ListIncidents(grpc::ServerContext* c, const v1::ListIncidentsRequest* r,
                             v1::ListIncidentsResponse* out) override;
  grpc::Status CountIncidentsByState(grpc::ServerContext* c,
                                     const v1::CountIncidentsByStateRequest* r,
                                     v1::CountIncidentsByStateResponse* out) override;
  grpc::Status UpdateIncident(grpc::ServerContext* c, const v1::UpdateIncidentRequest* r,
                              v1::Incident* out) override;
  grpc::Status AssignIncident(grpc::ServerContext* c, const v1::AssignIncidentRequest* r,
                              v1::Incident* out) override;
  grpc::Status EscalateIncident(grpc::ServerContext* c, const v1::EscalateIncidentRequest* r,
                                v1::Incident* out) override;
  grpc::Status StartWork(grpc::ServerContext* c, const v1::StartWorkRequest* r,
                         v1::Incident* out) override;
  grpc::Status SetPending(grpc::ServerContext* c, const v1::SetPendingRequest* r,
                          v1::Incident* out) override;
  grpc::Status Resume(grpc::ServerContext* c, const v1::ResumeRequest* r,
                      v1::Incident* out) override;
  grpc::Status ResolveIncident(grpc::ServerContext* c, const v1::ResolveIncidentRequest* r,
                               v1::Incident* out) override;
  grpc::Status CloseIncident(grpc::ServerContext* c, const v1::CloseIncidentRequest* r,
                             v1::Incident* out) override;
  grpc::Status CancelIncident(grpc::ServerContext* c, const v1::CancelIncidentRequest* r,
                              v1::Incident* out) override;
  grpc::Status ReopenIncident(grpc::ServerContext* c, const v1::ReopenIncidentRequest* r,
                              v1::Incident* out) override;
  grpc::Status AddComment(grpc::ServerContext* c, const v1::AddCommentRequest* r,
                          v1::WorkLogEntry* out) override;
  grpc::Status ListWorkLog(grpc::ServerContext* c, const v1::ListWorkLogRequest* r,
                           v1::ListWorkLogResponse* out) override;
  grpc::Status GetAttachment(grpc::ServerContext* c, const v1::GetAttachmentRequest* r,
                             v1::Attachment* out) override;
  grpc::Status GetAuditTrail(grpc::ServerContext* c, const v1::GetAuditTrailRequest* r,
                             v1::GetAuditTrailResponse* out) override;
  grpc::Status ListEscalations(grpc::ServerContext* c, const v1::ListEscalationsRequest* r,
                               v1::ListEscalationsResponse* out) override;
  grpc::Status SetPriority(grpc::ServerContext* c, const v1::SetPriorityRequest* r,
                           v1::Incident* out) override;
  grpc::Status SetMajorIncident(grpc::ServerContext* c, const v1::SetMajorIncidentRequest* r,
                                v1::Incident* out) override;
  grpc::Status LinkParent(grpc::ServerContext* c, const v1::LinkParentRequest* r,
                          v1::Incident* out) override;
  grpc::Status SubmitSurvey(grpc::ServerContext* c, const v1::SubmitSurveyRequest* r,
                            v1::Survey* out) override;

 private:
  // Verifies the caller, runs fn(caller) and writes its value or maps its error.
  template <typename Response, typename Fn>
  grpc::Status Handle(grpc::ServerContext* context, Response* response, Fn fn);

  IncidentManagement& management_;
  const CallerSigner& signer_;
};

}  // namespace tiquete::incident
