// Integration fixture: a private PostgreSQL database with the incident schema migrated, a fake
// directory, a fake clock, and the real IncidentService on a real gRPC server on port 0.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "common/caller.h"
#include "common/clock.h"
#include "common/errors.h"
#include "common/metrics.h"
#include "common/server.h"
#include "common/testing/test_db.h"
#include "services/incident/directory_client.h"
#include "services/incident/incident_management.h"
#include "services/incident/service.h"
#include "services/incident/store.h"
#include "tiquete/incident/v1/incident.grpc.pb.h"

namespace tiquete::incident::testing {

namespace dir = tiquete::directory::v1;

// The directory as a table in memory; `down` makes every call UNAVAILABLE.
class FakeDirectory final : public DirectoryClient {
 public:
  void AddPerson(const std::string& id, std::vector<std::string> roles,
                 std::vector<std::string> groups, bool active = true);
  void AddGroup(const std::string& id, const std::string& code, const std::string& level,
                bool active = true);
  void AddCategory(const std::string& id, const std::string& path, const std::string& default_group,
                   bool security = false);
  void AddService(const std::string& id, bool active = true);
  void AddCi(const std::string& id, bool active = true);
  void SetDown(bool down);

  absl::StatusOr<dir::Person> GetPerson(const std::string& id) override;
  absl::StatusOr<dir::Group> GetGroup(const std::string& id) override;
  absl::StatusOr<dir::Category> GetCategory(const std::string& id) override;
  absl::StatusOr<dir::ItService> GetItService(const std::string& id) override;
  absl::StatusOr<dir::ConfigurationItem> GetConfigurationItem(const std::string& id) override;

 private:
  template <typename T>
  absl::StatusOr<T> Find(const std::map<std::string, T>& table, const std::string& what,
                         const std::string& id);
  std::mutex mu_;
  bool down_ = false;
  std::map<std::string, dir::Person> people_;
  std::map<std::string, dir::Group> groups_;
  std::map<std::string, dir::Category> categories_;
  std::map<std::string, dir::ItService> services_;
  std::map<std::string, dir::ConfigurationItem> cis_;
};

// Well-known ids of the seeded directory.
inline constexpr char kAna[] = "a0000000-0000-4000-8000-000000000001";         // requester
inline constexpr char kBeto[] = "a0000000-0000-4000-8000-000000000002";        // requester
inline constexpr char kAgent[] = "a0000000-0000-4000-8000-000000000010";       // agent_l1, L1
inline constexpr char kAgent2[] = "a0000000-0000-4000-8000-000000000011";      // agent_l1, L1
inline constexpr char kSpecialist[] = "a0000000-0000-4000-8000-000000000020";  // L2
inline constexpr char kVendor[] = "a0000000-0000-4000-8000-000000000030";      // provider, L3
inline constexpr char kCoordinator[] = "a0000000-0000-4000-8000-000000000040";
inline constexpr char kSecurity[] = "a0000000-0000-4000-8000-000000000050";
inline constexpr char kGone[] = "a0000000-0000-4000-8000-000000000099";         // inactive, in L1
inline constexpr char kDesk[] = "b0000000-0000-4000-8000-000000000001";         // group L1
inline constexpr char kSpecialists[] = "b0000000-0000-4000-8000-000000000002";  // group L2
inline constexpr char kVendorGroup[] = "b0000000-0000-4000-8000-000000000003";  // group L3
inline constexpr char kClosedGroup[] = "b0000000-0000-4000-8000-000000000009";  // inactive
inline constexpr char kPrinters[] = "c0000000-0000-4000-8000-000000000001";     // → desk
inline constexpr char kPhishing[] = "c0000000-0000-4000-8000-000000000002";     // security
inline constexpr char kOther[] = "c0000000-0000-4000-8000-000000000003";        // no group
inline constexpr char kSimat[] = "d0000000-0000-4000-8000-000000000001";        // IT service
inline constexpr char kServer[] = "e0000000-0000-4000-8000-000000000001";       // CI

Caller CallerFor(const std::string& person_id);  // roles and groups as seeded

class IncidentFixture {
 public:
  explicit IncidentFixture(IncidentOptions options = {});
  ~IncidentFixture();

  // A unary call through the real server, signed as `who`.
  template <typename Request, typename Response>
  grpc::Status Call(const Caller& who,
                    grpc::Status (v1::IncidentService::Stub::*method)(grpc::ClientContext*,
                                                                      const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    signer.Attach(&context, who);
    return (stub_.get()->*method)(&context, request, response);
  }

  // Shortcuts that REQUIRE success.
  v1::Incident Create(const std::string& who, const std::string& title,
                      const std::string& category = kPrinters, const std::string& key = "");
  v1::Incident Get(const std::string& who, const std::string& number);

  // SELECT count(*) helpers through the service's own role.
  long Count(const std::string& sql);
  std::map<std::string, long> OutboxCounts();

  std::unique_ptr<v1::IncidentService::Stub> NewStub() const;
  // For calls on a fresh stub from several threads at once: the call waits (up to 30 s) for
  // its channel to connect instead of failing fast. On a loaded machine a new channel's first
  // connection attempt can fail ("failed to connect to all addresses"), which is the network,
  // not the behaviour under test.
  static void WaitForReady(grpc::ClientContext* context);

  FakeClock clock{absl::FromUnixSeconds(1772463600)};  // 2026-03-02 15:00 UTC
  FakeDirectory directory;
  tiquete::testing::TestDatabase db{{"incident"}};
  std::unique_ptr<PgPool> pool;
  CallerSigner signer;

 private:
  Metrics metrics_{"incident_test"};
  std::unique_ptr<IncidentStore> store_;
  std::unique_ptr<IncidentManagement> management_;
  std::unique_ptr<IncidentServiceImpl> service_;
  std::unique_ptr<ServiceRunner> runner_;
  std::unique_ptr<v1::IncidentService::Stub> stub_;
};

// The machine-readable reason carried by a failed call.
std::string Reason(const grpc::Status& status);

}  // namespace tiquete::incident::testing
