#include <catch2/catch.hpp>

#include "common/errors.h"
#include "gateway/route_table.h"
#include "gateway/transcode.h"
#include "gwtest/things/v1/things.pb.h"

namespace {

using namespace tiquete::gateway;  // NOLINT
namespace things = gwtest::things::v1;

const RouteTable& Table() {
  static const RouteTable* table = [] {
    auto t = RouteTable::FromServices({things::Thing::descriptor()->file()->service(0)});
    REQUIRE(t.ok());
    return new RouteTable(*std::move(t));
  }();
  return *table;
}

const Route& RouteFor(const std::string& method, const std::string& path) {
  RouteMatch m = Table().Match(method, path);
  INFO(method << " " << path);
  REQUIRE(m.route != nullptr);
  return *m.route;
}

template <typename T>
absl::Status Build(const std::string& method, const std::string& path, const std::string& query,
                   const std::string& body, T* out) {
  RouteMatch m = Table().Match(method, path);
  REQUIRE(m.route != nullptr);
  return BuildRequest(*m.route, m.bindings, query, body, out);
}

}  // namespace

TEST_CASE("query parameters fill scalars, repeated fields and nested fields by dotted name") {
  things::Filter f;
  absl::Status s = Build("GET", "/v1/things",
                         "state=NEW&state=2&page.page_size=50&active=false&big=9007199254740993"
                         "&ratio=0.5&tag=a+b&tag=%C3%A9&count=7&query=impresora%20sala",
                         "", &f);
  INFO(s.ToString());
  REQUIRE(s.ok());
  REQUIRE(f.state_size() == 2);
  CHECK(f.state(0) == things::NEW);
  CHECK(f.state(1) == things::ASSIGNED);
  CHECK(f.page().page_size() == 50);
  CHECK(f.has_active());
  CHECK_FALSE(f.active());
  CHECK(f.big() == 9007199254740993LL);
  CHECK(f.ratio() == 0.5);
  REQUIRE(f.tag_size() == 2);
  CHECK(f.tag(0) == "a b");
  CHECK(f.tag(1) == "é");
  CHECK(f.count() == 7);
  CHECK(f.query() == "impresora sala");
}

TEST_CASE("query parameters accept JSON names, base64 bytes and RFC 3339 timestamps") {
  things::Filter f;
  REQUIRE(Build("GET", "/v1/things", "page.pageSize=5&blob=aGk&since=2026-03-01T10:00:00Z", "", &f)
              .ok());
  CHECK(f.page().page_size() == 5);
  CHECK(f.blob() == "hi");
  CHECK(f.since().seconds() == 1772359200);
}

TEST_CASE("bad query parameters are INVALID_ARGUMENT naming the parameter") {
  struct Case {
    const char* query;
    const char* reason;
    const char* field;
  };
  for (const Case& c : {Case{"page.page_size=many", "INVALID_FIELD_VALUE", "page.page_size"},
                        Case{"state=CLOSED", "INVALID_FIELD_VALUE", "state"},
                        Case{"active=yes", "INVALID_FIELD_VALUE", "active"},
                        Case{"count=-1", "INVALID_FIELD_VALUE", "count"},
                        Case{"colour=red", "UNKNOWN_QUERY_PARAMETER", "colour"},
                        Case{"page.colour=red", "UNKNOWN_QUERY_PARAMETER", "page.colour"},
                        Case{"query=a&query=b", "REPEATED_QUERY_PARAMETER", "query"},
                        Case{"query=%E0%A4", "INVALID_FIELD_VALUE", "query"},
                        Case{"since=yesterday", "INVALID_FIELD_VALUE", "since"},
                        Case{"query=%zz", "MALFORMED_QUERY", ""}}) {
    things::Filter f;
    absl::Status s = Build("GET", "/v1/things", c.query, "", &f);
    INFO(c.query << " → " << s.ToString());
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(tiquete::ErrorReason(s) == c.reason);
    CHECK(tiquete::ErrorField(s) == c.field);
  }
}

TEST_CASE("a body-star route takes the JSON body and the path variable wins over it") {
  things::UpdateThingRequest r;
  REQUIRE(Build("POST", "/v1/things/INC-1:update", "",
                R"({"number":"INC-999","thing":{"title":"Impresora","version":"3"},"reason":"x"})",
                &r)
              .ok());
  CHECK(r.number() == "INC-1");
  CHECK(r.thing().title() == "Impresora");
  CHECK(r.thing().version() == 3);
  CHECK(r.reason() == "x");
  things::UpdateThingRequest empty;
  CHECK(Build("POST", "/v1/things/INC-1:update", "", "", &empty).ok());
  CHECK(empty.number() == "INC-1");
}

TEST_CASE("a body-field route parses the body into that field only") {
  things::UpdateThingRequest r;
  REQUIRE(Build("PATCH", "/v1/things/INC-1", "reason=typo", R"({"title":"Nuevo"})", &r).ok());
  CHECK(r.thing().title() == "Nuevo");
  CHECK(r.reason() == "typo");
  CHECK(r.number() == "INC-1");
  // Fields outside the body field are unknown inside it.
  things::UpdateThingRequest bad;
  absl::Status s = Build("PATCH", "/v1/things/INC-1", "", R"({"reason":"x"})", &bad);
  CHECK(tiquete::ErrorReason(s) == "UNKNOWN_FIELD");
}

TEST_CASE("malformed JSON, unknown fields and wrong types are distinct 400 reasons") {
  struct Case {
    const char* body;
    const char* reason;
    const char* field;
  };
  for (const Case& c :
       {Case{R"({"thing":{"title":)", "MALFORMED_JSON", ""}, Case{R"([1,2])", "MALFORMED_JSON", ""},
        Case{R"({"thing":{"colour":"red"}})", "UNKNOWN_FIELD", "thing.colour"},
        Case{R"({"colour":"red"})", "UNKNOWN_FIELD", "colour"},
        Case{R"({"thing":{"version":"abc"}})", "INVALID_FIELD_VALUE", "thing.version"},
        Case{R"({"thing":{"title":5}})", "INVALID_FIELD_VALUE", "thing.title"},
        Case{R"({"thing":{"state":"CLOSED"}})", "INVALID_FIELD_VALUE", "thing.state"},
        Case{"{\"reason\":\"\xff\"}", "MALFORMED_JSON", ""}}) {
    things::UpdateThingRequest r;
    absl::Status s = Build("POST", "/v1/things/1:update", "", c.body, &r);
    INFO(c.body << " → " << s.ToString());
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(tiquete::ErrorReason(s) == c.reason);
    CHECK(tiquete::ErrorField(s) == c.field);
  }
}

TEST_CASE("a body-star route refuses query parameters and a GET route refuses a body") {
  things::UpdateThingRequest r;
  CHECK(tiquete::ErrorReason(Build("POST", "/v1/things/1:update", "reason=x", "{}", &r)) ==
        "UNKNOWN_QUERY_PARAMETER");
  things::GetThingRequest g;
  CHECK(tiquete::ErrorReason(Build("GET", "/v1/things/1", "", "{}", &g)) == "BODY_NOT_ALLOWED");
  things::GetThingRequest g2;
  CHECK(tiquete::ErrorReason(Build("GET", "/v1/things/1", "number=2", "", &g2)) ==
        "UNKNOWN_QUERY_PARAMETER");
}

TEST_CASE("nested path variables set nested fields") {
  things::Thing t;
  REQUIRE(Build("GET", "/v1/codes/X%20Y", "title=a", "", &t).ok());
  CHECK(t.nested().code() == "X Y");
  CHECK(t.title() == "a");
}

TEST_CASE("responses use proto field names and print zero values") {
  things::Thing t;
  t.set_number("INC-1");
  auto json = MessageToJson(t);
  REQUIRE(json.ok());
  CHECK(*json == R"({"number":"INC-1","title":"","version":"0","state":"STATE_UNSPECIFIED"})");
  (void)RouteFor("GET", "/v1/things/1");
}
