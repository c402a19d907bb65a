#include <catch2/catch.hpp>

#include "common/errors.h"
#include "services/directory/domain/credentials.h"

using tiquete::ErrorReason;
using tiquete::directory::ApiTokenPrefix;
using tiquete::directory::CheckPasswordPolicy;
using tiquete::directory::HashPassword;
using tiquete::directory::LooksLikeApiTokenSecret;
using tiquete::directory::NewApiTokenSecret;
using tiquete::directory::PasswordMatches;
using tiquete::directory::SecretDigest;

TEST_CASE("a password shorter than 10 characters is refused, counting characters not bytes") {
  auto s = CheckPasswordPolicy("Abc12345!", "ana@sedtolima.gov.co");
  CHECK(ErrorReason(s) == "PASSWORD_TOO_SHORT");
  CHECK(tiquete::ErrorField(s) == "password");
  // Ten characters, twelve bytes: long enough.
  CHECK(CheckPasswordPolicy("ñandú-río7", "ana@sedtolima.gov.co").ok());
  CHECK(ErrorReason(CheckPasswordPolicy("ñandúrío7", "x@y.co")) == "PASSWORD_TOO_SHORT");
}

TEST_CASE("a password equal to the email or its local part is refused whatever the case") {
  CHECK(ErrorReason(CheckPasswordPolicy("Laura.Ospina@SedTolima.gov.co",
                                        "laura.ospina@sedtolima.gov.co")) == "PASSWORD_IS_EMAIL");
  CHECK(ErrorReason(CheckPasswordPolicy("LAURA.OSPINA", "laura.ospina@sedtolima.gov.co")) ==
        "PASSWORD_IS_EMAIL");
  CHECK(CheckPasswordPolicy("laura.ospina-2026!", "laura.ospina@sedtolima.gov.co").ok());
}

TEST_CASE("common breach-list passwords are refused, Spanish ones included") {
  for (const char* p : {"1234567890", "Contraseña123", "password123", "Bienvenido", "qwertyuiop"}) {
    INFO(p);
    CHECK(ErrorReason(CheckPasswordPolicy(p, "x@y.co")) == "PASSWORD_TOO_COMMON");
  }
}

TEST_CASE("a password longer than 128 bytes is refused before any hashing work") {
  CHECK(ErrorReason(CheckPasswordPolicy(std::string(129, 'a'), "x@y.co")) == "PASSWORD_TOO_LONG");
  CHECK(tiquete::ErrorField(CheckPasswordPolicy(std::string(129, 'a'), "x@y.co", "new_password")) ==
        "new_password");
}

TEST_CASE("passwords are stored as Argon2id hashes that verify only the right password") {
  auto hash = HashPassword("Mesa-Tolima-2026");
  REQUIRE(hash.ok());
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  CHECK(PasswordMatches(*hash, "Mesa-Tolima-2026"));
  CHECK_FALSE(PasswordMatches(*hash, "mesa-tolima-2026"));
  CHECK_FALSE(PasswordMatches("not a hash", "Mesa-Tolima-2026"));
  auto again = HashPassword("Mesa-Tolima-2026");
  REQUIRE(again.ok());
  CHECK(*again != *hash);  // salted
}

TEST_CASE("API token secrets are random, recognisable and stored only as a SHA-256 digest") {
  const std::string a = NewApiTokenSecret();
  const std::string b = NewApiTokenSecret();
  CHECK(a != b);
  CHECK(LooksLikeApiTokenSecret(a));
  CHECK(a.rfind("tqt_", 0) == 0);
  CHECK(ApiTokenPrefix(a).size() == 12);
  CHECK(a.rfind(ApiTokenPrefix(a), 0) == 0);
  CHECK_FALSE(LooksLikeApiTokenSecret("tqt_short"));
  CHECK_FALSE(LooksLikeApiTokenSecret("xyz_" + a.substr(4)));
  CHECK_FALSE(LooksLikeApiTokenSecret(a.substr(0, a.size() - 1) + "!"));
  CHECK(SecretDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
