// What a submission must look like and who may submit, read or manage what. Pure rules over
// the request and the verified caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tiquete/api/v1/caller.pb.h"
#include "tiquete/intake/v1/intake.pb.h"

namespace tiquete::intake::domain {

// One thing wrong: the field (e.g. "attachments[1].filename"), an UPPER_SNAKE reason and an
// English message.
struct FieldError {
  std::string field;
  std::string reason;
  std::string message;
};

inline constexpr size_t kMaxSubjectChars = 200;
inline constexpr size_t kMaxBodyChars = 20000;
inline constexpr size_t kMaxExternalRefChars = 250;
inline constexpr size_t kMaxKeyChars = 200;
inline constexpr int kMaxCis = 20;
inline constexpr int kMaxAttachments = 10;
inline constexpr size_t kMaxAttachmentBytes = 10u << 20;
inline constexpr size_t kMaxAttachmentsTotalBytes = 20u << 20;
inline constexpr size_t kMaxRawBytes = 10u << 20;

// The first problem of the request, in field order; nullopt when it is acceptable.
std::optional<FieldError> ValidateSubmission(const v1::SubmitTicketRequest& request);

// Canonical textual UUID, lower- or upper-case hex.
bool IsUuid(std::string_view s);

// Service-desk staff: may record calls and visits for anyone, read the archive, split.
bool IsDeskStaff(const api::v1::Caller& caller);
bool CanReadMessages(const api::v1::Caller& caller);
bool CanSplit(const api::v1::Caller& caller);
bool CanManageRules(const api::v1::Caller& caller);
// Messages classified as possible security incidents are shown to the security role only, as
// the incident service does with their incidents.
bool SeesSecurityMessages(const api::v1::Caller& caller);

// Staff, integration accounts and other services (callers with a system name).
bool MaySubmitForAnyone(const api::v1::Caller& caller);

// A requester (a person who is neither service-desk staff nor an integration account) who leaves
// requester_id empty registers the case for themself; staff and integrations must name one.
// The requester id to fill in, or nothing when the request stays as sent.
std::optional<std::string> DefaultRequester(const api::v1::Caller& caller,
                                            const v1::SubmitTicketRequest& request);

// Staff, integrations (monitoring, mail gateways) and other Tiquete services may submit on any
// channel for any requester; everyone else only for themselves, through the portal, the API or
// chat. nullopt when allowed; otherwise the PERMISSION_DENIED reason.
std::optional<FieldError> CheckSubmitter(const api::v1::Caller& caller,
                                         const v1::SubmitTicketRequest& request);

}  // namespace tiquete::intake::domain
