#include <catch2/catch.hpp>

#include "gateway/redis_client.h"

using tiquete::gateway::AppendRespCommand;
using tiquete::gateway::ParseResp;
using tiquete::gateway::RespValue;

TEST_CASE("RESP replies parse whole, and a partial reply asks for more bytes") {
  const std::string wire = "+OK\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*2\r\n:1\r\n$1\r\nx\r\n-ERR no\r\n";
  size_t pos = 0;
  RespValue v;
  REQUIRE(ParseResp(wire, &pos, &v) == 1);
  CHECK((v.type == RespValue::Type::kStatus && v.str == "OK"));
  REQUIRE(ParseResp(wire, &pos, &v) == 1);
  CHECK((v.type == RespValue::Type::kInteger && v.integer == 42));
  REQUIRE(ParseResp(wire, &pos, &v) == 1);
  CHECK((v.type == RespValue::Type::kString && v.str == "hello"));
  REQUIRE(ParseResp(wire, &pos, &v) == 1);
  CHECK(v.type == RespValue::Type::kNil);
  REQUIRE(ParseResp(wire, &pos, &v) == 1);
  REQUIRE(v.type == RespValue::Type::kArray);
  REQUIRE(v.elements.size() == 2);
  CHECK(v.elements[1].str == "x");
  REQUIRE(ParseResp(wire, &pos, &v) == 1);
  CHECK((v.type == RespValue::Type::kError && v.str == "ERR no"));
  CHECK(pos == wire.size());
  for (size_t cut = 0; cut < wire.size(); ++cut) {
    // Every prefix that ends inside a value is "need more", never an error or a wrong value.
    size_t p = 0;
    RespValue w;
    int r;
    while ((r = ParseResp(std::string_view(wire).substr(0, cut), &p, &w)) == 1) {
    }
    CHECK(r == 0);
  }
}

TEST_CASE("garbage and absurd nesting are protocol errors") {
  size_t pos = 0;
  RespValue v;
  CHECK(ParseResp("?what\r\n", &pos, &v) == -1);
  pos = 0;
  CHECK(ParseResp(":12x\r\n", &pos, &v) == -1);
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "*1\r\n";
  deep += ":1\r\n";
  pos = 0;
  CHECK(ParseResp(deep, &pos, &v) == -1);
}

TEST_CASE("commands are encoded as arrays of bulk strings, binary-safe") {
  std::string out;
  AppendRespCommand(&out, {"SET", "k", std::string("a\r\nb", 4)});
  CHECK(out == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n");
}
