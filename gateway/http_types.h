// The gateway's view of one HTTP exchange, independent of the HTTP library: the server turns
// Beast messages into these, so routing, auth and transcoding never include Beast.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tiquete::gateway {

struct HttpRequest {
  std::string method;  // upper-case: GET, POST, ...
  std::string target;  // path and query as received, e.g. /v1/incidents?state=NEW
  // Header names are lower-case; repeated headers appear more than once.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;  // the peer's IP address

  // The first header with this lower-case name, or "".
  std::string_view Header(std::string_view lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close_connection = false;

  void SetHeader(std::string name, std::string value);
  std::string_view Header(std::string_view name) const;  // case-insensitive
};

// Completes an exchange; may be called from any thread, exactly once.
using Respond = std::function<void(HttpResponse)>;

// Splits a target into its path and its query (without '?').
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target);

}  // namespace tiquete::gateway
