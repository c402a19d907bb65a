#include "gateway/sessions.h"

#include <sodium.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errors.h"

namespace tiquete::gateway {
namespace {

constexpr char kFormat[] = "s1";

}  // namespace

std::string NewOpaqueToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

// "s1 <created unix> <csrf> <base64 email> <base64 caller>": none of the parts holds a space.
std::string EncodeSession(const Session& session) {
  return absl::StrCat(kFormat, " ", absl::ToUnixSeconds(session.created), " ", session.csrf_token,
                      " ", absl::Base64Escape(session.email), " ",
                      absl::Base64Escape(session.caller.SerializeAsString()));
}

absl::StatusOr<Session> DecodeSession(std::string_view encoded) {
  std::vector<std::string> parts =
      absl::StrSplit(absl::string_view(encoded.data(), encoded.size()), ' ');
  Session s;
  int64_t created;
  std::string caller_bytes;
  if (parts.size() != 5 || parts[0] != kFormat || !absl::SimpleAtoi(parts[1], &created) ||
      !absl::Base64Unescape(parts[3], &s.email) || !absl::Base64Unescape(parts[4], &caller_bytes) ||
      !s.caller.ParseFromString(caller_bytes)) {
    return Error(absl::StatusCode::kInternal, "SESSION_CORRUPT", "stored session is unreadable");
  }
  s.created = absl::FromUnixSeconds(created);
  s.csrf_token = parts[2];
  return s;
}

bool SessionExpired(const Session& session, absl::Time now, const SessionLimits& limits) {
  return now - session.created >= limits.absolute;
}

void InMemorySessionStore::Create(const Session& session,
                                  std::function<void(absl::StatusOr<std::string>)> done) {
  std::string id = NewOpaqueToken();
  {
    std::lock_guard lock(mu_);
    entries_[Sha256Hex(id)] = {EncodeSession(session), clock_->Now() + limits_.idle};
  }
  done(id);
}

void InMemorySessionStore::Get(const std::string& id,
                               std::function<void(absl::StatusOr<std::optional<Session>>)> done) {
  std::optional<std::string> encoded;
  {
    std::lock_guard lock(mu_);
    const absl::Time now = clock_->Now();
    auto it = entries_.find(Sha256Hex(id));
    if (it != entries_.end()) {
      if (it->second.idle_until <= now) {
        entries_.erase(it);
      } else {
        it->second.idle_until = now + limits_.idle;
        encoded = it->second.encoded;
      }
    }
  }
  if (!encoded) {
    done(std::optional<Session>());
    return;
  }
  auto session = DecodeSession(*encoded);
  if (!session.ok()) {
    done(session.status());
    return;
  }
  if (SessionExpired(*session, clock_->Now(), limits_)) {
    done(std::optional<Session>());
    return;
  }
  done(std::optional<Session>(*std::move(session)));
}

void InMemorySessionStore::Delete(const std::string& id, std::function<void(absl::Status)> done) {
  {
    std::lock_guard lock(mu_);
    entries_.erase(Sha256Hex(id));
  }
  done(absl::OkStatus());
}

}  // namespace tiquete::gateway
