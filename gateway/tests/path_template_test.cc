#include <catch2/catch.hpp>

#include "gateway/path_template.h"

using tiquete::gateway::PathTemplate;
using tiquete::gateway::PercentDecode;

namespace {

PathTemplate T(const char* text) {
  auto t = PathTemplate::Parse(text);
  INFO(text << ": " << t.status().ToString());
  REQUIRE(t.ok());
  return *t;
}

}  // namespace

TEST_CASE("a template binds its variables from the matching segments") {
  auto m = T("/v1/directory/groups/{group_id}/members/{person_id}:remove")
               .Match("/v1/directory/groups/g-1/members/p%2F2:remove");
  REQUIRE(m);
  REQUIRE(m->size() == 2);
  CHECK((*m)[0].field_path == "group_id");
  CHECK((*m)[0].value == "g-1");
  CHECK((*m)[1].field_path == "person_id");
  CHECK((*m)[1].value == "p/2");  // %2F decodes inside a segment
}

TEST_CASE("a verb must match exactly and only on the last segment") {
  const PathTemplate update = T("/v1/incidents/{number}:update");
  const PathTemplate get = T("/v1/incidents/{number}");
  CHECK(update.Match("/v1/incidents/INC-2026-000123:update"));
  CHECK_FALSE(update.Match("/v1/incidents/INC-2026-000123"));
  CHECK_FALSE(update.Match("/v1/incidents/INC-2026-000123:assign"));
  CHECK_FALSE(get.Match("/v1/incidents/INC-2026-000123:update"));
  auto got = get.Match("/v1/incidents/INC-2026-000123");
  REQUIRE(got);
  CHECK((*got)[0].value == "INC-2026-000123");
  CHECK(T("/v1/directory/categories:tree").Match("/v1/directory/categories:tree"));
  CHECK_FALSE(T("/v1/directory/categories").Match("/v1/directory/categories:tree"));
}

TEST_CASE("nested field paths are variables too") {
  auto m = T("/v1/codes/{nested.code}").Match("/v1/codes/ABC");
  REQUIRE(m);
  CHECK((*m)[0].field_path == "nested.code");
}

TEST_CASE("extra, missing or empty segments do not match") {
  const PathTemplate t = T("/v1/things/{number}");
  CHECK_FALSE(t.Match("/v1/things"));
  CHECK_FALSE(t.Match("/v1/things/"));
  CHECK_FALSE(t.Match("/v1/things/1/2"));
  CHECK_FALSE(t.Match("/v1//things/1"));
  CHECK_FALSE(t.Match("v1/things/1"));
  CHECK_FALSE(t.Match("/v1/things/%zz"));  // malformed escape
  CHECK_FALSE(t.Match(""));
}

TEST_CASE("a literal segment is more specific than a variable in the same place") {
  CHECK(T("/v1/people/me").MoreSpecificThan(T("/v1/people/{id}")));
  CHECK_FALSE(T("/v1/people/{id}").MoreSpecificThan(T("/v1/people/me")));
  CHECK(T("/v1/a/{x}/b").MoreSpecificThan(T("/v1/{y}/c/b")));
}

TEST_CASE("malformed templates are refused at start-up") {
  for (const char* bad : {"", "v1/x", "/v1/{}", "/v1/{a-b}", "/v1/{1a}", "/v1/x y",
                          "/v1/x:", "/v1/{a.}", "/v1/x:a/b"}) {
    INFO(bad);
    CHECK_FALSE(PathTemplate::Parse(bad).ok());
  }
}

TEST_CASE("percent-decoding handles plus signs only when asked and refuses bad escapes") {
  CHECK(*PercentDecode("a+b%20c", true) == "a b c");
  CHECK(*PercentDecode("a+b", false) == "a+b");
  CHECK(*PercentDecode("%C3%A9", false) == "é");
  CHECK_FALSE(PercentDecode("%", false));
  CHECK_FALSE(PercentDecode("%4", false));
  CHECK_FALSE(PercentDecode("%G1", false));
}
