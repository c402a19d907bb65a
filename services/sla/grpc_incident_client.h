// IncidentClient over gRPC: calls tiquete.incident.v1.IncidentService as the signed system
// caller "sla", with a deadline on every call.
#pragma once

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "common/caller.h"
#include "services/sla/incident_client.h"
#include "tiquete/incident/v1/incident.grpc.pb.h"

namespace tiquete::sla {

class GrpcIncidentClient final : public IncidentClient {
 public:
  GrpcIncidentClient(std::shared_ptr<grpc::Channel> channel, const CallerSigner& signer,
                     absl::Duration deadline = absl::Seconds(5));

  absl::StatusOr<IncidentSnapshot> GetIncident(const std::string& number) override;
  absl::Status CheckVisibleTo(const Caller& caller, const std::string& number) override;
  absl::StatusOr<IncidentSnapshot> EscalateToGroup(const std::string& number, int64_t version,
                                                   const std::string& group_id,
                                                   const std::string& reason,
                                                   const std::string& idempotency_key) override;
  absl::StatusOr<IncidentSnapshot> SetPriority(const std::string& number, int64_t version,
                                               int priority, const std::string& justification,
                                               const std::string& idempotency_key) override;

  // The identity the engine acts as: system "sla" with the incident-manager role, the role
  // that may escalate and re-prioritise any incident.
  static Caller SystemCaller();

 private:
  // Deadline, request id, idempotency key and the caller: the engine itself unless `as` names
  // a person whose visibility is being checked.
  void Prepare(grpc::ClientContext* context, const std::string& idempotency_key,
               const Caller* as = nullptr) const;

  std::unique_ptr<incident::v1::IncidentService::Stub> stub_;
  const CallerSigner& signer_;
  absl::Duration deadline_;
};

}  // namespace tiquete::sla
