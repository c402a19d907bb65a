#include <catch2/catch.hpp>

#include "common/log.h"

using tiquete::log::Severity;

TEST_CASE("a log line is one JSON object with the request id and escaped fields") {
  std::string line =
      tiquete::log::FormatLine("2026-11-26T07:00:00.000Z", Severity::kWarning, "directory", "req-1",
                               "bad \"input\"\n", {{"field", "email"}, {"tab", "a\tb"}});
  CHECK(line ==
        "{\"ts\":\"2026-11-26T07:00:00.000Z\",\"severity\":\"WARNING\",\"service\":\"directory\","
        "\"request_id\":\"req-1\",\"msg\":\"bad \\\"input\\\"\\n\",\"field\":\"email\","
        "\"tab\":\"a\\tb\"}\n");
}

TEST_CASE("control characters are escaped as unicode") {
  std::string line =
      tiquete::log::FormatLine("t", Severity::kInfo, "s", "", std::string(1, '\x01'), {});
  CHECK(line.find("\\u0001") != std::string::npos);
  CHECK(line.find("request_id") == std::string::npos);
}

TEST_CASE("request scopes nest and restore") {
  CHECK(tiquete::log::CurrentRequestId().empty());
  {
    tiquete::log::RequestScope outer("a");
    {
      tiquete::log::RequestScope inner("b");
      CHECK(tiquete::log::CurrentRequestId() == "b");
    }
    CHECK(tiquete::log::CurrentRequestId() == "a");
  }
  CHECK(tiquete::log::CurrentRequestId().empty());
}

TEST_CASE("severity names parse and unknown ones are refused") {
  Severity s;
  CHECK(tiquete::log::ParseSeverity("warning", &s));
  CHECK(s == Severity::kWarning);
  CHECK_FALSE(tiquete::log::ParseSeverity("loud", &s));
}
