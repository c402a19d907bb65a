// The HTTP/1.1 keep-alive server (Boost.Beast, asynchronous, one io_context run by N threads).
// It enforces the size limits and the read/write/idle timeouts, so a slow or oversized client
// costs a socket and never a thread, and hands complete requests to a handler.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gateway/error_model.h"
#include "gateway/http_types.h"

namespace tiquete::gateway {

struct ServerLimits {
  size_t max_body_bytes = 12 * 1024 * 1024;           // 413 beyond
  size_t max_header_bytes = 16 * 1024;                // all header fields; 431 beyond
  size_t max_url_bytes = 8 * 1024;                    // 414 beyond
  absl::Duration header_timeout = absl::Seconds(10);  // the whole header of a request
  absl::Duration body_timeout = absl::Seconds(120);   // the whole body
  absl::Duration write_timeout = absl::Seconds(30);
  absl::Duration idle_timeout = absl::Seconds(60);  // keep-alive between requests
  int max_connections = 10000;
};

class GatewayMetrics;

class HttpServer {
 public:
  using Handler = std::function<void(HttpRequest, Respond)>;
  // Builds the response for a request refused by the server itself (limits, bad HTTP).
  using Rejecter = std::function<HttpResponse(const HttpRequest&, const ApiError&)>;

  HttpServer(ServerLimits limits, Handler handler, Rejecter rejecter,
             GatewayMetrics* metrics = nullptr);
  ~HttpServer();

  // Binds host:port (port 0 picks a free one).
  absl::Status Listen(const std::string& host_port);
  int port() const;
  // Runs the io_context on `threads` threads (0: one per core).
  void Start(int threads);
  // Stops accepting, lets in-flight requests finish for up to `grace`, then stops.
  void Shutdown(absl::Duration grace);

  struct Impl;  // public so the connection code in http_server.cc can name it

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tiquete::gateway
