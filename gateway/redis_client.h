// A non-blocking, pipelining Redis client (RESP2 over one TCP connection, Boost.Asio on its
// own thread), so request threads never wait on Redis. Commands from any thread are written
// in order and their replies matched in order; a broken connection fails what is in flight
// with UNAVAILABLE and is re-opened by the next command.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis.h"

namespace tiquete::gateway {

struct RespValue {
  enum class Type { kString, kStatus, kError, kInteger, kNil, kArray };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<RespValue> elements;
};

using RedisCommand = std::vector<std::string>;
using RedisReplies = std::vector<RespValue>;

// Parses one RESP2 value starting at *pos. Returns 1 and advances *pos when complete, 0 when
// more bytes are needed, -1 on a protocol error.
int ParseResp(std::string_view buffer, size_t* pos, RespValue* out);
// The RESP2 encoding of a command (an array of bulk strings).
void AppendRespCommand(std::string* out, const RedisCommand& command);

class RedisClient {
 public:
  // `timeout` bounds connecting and each batch's wait for its replies.
  RedisClient(RedisAddress address, absl::Duration timeout);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends the commands back to back; `done` gets one reply per command (error replies
  // included, as kError values) or a status when the connection failed. `done` runs on the
  // client's thread and must not block.
  void Execute(std::vector<RedisCommand> commands,
               std::function<void(absl::StatusOr<RedisReplies>)> done);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace tiquete::gateway
