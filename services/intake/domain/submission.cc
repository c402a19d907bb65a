#include "services/intake/domain/submission.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/text.h"
#include "services/intake/domain/text.h"

namespace tiquete::intake::domain {
namespace {

bool HasAnyRole(const api::v1::Caller& caller, std::initializer_list<std::string_view> roles) {
  return std::any_of(caller.roles().begin(), caller.roles().end(), [&](const std::string& r) {
    return std::find(roles.begin(), roles.end(), r) != roles.end();
  });
}

std::optional<FieldError> CheckText(std::string_view field, std::string_view value,
                                    size_t max_chars, bool required) {
  if (!IsValidUtf8(value)) {
    return FieldError{std::string(field), "INVALID_TEXT", "must be valid UTF-8"};
  }
  if (HasControlCharacters(value)) {
    return FieldError{std::string(field), "INVALID_TEXT", "must not contain control characters"};
  }
  if (required && text::CollapseAsciiSpaces(value).empty()) {
    return FieldError{std::string(field), "REQUIRED", "is required"};
  }
  if (CodePointCount(value) > max_chars) {
    return FieldError{std::string(field), "TOO_LONG",
                      absl::StrCat("must be at most ", max_chars, " characters")};
  }
  return std::nullopt;
}

std::optional<FieldError> CheckOptionalId(std::string_view field, std::string_view value) {
  if (value.empty() || IsUuid(value)) return std::nullopt;
  return FieldError{std::string(field), "INVALID_ID", "must be a UUID"};
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::optional<FieldError> CheckAttachments(const v1::SubmitTicketRequest& r) {
  if (r.attachments_size() > kMaxAttachments) {
    return FieldError{"attachments", "TOO_MANY",
                      absl::StrCat("at most ", kMaxAttachments, " attachments")};
  }
  size_t total = 0;
  for (int i = 0; i < r.attachments_size(); ++i) {
    const auto& a = r.attachments(i);
    const std::string prefix = absl::StrCat("attachments[", i, "].");
    if (auto e = CheckText(prefix + "filename", a.filename(), 255, true)) return e;
    if (a.filename().find_first_of("/\\") != std::string::npos) {
      return FieldError{prefix + "filename", "INVALID_FILENAME",
                        "must be a file name without a path"};
    }
    if (auto e = CheckText(prefix + "content_type", a.content_type(), 100, false)) return e;
    if (a.content().empty()) {
      return FieldError{prefix + "content", "REQUIRED", "must not be empty"};
    }
    if (a.content().size() > kMaxAttachmentBytes) {
      return FieldError{prefix + "content", "TOO_LARGE",
                        absl::StrCat("must be at most ", kMaxAttachmentBytes, " bytes")};
    }
    if (!a.sha256().empty() && !IsHex64(a.sha256())) {
      return FieldError{prefix + "sha256", "INVALID_DIGEST", "must be 64 hexadecimal digits"};
    }
    total += a.content().size();
  }
  if (total > kMaxAttachmentsTotalBytes) {
    return FieldError{"attachments", "TOO_LARGE",
                      absl::StrCat("must add up to at most ", kMaxAttachmentsTotalBytes, " bytes")};
  }
  return std::nullopt;
}

}  // namespace

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::optional<FieldError> ValidateSubmission(const v1::SubmitTicketRequest& r) {
  if (r.idempotency_key().empty()) {
    return FieldError{"idempotency_key", "REQUIRED", "is required"};
  }
  if (auto e = CheckText("idempotency_key", r.idempotency_key(), kMaxKeyChars, true)) return e;
  if (r.channel() == v1::CHANNEL_UNSPECIFIED) {
    return FieldError{"channel", "REQUIRED", "is required"};
  }
  if (!v1::Channel_IsValid(r.channel())) {
    return FieldError{"channel", "UNKNOWN_CHANNEL", "is not a known channel"};
  }
  if (r.requester_id().empty()) return FieldError{"requester_id", "REQUIRED", "is required"};
  if (auto e = CheckOptionalId("requester_id", r.requester_id())) return e;
  if (auto e = CheckText("subject", r.subject(), kMaxSubjectChars, true)) return e;
  if (auto e = CheckText("body", r.body(), kMaxBodyChars, true)) return e;
  if (auto e = CheckOptionalId("category_id", r.category_id())) return e;
  if (auto e = CheckOptionalId("service_id", r.service_id())) return e;
  if (r.ci_ids_size() > kMaxCis) {
    return FieldError{"ci_ids", "TOO_MANY", absl::StrCat("at most ", kMaxCis, " items")};
  }
  std::set<std::string> seen;
  for (int i = 0; i < r.ci_ids_size(); ++i) {
    const std::string field = absl::StrCat("ci_ids[", i, "]");
    if (auto e = CheckOptionalId(field, r.ci_ids(i))) return e;
    if (r.ci_ids(i).empty()) return FieldError{field, "REQUIRED", "must not be empty"};
    if (!seen.insert(r.ci_ids(i)).second) {
      return FieldError{field, "DUPLICATE_VALUE", "is listed twice"};
    }
  }
  if (!v1::Level_IsValid(r.impact())) {
    return FieldError{"impact", "UNKNOWN_LEVEL", "must be HIGH, MEDIUM or LOW"};
  }
  if (!v1::Level_IsValid(r.urgency())) {
    return FieldError{"urgency", "UNKNOWN_LEVEL", "must be HIGH, MEDIUM or LOW"};
  }
  if (auto e = CheckAttachments(r)) return e;
  if (r.raw().size() > kMaxRawBytes) {
    return FieldError{"raw", "TOO_LARGE", absl::StrCat("must be at most ", kMaxRawBytes, " bytes")};
  }
  if (auto e = CheckText("external_ref", r.external_ref(), kMaxExternalRefChars, false)) {
    return e;
  }
  return std::nullopt;
}

bool IsDeskStaff(const api::v1::Caller& caller) {
  return HasAnyRole(caller, {"agent_l1", "specialist_l2", "coordinator", "incident_manager",
                             "problem_manager", "request_manager", "security_officer", "admin"});
}

bool CanReadMessages(const api::v1::Caller& caller) { return IsDeskStaff(caller); }

bool CanSplit(const api::v1::Caller& caller) {
  return HasAnyRole(caller,
                    {"agent_l1", "specialist_l2", "coordinator", "incident_manager", "admin"});
}

bool CanManageRules(const api::v1::Caller& caller) { return HasAnyRole(caller, {"admin"}); }

bool SeesSecurityMessages(const api::v1::Caller& caller) {
  return HasAnyRole(caller, {"security_officer"});
}

bool MaySubmitForAnyone(const api::v1::Caller& caller) {
  return IsDeskStaff(caller) || HasAnyRole(caller, {"integration"}) || !caller.system().empty();
}

std::optional<std::string> DefaultRequester(const api::v1::Caller& caller,
                                            const v1::SubmitTicketRequest& request) {
  if (request.requester_id().empty() && !caller.person_id().empty() &&
      !MaySubmitForAnyone(caller)) {
    return caller.person_id();
  }
  return std::nullopt;
}

std::optional<FieldError> CheckSubmitter(const api::v1::Caller& caller,
                                         const v1::SubmitTicketRequest& request) {
  if (caller.person_id().empty() && caller.system().empty()) {
    return FieldError{"", "UNKNOWN_CALLER", "the caller has neither a person nor a system"};
  }
  if (MaySubmitForAnyone(caller)) return std::nullopt;
  if (request.requester_id() != caller.person_id()) {
    return FieldError{"requester_id", "REQUESTER_MISMATCH",
                      "only service-desk staff may register a case for someone else"};
  }
  switch (request.channel()) {
    case v1::PORTAL:
    case v1::API:
    case v1::CHAT:
      return std::nullopt;
    default:
      return FieldError{"channel", "CHANNEL_NOT_ALLOWED",
                        "this channel is recorded by the service desk or an integration"};
  }
}

}  // namespace tiquete::intake::domain
