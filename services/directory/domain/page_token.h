// Opaque cursors for List RPCs. A token remembers the sort key and id of the last row served
// (keyset pagination: stable while rows are added or removed) and the filters it was issued
// for, so reusing it with other filters is refused instead of silently skipping rows.
#pragma once

#include <string>
#include <string_view>

namespace tiquete::directory {

struct PageCursor {
  std::string scope;     // resource and a fingerprint of the filters
  std::string last_key;  // sort key of the last row returned
  std::string last_id;   // its id, the tie-breaker
};

std::string EncodePageToken(const PageCursor& cursor);

// False when the token is malformed or was issued for another scope.
bool DecodePageToken(std::string_view token, std::string_view scope, PageCursor* out);

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// 0 → the default, above the maximum → the maximum; -1 for a negative size (invalid).
int EffectivePageSize(int requested);

}  // namespace tiquete::directory
