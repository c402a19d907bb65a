// Rules for sign-in credentials: the password policy, Argon2id hashing (libsodium
// crypto_pwhash_str) and the shape of API token secrets. Pure functions over bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tiquete::directory {

inline constexpr size_t kMinPasswordLength = 10;   // characters (UTF-8 code points)
inline constexpr size_t kMaxPasswordLength = 128;  // bytes, bounds the hashing work

// OK, or INVALID_ARGUMENT on field `field` with reason PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG,
// PASSWORD_IS_EMAIL (the email, its local part, or either with case changes) or
// PASSWORD_TOO_COMMON (a small list of passwords seen in every breach, Spanish ones included).
absl::Status CheckPasswordPolicy(std::string_view password, std::string_view email,
                                 std::string_view field = "password");

// An Argon2id hash string ("$argon2id$v=19$m=...") with libsodium's interactive limits.
absl::StatusOr<std::string> HashPassword(std::string_view password);
// True when `password` matches `hash`.
bool PasswordMatches(std::string_view hash, std::string_view password);
// Spends the same time as a real check, so an unknown email answers as slowly as a known one.
void SpendPasswordCheckTime(std::string_view password);

// API token secrets: "tqt_" + 43 characters of base64url (32 random bytes).
std::string NewApiTokenSecret();
bool LooksLikeApiTokenSecret(std::string_view secret);
// The displayable start of a secret ("tqt_" + 8 characters).
std::string ApiTokenPrefix(std::string_view secret);
// Lower-case hex SHA-256: what is stored instead of the secret.
std::string SecretDigest(std::string_view secret);

}  // namespace tiquete::directory
