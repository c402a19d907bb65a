#include "services/directory/domain/page_token.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"

namespace tiquete::directory {
namespace {

// NUL cannot occur in PostgreSQL text, so it safely separates the parts.
constexpr char kSeparator = '\0';
constexpr std::string_view kVersion = "p1";

}  // namespace

std::string EncodePageToken(const PageCursor& cursor) {
  std::string raw(kVersion);
  for (const std::string* part : {&cursor.scope, &cursor.last_key, &cursor.last_id}) {
    raw.push_back(kSeparator);
    raw += *part;
  }
  return absl::WebSafeBase64Escape(raw);
}

bool DecodePageToken(std::string_view token, std::string_view scope, PageCursor* out) {
  std::string raw;
  if (token.empty() || !absl::WebSafeBase64Unescape(std::string(token), &raw)) return false;
  const std::vector<std::string> parts = absl::StrSplit(raw, kSeparator);
  if (parts.size() != 4 || parts[0] != kVersion || parts[1] != scope || parts[3].empty()) {
    return false;
  }
  *out = {parts[1], parts[2], parts[3]};
  return true;
}

int EffectivePageSize(int requested) {
  if (requested < 0) return -1;
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

}  // namespace tiquete::directory
