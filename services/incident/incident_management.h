// The incident management process as the service exposes it: each operation checks who the
// caller is, looks up what the directory must confirm, applies the domain rules and has the
// store persist the result. service.cc only translates between gRPC and this class.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "services/incident/directory_client.h"
#include "services/incident/domain/priority.h"
#include "services/incident/domain/validation.h"
#include "services/incident/domain/visibility.h"
#include "services/incident/store.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

struct IncidentOptions {
  absl::Duration reopen_window = absl::Hours(7 * 24);
  int64_t max_attachment_bytes = kDefaultMaxAttachmentBytes;
  PriorityMatrix matrix;
};

class IncidentManagement {
 public:
  IncidentManagement(IncidentStore& store, DirectoryClient& directory, Clock* clock,
                     IncidentOptions options);

  absl::StatusOr<v1::Incident> Create(const Caller& caller, v1::CreateIncidentRequest request);
  absl::StatusOr<v1::Incident> Get(const Caller& caller, const std::string& number);
  absl::StatusOr<v1::ListIncidentsResponse> List(const Caller& caller,
                                                 const v1::ListIncidentsRequest& request);
  absl::StatusOr<v1::CountIncidentsByStateResponse> CountByState(
      const Caller& caller, const v1::CountIncidentsByStateRequest& request);
  absl::StatusOr<v1::Incident> Update(const Caller& caller, const v1::UpdateIncidentRequest& r);
  absl::StatusOr<v1::Incident> SetPriority(const Caller& caller, const v1::SetPriorityRequest& r);
  absl::StatusOr<v1::Incident> SetMajor(const Caller& caller, const v1::SetMajorIncidentRequest& r);
  absl::StatusOr<v1::Incident> LinkParent(const Caller& caller, const v1::LinkParentRequest& r);

  // Lifecycle (incident_lifecycle.cc).
  absl::StatusOr<v1::Incident> Assign(const Caller& caller, const v1::AssignIncidentRequest& r);
  absl::StatusOr<v1::Incident> Escalate(const Caller& caller, const v1::EscalateIncidentRequest& r);
  absl::StatusOr<v1::Incident> Start(const Caller& caller, const v1::StartWorkRequest& r);
  absl::StatusOr<v1::Incident> Pend(const Caller& caller, const v1::SetPendingRequest& r);
  absl::StatusOr<v1::Incident> Resume(const Caller& caller, const v1::ResumeRequest& r);
  absl::StatusOr<v1::Incident> Resolve(const Caller& caller, const v1::ResolveIncidentRequest& r);
  absl::StatusOr<v1::Incident> Close(const Caller& caller, const v1::CloseIncidentRequest& r);
  absl::StatusOr<v1::Incident> Cancel(const Caller& caller, const v1::CancelIncidentRequest& r);
  absl::StatusOr<v1::Incident> Reopen(const Caller& caller, const v1::ReopenIncidentRequest& r);

  // Work log, history and survey (incident_worklog.cc).
  absl::StatusOr<v1::WorkLogEntry> AddComment(const Caller& caller, v1::AddCommentRequest r);
  absl::StatusOr<v1::ListWorkLogResponse> ListWorkLog(const Caller& caller,
                                                      const v1::ListWorkLogRequest& r);
  absl::StatusOr<v1::Attachment> GetAttachment(const Caller& caller,
                                               const v1::GetAttachmentRequest& r);
  absl::StatusOr<v1::GetAuditTrailResponse> AuditTrail(const Caller& caller,
                                                       const v1::GetAuditTrailRequest& r);
  absl::StatusOr<v1::ListEscalationsResponse> Escalations(const Caller& caller,
                                                          const v1::ListEscalationsRequest& r);
  absl::StatusOr<v1::Survey> SubmitSurvey(const Caller& caller, const v1::SubmitSurveyRequest& r);

 private:
  // Loads the incident the caller may see (NOT_FOUND otherwise) and checks `operation`.
  absl::StatusOr<StoredIncident> Visible(const Caller& caller, const std::string& number,
                                         Operation operation, bool with_attachments = false);
  // Runs a version-checked mutation of an incident the caller may `operation` on; the
  // permission is checked again on the locked row, which may have moved since it was read.
  absl::StatusOr<v1::Incident> Change(const Caller& caller, const std::string& number,
                                      int64_t version, Operation operation, const MutateFn& fn);

  // Directory checks; unknown or inactive references are INVALID_ARGUMENT naming `field`.
  absl::StatusOr<directory::v1::Group> ActiveGroup(const std::string& field,
                                                   const std::string& group_id);
  absl::Status CheckAssignee(const std::string& field, const std::string& person_id,
                             const std::string& group_id);
  absl::Status CheckActivePerson(const std::string& field, const std::string& person_id);
  absl::StatusOr<directory::v1::Category> ActiveCategory(const std::string& category_id);
  absl::Status CheckServiceAndCis(const std::string& service_id,
                                  const google::protobuf::RepeatedPtrField<std::string>& ci_ids);

  IncidentStore& store_;
  DirectoryClient& directory_;
  Clock* clock_;
  IncidentOptions options_;
};

}  // namespace tiquete::incident
