// The Redis-backed session store and counters used in production (see sessions.h and
// throttle.h for the contracts). Keys live under "tiquete:gw:".
#pragma once

#include <string>

#include "common/clock.h"
#include "gateway/redis_client.h"
#include "gateway/sessions.h"
#include "gateway/throttle.h"

namespace tiquete::gateway {

class RedisSessionStore final : public SessionStore {
 public:
  RedisSessionStore(RedisClient* redis, const Clock* clock, SessionLimits limits)
      : redis_(redis), clock_(clock), limits_(limits) {}
  void Create(const Session& session,
              std::function<void(absl::StatusOr<std::string>)> done) override;
  void Get(const std::string& id,
           std::function<void(absl::StatusOr<std::optional<Session>>)> done) override;
  void Delete(const std::string& id, std::function<void(absl::Status)> done) override;

 private:
  RedisClient* redis_;
  const Clock* clock_;
  SessionLimits limits_;
};

class RedisCounterStore final : public CounterStore {
 public:
  explicit RedisCounterStore(RedisClient* redis) : redis_(redis) {}
  void IncrementBy(const std::string& key, int64_t n, absl::Duration window,
                   std::function<void(absl::StatusOr<WindowCount>)> done) override;
  void Read(const std::string& key, std::function<void(absl::StatusOr<WindowCount>)> done) override;
  void Reset(const std::string& key, std::function<void(absl::Status)> done) override;

 private:
  RedisClient* redis_;
};

}  // namespace tiquete::gateway
