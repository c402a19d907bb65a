#include <catch2/catch.hpp>

#include "common/caller.h"
#include "common/errors.h"

namespace {

const std::string kKey(32, 'k');

tiquete::Caller Analyst() {
  tiquete::Caller c;
  c.set_person_id("p-1");
  c.add_roles("agent_l1");
  c.add_group_ids("g-mesa");
  return c;
}

}  // namespace

TEST_CASE("a signed caller verifies and keeps its roles and groups") {
  tiquete::FakeClock clock;
  tiquete::CallerSigner signer(kKey, &clock);
  tiquete::Caller c = Analyst();
  c.set_issued_at_unix(absl::ToUnixSeconds(clock.Now()));
  const std::string bytes = c.SerializeAsString();
  auto verified = signer.VerifyBytes(bytes, signer.Sign(bytes));
  REQUIRE(verified.ok());
  CHECK(tiquete::HasRole(*verified, "agent_l1"));
  CHECK_FALSE(tiquete::HasRole(*verified, "admin"));
  CHECK(tiquete::InGroup(*verified, "g-mesa"));
}

TEST_CASE("a caller with a forged role or a foreign key is refused") {
  tiquete::FakeClock clock;
  tiquete::CallerSigner signer(kKey, &clock);
  tiquete::Caller c = Analyst();
  c.set_issued_at_unix(absl::ToUnixSeconds(clock.Now()));
  const std::string signature = signer.Sign(c.SerializeAsString());
  c.add_roles("security_officer");  // tampered after signing
  auto forged = signer.VerifyBytes(c.SerializeAsString(), signature);
  CHECK(forged.status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(tiquete::ErrorReason(forged.status()) == "CALLER_SIGNATURE_INVALID");
  tiquete::CallerSigner outsider(std::string(32, 'x'), &clock);
  const std::string bytes = Analyst().SerializeAsString();
  CHECK_FALSE(signer.VerifyBytes(bytes, outsider.Sign(bytes)).ok());
}

TEST_CASE("an old signature is refused") {
  tiquete::FakeClock clock;
  tiquete::CallerSigner signer(kKey, &clock);
  tiquete::Caller c = Analyst();
  c.set_issued_at_unix(absl::ToUnixSeconds(clock.Now()));
  const std::string bytes = c.SerializeAsString();
  const std::string signature = signer.Sign(bytes);
  clock.Advance(absl::Minutes(6));
  CHECK(tiquete::ErrorReason(signer.VerifyBytes(bytes, signature).status()) == "CALLER_EXPIRED");
}

TEST_CASE("caller keys must be long enough") {
  CHECK(tiquete::ValidateCallerKey(std::string(64, 'a')).empty());
  CHECK_FALSE(tiquete::ValidateCallerKey("abcd").empty());
  CHECK_FALSE(tiquete::ValidateCallerKey(std::string(64, 'z')).empty());
}
