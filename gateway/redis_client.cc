#include "gateway/redis_client.h"

#include <deque>
#include <thread>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/log.h"

namespace tiquete::gateway {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr int kMaxDepth = 8;

int ParseRespAt(std::string_view b, size_t* pos, RespValue* out, int depth) {
  if (depth > kMaxDepth) return -1;
  if (*pos >= b.size()) return 0;
  const size_t eol = b.find("\r\n", *pos);
  if (eol == std::string_view::npos) return 0;
  const char kind = b[*pos];
  const std::string_view line = b.substr(*pos + 1, eol - *pos - 1);
  size_t next = eol + 2;
  int64_t n = 0;
  switch (kind) {
    case '+':
    case '-':
      out->type = kind == '+' ? RespValue::Type::kStatus : RespValue::Type::kError;
      out->str = std::string(line);
      break;
    case ':':
      if (!absl::SimpleAtoi(absl::string_view(line.data(), line.size()), &n)) return -1;
      out->type = RespValue::Type::kInteger;
      out->integer = n;
      break;
    case '$':
      if (!absl::SimpleAtoi(absl::string_view(line.data(), line.size()), &n)) return -1;
      if (n < 0) {
        out->type = RespValue::Type::kNil;
        break;
      }
      if (b.size() < next + static_cast<size_t>(n) + 2) return 0;
      out->type = RespValue::Type::kString;
      out->str = std::string(b.substr(next, static_cast<size_t>(n)));
      next += static_cast<size_t>(n) + 2;
      break;
    case '*': {
      if (!absl::SimpleAtoi(absl::string_view(line.data(), line.size()), &n)) return -1;
      if (n < 0) {
        out->type = RespValue::Type::kNil;
        break;
      }
      out->type = RespValue::Type::kArray;
      out->elements.clear();
      out->elements.resize(static_cast<size_t>(n));
      for (auto& e : out->elements) {
        const int r = ParseRespAt(b, &next, &e, depth + 1);
        if (r != 1) return r;
      }
      break;
    }
    default:
      return -1;
  }
  *pos = next;
  return 1;
}

}  // namespace

int ParseResp(std::string_view buffer, size_t* pos, RespValue* out) {
  return ParseRespAt(buffer, pos, out, 0);
}

void AppendRespCommand(std::string* out, const RedisCommand& command) {
  absl::StrAppend(out, "*", command.size(), "\r\n");
  for (const auto& arg : command) absl::StrAppend(out, "$", arg.size(), "\r\n", arg, "\r\n");
}

struct RedisClient::Impl : std::enable_shared_from_this<RedisClient::Impl> {
  struct Batch {
    size_t expected;
    RedisReplies replies;
    std::function<void(absl::StatusOr<RedisReplies>)> done;
    std::chrono::steady_clock::time_point sent;
  };

  Impl(RedisAddress a, absl::Duration t)
      : address(std::move(a)),
        timeout(absl::ToChronoMilliseconds(t)),
        work(asio::make_work_guard(io)),
        socket(io),
        timer(io) {}

  // Everything below runs on the client's thread.
  void Enqueue(std::vector<RedisCommand> commands,
               std::function<void(absl::StatusOr<RedisReplies>)> done) {
    if (commands.empty()) {
      done(RedisReplies{});
      return;
    }
    for (const auto& c : commands) AppendRespCommand(&outgoing, c);
    batches.push_back({commands.size(), {}, std::move(done), std::chrono::steady_clock::now()});
    if (state == State::kDisconnected) {
      Connect();
    } else if (state == State::kConnected) {
      Flush();
    }
    ArmTimer();
  }

  void Connect() {
    state = State::kConnecting;
    auto self = shared_from_this();
    const uint64_t gen = generation;
    resolver = std::make_unique<tcp::resolver>(io);
    resolver->async_resolve(
        address.host, std::to_string(address.port),
        [self, gen](const boost::system::error_code& ec, tcp::resolver::results_type results) {
          if (gen != self->generation) return;
          if (ec) {
            self->Fail(absl::StrCat("cannot resolve Redis host: ", ec.message()));
            return;
          }
          asio::async_connect(
              self->socket, results,
              [self, gen](const boost::system::error_code& ec, const tcp::endpoint&) {
                if (gen != self->generation) return;
                if (ec) {
                  self->Fail(absl::StrCat("cannot connect to Redis: ", ec.message()));
                  return;
                }
                self->socket.set_option(tcp::no_delay(true));
                self->state = State::kConnected;
                self->Read();
                self->Flush();
              });
        });
  }

  void Flush() {
    if (writing || outgoing.empty()) return;
    writing = true;
    in_flight.swap(outgoing);
    auto self = shared_from_this();
    asio::async_write(socket, asio::buffer(in_flight),
                      [self, gen = generation](const boost::system::error_code& ec, size_t) {
                        if (gen != self->generation) return;
                        self->writing = false;
                        self->in_flight.clear();
                        if (ec) {
                          self->Fail(absl::StrCat("Redis write failed: ", ec.message()));
                          return;
                        }
                        self->Flush();
                      });
  }

  void Read() {
    auto self = shared_from_this();
    const size_t old = incoming.size();
    incoming.resize(old + 16384);
    socket.async_read_some(
        asio::buffer(incoming.data() + old, 16384),
        [self, old, gen = generation](const boost::system::error_code& ec, size_t n) {
          if (gen != self->generation) return;
          self->incoming.resize(old + n);
          if (ec) {
            self->Fail(absl::StrCat("Redis read failed: ", ec.message()));
            return;
          }
          size_t pos = 0;
          while (!self->batches.empty()) {
            RespValue v;
            const int r = ParseResp(self->incoming, &pos, &v);
            if (r < 0) {
              self->Fail("Redis protocol error");
              return;
            }
            if (r == 0) break;
            Batch& b = self->batches.front();
            b.replies.push_back(std::move(v));
            if (b.replies.size() == b.expected) {
              auto done = std::move(b.done);
              auto replies = std::move(b.replies);
              self->batches.pop_front();
              done(std::move(replies));
            }
          }
          self->incoming.erase(0, pos);
          if (self->state == State::kConnected) {
            self->ArmTimer();
            self->Read();
          }
        });
  }

  // Fails the oldest batch's wait after `timeout` without its replies.
  void ArmTimer() {
    if (batches.empty()) {
      timer.cancel();
      return;
    }
    timer.expires_at(batches.front().sent + timeout);
    auto self = shared_from_this();
    timer.async_wait([self](const boost::system::error_code& ec) {
      if (ec || self->batches.empty()) return;
      if (std::chrono::steady_clock::now() >= self->batches.front().sent + self->timeout) {
        self->Fail("Redis did not answer in time");
      }
    });
  }

  // Handlers of a connection that has failed since they started find another generation and
  // leave the new connection alone.
  void Fail(const std::string& why) {
    ++generation;
    boost::system::error_code ignored;
    socket.close(ignored);
    timer.cancel();
    state = State::kDisconnected;
    writing = false;
    outgoing.clear();
    in_flight.clear();
    incoming.clear();
    auto failed = std::move(batches);
    batches.clear();
    if (!failed.empty()) log::Warning("redis unavailable", {{"error", why}});
    for (auto& b : failed) {
      b.done(Error(absl::StatusCode::kUnavailable, "REDIS_UNAVAILABLE", why));
    }
  }

  enum class State { kDisconnected, kConnecting, kConnected };
  RedisAddress address;
  std::chrono::milliseconds timeout;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  tcp::socket socket;
  asio::steady_timer timer;
  std::unique_ptr<tcp::resolver> resolver;
  State state = State::kDisconnected;
  uint64_t generation = 0;
  bool writing = false;
  std::string outgoing;
  std::string in_flight;
  std::string incoming;
  std::deque<Batch> batches;
  std::thread thread;
};

RedisClient::RedisClient(RedisAddress address, absl::Duration timeout)
    : impl_(std::make_shared<Impl>(std::move(address), timeout)) {
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

RedisClient::~RedisClient() {
  asio::post(impl_->io, [impl = impl_] {
    impl->Fail("the Redis client is shutting down");
    impl->work.reset();
    impl->resolver.reset();
  });
  impl_->thread.join();
}

void RedisClient::Execute(std::vector<RedisCommand> commands,
                          std::function<void(absl::StatusOr<RedisReplies>)> done) {
  asio::post(impl_->io,
             [impl = impl_, commands = std::move(commands), done = std::move(done)]() mutable {
               impl->Enqueue(std::move(commands), std::move(done));
             });
}

}  // namespace tiquete::gateway
