// A small owning wrapper over a synchronous hiredis 0.14 connection (RESP2, no TLS).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <hiredis/hiredis.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tiquete {

struct RedisAddress {
  std::string host;
  int port = 6379;
};
absl::StatusOr<RedisAddress> ParseRedisAddress(const std::string& host_port);

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisReply = std::unique_ptr<redisReply, ReplyDeleter>;

class RedisConnection {
 public:
  // io_timeout bounds every read; blocking commands must block for less than it.
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Connect(
      const RedisAddress& address, absl::Duration connect_timeout = absl::Seconds(2),
      absl::Duration io_timeout = absl::Seconds(5));
  ~RedisConnection();

  // One command; an error reply becomes an INTERNAL status with Redis's text, an I/O failure
  // UNAVAILABLE (the connection is then dead: broken() turns true).
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv);
  // Sends all commands before reading any reply (one round trip).
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);
  bool broken() const { return broken_; }

 private:
  explicit RedisConnection(redisContext* ctx) : ctx_(ctx) {}
  redisContext* ctx_;
  bool broken_ = false;
};

// Reply helpers: the string of a STRING/STATUS reply, "" otherwise.
std::string ReplyString(const redisReply* r);

}  // namespace tiquete
