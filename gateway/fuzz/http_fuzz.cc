// libFuzzer target: raw HTTP request bytes → Beast's parser → the gateway's whole pipeline
// (route match, authentication, role check, query and JSON to proto, error model) with an
// in-process backend. Invariants: no crash or sanitizer report, never a 5xx, and every
// response body is valid UTF-8 JSON.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <iostream>

#include "common/log.h"
#include "gateway/gateway.h"
#include "gateway/json_text.h"

namespace {

using namespace tiquete;           // NOLINT
using namespace tiquete::gateway;  // NOLINT
namespace http = boost::beast::http;

// Answers every call with an empty response of the right type.
class EchoBackend final : public Backend {
 public:
  void Call(const BackendCall&, const google::protobuf::Message& request,
            google::protobuf::Message*, std::function<void(grpc::Status)> done) override {
    // The request must serialize: a message the transcoder built must be a valid proto.
    std::string bytes;
    if (!request.SerializeToString(&bytes)) std::abort();
    done(grpc::Status::OK);
  }
  void CheckHealth(std::function<void(grpc::Status)> done) override { done(grpc::Status::OK); }
};

// Any bearer token starting with "fuzz" is an admin with every role.
class FuzzCredentials final : public Credentials {
 public:
  void VerifyPassword(const std::string& email, const std::string&, const std::string&,
                      std::function<void(absl::StatusOr<VerifiedPerson>)> done) override {
    if (email == "ana@x.co") return done(Person());
    done(absl::UnauthenticatedError("wrong"));
  }
  void VerifyApiToken(const std::string& secret, const std::string&,
                      std::function<void(absl::StatusOr<VerifiedPerson>)> done) override {
    if (secret.rfind("fuzz", 0) == 0) return done(Person());
    done(absl::UnauthenticatedError("unknown"));
  }

 private:
  static VerifiedPerson Person() {
    VerifiedPerson p;
    p.set_person_id("p-fuzz");
    for (const char* r : {"requester", "agent_l1", "specialist_l2", "provider", "coordinator",
                          "incident_manager", "problem_manager", "request_manager",
                          "security_officer", "admin", "reporting_viewer", "integration"}) {
      p.add_roles(r);
    }
    return p;
  }
};

struct World {
  World() {
    log::Init("gateway-fuzz", log::Severity::kError);
    auto t = RouteTable::FromGeneratedPool();
    if (!t.ok()) {
      std::cerr << t.status() << "\n";
      std::abort();
    }
    routes = std::make_unique<RouteTable>(*std::move(t));
    GatewayDeps deps;
    deps.routes = routes.get();
    for (const auto& s : routes->BackendServices()) deps.backends[s] = &backend;
    deps.sessions = &sessions;
    deps.counters = &counters;
    deps.credentials = &credentials;
    deps.clock = &clock;
    GatewayOptions options;
    options.rate_limit_per_address = 0;
    options.rate_limit_per_principal = 0;
    gateway = std::make_unique<Gateway>(options, deps);
  }
  FakeClock clock;
  InMemorySessionStore sessions{&clock, SessionLimits{}};
  InMemoryCounterStore counters{&clock};
  FuzzCredentials credentials;
  EchoBackend backend;
  std::unique_ptr<RouteTable> routes;
  std::unique_ptr<Gateway> gateway;
};

void CheckResponse(const HttpResponse& r) {
  if (r.status >= 500) {
    std::cerr << "5xx answer: " << r.status << " " << r.body << "\n";
    std::abort();
  }
  const std::string type(r.Header("Content-Type"));
  if (type.rfind("application/json", 0) == 0) {
    if (SanitizeUtf8(r.body) != r.body) std::abort();
    google::protobuf::Value v;
    if (!google::protobuf::util::JsonStringToMessage(r.body, &v).ok()) {
      std::cerr << "invalid JSON body: " << r.body << "\n";
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) {
    // What the server answers for an unparseable request.
    HttpRequest partial;
    CheckResponse(world->gateway->Reject(partial, HttpError(400, grpc::StatusCode::INVALID_ARGUMENT,
                                                            "MALFORMED_REQUEST", ec.message())));
    return 0;
  }
  auto& req = parser.get();
  HttpRequest request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(req.body());
  request.remote_address = "10.0.0.1";
  bool done = false;
  world->gateway->Handle(std::move(request), [&done](HttpResponse r) {
    CheckResponse(r);
    done = true;
  });
  // Every fake answers synchronously, so the response must already be there.
  if (!done) std::abort();
  return 0;
}
