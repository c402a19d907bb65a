#include "gateway/http_server.h"

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "gateway/gateway_metrics.h"

namespace tiquete::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(ServerLimits l, Handler h, Rejecter r, GatewayMetrics* m)
      : limits(l), handler(std::move(h)), rejecter(std::move(r)), metrics(m), acceptor(io) {}

  void Accept();

  // Live connections, so Shutdown can close idle keep-alive ones.
  std::mutex mu;
  std::map<void*, std::function<void()>> closers;

  ServerLimits limits;
  Handler handler;
  Rejecter rejecter;
  GatewayMetrics* metrics;
  asio::io_context io;
  // Keeps io.run() going while requests wait on backends with no socket operation pending.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
  std::atomic<int> running{0};
  int port = 0;
};

namespace {

std::chrono::steady_clock::duration Chrono(absl::Duration d) {
  return absl::ToChronoMilliseconds(d);
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, std::shared_ptr<HttpServer::Impl> server)
      : stream_(std::move(socket)), server_(std::move(server)) {
    boost::system::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
    if (server_->metrics) server_->metrics->connections().Increment();
  }
  ~Connection() {
    {
      std::lock_guard lock(server_->mu);
      server_->closers.erase(this);
    }
    --server_->connections;
    if (server_->metrics) server_->metrics->connections().Decrement();
  }

  void Start() {
    {
      std::lock_guard lock(server_->mu);
      server_->closers[this] = [weak = weak_from_this()] {
        if (auto self = weak.lock()) {
          asio::post(self->stream_.get_executor(), [self] {
            if (!self->busy_) self->Close();
          });
        }
      };
    }
    ReadHeader();
  }

 private:
  void ReadHeader() {
    if (server_->stopping) return Close();
    parser_.emplace();
    parser_->header_limit(
        static_cast<uint32_t>(server_->limits.max_header_bytes + server_->limits.max_url_bytes));
    parser_->body_limit(server_->limits.max_body_bytes);
    stream_.expires_after(
        Chrono(first_request_ ? server_->limits.header_timeout : server_->limits.idle_timeout));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec, /*in_header=*/true);
    auto& req = parser_->get();
    if (req.target().size() > server_->limits.max_url_bytes) {
      return Reject(
          414, grpc::StatusCode::INVALID_ARGUMENT, "URI_TOO_LONG",
          absl::StrCat("the URL is longer than ", server_->limits.max_url_bytes, " bytes"));
    }
    size_t header_bytes = 0;
    for (const auto& field : req) {
      header_bytes += field.name_string().size() + field.value().size() + 4;
    }
    if (header_bytes > server_->limits.max_header_bytes) {
      return Reject(
          431, grpc::StatusCode::INVALID_ARGUMENT, "HEADERS_TOO_LARGE",
          absl::StrCat("the headers exceed ", server_->limits.max_header_bytes, " bytes"));
    }
    if (auto length = parser_->content_length();
        length && *length > server_->limits.max_body_bytes) {
      return Reject(413, grpc::StatusCode::INVALID_ARGUMENT, "BODY_TOO_LARGE",
                    absl::StrCat("the body exceeds ", server_->limits.max_body_bytes, " bytes"));
    }
    if (parser_->is_done()) return Dispatch();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      // curl and browsers wait for this before sending large bodies.
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     req.version());
      stream_.expires_after(Chrono(server_->limits.write_timeout));
      return http::async_write(stream_, *cont,
                               [self = shared_from_this(), cont](beast::error_code ec, size_t) {
                                 if (ec) return self->Close();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(Chrono(server_->limits.body_timeout));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec, /*in_header=*/false);
                       self->Dispatch();
                     });
  }

  void OnReadError(beast::error_code ec, bool in_header) {
    if (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted) {
      return Close();
    }
    if (ec == beast::error::timeout) {
      // beast::tcp_stream has already closed the socket: an idle keep-alive connection or a
      // client too slow to send its request (slowloris) is simply dropped.
      return Close();
    }
    if (ec == http::error::header_limit) {
      return Reject(431, grpc::StatusCode::INVALID_ARGUMENT, "HEADERS_TOO_LARGE",
                    "the request line and headers are too large");
    }
    if (ec == http::error::body_limit) {
      return Reject(413, grpc::StatusCode::INVALID_ARGUMENT, "BODY_TOO_LARGE",
                    absl::StrCat("the body exceeds ", server_->limits.max_body_bytes, " bytes"));
    }
    if (!in_header && ec == http::error::partial_message) return Close();
    Reject(400, grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_REQUEST",
           absl::StrCat("malformed HTTP request: ", ec.message()));
  }

  HttpRequest Convert(bool with_body) {
    HttpRequest out;
    auto& req = parser_->get();
    out.method = std::string(req.method_string());
    out.target = std::string(req.target());
    for (const auto& field : req) {
      out.headers.emplace_back(absl::AsciiStrToLower(std::string(field.name_string())),
                               std::string(field.value()));
    }
    if (with_body) out.body = std::move(req.body());
    out.remote_address = remote_;
    return out;
  }

  void Reject(int status, grpc::StatusCode code, const char* reason, std::string message) {
    HttpRequest partial = Convert(/*with_body=*/false);
    HttpResponse r =
        server_->rejecter(partial, HttpError(status, code, reason, std::move(message)));
    r.close_connection = true;
    head_ = false;
    Write(std::move(r), /*keep_alive=*/false);
  }

  void Dispatch() {
    keep_alive_ = parser_->get().keep_alive();
    head_ = parser_->get().method() == http::verb::head;
    version_ = parser_->get().version();
    HttpRequest request = Convert(/*with_body=*/true);
    ++server_->in_flight;
    busy_ = true;
    stream_.expires_never();  // the handler enforces its own backend deadline
    server_->handler(std::move(request), [self = shared_from_this()](HttpResponse response) {
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Write(std::move(response), self->keep_alive_ && !response.close_connection);
      });
    });
  }

  void Write(HttpResponse r, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(version_);
    res->result(static_cast<unsigned>(r.status));
    std::optional<uint64_t> head_length;
    for (auto& [name, value] : r.headers) {
      if (head_ && beast::iequals(name, "content-length")) {
        uint64_t n = 0;
        if (absl::SimpleAtoi(value, &n)) head_length = n;
        continue;
      }
      res->insert(name, value);
    }
    if (server_->stopping) keep_alive = false;
    res->keep_alive(keep_alive);
    if (head_) {
      res->content_length(head_length.value_or(r.body.size()));
    } else if (r.status != 304 && r.status != 204) {
      res->body() = std::move(r.body);
      res->prepare_payload();
    }
    stream_.expires_after(Chrono(server_->limits.write_timeout));
    // A HEAD response carries the length of the body it omits: write the header only.
    auto on_written = [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
      // The request counts as in flight until its response is written (shutdown waits).
      if (self->busy_) {
        self->busy_ = false;
        --self->server_->in_flight;
      }
      if (ec || !keep_alive) return self->Close();
      self->first_request_ = false;
      self->ReadHeader();
    };
    if (head_) {
      auto serializer = std::make_shared<http::response_serializer<http::string_body>>(*res);
      http::async_write_header(
          stream_, *serializer,
          [serializer, on_written](beast::error_code ec, size_t n) { on_written(ec, n); });
    } else {
      http::async_write(stream_, *res, std::move(on_written));
    }
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<HttpServer::Impl> server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string remote_;
  bool first_request_ = true;
  bool busy_ = false;  // a request is with the handler
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(io),
                        [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                          if (ec) {
                            if (self->stopping || ec == asio::error::operation_aborted) return;
                            log::Warning("accept failed", {{"error", ec.message()}});
                          } else if (self->connections.load() >= self->limits.max_connections) {
                            beast::error_code ignored;
                            socket.close(ignored);
                          } else {
                            ++self->connections;
                            socket.set_option(tcp::no_delay(true), ec);
                            std::make_shared<Connection>(std::move(socket), self)->Start();
                          }
                          self->Accept();
                        });
}

HttpServer::HttpServer(ServerLimits limits, Handler handler, Rejecter rejecter,
                       GatewayMetrics* metrics)
    : impl_(std::make_shared<Impl>(limits, std::move(handler), std::move(rejecter), metrics)) {}

HttpServer::~HttpServer() {
  if (!impl_->threads.empty()) Shutdown(absl::ZeroDuration());
}

absl::Status HttpServer::Listen(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(host_port.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat("bad listen address ", host_port));
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(host_port.substr(0, colon), ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("bad listen host in ", host_port));
  tcp::endpoint endpoint(address, static_cast<uint16_t>(port));
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", host_port, ": ", ec.message()));
  }
  impl_->port = impl_->acceptor.local_endpoint().port();
  return absl::OkStatus();
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::Start(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  impl_->work.emplace(impl_->io.get_executor());
  impl_->Accept();
  for (int i = 0; i < threads; ++i) {
    ++impl_->running;
    impl_->threads.emplace_back([impl = impl_] {
      impl->io.run();
      --impl->running;
    });
  }
}

void HttpServer::Shutdown(absl::Duration grace) {
  impl_->stopping = true;
  asio::post(impl_->io, [impl = impl_] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  const absl::Time deadline = absl::Now() + grace;
  while (impl_->in_flight.load() > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  // Idle keep-alive connections are closed; the io_context then runs out of work.
  std::vector<std::function<void()>> closers;
  {
    std::lock_guard lock(impl_->mu);
    for (auto& [conn, close] : impl_->closers) closers.push_back(close);
  }
  for (auto& close : closers) close();
  asio::post(impl_->io, [impl = impl_] { impl->work.reset(); });
  const absl::Time hard_deadline = std::max(deadline, absl::Now()) + absl::Seconds(1);
  while (impl_->running.load() > 0 && absl::Now() < hard_deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace tiquete::gateway
