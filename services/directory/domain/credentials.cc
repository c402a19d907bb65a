#include "services/directory/domain/credentials.h"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace tiquete::directory {
namespace {

constexpr std::string_view kTokenPrefix = "tqt_";
constexpr size_t kTokenBodyLength = 43;

// Passwords of at least 10 characters that still top breach lists (lower-case).
constexpr std::array<std::string_view, 48> kCommonPasswords = {
    "1234567890",    "12345678910",   "0123456789",    "0987654321",    "1111111111",
    "0000000000",    "1234512345",    "123456789a",    "a123456789",    "qwertyuiop",
    "qwerty1234",    "1q2w3e4r5t",    "1qaz2wsx3edc",  "asdfghjkl1",    "zxcvbnm123",
    "password12",    "password123",   "password1234",  "passw0rd123",   "iloveyou12",
    "welcome123",    "administrator", "admin12345",    "admin123456",   "changeme123",
    "letmein123",    "contrasena",    "contraseña",    "contrasena123", "contraseña123",
    "administrador", "bienvenido",    "bienvenido123", "colombia123",   "colombia2024",
    "colombia2025",  "colombia2026",  "tolima2024",    "tolima2025",    "tolima2026",
    "ibague2024",    "ibague2025",    "secretaria123", "educacion123",  "usuario123",
    "soporte123",    "tiquete123",    "mesadeayuda",
};

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

absl::Status Bad(std::string_view field, std::string_view reason, std::string_view message) {
  return InvalidField(field, reason, message);
}

}  // namespace

absl::Status CheckPasswordPolicy(std::string_view password, std::string_view email,
                                 std::string_view field) {
  if (password.size() > kMaxPasswordLength) {
    return Bad(field, "PASSWORD_TOO_LONG", "must be at most 128 bytes");
  }
  if (CodePoints(password) < kMinPasswordLength) {
    return Bad(field, "PASSWORD_TOO_SHORT", "must have at least 10 characters");
  }
  const std::string lower =
      absl::AsciiStrToLower(absl::string_view(password.data(), password.size()));
  const std::string mail = absl::AsciiStrToLower(absl::string_view(email.data(), email.size()));
  const std::string local = mail.substr(0, mail.find('@'));
  if (!mail.empty() && (lower == mail || lower == local)) {
    return Bad(field, "PASSWORD_IS_EMAIL", "must not be the email address or its local part");
  }
  if (std::find(kCommonPasswords.begin(), kCommonPasswords.end(), lower) !=
      kCommonPasswords.end()) {
    return Bad(field, "PASSWORD_TOO_COMMON", "is on the list of common passwords");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashPassword(std::string_view password) {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    // libsodium fails only when it cannot allocate the hashing memory.
    return Error(absl::StatusCode::kResourceExhausted, "RESOURCE_EXHAUSTED",
                 "not enough memory to hash the password");
  }
  return std::string(hash);
}

bool PasswordMatches(std::string_view hash, std::string_view password) {
  const std::string h(hash);  // crypto_pwhash_str_verify needs a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void SpendPasswordCheckTime(std::string_view password) {
  static const std::string* dummy = [] {
    auto h = HashPassword("tiquete-timing-equaliser");
    return new std::string(h.ok() ? *h : "");
  }();
  (void)PasswordMatches(*dummy, password);
}

std::string NewApiTokenSecret() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return absl::StrCat(std::string(kTokenPrefix), out);
}

bool LooksLikeApiTokenSecret(std::string_view secret) {
  if (secret.size() != kTokenPrefix.size() + kTokenBodyLength ||
      secret.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return false;
  }
  return std::all_of(secret.begin() + kTokenPrefix.size(), secret.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

std::string ApiTokenPrefix(std::string_view secret) {
  return std::string(secret.substr(0, kTokenPrefix.size() + 8));
}

std::string SecretDigest(std::string_view secret) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace tiquete::directory
