// Test doubles for the gateway's seams: a backend that answers from a script, credentials
// from a table, and a helper that runs one request through a Gateway.
#pragma once

#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/errors.h"
#include "gateway/backend.h"
#include "gateway/credentials.h"
#include "gateway/gateway.h"
#include "tiquete/api/v1/annotations.pb.h"

namespace tiquete::gateway::testing {

// Records every call; answers with `respond` (default: OK with an empty response).
class FakeBackend final : public Backend {
 public:
  struct Recorded {
    BackendCall call;
    std::string request_type;
    std::string request_bytes;
  };
  using Responder = std::function<grpc::Status(const BackendCall&, const google::protobuf::Message&,
                                               google::protobuf::Message*)>;

  void Call(const BackendCall& call, const google::protobuf::Message& request,
            google::protobuf::Message* response, std::function<void(grpc::Status)> done) override {
    grpc::Status status;
    {
      std::lock_guard lock(mu_);
      calls_.push_back({call, request.GetDescriptor()->full_name(), request.SerializeAsString()});
    }
    status = respond ? respond(call, request, response) : grpc::Status::OK;
    done(status);
  }
  void CheckHealth(std::function<void(grpc::Status)> done) override { done(health); }

  std::vector<Recorded> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

  Responder respond;
  grpc::Status health = grpc::Status::OK;

 private:
  std::mutex mu_;
  std::vector<Recorded> calls_;
};

// A gRPC error as a service returns it: code, message and the ErrorDetail.
inline grpc::Status ServiceError(grpc::StatusCode code, const std::string& reason,
                                 const std::string& message, const std::string& field = "") {
  api::v1::ErrorDetail d;
  d.set_reason(reason);
  d.set_field(field);
  return grpc::Status(code, message, d.SerializeAsString());
}

// Accounts by email with one password each, and tokens by secret.
class FakeCredentials final : public Credentials {
 public:
  void AddAccount(const std::string& email, const std::string& password,
                  const VerifiedPerson& person) {
    accounts_[email] = {password, person};
  }
  void AddToken(const std::string& secret, const VerifiedPerson& person) {
    tokens_[secret] = person;
  }
  void VerifyPassword(const std::string& email, const std::string& password, const std::string&,
                      std::function<void(absl::StatusOr<VerifiedPerson>)> done) override {
    ++password_checks;
    auto it = accounts_.find(email);
    if (it == accounts_.end() || it->second.first != password) {
      return done(Error(absl::StatusCode::kUnauthenticated, "INVALID_CREDENTIALS", "wrong"));
    }
    done(it->second.second);
  }
  void VerifyApiToken(const std::string& secret, const std::string&,
                      std::function<void(absl::StatusOr<VerifiedPerson>)> done) override {
    ++token_checks;
    auto it = tokens_.find(secret);
    if (it == tokens_.end()) {
      return done(Error(absl::StatusCode::kUnauthenticated, "INVALID_API_TOKEN", "unknown"));
    }
    done(it->second);
  }
  int password_checks = 0;
  int token_checks = 0;

 private:
  std::map<std::string, std::pair<std::string, VerifiedPerson>> accounts_;
  std::map<std::string, VerifiedPerson> tokens_;
};

inline VerifiedPerson PersonWith(const std::string& id, const std::string& role,
                                 const std::string& email = "") {
  VerifiedPerson p;
  p.set_person_id(id);
  p.set_email(email.empty() ? id + "@sedtolima.gov.co" : email);
  p.set_display_name("Persona " + id);
  p.add_roles(role);
  return p;
}

// Runs one request and waits for the response.
inline HttpResponse Run(Gateway& gateway, HttpRequest request) {
  std::promise<HttpResponse> promise;
  auto future = promise.get_future();
  if (request.remote_address.empty()) request.remote_address = "10.0.0.7";
  gateway.Handle(std::move(request),
                 [&promise](HttpResponse r) { promise.set_value(std::move(r)); });
  return future.get();
}

inline HttpRequest Req(const std::string& method, const std::string& target,
                       const std::string& body = "",
                       std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpRequest r;
  r.method = method;
  r.target = target;
  r.body = body;
  r.headers = std::move(headers);
  if (!body.empty()) r.headers.emplace_back("content-type", "application/json");
  return r;
}

}  // namespace tiquete::gateway::testing
