#include "gateway/tests/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tiquete::gateway::testing {

RawConnection::RawConnection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) close(fd_);
}

bool RawConnection::Send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::optional<RawResponse> RawConnection::Read(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    const size_t end = buffer_.find("\r\n\r\n");
    if (end != std::string::npos) {
      RawResponse r;
      std::vector<std::string> lines = absl::StrSplit(buffer_.substr(0, end), "\r\n");
      std::vector<std::string> status = absl::StrSplit(lines[0], ' ');
      if (status.size() < 2 || !absl::SimpleAtoi(status[1], &r.status)) return std::nullopt;
      for (size_t i = 1; i < lines.size(); ++i) {
        const size_t colon = lines[i].find(':');
        if (colon == std::string::npos) continue;
        std::string value = lines[i].substr(colon + 1);
        absl::StripAsciiWhitespace(&value);
        r.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] = value;
      }
      size_t length = 0;
      (void)absl::SimpleAtoi(r.Header("content-length"), &length);
      if (r.status == 100 || r.status == 304) length = 0;
      if (buffer_.size() >= end + 4 + length) {
        r.body = buffer_.substr(end + 4, length);
        buffer_.erase(0, end + 4 + length);
        return r;
      }
    }
    const int wait = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (wait <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, wait) <= 0) return std::nullopt;
    char chunk[65536];
    const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

bool RawConnection::ClosedByPeer(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    const int wait = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (poll(&p, 1, std::max(wait, 1)) <= 0) continue;
    char chunk[4096];
    const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
  return false;
}

std::optional<RawResponse> HttpExchange(int port, const std::string& request) {
  RawConnection c(port);
  if (!c.connected() || !c.Send(request)) return std::nullopt;
  return c.Read();
}

std::string Request(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& extra_headers) {
  std::string r = absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: test\r\n", extra_headers);
  if (!body.empty() || method == "POST") {
    absl::StrAppend(&r, "Content-Type: application/json\r\nContent-Length: ", body.size(), "\r\n");
  }
  absl::StrAppend(&r, "\r\n", body);
  return r;
}

}  // namespace tiquete::gateway::testing
