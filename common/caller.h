// The authenticated caller of an RPC. The gateway (or a calling service) attaches a Caller and
// an HMAC-SHA256 signature over it as binary metadata; services verify the signature with the
// shared key, so a caller header that did not come from inside Tiquete is refused.
#pragma once

#include <string>

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/config.h"
#include "tiquete/api/v1/caller.pb.h"

namespace tiquete {

using api::v1::Caller;

inline constexpr char kCallerMetadata[] = "x-tiquete-caller-bin";
inline constexpr char kCallerSignatureMetadata[] = "x-tiquete-caller-sig-bin";

bool HasRole(const Caller& caller, std::string_view role);
bool InGroup(const Caller& caller, std::string_view group_id);

class CallerSigner {
 public:
  // key: at least 32 bytes of secret (TIQUETE_CALLER_KEY, hex-encoded in configuration).
  explicit CallerSigner(std::string key, Clock* clock = SystemClock::Get(),
                        absl::Duration max_age = absl::Minutes(5));
  static absl::StatusOr<CallerSigner> FromHex(const std::string& hex_key,
                                              Clock* clock = SystemClock::Get());

  // Stamps issued_at and attaches caller + signature to an outgoing call.
  void Attach(grpc::ClientContext* context, Caller caller) const;
  // UNAUTHENTICATED when missing, tampered with or too old.
  absl::StatusOr<Caller> Verify(const grpc::ServerContext& context) const;
  absl::StatusOr<Caller> VerifyBytes(const std::string& caller_bytes,
                                     const std::string& signature) const;
  std::string Sign(const std::string& bytes) const;

 private:
  std::string key_;
  Clock* clock_;
  absl::Duration max_age_;
};

// TIQUETE_CALLER_KEY: the hex-encoded shared key, required by services that verify callers.
std::string ValidateCallerKey(const std::string& hex);
Setting CallerKeySetting();

}  // namespace tiquete
