// The gRPC surface of the SLA engine: verifies the signed caller, checks roles, validates
// input with the domain rules, calls the store and maps Status to gRPC.
#pragma once

#include <grpcpp/grpcpp.h>

#include "common/caller.h"
#include "common/clock.h"
#include "services/sla/incident_client.h"
#include "services/sla/store.h"
#include "tiquete/sla/v1/sla.grpc.pb.h"

namespace tiquete::sla {

class SlaServiceImpl final : public v1::SlaService::Service {
 public:
  // `incidents` answers whether a requester may see a ticket (their clocks follow the
  // incident's visibility); without it only support staff read clocks.
  SlaServiceImpl(SlaStore& store, const CallerSigner& signer, Clock& clock,
                 IncidentClient* incidents = nullptr)
      : store_(store), signer_(signer), clock_(clock), incidents_(incidents) {}

  grpc::Status GetTicketClocks(grpc::ServerContext* context,
                               const v1::GetTicketClocksRequest* request,
                               v1::GetTicketClocksResponse* response) override;
  grpc::Status BatchGetTicketClocks(grpc::ServerContext* context,
                                    const v1::BatchGetTicketClocksRequest* request,
                                    v1::BatchGetTicketClocksResponse* response) override;
  grpc::Status ExplainClock(grpc::ServerContext* context, const v1::ExplainClockRequest* request,
                            v1::ClockExplanation* response) override;
  grpc::Status ListClocks(grpc::ServerContext* context, const v1::ListClocksRequest* request,
                          v1::ListClocksResponse* response) override;

  grpc::Status CreatePolicy(grpc::ServerContext* context, const v1::CreatePolicyRequest* request,
                            v1::Policy* response) override;
  grpc::Status UpdatePolicy(grpc::ServerContext* context, const v1::UpdatePolicyRequest* request,
                            v1::Policy* response) override;
  grpc::Status DeactivatePolicy(grpc::ServerContext* context,
                                const v1::PolicyLifecycleRequest* request,
                                v1::Policy* response) override;
  grpc::Status ReactivatePolicy(grpc::ServerContext* context,
                                const v1::PolicyLifecycleRequest* request,
                                v1::Policy* response) override;
  grpc::Status GetPolicy(grpc::ServerContext* context, const v1::GetPolicyRequest* request,
                         v1::Policy* response) override;
  grpc::Status ListPolicies(grpc::ServerContext* context, const v1::ListPoliciesRequest* request,
                            v1::ListPoliciesResponse* response) override;

  grpc::Status CreateCalendar(grpc::ServerContext* context,
                              const v1::CreateCalendarRequest* request,
                              v1::Calendar* response) override;
  grpc::Status UpdateCalendar(grpc::ServerContext* context,
                              const v1::UpdateCalendarRequest* request,
                              v1::Calendar* response) override;
  grpc::Status GetCalendar(grpc::ServerContext* context, const v1::GetCalendarRequest* request,
                           v1::Calendar* response) override;
  grpc::Status ListCalendars(grpc::ServerContext* context, const v1::ListCalendarsRequest* request,
                             v1::ListCalendarsResponse* response) override;
  grpc::Status AddClosure(grpc::ServerContext* context, const v1::AddClosureRequest* request,
                          v1::Calendar* response) override;
  grpc::Status RemoveClosure(grpc::ServerContext* context, const v1::RemoveClosureRequest* request,
                             v1::Calendar* response) override;
  grpc::Status ListHolidays(grpc::ServerContext* context, const v1::ListHolidaysRequest* request,
                            v1::ListHolidaysResponse* response) override;
  grpc::Status AddBusinessTime(grpc::ServerContext* context,
                               const v1::AddBusinessTimeRequest* request,
                               v1::AddBusinessTimeResponse* response) override;

 private:
  SlaStore& store_;
  const CallerSigner& signer_;
  Clock& clock_;
  IncidentClient* incidents_;

  // The clocks of `numbers` the caller may read, appended to `out` (staff, providers by
  // group, or the requester view of tickets the incident service lets the caller see).
  absl::Status ReadableClocks(const Caller& caller, const std::vector<std::string>& numbers,
                              google::protobuf::RepeatedPtrField<v1::Clock>* out);
};

}  // namespace tiquete::sla
