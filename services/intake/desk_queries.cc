// The read side of the desk (the message archive) and the classification rule table.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/text.h"
#include "services/intake/desk.h"
#include "services/intake/domain/page_token.h"
#include "services/intake/domain/submission.h"
#include "services/intake/domain/text.h"

namespace tiquete::intake {
namespace {

absl::Status StaffOnly() {
  return Error(absl::StatusCode::kPermissionDenied, "STAFF_ONLY",
               "only service-desk staff may read the message archive");
}

absl::Status AdminOnly() {
  return Error(absl::StatusCode::kPermissionDenied, "ADMIN_ONLY",
               "only administrators may manage classification rules");
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace

absl::StatusOr<v1::Message> IntakeDesk::GetMessage(const api::v1::Caller& caller,
                                                   const v1::GetMessageRequest& request) {
  if (!domain::CanReadMessages(caller)) return StaffOnly();
  if (!domain::IsUuid(request.message_id())) {
    return InvalidField("message_id", "INVALID_ID", "must be a UUID");
  }
  const std::string id = absl::AsciiStrToLower(request.message_id());
  auto loaded = store_.Load(id, true);
  if (!loaded.ok()) return loaded.status();
  if (loaded->message.classification().possible_security() &&
      !domain::SeesSecurityMessages(caller)) {
    return NotFound("message", id);  // its existence is not disclosed either
  }
  return std::move(loaded->message);
}

absl::StatusOr<v1::ListMessagesResponse> IntakeDesk::ListMessages(
    const api::v1::Caller& caller, const v1::ListMessagesRequest& request) {
  if (!domain::CanReadMessages(caller)) return StaffOnly();
  MessageFilter filter;
  if (!request.requester_id().empty() && !domain::IsUuid(request.requester_id())) {
    return InvalidField("requester_id", "INVALID_ID", "must be a UUID");
  }
  filter.requester_id = absl::AsciiStrToLower(request.requester_id());
  if (!v1::Channel_IsValid(request.channel())) {
    return InvalidField("channel", "UNKNOWN_CHANNEL", "is not a known channel");
  }
  filter.channel = request.channel();
  if (request.incident_number().size() > 40) {
    return InvalidField("incident_number", "TOO_LONG", "is not an incident number");
  }
  filter.incident_number = request.incident_number();
  if (request.has_received_after()) filter.received_after = TimeOf(request.received_after());
  if (request.has_received_before()) filter.received_before = TimeOf(request.received_before());
  if (filter.received_after && filter.received_before &&
      *filter.received_after >= *filter.received_before) {
    return InvalidField("received_before", "EMPTY_RANGE", "must be after received_after");
  }
  if (!v1::MessageStatus_IsValid(request.status())) {
    return InvalidField("status", "UNKNOWN_STATUS", "is not a known message status");
  }
  filter.status = request.status();
  filter.include_security = domain::SeesSecurityMessages(caller);
  const auto size = domain::EffectivePageSize(request.page().page_size());
  if (!size) return InvalidField("page.page_size", "INVALID_PAGE_SIZE", "must not be negative");
  // The token is bound to the filters: the request without its page, fingerprinted.
  v1::ListMessagesRequest unpaged = request;
  unpaged.clear_page();
  const std::string scope = RequestFingerprint(unpaged).substr(0, 16);
  std::optional<domain::MessageCursor> after;
  if (!request.page().page_token().empty()) {
    after = domain::DecodePageToken(request.page().page_token(), scope);
    if (!after) {
      return InvalidField("page.page_token", "INVALID_PAGE_TOKEN",
                          "is malformed or belongs to a listing with other filters");
    }
  }
  auto page = store_.ListMessages(filter, after, *size);
  if (!page.ok()) return page.status();
  v1::ListMessagesResponse response;
  for (auto& m : page->messages) *response.add_messages() = std::move(m);
  if (page->next) response.set_next_page_token(domain::EncodePageToken(scope, *page->next));
  return response;
}

absl::StatusOr<v1::ListClassificationRulesResponse> IntakeDesk::ListRules(
    const api::v1::Caller& caller, const v1::ListClassificationRulesRequest& request) {
  if (!domain::CanManageRules(caller)) return AdminOnly();
  if (!v1::RuleKind_IsValid(request.kind())) {
    return InvalidField("kind", "UNKNOWN_RULE_KIND", "is not a known rule kind");
  }
  auto rules = store_.ListRules(
      request.kind(), request.has_active() ? std::optional<bool>(request.active()) : std::nullopt);
  if (!rules.ok()) return rules.status();
  v1::ListClassificationRulesResponse response;
  for (auto& r : *rules) *response.add_rules() = std::move(r);
  return response;
}

absl::StatusOr<v1::ClassificationRule> IntakeDesk::UpsertRule(
    const api::v1::Caller& caller, const v1::UpsertClassificationRuleRequest& request) {
  if (!domain::CanManageRules(caller)) return AdminOnly();
  v1::ClassificationRule rule = request.rule();
  if (!rule.id().empty()) {
    if (!domain::IsUuid(rule.id())) return InvalidField("rule.id", "INVALID_ID", "must be a UUID");
    if (rule.version() <= 0) {
      return InvalidField("rule.version", "REQUIRED",
                          "is required to update a rule by id (send the version you read)");
    }
    rule.set_id(absl::AsciiStrToLower(rule.id()));
  }
  if (rule.kind() == v1::RULE_KIND_UNSPECIFIED) {
    return InvalidField("rule.kind", "REQUIRED", "is required");
  }
  if (!v1::RuleKind_IsValid(rule.kind())) {
    return InvalidField("rule.kind", "UNKNOWN_RULE_KIND", "is not a known rule kind");
  }
  const std::string phrase = text::CollapseAsciiSpaces(rule.phrase());
  if (!domain::IsValidUtf8(phrase) || domain::HasControlCharacters(phrase)) {
    return InvalidField("rule.phrase", "INVALID_TEXT", "must be plain text");
  }
  if (domain::CodePointCount(phrase) > domain::kMaxPhraseChars) {
    return InvalidField("rule.phrase", "TOO_LONG", "must be at most 100 characters");
  }
  const auto folded = domain::FoldPhrase(phrase);
  if (!folded) {
    return InvalidField("rule.phrase", "REQUIRED", "must contain at least one letter or digit");
  }
  rule.set_phrase(phrase);
  if (rule.weight() == 0) rule.set_weight(1);
  if (rule.weight() < 1 || rule.weight() > domain::kMaxRuleWeight) {
    return InvalidField("rule.weight", "OUT_OF_RANGE", "must be between 1 and 100");
  }
  if (!domain::IsValidUtf8(rule.description()) ||
      domain::CodePointCount(rule.description()) > 500) {
    return InvalidField("rule.description", "TOO_LONG", "must be at most 500 characters");
  }
  if (!rule.has_active()) rule.set_active(true);
  auto stored = store_.UpsertRule(rule, *folded, clock_.Now());
  if (stored.ok()) rules_.Invalidate();
  return stored;
}

absl::StatusOr<v1::ClassificationRule> IntakeDesk::DeleteRule(
    const api::v1::Caller& caller, const v1::DeleteClassificationRuleRequest& request) {
  if (!domain::CanManageRules(caller)) return AdminOnly();
  if (!domain::IsUuid(request.id())) return InvalidField("id", "INVALID_ID", "must be a UUID");
  if (request.version() < 0) return InvalidField("version", "OUT_OF_RANGE", "must be positive");
  auto deleted = store_.DeleteRule(absl::AsciiStrToLower(request.id()), request.version());
  if (deleted.ok()) rules_.Invalidate();
  return deleted;
}

}  // namespace tiquete::intake
