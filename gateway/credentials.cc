#include "gateway/credentials.h"

#include "common/errors.h"
#include "gateway/sessions.h"

namespace tiquete::gateway {
namespace {

constexpr char kVerifyPassword[] = "/tiquete.directory.v1.CredentialService/VerifyPassword";
constexpr char kVerifyApiToken[] = "/tiquete.directory.v1.CredentialService/VerifyApiToken";

template <typename Request>
void CallVerify(Backend* backend, const char* path, std::shared_ptr<Request> request,
                const std::string& request_id,
                std::function<void(absl::StatusOr<VerifiedPerson>)> done) {
  auto response = std::make_shared<VerifiedPerson>();
  BackendCall call;
  call.grpc_path = path;
  call.request_id = request_id;
  call.caller.set_system("gateway");
  backend->Call(call, *request, response.get(),
                [request, response, done = std::move(done)](grpc::Status status) {
                  if (!status.ok()) return done(tiquete::FromGrpcStatus(status));
                  done(std::move(*response));
                });
}

}  // namespace

Caller CallerFor(const VerifiedPerson& person) {
  Caller c;
  c.set_person_id(person.person_id());
  c.mutable_roles()->CopyFrom(person.roles());
  c.mutable_group_ids()->CopyFrom(person.group_ids());
  c.set_display_name(person.display_name());
  return c;
}

void DirectoryCredentials::VerifyPassword(
    const std::string& email, const std::string& password, const std::string& request_id,
    std::function<void(absl::StatusOr<VerifiedPerson>)> done) {
  auto request = std::make_shared<directory::v1::VerifyPasswordRequest>();
  request->set_email(email);
  request->set_password(password);
  CallVerify(directory_, kVerifyPassword, request, request_id, std::move(done));
}

void DirectoryCredentials::VerifyApiToken(
    const std::string& secret, const std::string& request_id,
    std::function<void(absl::StatusOr<VerifiedPerson>)> done) {
  auto request = std::make_shared<directory::v1::VerifyApiTokenRequest>();
  request->set_secret(secret);
  CallVerify(directory_, kVerifyApiToken, request, request_id, std::move(done));
}

void CachedTokenCredentials::VerifyApiToken(
    const std::string& secret, const std::string& request_id,
    std::function<void(absl::StatusOr<VerifiedPerson>)> done) {
  const std::string key = Sha256Hex(secret);
  if (auto hit = verified_.Get(key)) {
    done(*std::move(hit));
    return;
  }
  inner_->VerifyApiToken(
      secret, request_id,
      [this, key, done = std::move(done)](absl::StatusOr<VerifiedPerson> person) {
        if (person.ok()) verified_.Put(key, *person);
        done(std::move(person));
      });
}

}  // namespace tiquete::gateway
