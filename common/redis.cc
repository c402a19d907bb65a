#include "common/redis.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace tiquete {
absl::StatusOr<RedisAddress> ParseRedisAddress(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  RedisAddress address;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(host_port.substr(colon + 1), &address.port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis address \"", host_port, "\" must be host:port"));
  }
  address.host = host_port.substr(0, colon);
  return address;
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Connect(
    const RedisAddress& address, absl::Duration connect_timeout, absl::Duration io_timeout) {
  redisContext* ctx =
      redisConnectWithTimeout(address.host.c_str(), address.port, absl::ToTimeval(connect_timeout));
  if (ctx == nullptr || ctx->err) {
    std::string why = ctx ? ctx->errstr : "out of memory";
    if (ctx) redisFree(ctx);
    return Error(absl::StatusCode::kUnavailable, "REDIS_UNAVAILABLE",
                 absl::StrCat("Redis ", address.host, ":", address.port, ": ", why));
  }
  redisSetTimeout(ctx, absl::ToTimeval(io_timeout));
  return std::unique_ptr<RedisConnection>(new RedisConnection(ctx));
}

RedisConnection::~RedisConnection() { redisFree(ctx_); }

absl::StatusOr<RedisReply> RedisConnection::Command(const std::vector<std::string>& argv) {
  auto replies = Pipeline({argv});
  if (!replies.ok()) return replies.status();
  return std::move((*replies)[0]);
}

absl::StatusOr<std::vector<RedisReply>> RedisConnection::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (broken_) {
    return Error(absl::StatusCode::kUnavailable, "REDIS_UNAVAILABLE", "Redis connection is broken");
  }
  std::vector<const char*> args;
  std::vector<size_t> lens;
  for (const auto& argv : commands) {
    args.clear();
    lens.clear();
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), args.data(), lens.data()) !=
        REDIS_OK) {
      broken_ = true;
      return Error(absl::StatusCode::kUnavailable, "REDIS_UNAVAILABLE",
                   absl::StrCat("Redis: ", ctx_->errstr));
    }
  }
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  absl::Status first_error;
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) {
      broken_ = true;
      return Error(absl::StatusCode::kUnavailable, "REDIS_UNAVAILABLE",
                   absl::StrCat("Redis: ", ctx_->errstr));
    }
    RedisReply reply(static_cast<redisReply*>(raw));
    if (reply->type == REDIS_REPLY_ERROR && first_error.ok()) {
      first_error =
          Error(absl::StatusCode::kInternal, "REDIS_ERROR",
                absl::StrCat("Redis ", commands[i][0], ": ", std::string(reply->str, reply->len)));
    }
    replies.push_back(std::move(reply));
  }
  if (!first_error.ok()) return first_error;
  return replies;
}

std::string ReplyString(const redisReply* r) {
  if (r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)) {
    return std::string(r->str, r->len);
  }
  return "";
}

}  // namespace tiquete
