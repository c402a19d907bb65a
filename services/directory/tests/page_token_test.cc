#include <catch2/catch.hpp>

#include "services/directory/domain/page_token.h"

namespace tiquete::directory {
namespace {

TEST_CASE("a page token round-trips within its scope") {
  const PageCursor cursor{"people:abc", "ruiz ana maria", "6f1c2a3e-0000-4000-8000-000000000001"};
  const std::string token = EncodePageToken(cursor);
  PageCursor decoded;
  REQUIRE(DecodePageToken(token, "people:abc", &decoded));
  CHECK(decoded.last_key == cursor.last_key);
  CHECK(decoded.last_id == cursor.last_id);
  CHECK(token.find('=') == std::string::npos);  // URL-safe, no padding
}

TEST_CASE("a page token is refused for other filters or when tampered with") {
  const std::string token = EncodePageToken({"people:abc", "k", "id"});
  PageCursor decoded;
  CHECK_FALSE(DecodePageToken(token, "people:xyz", &decoded));
  CHECK_FALSE(DecodePageToken("not a token!", "people:abc", &decoded));
  CHECK_FALSE(DecodePageToken(token.substr(0, token.size() - 3), "people:abc", &decoded));
}

TEST_CASE("page sizes default to 50 and are capped at 500") {
  CHECK(EffectivePageSize(0) == 50);
  CHECK(EffectivePageSize(20) == 20);
  CHECK(EffectivePageSize(5000) == 500);
  CHECK(EffectivePageSize(-1) == -1);
}

}  // namespace
}  // namespace tiquete::directory
