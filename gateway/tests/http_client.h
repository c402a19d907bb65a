// A deliberately dumb HTTP/1.1 client over a raw socket, so tests can send malformed,
// oversized or slow requests that a real client library would refuse to produce.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tiquete::gateway::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& lower) const {
    auto it = headers.find(lower);
    return it == headers.end() ? "" : it->second;
  }
};

class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  bool connected() const { return fd_ >= 0; }
  // False when the peer closed the connection (or it broke) before everything was sent.
  bool Send(const std::string& bytes);
  // One response (Content-Length framed), or nullopt on timeout or close.
  std::optional<RawResponse> Read(absl::Duration timeout = absl::Seconds(10));
  // True when the server closes the connection within `timeout`.
  bool ClosedByPeer(absl::Duration timeout);

 private:
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection.
std::optional<RawResponse> HttpExchange(int port, const std::string& request);
std::string Request(const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& extra_headers = "");

}  // namespace tiquete::gateway::testing
