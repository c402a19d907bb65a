// Integration-test harness: a private database (directory and incident schemas, provisioned
// like deploy does), the directory migrations, and DirectoryService on a real gRPC server
// bound to port 0.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/pg.h"
#include "common/server.h"
#include "common/testing/test_db.h"
#include "services/directory/service.h"
#include "services/directory/store.h"
#include "tiquete/directory/v1/directory.grpc.pb.h"

namespace tiquete::directory::testing {

using Stub = v1::DirectoryService::Stub;

class DirectoryHarness {
 public:
  DirectoryHarness();
  ~DirectoryHarness();

  // One RPC over the channel with a deadline.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return (stub_.get()->*rpc)(&context, request, response);
  }

  // Shortcuts that create a valid resource and REQUIRE success.
  v1::OrgUnit AddOrgUnit(const std::string& code, const std::string& name,
                         const std::string& kind = "office", const std::string& parent_id = "",
                         const std::string& dane_code = "", const std::string& municipality = "");
  v1::Person AddPerson(const std::string& email, const std::string& given,
                       const std::string& family, const std::string& org_unit_id);
  v1::Group AddGroup(const std::string& code, const std::string& name);
  v1::Category AddCategory(const std::string& name, const std::string& parent_id = "");
  v1::ConfigurationItem AddCi(const std::string& code, const std::string& name);

  // A single number from SQL run as the directory role (tests only; the service never does).
  int64_t Count(const std::string& sql);

  ::tiquete::testing::TestDatabase& db() { return db_; }
  PgPool& pool() { return *pool_; }
  DirectoryStore& store() { return *store_; }

 private:
  ::tiquete::testing::TestDatabase db_;
  FakeClock clock_;
  Metrics metrics_{"directory_test"};
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<DirectoryStore> store_;
  std::unique_ptr<DirectoryServiceImpl> service_;
  std::unique_ptr<ServiceRunner> runner_;
  std::unique_ptr<Stub> stub_;
};

// The reason and field carried by a failed call's error details.
std::string ReasonOf(const grpc::Status& status);
std::string FieldOf(const grpc::Status& status);

}  // namespace tiquete::directory::testing
