#include "services/intake/domain/page_token.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tiquete::intake::domain {

std::string EncodePageToken(std::string_view scope, const MessageCursor& cursor) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("m1|", std::string(scope), "|", cursor.received_at_micros, "|", cursor.id));
}

std::optional<MessageCursor> DecodePageToken(std::string_view token, std::string_view scope) {
  std::string plain;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &plain)) {
    return std::nullopt;
  }
  std::vector<std::string> parts = absl::StrSplit(plain, '|');
  if (parts.size() != 4 || parts[0] != "m1" || parts[1] != scope) return std::nullopt;
  MessageCursor cursor;
  if (!absl::SimpleAtoi(parts[2], &cursor.received_at_micros) || parts[3].empty()) {
    return std::nullopt;
  }
  cursor.id = parts[3];
  return cursor;
}

std::optional<int> EffectivePageSize(int requested) {
  if (requested < 0) return std::nullopt;
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

}  // namespace tiquete::intake::domain
