// Checking passwords and API tokens against the directory's CredentialService. The gateway
// calls it as the system caller "gateway"; verified API tokens are cached briefly so a busy
// integration does not cost a directory call (and a last-use write) per request.
#pragma once

#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/ttl_cache.h"
#include "gateway/backend.h"
#include "tiquete/directory/v1/credentials.pb.h"

namespace tiquete::gateway {

using directory::v1::VerifiedPerson;

class Credentials {
 public:
  virtual ~Credentials() = default;
  // UNAUTHENTICATED when the email/password pair does not match an active person.
  virtual void VerifyPassword(const std::string& email, const std::string& password,
                              const std::string& request_id,
                              std::function<void(absl::StatusOr<VerifiedPerson>)> done) = 0;
  // UNAUTHENTICATED for an unknown, expired or revoked token.
  virtual void VerifyApiToken(const std::string& secret, const std::string& request_id,
                              std::function<void(absl::StatusOr<VerifiedPerson>)> done) = 0;
};

// The directory's CredentialService through a Backend (the directory's).
class DirectoryCredentials final : public Credentials {
 public:
  explicit DirectoryCredentials(Backend* directory) : directory_(directory) {}
  void VerifyPassword(const std::string& email, const std::string& password,
                      const std::string& request_id,
                      std::function<void(absl::StatusOr<VerifiedPerson>)> done) override;
  void VerifyApiToken(const std::string& secret, const std::string& request_id,
                      std::function<void(absl::StatusOr<VerifiedPerson>)> done) override;

 private:
  Backend* directory_;
};

// Remembers successful token verifications for `ttl` (revocation takes effect within it);
// failures are never cached.
class CachedTokenCredentials final : public Credentials {
 public:
  CachedTokenCredentials(Credentials* inner, const Clock* clock, absl::Duration ttl,
                         size_t max_entries = 10000)
      : inner_(inner), verified_(clock, ttl, max_entries) {}
  void VerifyPassword(const std::string& email, const std::string& password,
                      const std::string& request_id,
                      std::function<void(absl::StatusOr<VerifiedPerson>)> done) override {
    inner_->VerifyPassword(email, password, request_id, std::move(done));
  }
  void VerifyApiToken(const std::string& secret, const std::string& request_id,
                      std::function<void(absl::StatusOr<VerifiedPerson>)> done) override;

 private:
  Credentials* inner_;
  TtlCache<VerifiedPerson> verified_;  // by SHA-256 of the token
};

// The Caller the gateway signs for a verified person.
Caller CallerFor(const VerifiedPerson& person);

}  // namespace tiquete::gateway
