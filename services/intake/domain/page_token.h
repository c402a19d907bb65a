// Opaque cursors for ListMessages: keyset pagination over (received_at, id), newest first, so
// pages stay stable while new messages arrive. A token is bound to the filters it was issued
// for; reusing it with other filters is refused instead of silently skipping rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tiquete::intake::domain {

struct MessageCursor {
  int64_t received_at_micros = 0;  // of the last message served
  std::string id;                  // its id, the tie-breaker
};

// scope: a fingerprint of the filters.
std::string EncodePageToken(std::string_view scope, const MessageCursor& cursor);
// nullopt when the token is malformed or was issued for another scope.
std::optional<MessageCursor> DecodePageToken(std::string_view token, std::string_view scope);

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;
// 0 → the default, above the maximum → the maximum, negative → nullopt (invalid).
std::optional<int> EffectivePageSize(int requested);

}  // namespace tiquete::intake::domain
