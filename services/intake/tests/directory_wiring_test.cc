// The directory adapter against the real directory service (its library served on port 0).
#include <catch2/catch.hpp>

#include "common/migrations.h"
#include "common/server.h"
#include "common/testing/test_redis.h"
#include "fakes.h"
#include "services/directory/service.h"
#include "services/directory/store.h"
#include "services/intake/clients.h"

using namespace tiquete::intake;
using namespace tiquete::intake::testing;
namespace dir = tiquete::directory::v1;

namespace {

struct DirectoryServer {
  tiquete::testing::TestDatabase db{{"directory"}};
  tiquete::FakeClock clock;
  tiquete::Metrics metrics{"directory-wiring-test"};
  std::unique_ptr<tiquete::PgPool> pool;
  std::unique_ptr<tiquete::directory::DirectoryStore> store;
  std::unique_ptr<tiquete::directory::DirectoryServiceImpl> service;
  std::unique_ptr<tiquete::ServiceRunner> runner;
  std::shared_ptr<grpc::Channel> channel;

  DirectoryServer() {
    auto conn = tiquete::ConnectPg(db.UrlFor("directory"), "directory");
    REQUIRE(tiquete::ApplyMigrations(*conn, "directory",
                                     {{"common", &tiquete::CommonMigrations()},
                                      {"directory", &tiquete::directory::Migrations()}})
                .ok());
    pool = db.PoolFor("directory");
    store = std::make_unique<tiquete::directory::DirectoryStore>(*pool, clock);
    service = std::make_unique<tiquete::directory::DirectoryServiceImpl>(*store);
    runner = std::make_unique<tiquete::ServiceRunner>(
        tiquete::ServerOptions{"tiquete.directory.v1.DirectoryService", "127.0.0.1:0"}, &metrics);
    runner->AddService(service.get());
    REQUIRE(runner->Start().ok());
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(runner->port()),
                                  grpc::InsecureChannelCredentials());
  }
  ~DirectoryServer() { runner->Shutdown(); }

  dir::Category AddCategory(const std::string& name, const std::string& parent_id, bool security) {
    auto stub = dir::DirectoryService::NewStub(channel);
    dir::CreateCategoryRequest request;
    request.mutable_category()->set_name(name);
    request.mutable_category()->set_parent_id(parent_id);
    request.mutable_category()->set_security(security);
    grpc::ClientContext ctx;
    dir::Category out;
    grpc::Status status = stub->CreateCategory(&ctx, request, &out);
    INFO(status.error_message());
    REQUIRE(status.ok());
    return out;
  }
};

}  // namespace

TEST_CASE("the directory adapter reads a category's path and security flag", "[wiring]") {
  DirectoryServer server;
  const auto root = server.AddCategory("Seguridad", "", false);
  const auto leaf = server.AddCategory("Correo sospechoso", root.id(), true);
  tiquete::CallerSigner signer(std::string(32, 'k'), &server.clock);
  DirectoryClient client(server.channel, signer);

  auto category = client.GetCategory(Requester(kAna), leaf.id());
  REQUIRE(category.ok());
  CHECK(category->id == leaf.id());
  CHECK(category->full_path == "Seguridad > Correo sospechoso");
  CHECK(category->security);
  CHECK(category->active);
  auto plain = client.GetCategory(Requester(kAna), root.id());
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->security);

  auto missing = client.GetCategory(Requester(kAna), "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c");
  CHECK(missing.status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("the adapters report an unreachable service as UNAVAILABLE", "[wiring]") {
  tiquete::CallerSigner signer(std::string(32, 'k'));
  auto nowhere = grpc::CreateChannel("127.0.0.1:" + std::to_string(tiquete::testing::FreeTcpPort()),
                                     grpc::InsecureChannelCredentials());
  DirectoryClient directory(nowhere, signer, absl::Seconds(2));
  CHECK(directory.GetCategory(Requester(kAna), "x").status().code() ==
        absl::StatusCode::kUnavailable);
  IncidentClient incidents(nowhere, signer, absl::Seconds(2));
  NewIncident incident;
  incident.idempotency_key = "k";
  CHECK(incidents.CreateIncident(Requester(kAna), incident).status().code() ==
        absl::StatusCode::kUnavailable);
}
