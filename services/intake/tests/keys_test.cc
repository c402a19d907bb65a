#include <catch2/catch.hpp>

#include "services/intake/domain/keys.h"
#include "services/intake/domain/page_token.h"

using namespace tiquete::intake::domain;

namespace {
const std::string kMessage = "2f1c6a9e-6d1b-4f7e-9a53-0c1d2e3f4a5b";
const std::string kOther = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
}  // namespace

TEST_CASE("derived keys depend only on the message and the purpose", "[keys]") {
  CHECK(IncidentKeyFor(kMessage) == IncidentKeyFor(kMessage));
  CHECK(IncidentKeyFor(kMessage) != IncidentKeyFor(kOther));
  CHECK(IncidentKeyFor(kMessage) != CommentKeyFor(kMessage));
  CHECK(IncidentKeyFor(kMessage) != SplitIncidentKeyFor(kMessage));
  CHECK(CommentKeyFor(kMessage) != SplitIncidentKeyFor(kMessage));
  CHECK(IncidentKeyFor(kMessage).find(kMessage) != std::string::npos);
}

TEST_CASE("derived keys fit the 200-character idempotency key limit", "[keys]") {
  for (const auto& key :
       {IncidentKeyFor(kMessage), CommentKeyFor(kMessage), SplitIncidentKeyFor(kMessage)}) {
    CHECK(key.size() <= 200);
  }
}

TEST_CASE("client keys are scoped per caller", "[keys]") {
  tiquete::api::v1::Caller ana;
  ana.set_person_id("a");
  tiquete::api::v1::Caller bot;
  bot.set_system("mail-gateway");
  CHECK(SubmitKeyScope(ana) != SubmitKeyScope(bot));
  CHECK(SubmitKeyScope(ana) != SplitKeyScope(ana));
  tiquete::api::v1::Caller ana_again = ana;
  ana_again.add_roles("requester");
  CHECK(SubmitKeyScope(ana) == SubmitKeyScope(ana_again));
}

TEST_CASE("the retry delay doubles per failure and is capped", "[keys]") {
  const absl::Duration base = absl::Seconds(5);
  const absl::Duration max = absl::Minutes(1);
  CHECK(HandoffRetryDelay(0, base, max) == absl::Seconds(5));
  CHECK(HandoffRetryDelay(1, base, max) == absl::Seconds(5));
  CHECK(HandoffRetryDelay(2, base, max) == absl::Seconds(10));
  CHECK(HandoffRetryDelay(4, base, max) == absl::Seconds(40));
  CHECK(HandoffRetryDelay(5, base, max) == absl::Minutes(1));
  CHECK(HandoffRetryDelay(1000, base, max) == absl::Minutes(1));
}

TEST_CASE("a page token round-trips and is refused for other filters", "[keys]") {
  const std::string token = EncodePageToken("scope-a", {1767225600123456, kMessage});
  auto cursor = DecodePageToken(token, "scope-a");
  REQUIRE(cursor.has_value());
  CHECK(cursor->received_at_micros == 1767225600123456);
  CHECK(cursor->id == kMessage);
  CHECK_FALSE(DecodePageToken(token, "scope-b").has_value());
  CHECK_FALSE(DecodePageToken("not a token", "scope-a").has_value());
  CHECK(EffectivePageSize(0) == std::optional<int>(50));
  CHECK(EffectivePageSize(10000) == std::optional<int>(500));
  CHECK_FALSE(EffectivePageSize(-1).has_value());
}
