// The real gRPC adapter against an in-process IncidentService that checks what the incident
// service checks: a signed caller, the version, the request fields.
#include <mutex>

#include <grpcpp/grpcpp.h>
#include <catch2/catch.hpp>

#include "common/caller.h"
#include "common/errors.h"
#include "services/sla/grpc_incident_client.h"

using namespace tiquete::sla;
namespace inc = tiquete::incident::v1;

namespace {

const std::string kKey(32, 'k');

class RecordingIncidentService final : public inc::IncidentService::Service {
 public:
  explicit RecordingIncidentService(const tiquete::CallerSigner& signer) : signer_(signer) {
    incident_.set_number("INC-2026-000200");
    incident_.set_state(inc::ASSIGNED);
    incident_.set_priority(inc::P3);
    incident_.set_level(inc::L1);
    incident_.set_assignment_group_id("g-mesa");
    incident_.set_version(7);
  }

  grpc::Status GetIncident(grpc::ServerContext* context, const inc::GetIncidentRequest* request,
                           inc::Incident* response) override {
    if (auto s = Check(context); !s.ok()) return s;
    if (request->number() != incident_.number()) {
      return tiquete::ToGrpcStatus(tiquete::NotFound("incident", request->number()));
    }
    *response = incident_;
    return grpc::Status::OK;
  }
  grpc::Status EscalateIncident(grpc::ServerContext* context,
                                const inc::EscalateIncidentRequest* request,
                                inc::Incident* response) override {
    if (auto s = Check(context); !s.ok()) return s;
    std::lock_guard lock(mu_);
    if (request->version() != incident_.version()) {
      return tiquete::ToGrpcStatus(
          tiquete::Error(absl::StatusCode::kAborted, "STALE_VERSION", "stale version"));
    }
    last_escalation = *request;
    incident_.set_assignment_group_id(request->group_id());
    incident_.set_level(inc::L2);
    incident_.set_version(incident_.version() + 1);
    *response = incident_;
    return grpc::Status::OK;
  }
  grpc::Status SetPriority(grpc::ServerContext* context, const inc::SetPriorityRequest* request,
                           inc::Incident* response) override {
    if (auto s = Check(context); !s.ok()) return s;
    std::lock_guard lock(mu_);
    last_priority = *request;
    incident_.set_priority(request->priority());
    incident_.set_version(incident_.version() + 1);
    *response = incident_;
    return grpc::Status::OK;
  }

  inc::EscalateIncidentRequest last_escalation;
  inc::SetPriorityRequest last_priority;
  std::string last_key;
  tiquete::Caller last_caller;

 private:
  grpc::Status Check(grpc::ServerContext* context) {
    auto caller = signer_.Verify(*context);
    if (!caller.ok()) return tiquete::ToGrpcStatus(caller.status());
    std::lock_guard lock(mu_);
    last_caller = *caller;
    auto key = context->client_metadata().find("x-idempotency-key");
    last_key = key == context->client_metadata().end()
                   ? ""
                   : std::string(key->second.data(), key->second.size());
    return grpc::Status::OK;
  }

  const tiquete::CallerSigner& signer_;
  std::mutex mu_;
  inc::Incident incident_;
};

struct Server {
  tiquete::CallerSigner signer{kKey};
  RecordingIncidentService service{signer};
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<grpc::Channel> channel;
  Server() {
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
    REQUIRE(server != nullptr);
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                  grpc::InsecureChannelCredentials());
  }
  ~Server() { server->Shutdown(); }
};

}  // namespace

TEST_CASE("the gRPC incident client reads an incident as a signed system caller", "[integration]") {
  Server s;
  GrpcIncidentClient client(s.channel, s.signer);
  auto incident = client.GetIncident("INC-2026-000200");
  REQUIRE(incident.ok());
  CHECK(incident->state == "assigned");
  CHECK(incident->priority == 3);
  CHECK(incident->level == "L1");
  CHECK(incident->group_id == "g-mesa");
  CHECK(incident->version == 7);
  CHECK(s.service.last_caller.system() == "sla");
  CHECK(tiquete::HasRole(s.service.last_caller, "incident_manager"));
  auto missing = client.GetIncident("INC-2026-999999");
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("the gRPC incident client escalates functionally with the version and the key",
          "[integration]") {
  Server s;
  GrpcIncidentClient client(s.channel, s.signer);
  auto stale = client.EscalateToGroup("INC-2026-000200", 6, "g-l2", "SLA breach", "sla-x");
  CHECK(stale.status().code() == absl::StatusCode::kAborted);
  CHECK(tiquete::ErrorReason(stale.status()) == "STALE_VERSION");
  auto escalated = client.EscalateToGroup("INC-2026-000200", 7, "g-l2", "SLA breach", "sla-x");
  REQUIRE(escalated.ok());
  CHECK(escalated->level == "L2");
  CHECK(escalated->version == 8);
  CHECK(s.service.last_escalation.kind() == inc::FUNCTIONAL);
  CHECK(s.service.last_escalation.group_id() == "g-l2");
  CHECK(s.service.last_escalation.reason() == "SLA breach");
  CHECK(s.service.last_key == "sla-x");
  auto raised = client.SetPriority("INC-2026-000200", 8, 2, "SLA breach", "sla-y");
  REQUIRE(raised.ok());
  CHECK(raised->priority == 2);
  CHECK(s.service.last_priority.priority() == inc::P2);
  CHECK(s.service.last_key == "sla-y");
}

TEST_CASE("an unreachable incident service is a retryable error, not a skip", "[integration]") {
  tiquete::CallerSigner signer(kKey);
  auto channel = grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  GrpcIncidentClient client(channel, signer, absl::Milliseconds(300));
  auto result = client.GetIncident("INC-2026-000200");
  CHECK((result.status().code() == absl::StatusCode::kUnavailable ||
         result.status().code() == absl::StatusCode::kDeadlineExceeded));
}
