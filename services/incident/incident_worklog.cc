// Work log (public comments, internal notes, major-incident communications, attachments),
// the audit trail and escalation history reads, and the satisfaction survey.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "services/incident/domain/lifecycle.h"
#include "services/incident/domain/query.h"
#include "services/incident/incident_management.h"

namespace tiquete::incident {
namespace {

absl::Time Now(Clock* clock) { return absl::FromUnixMicros(absl::ToUnixMicros(clock->Now())); }

// Work log and audit pages are keyed by row id; the token is bound to the incident and to what
// the caller is shown.
absl::StatusOr<int64_t> AfterId(const std::string& token, const std::string& scope) {
  if (token.empty()) return 0;
  std::vector<int64_t> values;
  if (!DecodePageToken(token, scope, 1, &values)) {
    return InvalidField("page.page_token", "INVALID_PAGE_TOKEN",
                        "the page token is malformed or belongs to another query");
  }
  return values[0];
}

template <typename Request>
std::string Fingerprint(const Caller& caller, const Request& request) {
  Request copy = request;
  copy.clear_idempotency_key();
  return absl::StrCat(RequestFingerprint(copy), ":", ActorOf(caller));
}

}  // namespace

absl::StatusOr<v1::WorkLogEntry> IncidentManagement::AddComment(const Caller& caller,
                                                                v1::AddCommentRequest r) {
  if (auto s = NormalizeText("body", r.mutable_body(), kMaxTextChars, true); !s.ok()) return s;
  if (r.visibility() == v1::VISIBILITY_UNSPECIFIED) r.set_visibility(v1::PUBLIC);
  if (r.visibility() != v1::PUBLIC && r.visibility() != v1::INTERNAL) {
    return InvalidField("visibility", "INVALID_VALUE", "visibility must be PUBLIC or INTERNAL");
  }
  if (r.communication() && r.visibility() != v1::PUBLIC) {
    return InvalidField("visibility", "COMMUNICATION_IS_PUBLIC",
                        "major-incident communications are public");
  }
  if (r.source_message_id().size() > 200) {
    return InvalidField("source_message_id", "TOO_LONG", "source_message_id is too long");
  }
  if (auto s = NormalizeAttachments("attachments", r.mutable_attachments(),
                                    options_.max_attachment_bytes);
      !s.ok()) {
    return s;
  }
  const Operation operation = r.visibility() == v1::INTERNAL ? Operation::kInternalNote
                              : r.communication()            ? Operation::kWork
                                                             : Operation::kComment;
  if (auto visible = Visible(caller, r.number(), operation); !visible.ok()) {
    return visible.status();
  }
  v1::WorkLogEntry entry;
  entry.set_kind(r.communication() ? v1::COMMUNICATION : v1::COMMENT);
  entry.set_visibility(r.visibility());
  entry.set_body(r.body());
  entry.set_source_message_id(r.source_message_id());
  *entry.mutable_attachments() = r.attachments();
  const absl::Time now = Now(clock_);
  return store_.AddComment(r.number(), entry, {r.idempotency_key(), Fingerprint(caller, r)},
                           ActorOf(caller), [&](v1::Incident* incident) -> absl::Status {
                             if (auto s = Authorize(caller, *incident, operation); !s.ok())
                               return s;
                             if (r.communication() && !incident->major()) {
                               return Error(absl::StatusCode::kFailedPrecondition, "NOT_MAJOR",
                                            "communications are logged on major incidents only");
                             }
                             // A public reply from support (not the requester talking) is a
                             // response.
                             if (r.visibility() == v1::PUBLIC &&
                                 caller.person_id() != incident->requester_id() &&
                                 SeesInternal(AudienceFor(caller, *incident))) {
                               NoteFirstResponse(incident, now);
                             }
                             return absl::OkStatus();
                           });
}

absl::StatusOr<v1::ListWorkLogResponse> IncidentManagement::ListWorkLog(
    const Caller& caller, const v1::ListWorkLogRequest& r) {
  auto stored = Visible(caller, r.number(), Operation::kView);
  if (!stored.ok()) return stored.status();
  const bool internal = SeesInternal(AudienceFor(caller, stored->incident));
  const std::string scope =
      absl::StrCat("worklog:", r.number(), ":", internal, ":", r.communications_only());
  auto after = AfterId(r.page().page_token(), scope);
  if (!after.ok()) return after.status();
  auto limit = EffectivePageSize(r.page().page_size());
  if (!limit.ok()) return limit.status();
  auto page = store_.ListWorkLog(stored->row_id, internal, r.communications_only(), *after, *limit);
  if (!page.ok()) return page.status();
  v1::ListWorkLogResponse response;
  for (auto& entry : page->entries) {
    entry.set_number(r.number());
    *response.add_entries() = std::move(entry);
  }
  if (page->last_id != 0) response.set_next_page_token(EncodePageToken(scope, {page->last_id}));
  return response;
}

absl::StatusOr<v1::Attachment> IncidentManagement::GetAttachment(
    const Caller& caller, const v1::GetAttachmentRequest& r) {
  auto stored = Visible(caller, r.number(), Operation::kView);
  if (!stored.ok()) return stored.status();
  int64_t id = 0;
  if (!absl::SimpleAtoi(r.attachment_id(), &id) || id <= 0) {
    return NotFound("attachment", r.attachment_id());
  }
  auto found = store_.GetAttachment(stored->row_id, id);
  if (!found.ok()) return found.status();
  // Files of internal notes are as internal as the notes.
  if (found->second == v1::INTERNAL && !SeesInternal(AudienceFor(caller, stored->incident))) {
    return NotFound("attachment", r.attachment_id());
  }
  return found->first;
}

absl::StatusOr<v1::GetAuditTrailResponse> IncidentManagement::AuditTrail(
    const Caller& caller, const v1::GetAuditTrailRequest& r) {
  auto stored = Visible(caller, r.number(), Operation::kViewHistory);
  if (!stored.ok()) return stored.status();
  const std::string scope = absl::StrCat("audit:", r.number());
  auto after = AfterId(r.page().page_token(), scope);
  if (!after.ok()) return after.status();
  auto limit = EffectivePageSize(r.page().page_size());
  if (!limit.ok()) return limit.status();
  auto page = store_.AuditTrail(stored->row_id, *after, *limit);
  if (!page.ok()) return page.status();
  v1::GetAuditTrailResponse response;
  for (auto& entry : page->entries) *response.add_entries() = std::move(entry);
  if (page->last_id != 0) response.set_next_page_token(EncodePageToken(scope, {page->last_id}));
  return response;
}

absl::StatusOr<v1::ListEscalationsResponse> IncidentManagement::Escalations(
    const Caller& caller, const v1::ListEscalationsRequest& r) {
  auto stored = Visible(caller, r.number(), Operation::kViewHistory);
  if (!stored.ok()) return stored.status();
  auto escalations = store_.Escalations(stored->row_id);
  if (!escalations.ok()) return escalations.status();
  v1::ListEscalationsResponse response;
  for (auto& e : *escalations) *response.add_escalations() = std::move(e);
  return response;
}

absl::StatusOr<v1::Survey> IncidentManagement::SubmitSurvey(const Caller& caller,
                                                            const v1::SubmitSurveyRequest& r) {
  std::string comment = r.comment();
  if (auto s = NormalizeText("comment", &comment, kMaxReasonChars, false); !s.ok()) return s;
  if (auto visible = Visible(caller, r.number(), Operation::kSurvey); !visible.ok()) {
    return visible.status();
  }
  const absl::Time now = Now(clock_);
  return store_.SubmitSurvey(
      r.number(), {r.idempotency_key(), Fingerprint(caller, r)}, ActorOf(caller),
      [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
        if (auto s = Authorize(caller, *incident, Operation::kSurvey); !s.ok()) {
          return s;
        }
        if (auto s = ApplySurvey(incident, r.rating(), comment, now); !s.ok()) {
          return s;
        }
        return Mutation{{Change::kSurveyed}, comment, std::nullopt};
      });
}

}  // namespace tiquete::incident
