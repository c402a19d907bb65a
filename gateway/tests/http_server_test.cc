// The Beast server with a real socket: keep-alive, size limits, timeouts, slow clients and
// draining on shutdown. Every refusal is a JSON error, never a crash.
#include <catch2/catch.hpp>

#include <thread>

#include "gateway/http_server.h"
#include "gateway/tests/fakes.h"
#include "gateway/tests/http_client.h"
#include "gwtest/things/v1/things.pb.h"
#include "tiquete/gateway/v1/auth.pb.h"

namespace tiquete::gateway {
namespace {

using namespace testing;  // NOLINT

// Answers after a delay, from another thread (like a real backend).
class SlowBackend final : public Backend {
 public:
  void Call(const BackendCall&, const google::protobuf::Message&, google::protobuf::Message*,
            std::function<void(grpc::Status)> done) override {
    std::thread([done = std::move(done), d = delay] {
      absl::SleepFor(d);
      done(grpc::Status::OK);
    }).detach();
  }
  void CheckHealth(std::function<void(grpc::Status)> done) override { done(grpc::Status::OK); }
  absl::Duration delay = absl::Milliseconds(300);
};

class Server {
 public:
  explicit Server(int threads = 2) {
    auto t = RouteTable::FromServices({gwtest::things::v1::Thing::descriptor()->file()->service(0),
                                       v1::LoginRequest::descriptor()->file()->service(0)});
    REQUIRE(t.ok());
    routes = std::make_unique<RouteTable>(*std::move(t));
    creds.AddToken("tqt_test", PersonWith("p-1", "coordinator"));
    GatewayDeps deps;
    deps.routes = routes.get();
    deps.backends["things"] = &backend;
    deps.sessions = &sessions;
    deps.counters = &counters;
    deps.credentials = &creds;
    gateway = std::make_unique<Gateway>(GatewayOptions{}, deps);
    ServerLimits limits;
    limits.max_body_bytes = 1024;
    limits.max_header_bytes = 2048;
    limits.max_url_bytes = 512;
    limits.header_timeout = absl::Milliseconds(500);
    limits.idle_timeout = absl::Milliseconds(800);
    limits.body_timeout = absl::Milliseconds(500);
    server = std::make_unique<HttpServer>(
        limits, [this](HttpRequest r, Respond respond) { gateway->Handle(std::move(r), respond); },
        [this](const HttpRequest& r, const ApiError& e) { return gateway->Reject(r, e); });
    REQUIRE(server->Listen("127.0.0.1:0").ok());
    server->Start(threads);
  }
  ~Server() { server->Shutdown(absl::Seconds(1)); }
  int port() const { return server->port(); }

  FakeClock clock;
  InMemorySessionStore sessions{&clock, SessionLimits{}};
  InMemoryCounterStore counters{&clock};
  FakeCredentials creds;
  SlowBackend backend;
  std::unique_ptr<RouteTable> routes;
  std::unique_ptr<Gateway> gateway;
  std::unique_ptr<HttpServer> server;
};

void CheckJsonError(const std::optional<RawResponse>& r, int status, const std::string& code) {
  REQUIRE(r.has_value());
  INFO(r->body);
  CHECK(r->status == status);
  CHECK(r->Header("content-type") == "application/json; charset=utf-8");
  CHECK(r->body.find("\"code\":\"" + code + "\"") != std::string::npos);
  CHECK(r->body.find("\"request_id\":\"") != std::string::npos);
  CHECK(!r->Header("x-request-id").empty());
  CHECK(r->Header("x-content-type-options") == "nosniff");
}

}  // namespace

TEST_CASE("one keep-alive connection serves several requests") {
  Server s;
  RawConnection c(s.port());
  for (int i = 0; i < 3; ++i) {
    REQUIRE(c.Send(Request("GET", "/healthz")));
    auto r = c.Read();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == R"({"status":"ok"})");
  }
}

TEST_CASE("an oversize body is 413 before it is read, whether announced or chunked") {
  Server s;
  CheckJsonError(
      HttpExchange(s.port(), Request("POST", "/v1/things/1:update", std::string(2000, 'x'))), 413,
      "BODY_TOO_LARGE");
  std::string chunked =
      "POST /v1/things/1:update HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
      "Content-Type: application/json\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "200\r\n" + std::string(512, 'a') + "\r\n";
  chunked += "0\r\n\r\n";
  CheckJsonError(HttpExchange(s.port(), chunked), 413, "BODY_TOO_LARGE");
}

TEST_CASE("oversize headers are 431 and an overlong URL is 414") {
  Server s;
  CheckJsonError(HttpExchange(s.port(), Request("GET", "/healthz", "",
                                                "X-Big: " + std::string(3000, 'h') + "\r\n")),
                 431, "HEADERS_TOO_LARGE");
  CheckJsonError(HttpExchange(s.port(), Request("GET", "/healthz?q=" + std::string(600, 'q'))), 414,
                 "URI_TOO_LONG");
  // Far beyond every limit: the parser itself stops reading.
  CheckJsonError(HttpExchange(s.port(), Request("GET", "/" + std::string(20000, 'u'))), 431,
                 "HEADERS_TOO_LARGE");
}

TEST_CASE("malformed HTTP is a 400 JSON error and the connection is closed") {
  Server s;
  RawConnection c(s.port());
  REQUIRE(c.Send("GARBAGE\r\n\r\n"));
  CheckJsonError(c.Read(), 400, "MALFORMED_REQUEST");
  CHECK(c.ClosedByPeer(absl::Seconds(2)));
  CheckJsonError(HttpExchange(s.port(), "GET /healthz HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
                 400, "MALFORMED_REQUEST");
}

TEST_CASE("a client that sends its headers too slowly is disconnected") {
  Server s(1);
  RawConnection slow(s.port());
  REQUIRE(slow.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n"));
  const absl::Time start = absl::Now();
  CHECK(slow.ClosedByPeer(absl::Seconds(3)));
  CHECK(absl::Now() - start < absl::Seconds(2));  // the 500 ms header timeout, not the idle one
}

TEST_CASE("slow clients hold sockets, not threads: a normal request still gets through") {
  Server s(1);  // a single server thread
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 50; ++i) {
    slow.push_back(std::make_unique<RawConnection>(s.port()));
    REQUIRE(slow.back()->Send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: "));
  }
  const absl::Time start = absl::Now();
  auto r = HttpExchange(s.port(), Request("GET", "/healthz"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(absl::Now() - start < absl::Milliseconds(300));
}

TEST_CASE("an idle keep-alive connection is closed quietly after the idle timeout") {
  Server s;
  RawConnection c(s.port());
  REQUIRE(c.Send(Request("GET", "/healthz")));
  REQUIRE(c.Read());
  CHECK(c.ClosedByPeer(absl::Seconds(3)));
}

TEST_CASE("Expect: 100-continue gets an interim response before the body is sent") {
  Server s;
  RawConnection c(s.port());
  const std::string body = R"({"reason":"x"})";
  REQUIRE(
      c.Send("POST /v1/things/1:update HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer tqt_test\r\n"
             "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n"));
  auto interim = c.Read(absl::Seconds(3));
  REQUIRE(interim);
  CHECK(interim->status == 100);
  REQUIRE(c.Send(body));
  auto r = c.Read(absl::Seconds(3));
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("a backend answering from another thread completes the exchange") {
  Server s;
  auto r = HttpExchange(s.port(),
                        Request("GET", "/v1/things/1", "", "Authorization: Bearer tqt_test\r\n"));
  REQUIRE(r);
  INFO(r->body);
  CHECK(r->status == 200);
}

TEST_CASE("shutdown lets an in-flight backend call finish and answer") {
  Server s;
  RawConnection c(s.port());
  REQUIRE(c.Send(Request("GET", "/v1/things/1", "", "Authorization: Bearer tqt_test\r\n")));
  absl::SleepFor(absl::Milliseconds(100));
  std::thread stopper([&] { s.server->Shutdown(absl::Seconds(3)); });
  auto r = c.Read(absl::Seconds(5));
  stopper.join();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->Header("connection") == "close");
}

}  // namespace tiquete::gateway
