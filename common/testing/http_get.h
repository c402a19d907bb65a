// A bare HTTP GET for tests and benchmark drivers (metrics pages, health endpoints).
#pragma once

#include <string>

namespace tiquete::testing {

// GET http://host:port/path over a plain socket (HTTP/1.0); the response body, or "" on failure.
std::string HttpGet(const std::string& host, int port, const std::string& path);

}  // namespace tiquete::testing
