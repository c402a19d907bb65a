// Browser sessions: an opaque random id (cookie tiquete_session) naming a record in Redis that
// holds the caller, the CSRF token and the creation time. Sessions end after an idle period
// (refreshed on use) or an absolute lifetime, whichever comes first.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/caller.h"
#include "common/clock.h"

namespace tiquete::gateway {

inline constexpr char kSessionCookie[] = "tiquete_session";

struct Session {
  Caller caller;  // person_id, roles, group_ids, display_name
  std::string email;
  std::string csrf_token;
  absl::Time created = absl::InfinitePast();
};

struct SessionLimits {
  absl::Duration idle = absl::Minutes(30);
  absl::Duration absolute = absl::Hours(12);
};

// 32 random bytes, base64url without padding (43 characters).
std::string NewOpaqueToken();
// Hex SHA-256: how session ids and API tokens are keyed, so a store dump holds no usable id.
std::string Sha256Hex(std::string_view data);

std::string EncodeSession(const Session& session);
absl::StatusOr<Session> DecodeSession(std::string_view encoded);
// True once the absolute lifetime has passed (the store enforces the idle expiry).
bool SessionExpired(const Session& session, absl::Time now, const SessionLimits& limits);

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // Stores the session under a new id and returns the id.
  virtual void Create(const Session& session,
                      std::function<void(absl::StatusOr<std::string>)> done) = 0;
  // nullopt when unknown or expired; a hit refreshes the idle expiry.
  virtual void Get(const std::string& id,
                   std::function<void(absl::StatusOr<std::optional<Session>>)> done) = 0;
  virtual void Delete(const std::string& id, std::function<void(absl::Status)> done) = 0;
};

// Process-local sessions on an injectable clock (tests; answers synchronously).
class InMemorySessionStore final : public SessionStore {
 public:
  InMemorySessionStore(const Clock* clock, SessionLimits limits) : clock_(clock), limits_(limits) {}
  void Create(const Session& session,
              std::function<void(absl::StatusOr<std::string>)> done) override;
  void Get(const std::string& id,
           std::function<void(absl::StatusOr<std::optional<Session>>)> done) override;
  void Delete(const std::string& id, std::function<void(absl::Status)> done) override;

 private:
  struct Entry {
    std::string encoded;
    absl::Time idle_until;
  };
  const Clock* clock_;
  SessionLimits limits_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace tiquete::gateway
