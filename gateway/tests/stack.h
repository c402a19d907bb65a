// A real gateway (Beast server, Redis sessions and counters, gRPC backends) in front of the
// real directory (DirectoryService + CredentialService on PostgreSQL) and, when it is built,
// the incident service; everything on port 0 for the gateway's integration tests.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <memory>
#include <optional>
#include <string>

#include "common/caller.h"
#include "common/pg.h"
#include "common/server.h"
#include "common/testing/test_db.h"
#include "common/testing/test_redis.h"
#include "gateway/backend.h"
#include "gateway/credentials.h"
#include "gateway/gateway.h"
#include "gateway/http_server.h"
#include "gateway/redis_client.h"
#include "gateway/redis_stores.h"
#include "gateway/tests/http_client.h"

namespace tiquete::directory {
class DirectoryStore;
class CredentialsStore;
class DirectoryServiceImpl;
class CredentialServiceImpl;
}  // namespace tiquete::directory

namespace tiquete::gateway::testing {

google::protobuf::Struct Json(const std::string& body);
// A top-level string field of a JSON object ("" when absent).
std::string Field(const std::string& body, const std::string& key);

// A JSON error with this status and code, whose request_id matches X-Request-Id.
void CheckError(const std::optional<RawResponse>& r, int status, const std::string& code);

// A signed-in browser: the session cookie and the CSRF token.
struct Browser {
  std::string cookie;
  std::string csrf;
  std::string Headers(bool write) const {
    std::string h = "Cookie: " + cookie + "\r\n";
    if (write) h += "X-CSRF-Token: " + csrf + "\r\n";
    return h;
  }
};

class Stack {
 public:
  // with_incident: also run the incident service (only where incident_lib is linked).
  explicit Stack(GatewayOptions options = {}, bool with_incident = false);
  ~Stack();

  // A person with a password, created below the API (the gateway cannot bootstrap an admin).
  std::string AddAccount(const std::string& email, const std::string& role,
                         const std::string& password);
  std::optional<RawResponse> Http(const std::string& raw);
  std::optional<RawResponse> Login(const std::string& email, const std::string& password);
  Browser SignIn(const std::string& email, const std::string& password);
  ::tiquete::testing::TestRedis& redis() { return redis_; }

 private:
  struct Incident;  // the incident service's parts, when running
  ::tiquete::testing::TestDatabase db_;
  ::tiquete::testing::TestRedis redis_;
  CallerSigner signer_;
  RedisClient redis_client_;
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<directory::DirectoryStore> store_;
  std::unique_ptr<directory::CredentialsStore> credentials_store_;
  std::unique_ptr<directory::DirectoryServiceImpl> directory_;
  std::unique_ptr<directory::CredentialServiceImpl> credential_service_;
  std::unique_ptr<ServiceRunner> runner_;
  std::unique_ptr<Incident> incident_;
  std::unique_ptr<RouteTable> routes_;
  std::unique_ptr<GrpcBackend> backend_;
  std::unique_ptr<GrpcBackend> incident_backend_;
  std::unique_ptr<DirectoryCredentials> verifier_;
  std::unique_ptr<RedisSessionStore> sessions_;
  std::unique_ptr<RedisCounterStore> counters_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> http_;
  std::string org_unit_id_;
};

}  // namespace tiquete::gateway::testing
