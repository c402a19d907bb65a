#include "services/intake/domain/keys.h"

#include "absl/strings/str_cat.h"

namespace tiquete::intake::domain {

std::string IncidentKeyFor(std::string_view message_id) {
  return absl::StrCat("intake-", std::string(message_id), "-incident");
}

std::string CommentKeyFor(std::string_view message_id) {
  return absl::StrCat("intake-", std::string(message_id), "-comment");
}

std::string SplitIncidentKeyFor(std::string_view message_id) {
  return absl::StrCat("intake-", std::string(message_id), "-split");
}

std::string CallerKeyOwner(const api::v1::Caller& caller) {
  if (!caller.person_id().empty()) return absl::StrCat("person:", caller.person_id());
  return absl::StrCat("system:", caller.system());
}

std::string SubmitKeyScope(const api::v1::Caller& caller) {
  return absl::StrCat("intake.submit/", CallerKeyOwner(caller));
}

std::string SplitKeyScope(const api::v1::Caller& caller) {
  return absl::StrCat("intake.split/", CallerKeyOwner(caller));
}

absl::Duration HandoffRetryDelay(int attempts, absl::Duration base, absl::Duration max) {
  if (attempts < 1) attempts = 1;
  absl::Duration delay = base;
  for (int i = 1; i < attempts && delay < max; ++i) delay *= 2;
  return delay < max ? delay : max;
}

}  // namespace tiquete::intake::domain
