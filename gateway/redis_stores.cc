#include "gateway/redis_stores.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace tiquete::gateway {
namespace {

constexpr char kSessionPrefix[] = "tiquete:gw:session:";
constexpr char kCounterPrefix[] = "tiquete:gw:count:";

std::string Millis(absl::Duration d) {
  return std::to_string(std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

// An error reply inside a pipeline is a failed command, reported like a failed connection.
absl::Status CheckReplies(const RedisReplies& replies, size_t expected) {
  if (replies.size() != expected) {
    return Error(absl::StatusCode::kInternal, "REDIS_ERROR", "unexpected number of replies");
  }
  for (const auto& r : replies) {
    if (r.type == RespValue::Type::kError) {
      return Error(absl::StatusCode::kInternal, "REDIS_ERROR", r.str);
    }
  }
  return absl::OkStatus();
}

}  // namespace

void RedisSessionStore::Create(const Session& session,
                               std::function<void(absl::StatusOr<std::string>)> done) {
  std::string id = NewOpaqueToken();
  redis_->Execute(
      {{"SET", kSessionPrefix + Sha256Hex(id), EncodeSession(session), "PX", Millis(limits_.idle)}},
      [id, done = std::move(done)](absl::StatusOr<RedisReplies> r) {
        if (!r.ok()) return done(r.status());
        if (auto s = CheckReplies(*r, 1); !s.ok()) return done(s);
        done(id);
      });
}

void RedisSessionStore::Get(const std::string& id,
                            std::function<void(absl::StatusOr<std::optional<Session>>)> done) {
  // GETEX reads and refreshes the idle expiry in one round trip.
  const std::string key = kSessionPrefix + Sha256Hex(id);
  redis_->Execute(
      {{"GETEX", key, "PX", Millis(limits_.idle)}},
      [this, key, done = std::move(done)](absl::StatusOr<RedisReplies> r) {
        if (!r.ok()) return done(r.status());
        if (auto s = CheckReplies(*r, 1); !s.ok()) return done(s);
        const RespValue& v = (*r)[0];
        if (v.type != RespValue::Type::kString) return done(std::optional<Session>());
        auto session = DecodeSession(v.str);
        if (!session.ok()) return done(session.status());
        const absl::Time now = clock_->Now();
        if (SessionExpired(*session, now, limits_)) {
          redis_->Execute({{"DEL", key}}, [](absl::StatusOr<RedisReplies>) {});
          return done(std::optional<Session>());
        }
        // Never let the idle refresh outlive the absolute lifetime.
        const absl::Duration left = session->created + limits_.absolute - now;
        if (left < limits_.idle) {
          redis_->Execute({{"PEXPIRE", key, Millis(left)}}, [](absl::StatusOr<RedisReplies>) {});
        }
        done(std::optional<Session>(*std::move(session)));
      });
}

void RedisSessionStore::Delete(const std::string& id, std::function<void(absl::Status)> done) {
  redis_->Execute({{"DEL", kSessionPrefix + Sha256Hex(id)}},
                  [done = std::move(done)](absl::StatusOr<RedisReplies> r) {
                    if (!r.ok()) return done(r.status());
                    done(CheckReplies(*r, 1));
                  });
}

void RedisCounterStore::IncrementBy(const std::string& key, int64_t n, absl::Duration window,
                                    std::function<void(absl::StatusOr<WindowCount>)> done) {
  const std::string k = kCounterPrefix + key;
  // EXPIRE NX opens the window on the first increment only (fixed window).
  redis_->Execute(
      {{"INCRBY", k, std::to_string(n)}, {"PEXPIRE", k, Millis(window), "NX"}, {"PTTL", k}},
      [done = std::move(done)](absl::StatusOr<RedisReplies> r) {
        if (!r.ok()) return done(r.status());
        if (auto s = CheckReplies(*r, 3); !s.ok()) return done(s);
        WindowCount c;
        c.count = (*r)[0].integer;
        c.remaining = absl::Milliseconds(std::max<int64_t>(0, (*r)[2].integer));
        done(c);
      });
}

void RedisCounterStore::Read(const std::string& key,
                             std::function<void(absl::StatusOr<WindowCount>)> done) {
  const std::string k = kCounterPrefix + key;
  redis_->Execute(
      {{"GET", k}, {"PTTL", k}}, [done = std::move(done)](absl::StatusOr<RedisReplies> r) {
        if (!r.ok()) return done(r.status());
        if (auto s = CheckReplies(*r, 2); !s.ok()) return done(s);
        WindowCount c;
        if ((*r)[0].type == RespValue::Type::kString && !absl::SimpleAtoi((*r)[0].str, &c.count)) {
          return done(Error(absl::StatusCode::kInternal, "REDIS_ERROR", "counter is not a number"));
        }
        c.remaining = absl::Milliseconds(std::max<int64_t>(0, (*r)[1].integer));
        done(c);
      });
}

void RedisCounterStore::Reset(const std::string& key, std::function<void(absl::Status)> done) {
  redis_->Execute({{"DEL", kCounterPrefix + key}},
                  [done = std::move(done)](absl::StatusOr<RedisReplies> r) {
                    if (!r.ok()) return done(r.status());
                    done(CheckReplies(*r, 1));
                  });
}

}  // namespace tiquete::gateway
