#include "services/intake/desk.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/log.h"
#include "common/migrations.h"
#include "common/text.h"
#include "services/intake/domain/keys.h"
#include "services/intake/domain/submission.h"
#include "services/intake/domain/text.h"

namespace tiquete::intake {
namespace {

using api::v1::Caller;

// Failures worth retrying later: the dependency was unreachable, busy or misconfigured, not
// the message wrong. Both sides use idempotency keys, so a retry is always safe.
bool IsRetryable(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnauthenticated:
      return true;
    default:
      return false;
  }
}

std::string ActorOf(const Caller& caller) {
  return caller.person_id().empty() ? caller.system() : caller.person_id();
}

// The incident service names its own fields; the client knows ours.
absl::Status InOurTerms(const absl::Status& status) {
  const std::string field = ErrorField(status);
  const std::string ours = field == "title" ? "subject" : field == "description" ? "body" : field;
  if (ours == field) return status;
  return Error(status.code(), ErrorReason(status), std::string(status.message()), ours);
}

absl::StatusOr<NewMessage> BuildMessage(const Caller& caller, const v1::SubmitTicketRequest& r,
                                        absl::Time now) {
  NewMessage m;
  m.channel = r.channel();
  m.requester_id = absl::AsciiStrToLower(r.requester_id());
  m.submitted_by = ActorOf(caller);
  m.caller = caller;
  m.caller.clear_issued_at_unix();
  m.subject = text::CollapseAsciiSpaces(r.subject());
  m.body = r.body();
  m.category_id = absl::AsciiStrToLower(r.category_id());
  m.service_id = absl::AsciiStrToLower(r.service_id());
  for (const auto& ci : r.ci_ids()) m.ci_ids.push_back(absl::AsciiStrToLower(ci));
  m.impact = r.impact();
  m.urgency = r.urgency();
  m.external_ref = r.external_ref();
  m.normalized_text = domain::FoldForMatching(absl::StrCat(r.subject(), "\n", r.body()));
  m.dedup_text = domain::DedupText(r.subject(), r.body());
  m.received_at = now;
  for (int i = 0; i < r.attachments_size(); ++i) {
    v1::Attachment a = r.attachments(i);
    const std::string digest = Sha256Hex(a.content());
    if (!a.sha256().empty() && absl::AsciiStrToLower(a.sha256()) != digest) {
      return InvalidField(absl::StrCat("attachments[", i, "].sha256"), "DIGEST_MISMATCH",
                          "does not match the content");
    }
    a.set_sha256(digest);
    a.set_size_bytes(static_cast<int64_t>(a.content().size()));
    if (a.content_type().empty()) a.set_content_type("application/octet-stream");
    m.attachments.push_back(std::move(a));
  }
  m.raw = r.raw();
  if (m.raw.empty()) {
    // Channels without a native form (the portal) are archived as the JSON they sent;
    // attachments are archived separately, so their bytes are left out here.
    v1::SubmitTicketRequest copy = r;
    for (auto& a : *copy.mutable_attachments()) a.clear_content();
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    if (auto s = google::protobuf::util::MessageToJsonString(copy, &m.raw, options); !s.ok()) {
      return absl::InternalError(absl::StrCat("archiving the request as JSON: ", s.ToString()));
    }
  }
  return m;
}

NewIncident IncidentFrom(const StoredMessage& s, std::string key) {
  const v1::Message& m = s.message;
  NewIncident n;
  n.idempotency_key = std::move(key);
  n.title = m.subject();
  n.description = m.body();
  n.requester_id = m.requester_id();
  n.channel = m.channel();
  n.category_id = m.category_id();
  n.service_id = m.service_id();
  n.ci_ids.assign(m.ci_ids().begin(), m.ci_ids().end());
  n.impact = m.impact();
  n.urgency = m.urgency();
  n.type = m.classification().type() == v1::SERVICE_REQUEST ? v1::SERVICE_REQUEST : v1::INCIDENT;
  n.possible_security = m.classification().possible_security();
  n.security_reason = s.security_reason;
  n.intake_message_id = m.id();
  n.attachments.assign(m.attachments().begin(), m.attachments().end());
  return n;
}

bool Finished(const StoredMessage& s) {
  const auto status = s.message.status();
  return status == v1::HANDED_OFF || status == v1::DUPLICATE || status == v1::REJECTED;
}

}  // namespace

std::optional<absl::StatusOr<v1::SubmitTicketResponse>> OutcomeOf(const StoredMessage& s) {
  const v1::Message& m = s.message;
  if (m.status() == v1::REJECTED) {
    return absl::StatusOr<v1::SubmitTicketResponse>(
        Error(static_cast<absl::StatusCode>(s.last_error_code), m.last_error_reason(),
              m.last_error(), s.last_error_field));
  }
  if (m.status() != v1::HANDED_OFF && m.status() != v1::DUPLICATE) return std::nullopt;
  v1::SubmitTicketResponse r;
  r.set_message_id(m.id());
  *r.mutable_classification() = m.classification();
  // The first link is what the submission produced; a later split does not change the answer
  // a retry of the submission gets.
  if (m.links_size() > 0 && m.links(0).kind() == v1::COMMENTED_ON_INCIDENT) {
    r.set_incident_number(m.links(0).incident_number());
    r.set_duplicate_of(m.links(0).incident_number());
    r.set_comment_id(m.links(0).comment_id());
  } else if (m.links_size() > 0) {
    r.set_incident_number(m.links(0).incident_number());
    r.set_created(true);
  } else if (m.status() == v1::DUPLICATE) {
    r.set_incident_number(m.incident_number());
    r.set_duplicate_of(m.incident_number());
    r.set_comment_id(m.comment_id());
  } else {
    r.set_incident_number(m.incident_number());
    r.set_created(true);
  }
  return absl::StatusOr<v1::SubmitTicketResponse>(std::move(r));
}

IntakeDesk::IntakeDesk(IntakeStore& store, IncidentGateway& incidents, DirectoryGateway& directory,
                       const Clock& clock, DeskOptions options)
    : store_(store),
      incidents_(incidents),
      directory_(directory),
      clock_(clock),
      options_(options),
      rules_(store, clock, options.rules_ttl) {}

absl::StatusOr<v1::SubmitTicketResponse> IntakeDesk::Submit(
    const Caller& caller, const v1::SubmitTicketRequest& submitted) {
  // Copied only when a requester filed for themself without naming themself (the request can
  // carry the raw message and attachments).
  v1::SubmitTicketRequest defaulted;
  const auto own_id = domain::DefaultRequester(caller, submitted);
  if (own_id) {
    defaulted = submitted;
    defaulted.set_requester_id(*own_id);
  }
  const v1::SubmitTicketRequest& request = own_id ? defaulted : submitted;
  if (auto e = domain::ValidateSubmission(request)) {
    return InvalidField(e->field, e->reason, e->message);
  }
  if (auto e = domain::CheckSubmitter(caller, request)) {
    return Error(absl::StatusCode::kPermissionDenied, e->reason, e->message, e->field);
  }
  const absl::Time now = clock_.Now();
  auto message = BuildMessage(caller, request, now);
  if (!message.ok()) return message.status();
  v1::SubmitTicketRequest keyless = request;
  keyless.clear_idempotency_key();
  const KeyClaim key{domain::SubmitKeyScope(caller), request.idempotency_key(),
                     RequestFingerprint(keyless)};
  auto archived = store_.Archive(key, *message, now + options_.lease);
  if (!archived.ok()) return archived.status();
  if (!archived->existed) {
    log::Info("message archived", {{"message_id", archived->message_id},
                                   {"channel", v1::Channel_Name(request.channel())}});
  }
  // This call archived it and holds its lease: hand it over from memory.
  if (!archived->existed) return RunHandoff(caller, archived->stored);
  return Deliver(caller, archived->message_id);
}

absl::StatusOr<v1::SubmitTicketResponse> IntakeDesk::Deliver(const Caller& caller,
                                                             const std::string& id) {
  auto loaded = store_.Load(id, true);
  if (!loaded.ok()) return loaded.status();
  if (auto outcome = OutcomeOf(*loaded)) return *outcome;
  const absl::Time now = clock_.Now();
  auto taken = store_.TryLease(id, now, now + options_.lease);
  if (!taken.ok()) return taken.status();
  if (!*taken) return AwaitOutcome(caller, id);
  // It may have finished between the read and the lease.
  loaded = store_.Load(id, true);
  if (!loaded.ok()) return loaded.status();
  if (auto outcome = OutcomeOf(*loaded)) {
    if (auto s = store_.ReleaseLease(id); !s.ok()) return s;
    return *outcome;
  }
  return RunHandoff(caller, *loaded);
}

absl::StatusOr<v1::SubmitTicketResponse> IntakeDesk::AwaitOutcome(const Caller& caller,
                                                                  const std::string& id) {
  const absl::Time until = absl::Now() + options_.in_flight_wait;
  while (absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(50));
    auto loaded = store_.Load(id, false);
    if (!loaded.ok()) return loaded.status();
    if (Finished(*loaded)) return Deliver(caller, id);
    const absl::Time now = clock_.Now();
    auto taken = store_.TryLease(id, now, now + options_.lease);
    if (!taken.ok()) return taken.status();
    if (*taken) {  // the other call gave up (its lease was released or expired)
      auto full = store_.Load(id, true);
      if (!full.ok()) return full.status();
      return RunHandoff(caller, *full);
    }
  }
  return Error(absl::StatusCode::kAborted, "HANDOFF_IN_PROGRESS",
               absl::StrCat("message ", id,
                            " is being handed over by another call with the same idempotency "
                            "key; retry with the same key to get its outcome"));
}

absl::StatusOr<v1::SubmitTicketResponse> IntakeDesk::RunHandoff(const Caller& caller,
                                                                StoredMessage& s) {
  const std::string id = s.message.id();
  if (auto outcome = OutcomeOf(s)) {
    if (auto st = store_.ReleaseLease(id); !st.ok()) return st;
    return *outcome;
  }
  std::optional<domain::Classification> fresh;
  absl::Status failure = Classify(caller, s, &fresh);
  if (failure.ok()) failure = Decide(caller, s, fresh);
  bool recorded = false;
  if (failure.ok()) {
    auto executed = Execute(caller, s);
    if (executed.ok()) {
      recorded = *executed;
    } else {
      failure = executed.status();
    }
  }
  if (!failure.ok()) {
    failure = InOurTerms(failure);
    const bool retryable = IsRetryable(failure.code());
    const int attempts = s.message.handoff_attempts() + 1;
    const absl::Time next =
        clock_.Now() + domain::HandoffRetryDelay(attempts, options_.retry_base, options_.retry_max);
    if (absl::Status st = store_.RecordHandoffFailure(id, failure, retryable, next); !st.ok()) {
      // The lease expires on its own and the worker retries; the cause is what matters.
      log::Error("recording a failed hand-over", {{"message_id", id}, {"error", st.ToString()}});
    }
    log::Warning(
        retryable ? "hand-over postponed" : "hand-over rejected",
        {{"message_id", id}, {"attempt", std::to_string(attempts)}, {"error", failure.ToString()}});
    if (!retryable) return failure;
    return Error(absl::StatusCode::kUnavailable, "HANDOFF_PENDING",
                 absl::StrCat("message ", id, " is archived but could not be handed over yet (",
                              failure.message(),
                              "); it is retried automatically, and a retry with the same "
                              "idempotency key returns the outcome"));
  }
  if (recorded) {
    if (auto outcome = OutcomeOf(s)) return *outcome;
  }
  // A concurrent hand-over recorded the outcome first: answer with what it recorded.
  auto reloaded = store_.Load(id, true);
  if (!reloaded.ok()) return reloaded.status();
  auto outcome = OutcomeOf(*reloaded);
  if (!outcome) {
    return Error(absl::StatusCode::kInternal, "HANDOFF_NOT_RECORDED",
                 absl::StrCat("message ", id, " was handed over but its outcome was not found"));
  }
  return *outcome;
}

absl::Status IntakeDesk::Classify(const Caller& caller, StoredMessage& s,
                                  std::optional<domain::Classification>* fresh) {
  if (s.classified) return absl::OkStatus();
  v1::Message& m = s.message;
  std::optional<domain::CategoryHint> hint;
  if (!m.category_id().empty()) {
    auto category = directory_.GetCategory(caller, m.category_id());
    if (!category.ok()) {
      if (category.status().code() == absl::StatusCode::kNotFound) {
        return InvalidField("category_id", "UNKNOWN_CATEGORY", "no such category");
      }
      return category.status();
    }
    if (!category->active) {
      return InvalidField("category_id", "INACTIVE_CATEGORY", "the category is no longer in use");
    }
    hint = domain::CategoryHint{category->full_path, category->security};
  }
  auto rules = rules_.Get();
  if (!rules.ok()) return rules.status();
  const domain::Classification c = (*rules)->Classify(m.subject(), m.body(), hint);
  *fresh = c;
  s.classified = true;
  s.security_reason = c.security_reason;
  v1::Classification* out = m.mutable_classification();
  out->set_type(c.type == domain::TicketType::kServiceRequest ? v1::SERVICE_REQUEST : v1::INCIDENT);
  out->set_possible_security(c.possible_security);
  out->clear_matched_rules();
  for (const auto& rule : c.matched_rules) out->add_matched_rules(rule);
  out->set_reason(c.reason);
  return absl::OkStatus();
}

absl::Status IntakeDesk::Decide(const Caller& caller, StoredMessage& s,
                                const std::optional<domain::Classification>& fresh) {
  if (s.plan != Plan::kNone) {
    // Only a message stored by an older version can have a plan but no classification.
    if (fresh) return store_.RecordClassification(s.message.id(), *fresh);
    return absl::OkStatus();
  }
  const v1::Message& m = s.message;
  const domain::DedupPolicy& policy = options_.dedup;
  auto candidates = store_.FindDuplicateCandidates(
      m.requester_id(), domain::DedupText(m.subject(), m.body()), m.id(),
      s.received_at - policy.window, s.received_at + policy.window, policy.threshold,
      policy.max_candidates * 4);
  if (!candidates.ok()) return candidates.status();
  Plan plan = Plan::kCreate;
  std::string target;
  double similarity = 0;
  for (const auto& c :
       domain::RankDuplicateCandidates(std::move(*candidates), policy, s.received_at)) {
    auto incident = incidents_.GetIncidentState(caller, c.incident_number);
    if (!incident.ok()) {
      const auto code = incident.status().code();
      // An incident this caller may not see (e.g. a security case) is no merge target.
      if (code == absl::StatusCode::kNotFound || code == absl::StatusCode::kPermissionDenied) {
        continue;
      }
      return incident.status();
    }
    if (domain::CanMergeInto(*incident, m.classification().possible_security())) {
      plan = Plan::kComment;
      target = c.incident_number;
      similarity = c.similarity;
      break;
    }
  }
  if (absl::Status st =
          store_.RecordDecision(m.id(), fresh ? &*fresh : nullptr, plan, target, similarity);
      !st.ok()) {
    return st;
  }
  s.plan = plan;
  s.plan_incident = target;
  s.plan_similarity = similarity;
  return absl::OkStatus();
}

absl::StatusOr<bool> IntakeDesk::Execute(const Caller& caller, StoredMessage& s) {
  v1::Message& m = s.message;
  if (s.plan == Plan::kComment) {
    PublicComment comment;
    comment.incident_number = s.plan_incident;
    comment.body = absl::StrCat(m.subject(), "\n\n", m.body());
    comment.idempotency_key = domain::CommentKeyFor(m.id());
    comment.source_message_id = m.id();
    comment.attachments.assign(m.attachments().begin(), m.attachments().end());
    auto added = incidents_.AddPublicComment(caller, comment);
    if (added.ok()) {
      log::Info("duplicate added as a comment",
                {{"message_id", m.id()}, {"incident", s.plan_incident}});
      auto recorded =
          store_.RecordDuplicate(m.id(), s.plan_incident, *added, s.plan_similarity, clock_.Now());
      if (recorded.ok() && *recorded) {
        m.set_status(v1::DUPLICATE);
        m.set_incident_number(s.plan_incident);
        m.set_duplicate_of(s.plan_incident);
        m.set_comment_id(*added);
      }
      return recorded;
    }
    const auto code = added.status().code();
    if (code != absl::StatusCode::kNotFound && code != absl::StatusCode::kFailedPrecondition) {
      return added.status();
    }
    // The incident stopped accepting comments since we chose it (resolved, closed...): the
    // message gets its own incident instead.
    log::Info("duplicate target no longer accepts comments; opening an incident",
              {{"message_id", m.id()}, {"incident", s.plan_incident}});
    if (absl::Status st = store_.RecordPlan(m.id(), Plan::kCreate, "", 0, true); !st.ok()) {
      return st;
    }
    s.plan = Plan::kCreate;
  }
  auto number = incidents_.CreateIncident(caller, IncidentFrom(s, domain::IncidentKeyFor(m.id())));
  if (!number.ok()) return number.status();
  log::Info("incident opened", {{"message_id", m.id()}, {"incident", *number}});
  auto recorded = store_.RecordIncidentCreated(m.id(), *number, clock_.Now());
  if (recorded.ok() && *recorded) {
    m.set_status(v1::HANDED_OFF);
    m.set_incident_number(*number);
  }
  return recorded;
}

absl::StatusOr<v1::SplitDuplicateResponse> IntakeDesk::Split(
    const Caller& caller, const v1::SplitDuplicateRequest& request) {
  if (!domain::CanSplit(caller)) {
    return Error(absl::StatusCode::kPermissionDenied, "STAFF_ONLY",
                 "only service-desk staff may split a duplicate");
  }
  if (!domain::IsUuid(request.message_id())) {
    return InvalidField("message_id", "INVALID_ID", "must be a UUID");
  }
  if (request.idempotency_key().empty()) {
    return InvalidField("idempotency_key", "REQUIRED", "is required");
  }
  if (request.idempotency_key().size() > domain::kMaxKeyChars) {
    return InvalidField("idempotency_key", "TOO_LONG", "must be at most 200 characters");
  }
  const std::string id = absl::AsciiStrToLower(request.message_id());
  v1::SplitDuplicateRequest keyless = request;
  keyless.clear_idempotency_key();
  const KeyClaim key{domain::SplitKeyScope(caller), request.idempotency_key(),
                     RequestFingerprint(keyless)};
  const absl::Time now = clock_.Now();
  auto claimed = store_.ClaimSplit(key, id, ActorOf(caller), now, now + options_.lease);
  if (!claimed.ok()) return claimed.status();
  auto loaded = store_.Load(id, true);
  if (!loaded.ok()) return loaded.status();
  auto respond = [&](const StoredMessage& s) {
    v1::SplitDuplicateResponse r;
    r.set_message_id(s.message.id());
    r.set_incident_number(s.message.incident_number());
    r.set_previous_incident_number(s.message.split_from());
    return r;
  };
  if (claimed->existed) {
    if (!loaded->message.split_from().empty()) return respond(*loaded);
    if (loaded->message.status() != v1::DUPLICATE) {
      return Error(absl::StatusCode::kFailedPrecondition, "NOT_A_DUPLICATE",
                   "only a message added to an incident as a duplicate can be split out",
                   "message_id");
    }
    auto taken = store_.TryLease(id, now, now + options_.lease);
    if (!taken.ok()) return taken.status();
    if (!*taken) {
      return Error(absl::StatusCode::kAborted, "SPLIT_IN_PROGRESS",
                   "the message is being split right now; retry shortly");
    }
  }
  auto number =
      incidents_.CreateIncident(caller, IncidentFrom(*loaded, domain::SplitIncidentKeyFor(id)));
  if (!number.ok()) {
    if (absl::Status st = store_.ReleaseLease(id); !st.ok()) {
      log::Error("releasing a split lease", {{"message_id", id}, {"error", st.ToString()}});
    }
    return InOurTerms(number.status());
  }
  if (absl::Status st = store_.RecordSplit(id, *number, ActorOf(caller), clock_.Now()); !st.ok()) {
    return st;
  }
  log::Info("duplicate split out",
            {{"message_id", id}, {"from", loaded->message.incident_number()}, {"to", *number}});
  auto after = store_.Load(id, false);
  if (!after.ok()) return after.status();
  return respond(*after);
}

absl::StatusOr<int> IntakeDesk::RetryDueHandoffs(int limit) {
  auto due = store_.DueForHandoff(clock_.Now(), limit);
  if (!due.ok()) return due.status();
  int attempted = 0;
  for (const std::string& id : *due) {
    const absl::Time now = clock_.Now();
    auto taken = store_.TryLease(id, now, now + options_.lease);
    if (!taken.ok()) return taken.status();
    if (!*taken) continue;
    auto loaded = store_.Load(id, true);
    if (!loaded.ok()) {
      (void)store_.ReleaseLease(id);
      return loaded.status();
    }
    ++attempted;
    auto outcome = RunHandoff(loaded->caller, *loaded);
    log::Info("background hand-over attempted",
              {{"message_id", id}, {"outcome", outcome.ok() ? "OK" : outcome.status().ToString()}});
  }
  return attempted;
}

}  // namespace tiquete::intake
