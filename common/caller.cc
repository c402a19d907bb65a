#include "common/caller.h"

#include <sodium.h>

#include <algorithm>

#include "common/errors.h"

namespace tiquete {
namespace {

absl::Status Unauthenticated(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kUnauthenticated, reason, message);
}

std::string FromHexOrEmpty(const std::string& hex) {
  std::string bin(hex.size() / 2, '\0');
  size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != bin.size()) {
    return "";
  }
  return bin;
}

}  // namespace

bool HasRole(const Caller& caller, std::string_view role) {
  return std::any_of(caller.roles().begin(), caller.roles().end(),
                     [&](const std::string& r) { return r == role; });
}

bool InGroup(const Caller& caller, std::string_view group_id) {
  return std::any_of(caller.group_ids().begin(), caller.group_ids().end(),
                     [&](const std::string& g) { return g == group_id; });
}

std::string ValidateCallerKey(const std::string& hex) {
  return FromHexOrEmpty(hex).size() >= 32 ? "" : "must be at least 64 hex characters (32 bytes)";
}

Setting CallerKeySetting() {
  return {"TIQUETE_CALLER_KEY", std::nullopt,
          "hex key (>= 32 bytes) shared with the gateway to sign callers", ValidateCallerKey};
}

CallerSigner::CallerSigner(std::string key, Clock* clock, absl::Duration max_age)
    : key_(std::move(key)), clock_(clock), max_age_(max_age) {}

absl::StatusOr<CallerSigner> CallerSigner::FromHex(const std::string& hex_key, Clock* clock) {
  std::string key = FromHexOrEmpty(hex_key);
  if (key.size() < 32) {
    return absl::InvalidArgumentError("caller key must be at least 64 hex characters");
  }
  return CallerSigner(std::move(key), clock);
}

std::string CallerSigner::Sign(const std::string& bytes) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key_.data()),
                              key_.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(bytes.data()),
                                bytes.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<char*>(mac), sizeof mac);
}

void CallerSigner::Attach(grpc::ClientContext* context, Caller caller) const {
  caller.set_issued_at_unix(absl::ToUnixSeconds(clock_->Now()));
  const std::string bytes = caller.SerializeAsString();
  context->AddMetadata(kCallerMetadata, bytes);
  context->AddMetadata(kCallerSignatureMetadata, Sign(bytes));
}

absl::StatusOr<Caller> CallerSigner::VerifyBytes(const std::string& caller_bytes,
                                                 const std::string& signature) const {
  const std::string expected = Sign(caller_bytes);
  if (signature.size() != expected.size() ||
      sodium_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return Unauthenticated("CALLER_SIGNATURE_INVALID", "caller signature does not verify");
  }
  Caller caller;
  if (!caller.ParseFromString(caller_bytes)) {
    return Unauthenticated("CALLER_MALFORMED", "caller metadata is not a Caller message");
  }
  const absl::Time issued = absl::FromUnixSeconds(caller.issued_at_unix());
  if (absl::AbsDuration(clock_->Now() - issued) > max_age_) {
    return Unauthenticated("CALLER_EXPIRED", "caller signature is too old");
  }
  return caller;
}

absl::StatusOr<Caller> CallerSigner::Verify(const grpc::ServerContext& context) const {
  const auto& md = context.client_metadata();
  auto c = md.find(kCallerMetadata);
  auto s = md.find(kCallerSignatureMetadata);
  if (c == md.end() || s == md.end()) {
    return Unauthenticated("CALLER_MISSING", "the call carries no signed caller");
  }
  return VerifyBytes(std::string(c->second.data(), c->second.size()),
                     std::string(s->second.data(), s->second.size()));
}

}  // namespace tiquete
