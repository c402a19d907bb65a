// Test doubles for the services intake calls, and a harness running intake's real gRPC server
// on port 0 over a private database.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "common/caller.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/server.h"
#include "common/testing/test_db.h"
#include "services/intake/desk.h"
#include "services/intake/gateways.h"
#include "services/intake/service.h"
#include "services/intake/store.h"
#include "tiquete/intake/v1/intake.grpc.pb.h"

namespace tiquete::intake::testing {

// An incident service in memory that records every call. Thread-safe.
class FakeIncidents final : public IncidentGateway {
 public:
  struct Incident {
    std::string number;
    NewIncident request;
    api::v1::Caller caller;
    domain::IncidentState state = domain::IncidentState::kNew;
  };
  struct Comment {
    std::string id;
    PublicComment comment;
  };

  absl::StatusOr<std::string> CreateIncident(const api::v1::Caller& caller,
                                             const NewIncident& incident) override;
  absl::StatusOr<domain::IncidentSnapshot> GetIncidentState(const api::v1::Caller& caller,
                                                            const std::string& number) override;
  absl::StatusOr<std::string> AddPublicComment(const api::v1::Caller& caller,
                                               const PublicComment& comment) override;

  void SetDown(bool down);
  // The next n creates succeed but answer UNAVAILABLE, as when the response is lost.
  void LoseCreateResponses(int n);
  void SetCreateDelay(absl::Duration delay);
  // The next n AddPublicComment calls answer UNAVAILABLE without adding anything.
  void FailComments(int n);
  void SetState(const std::string& number, domain::IncidentState state);

  int create_calls() const;
  std::vector<Incident> incidents() const;  // in creation order
  std::vector<Comment> comments() const;

 private:
  mutable std::mutex mu_;
  bool down_ = false;
  int lose_create_responses_ = 0;
  int fail_comments_ = 0;
  absl::Duration create_delay_ = absl::ZeroDuration();
  int create_calls_ = 0;
  std::vector<Incident> incidents_;
  std::map<std::string, std::string> create_keys_;   // idempotency key → number
  std::map<std::string, std::string> comment_keys_;  // idempotency key → comment id
  std::vector<Comment> comments_;
};

class FakeDirectory final : public DirectoryGateway {
 public:
  absl::StatusOr<CategoryInfo> GetCategory(const api::v1::Caller& caller,
                                           const std::string& category_id) override;
  void AddCategory(CategoryInfo category);
  void SetDown(bool down);

 private:
  std::mutex mu_;
  bool down_ = false;
  std::map<std::string, CategoryInfo> categories_;
};

inline constexpr char kAna[] = "0b7a4c2e-1d3f-4e5a-9b6c-7d8e9f0a1b2c";
inline constexpr char kLuis[] = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f";
inline constexpr char kAgent[] = "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b";
inline constexpr char kAdmin[] = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
inline constexpr char kOfficer[] = "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a";

api::v1::Caller Requester(const std::string& person_id);
api::v1::Caller Agent();
api::v1::Caller Admin();
api::v1::Caller SecurityOfficer();
api::v1::Caller MailGateway();

v1::SubmitTicketRequest Ticket(const std::string& key, const std::string& requester,
                               v1::Channel channel, const std::string& subject,
                               const std::string& body);

// intake's real gRPC service over a private database, with fake neighbours and a fake clock.
class IntakeHarness {
 public:
  explicit IntakeHarness(DeskOptions options = {});
  ~IntakeHarness();

  grpc::Status Submit(const api::v1::Caller& caller, const v1::SubmitTicketRequest& request,
                      v1::SubmitTicketResponse* response);
  grpc::Status Split(const api::v1::Caller& caller, const std::string& message_id,
                     const std::string& key, v1::SplitDuplicateResponse* response);
  grpc::Status Get(const api::v1::Caller& caller, const std::string& message_id,
                   v1::Message* response);
  grpc::Status List(const api::v1::Caller& caller, const v1::ListMessagesRequest& request,
                    v1::ListMessagesResponse* response);
  // Prepares a client context carrying the signed caller.
  std::unique_ptr<grpc::ClientContext> Context(const api::v1::Caller& caller);
  // Event types in this schema's outbox, in order.
  std::vector<std::string> EventTypes();

  tiquete::testing::TestDatabase db{{"intake"}};
  std::unique_ptr<PgPool> pool;
  FakeClock clock;
  FakeIncidents incidents;
  FakeDirectory directory;
  CallerSigner signer;
  std::unique_ptr<IntakeStore> store;
  std::unique_ptr<IntakeDesk> desk;
  std::unique_ptr<v1::IntakeService::Stub> stub;

 private:
  std::unique_ptr<IntakeServiceImpl> service_;
  Metrics metrics_{"intake-test"};
  std::unique_ptr<ServiceRunner> runner_;
};

std::string ReasonOf(const grpc::Status& status);
std::string FieldOf(const grpc::Status& status);

}  // namespace tiquete::intake::testing
