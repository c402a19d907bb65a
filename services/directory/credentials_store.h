// Persistence of sign-in credentials (person_passwords, api_tokens): the only code that
// speaks SQL for them. Writes emit directory.credential.* events in the same transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/pg.h"
#include "services/directory/store.h"
#include "tiquete/directory/v1/credentials.pb.h"

namespace tiquete::directory {

// A person as sign-in sees them: who they are, whether they may sign in, and their hash.
struct Account {
  v1::VerifiedPerson person;  // roles never empty; active groups only
  bool active = false;
  std::string password_hash;  // "" when no local password is set
};

class CredentialsStore {
 public:
  CredentialsStore(PgPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // By id or (case-insensitive) email; nullopt when there is no such person.
  absl::StatusOr<std::optional<Account>> FindAccountById(const std::string& person_id);
  absl::StatusOr<std::optional<Account>> FindAccountByEmail(const std::string& email);

  // Stores (or replaces) the person's password hash.
  absl::StatusOr<v1::SetPasswordResponse> SetPasswordHash(const std::string& person_id,
                                                          const std::string& hash,
                                                          const WriteContext& ctx);

  // Stores a new token (its digest, never the secret). A retry with the same idempotency key
  // returns the token created first.
  absl::StatusOr<v1::ApiToken> CreateApiToken(const v1::ApiToken& token,
                                              const std::string& secret_digest,
                                              const WriteContext& ctx);
  // The token with this digest and its owner's account, or nullopt.
  absl::StatusOr<std::optional<std::pair<v1::ApiToken, Account>>> FindApiToken(
      const std::string& secret_digest);
  // Records a use; writes at most once a minute per token to keep busy integrations cheap.
  absl::Status TouchApiToken(const std::string& id);
  absl::StatusOr<v1::ApiToken> GetApiToken(const std::string& id);
  // Revokes once; revoking a revoked token returns it unchanged.
  absl::StatusOr<v1::ApiToken> RevokeApiToken(const std::string& id, const WriteContext& ctx);
  absl::StatusOr<std::vector<v1::ApiToken>> ListApiTokens(const std::string& person_id,
                                                          bool include_revoked);

 private:
  PgPool& pool_;
  const Clock& clock_;
};

}  // namespace tiquete::directory
