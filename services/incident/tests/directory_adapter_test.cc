// The real gRPC DirectoryClient against a directory server stand-in speaking the directory's
// proto over a real socket: mapping of answers and errors, deadline, signed caller.
#include <grpcpp/grpcpp.h>
#include <catch2/catch.hpp>

#include "common/caller.h"
#include "common/errors.h"
#include "services/incident/grpc_directory_client.h"
#include "tiquete/directory/v1/directory.grpc.pb.h"

using namespace tiquete;            // NOLINT: test
using namespace tiquete::incident;  // NOLINT: test
namespace dir = tiquete::directory::v1;

namespace {

constexpr char kPersonId[] = "a0000000-0000-4000-8000-000000000001";

// Answers Get* for one known id per resource and refuses unsigned callers, like the directory.
class DirectoryStandIn final : public dir::DirectoryService::Service {
 public:
  explicit DirectoryStandIn(const CallerSigner& signer) : signer_(signer) {}
  std::string last_system;

  grpc::Status GetPerson(grpc::ServerContext* c, const dir::GetRequest* r,
                         dir::Person* out) override {
    return Answer(c, r, [&] {
      out->set_id(r->id());
      out->set_active(true);
      out->add_roles("agent_l1");
      out->add_groups()->set_id("b0000000-0000-4000-8000-000000000001");
    });
  }
  grpc::Status GetGroup(grpc::ServerContext* c, const dir::GetRequest* r,
                        dir::Group* out) override {
    return Answer(c, r, [&] {
      out->set_id(r->id());
      out->set_level("L2");
      out->set_active(true);
    });
  }
  grpc::Status GetCategory(grpc::ServerContext* c, const dir::GetRequest* r,
                           dir::Category* out) override {
    return Answer(c, r, [&] {
      out->set_id(r->id());
      out->set_security(true);
      out->set_default_group_id("b0000000-0000-4000-8000-000000000001");
    });
  }
  grpc::Status GetItService(grpc::ServerContext* c, const dir::GetRequest* r,
                            dir::ItService* out) override {
    return Answer(c, r, [&] { out->set_id(r->id()); });
  }
  grpc::Status GetConfigurationItem(grpc::ServerContext* c, const dir::GetRequest* r,
                                    dir::ConfigurationItem* out) override {
    return Answer(c, r, [&] { out->set_id(r->id()); });
  }

 private:
  template <typename Fill>
  grpc::Status Answer(grpc::ServerContext* c, const dir::GetRequest* r, Fill fill) {
    auto caller = signer_.Verify(*c);
    if (!caller.ok()) return ToGrpcStatus(caller.status());
    last_system = caller->system();
    if (r->id() != kPersonId) return ToGrpcStatus(NotFound("resource", r->id()));
    fill();
    return grpc::Status::OK;
  }
  const CallerSigner& signer_;
};

}  // namespace

TEST_CASE("the gRPC directory client maps answers, unknown ids and an unreachable directory",
          "[incident][directory]") {
  CallerSigner signer(std::string(32, 's'));
  DirectoryStandIn stand_in(signer);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&stand_in);
  auto server = builder.BuildAndStart();
  REQUIRE(server);

  GrpcDirectoryClient client(GrpcDirectoryClient::Connect("127.0.0.1:" + std::to_string(port)),
                             &signer);
  auto person = client.GetPerson(kPersonId);
  REQUIRE(person.ok());
  CHECK(person->active());
  CHECK(person->groups(0).id() == "b0000000-0000-4000-8000-000000000001");
  CHECK(stand_in.last_system == "incident");
  auto group = client.GetGroup(kPersonId);
  REQUIRE(group.ok());
  CHECK(group->level() == "L2");
  auto category = client.GetCategory(kPersonId);
  REQUIRE(category.ok());
  CHECK(category->security());
  CHECK(client.GetItService(kPersonId).ok());
  CHECK(client.GetConfigurationItem(kPersonId).ok());

  auto unknown = client.GetGroup("b0000000-0000-4000-8000-00000000dead");
  CHECK(unknown.status().code() == absl::StatusCode::kNotFound);

  // Signed with another key: the directory refuses, and the client reports it as such.
  CallerSigner stranger(std::string(32, 'x'));
  GrpcDirectoryClient impostor(GrpcDirectoryClient::Connect("127.0.0.1:" + std::to_string(port)),
                               &stranger);
  CHECK(impostor.GetPerson(kPersonId).status().code() == absl::StatusCode::kUnauthenticated);

  server->Shutdown();
  GrpcDirectoryClient gone(GrpcDirectoryClient::Connect("127.0.0.1:" + std::to_string(port)),
                           &signer, absl::Milliseconds(300));
  const absl::Time start = absl::Now();
  CHECK(gone.GetPerson(kPersonId).status().code() == absl::StatusCode::kUnavailable);
  CHECK(absl::Now() - start < absl::Seconds(5));
}
