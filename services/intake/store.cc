#include "services/intake/store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/events.h"
#include "common/idempotency.h"
#include "services/intake/store_internal.h"

namespace tiquete::intake {

using namespace store_internal;  // NOLINT(build/namespaces): conversion helpers only

namespace {

const std::string kMessageColumns = absl::StrCat(
    "id, channel, requester_id, submitted_by, caller, subject, body, category_id, service_id, "
    "ci_ids, impact, urgency, external_ref, normalized_text, ",
    Micros("received_at"),
    ", status, ticket_type, possible_security, security_reason, matched_rules, "
    "classification_reason, plan, plan_incident, plan_similarity, incident_number, comment_id, "
    "split_from, ",
    Micros("handed_off_at"),
    ", handoff_attempts, last_error_code, last_error_reason, last_error_field, last_error");

std::string Text(const pqxx::field& f) { return f.is_null() ? std::string() : f.as<std::string>(); }

StoredMessage MessageFromRow(const pqxx::row& r) {
  StoredMessage s;
  v1::Message& m = s.message;
  m.set_id(r[0].as<std::string>());
  v1::Channel channel;
  if (v1::Channel_Parse(r[1].as<std::string>(), &channel)) m.set_channel(channel);
  m.set_requester_id(r[2].as<std::string>());
  m.set_submitted_by(r[3].as<std::string>());
  s.caller.ParseFromString(Bytes(r[4]));
  m.set_subject(r[5].as<std::string>());
  m.set_body(r[6].as<std::string>());
  m.set_category_id(r[7].as<std::string>());
  m.set_service_id(r[8].as<std::string>());
  for (auto& ci : ParseTextArray(r[9])) m.add_ci_ids(std::move(ci));
  v1::Level level;
  if (v1::Level_Parse(r[10].as<std::string>(), &level)) m.set_impact(level);
  if (v1::Level_Parse(r[11].as<std::string>(), &level)) m.set_urgency(level);
  m.set_external_ref(r[12].as<std::string>());
  m.set_normalized_text(r[13].as<std::string>());
  s.received_at = TimeFromMicros(r[14]);
  SetTimestamp(s.received_at, m.mutable_received_at());
  v1::MessageStatus status;
  if (v1::MessageStatus_Parse(r[15].as<std::string>(), &status)) m.set_status(status);
  if (!r[16].is_null()) {
    s.classified = true;
    v1::Classification* c = m.mutable_classification();
    v1::TicketType type;
    if (v1::TicketType_Parse(r[16].as<std::string>(), &type)) c->set_type(type);
    c->set_possible_security(r[17].as<bool>());
    for (auto& rule : ParseTextArray(r[19])) c->add_matched_rules(std::move(rule));
    c->set_reason(r[20].as<std::string>());
    s.security_reason = r[18].as<std::string>();
  }
  const std::string plan = Text(r[21]);
  s.plan = plan == "CREATE" ? Plan::kCreate : plan == "COMMENT" ? Plan::kComment : Plan::kNone;
  s.plan_incident = Text(r[22]);
  s.plan_similarity = r[23].is_null() ? 0 : r[23].as<double>();
  m.set_incident_number(Text(r[24]));
  m.set_comment_id(Text(r[25]));
  if (m.status() == v1::DUPLICATE) m.set_duplicate_of(m.incident_number());
  m.set_split_from(Text(r[26]));
  if (!r[27].is_null()) SetTimestamp(TimeFromMicros(r[27]), m.mutable_handed_off_at());
  m.set_handoff_attempts(r[28].as<int>());
  s.last_error_code = r[29].is_null() ? 0 : r[29].as<int>();
  m.set_last_error_reason(r[30].as<std::string>());
  s.last_error_field = r[31].as<std::string>();
  m.set_last_error(r[32].as<std::string>());
  return s;
}

// Attachment metadata (and contents when asked) for the given messages, in position order.
void LoadAttachments(pqxx::work& tx, std::map<std::string, v1::Message*>& by_id,
                     bool with_content) {
  if (by_id.empty()) return;
  std::vector<std::string> ids;
  for (auto& [id, _] : by_id) ids.push_back(id);
  auto rows = tx.exec_params(
      "SELECT message_id, filename, content_type, sha256, size_bytes, "
      "CASE WHEN $2 THEN content ELSE ''::bytea END "
      "FROM message_attachments WHERE message_id = ANY($1::uuid[]) "
      "ORDER BY message_id, position",
      PgTextArray(ids), with_content);
  for (const auto& r : rows) {
    v1::Attachment* a = by_id[r[0].as<std::string>()]->add_attachments();
    a->set_filename(r[1].as<std::string>());
    a->set_content_type(r[2].as<std::string>());
    a->set_sha256(r[3].as<std::string>());
    a->set_size_bytes(r[4].as<int64_t>());
    if (with_content) a->set_content(Bytes(r[5]));
  }
}

// What Load(id, true) reads back right after Archive wrote `m` (MessageFromRow's mirror).
StoredMessage AsArchived(const std::string& id, const NewMessage& n) {
  StoredMessage s;
  v1::Message& m = s.message;
  m.set_id(id);
  m.set_channel(n.channel);
  m.set_requester_id(n.requester_id);
  m.set_submitted_by(n.submitted_by);
  s.caller = n.caller;
  m.set_subject(n.subject);
  m.set_body(n.body);
  m.set_category_id(n.category_id);
  m.set_service_id(n.service_id);
  for (const auto& ci : n.ci_ids) m.add_ci_ids(ci);
  m.set_impact(n.impact);
  m.set_urgency(n.urgency);
  m.set_external_ref(n.external_ref);
  m.set_normalized_text(n.normalized_text);
  s.received_at = absl::FromUnixMicros(absl::ToUnixMicros(n.received_at));  // stored in µs
  SetTimestamp(s.received_at, m.mutable_received_at());
  m.set_status(v1::RECEIVED);
  m.set_raw(n.raw);
  for (const auto& a : n.attachments) *m.add_attachments() = a;
  return s;
}

const char* TicketTypeCode(const domain::Classification& c) {
  return c.type == domain::TicketType::kServiceRequest ? "SERVICE_REQUEST" : "INCIDENT";
}

void ClassificationUpdate(pqxx::work& tx, const std::string& id, const domain::Classification& c) {
  tx.exec_params(
      "UPDATE messages SET ticket_type = $2, possible_security = $3, security_reason = $4, "
      "matched_rules = $5::text[], classification_reason = $6 "
      "WHERE id = $1::uuid AND ticket_type IS NULL",
      id, TicketTypeCode(c), c.possible_security, c.security_reason, PgTextArray(c.matched_rules),
      c.reason);
}

void PlanUpdate(pqxx::work& tx, const std::string& id, Plan plan, const std::string& incident,
                double similarity, bool replace) {
  const std::optional<std::string> target =
      plan == Plan::kComment ? std::optional<std::string>(incident) : std::nullopt;
  const std::optional<double> score =
      plan == Plan::kComment ? std::optional<double>(similarity) : std::nullopt;
  tx.exec_params(
      "UPDATE messages SET plan = $2, plan_incident = $3, plan_similarity = $4 "
      "WHERE id = $1::uuid AND (plan IS NULL OR $5)",
      id, plan == Plan::kComment ? "COMMENT" : "CREATE", target, score, replace);
}

void InsertLink(pqxx::work& tx, const std::string& id, const char* kind, const std::string& number,
                const std::string& comment_id, const std::string& actor_id, absl::Time now) {
  tx.exec_params(
      "INSERT INTO message_links (message_id, kind, incident_number, comment_id, actor_id, "
      "linked_at) VALUES ($1, $2, $3, $4, $5, $6::timestamptz)",
      id, kind, number, comment_id, actor_id, SqlTime(now));
}

}  // namespace

absl::StatusOr<IntakeStore::Archived> IntakeStore::Archive(const KeyClaim& key, const NewMessage& m,
                                                           absl::Time lease_until) {
  Archived result;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    result = Archived{};
    auto claimed = ClaimIdempotencyKey(tx, key.scope, key.key, key.fingerprint);
    if (!claimed.ok()) return claimed.status();
    if (claimed->has_value()) {
      result = {**claimed, true, {}};
      return absl::OkStatus();
    }
    auto row = tx.exec_params1(
        "INSERT INTO messages (channel, requester_id, submitted_by, caller, subject, body, "
        "category_id, service_id, ci_ids, impact, urgency, external_ref, raw, normalized_text, "
        "dedup_text, received_at, lease_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "$9::text[], $10, $11, $12, $13, $14, $15, $16::timestamptz, $17::timestamptz) "
        "RETURNING id",
        v1::Channel_Name(m.channel), m.requester_id, m.submitted_by,
        pqxx::binarystring(m.caller.SerializeAsString()), m.subject, m.body, m.category_id,
        m.service_id, PgTextArray(m.ci_ids), v1::Level_Name(m.impact), v1::Level_Name(m.urgency),
        m.external_ref, pqxx::binarystring(m.raw), m.normalized_text, m.dedup_text,
        SqlTime(m.received_at), SqlTime(lease_until));
    result.message_id = row[0].as<std::string>();
    for (size_t i = 0; i < m.attachments.size(); ++i) {
      const v1::Attachment& a = m.attachments[i];
      tx.exec_params(
          "INSERT INTO message_attachments (message_id, position, filename, content_type, "
          "content, sha256, size_bytes) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          result.message_id, static_cast<int>(i), a.filename(), a.content_type(),
          pqxx::binarystring(a.content()), a.sha256(), a.size_bytes());
    }
    RecordIdempotentResult(tx, key.scope, key.key, result.message_id);
    result.stored = AsArchived(result.message_id, m);
    v1::MessageReceived payload;
    payload.set_message_id(result.message_id);
    payload.set_channel(m.channel);
    payload.set_requester_id(m.requester_id);
    payload.set_external_ref(m.external_ref);
    SetTimestamp(m.received_at, payload.mutable_received_at());
    AppendEvent(
        tx, {"intake.message.received", "message", result.message_id, &payload, m.submitted_by});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<StoredMessage> IntakeStore::Load(const std::string& id, bool with_content) {
  StoredMessage out;
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    auto rows = tx.exec_params(absl::StrCat("SELECT ", kMessageColumns,
                                            ", CASE WHEN $2 THEN raw ELSE ''::bytea END "
                                            "FROM messages WHERE id = $1::uuid"),
                               id, with_content);
    if (rows.empty()) return NotFound("message", id);
    out = MessageFromRow(rows[0]);
    if (with_content) out.message.set_raw(Bytes(rows[0][33]));
    std::map<std::string, v1::Message*> by_id{{out.message.id(), &out.message}};
    LoadAttachments(tx, by_id, with_content);
    if (with_content) {
      auto links = tx.exec_params(absl::StrCat("SELECT kind, incident_number, comment_id, "
                                               "actor_id, ",
                                               Micros("linked_at"),
                                               " FROM message_links WHERE message_id = $1 "
                                               "ORDER BY id"),
                                  id);
      for (const auto& r : links) {
        v1::MessageLink* link = out.message.add_links();
        v1::LinkKind kind;
        if (v1::LinkKind_Parse(r[0].as<std::string>(), &kind)) link->set_kind(kind);
        link->set_incident_number(r[1].as<std::string>());
        link->set_comment_id(r[2].as<std::string>());
        link->set_actor_id(r[3].as<std::string>());
        SetTimestamp(TimeFromMicros(r[4]), link->mutable_linked_at());
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<bool> IntakeStore::TryLease(const std::string& id, absl::Time now,
                                           absl::Time until) {
  bool taken = false;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto rows = tx.exec_params(
        "UPDATE messages SET lease_until = $3::timestamptz WHERE id = $1::uuid "
        "AND (lease_until IS NULL OR lease_until <= $2::timestamptz) RETURNING id",
        id, SqlTime(now), SqlTime(until));
    taken = !rows.empty();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return taken;
}

absl::Status IntakeStore::ReleaseLease(const std::string& id) {
  return pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    tx.exec_params("UPDATE messages SET lease_until = NULL WHERE id = $1::uuid", id);
    return absl::OkStatus();
  });
}

absl::Status IntakeStore::RecordClassification(const std::string& id,
                                               const domain::Classification& c) {
  return pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    ClassificationUpdate(tx, id, c);
    return absl::OkStatus();
  });
}

absl::Status IntakeStore::RecordPlan(const std::string& id, Plan plan, const std::string& incident,
                                     double similarity, bool replace) {
  return pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    PlanUpdate(tx, id, plan, incident, similarity, replace);
    return absl::OkStatus();
  });
}

absl::Status IntakeStore::RecordDecision(const std::string& id, const domain::Classification* c,
                                         Plan plan, const std::string& incident,
                                         double similarity) {
  if (c == nullptr) return RecordPlan(id, plan, incident, similarity, false);
  // One statement, so the archived row (raw message, body, folded texts) is rewritten once,
  // not once for the classification and again for the plan. Each part only fills what is
  // still empty (the CASEs read the row as it was before this update).
  const bool comment = plan == Plan::kComment;
  return pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    tx.exec_params(
        "UPDATE messages SET "
        "ticket_type = coalesce(ticket_type, $2), "
        "possible_security = CASE WHEN ticket_type IS NULL THEN $3 ELSE possible_security END, "
        "security_reason = CASE WHEN ticket_type IS NULL THEN $4 ELSE security_reason END, "
        "matched_rules = CASE WHEN ticket_type IS NULL THEN $5::text[] ELSE matched_rules END, "
        "classification_reason = CASE WHEN ticket_type IS NULL THEN $6 "
        "ELSE classification_reason END, "
        "plan = coalesce(plan, $7), "
        "plan_incident = CASE WHEN plan IS NULL THEN $8 ELSE plan_incident END, "
        "plan_similarity = CASE WHEN plan IS NULL THEN $9::double precision "
        "ELSE plan_similarity END "
        "WHERE id = $1::uuid AND (ticket_type IS NULL OR plan IS NULL)",
        id, TicketTypeCode(*c), c->possible_security, c->security_reason,
        PgTextArray(c->matched_rules), c->reason, comment ? "COMMENT" : "CREATE",
        comment ? std::optional<std::string>(incident) : std::nullopt,
        comment ? std::optional<double>(similarity) : std::nullopt);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<domain::DuplicateCandidate>> IntakeStore::FindDuplicateCandidates(
    const std::string& requester_id, const std::string& dedup_text, const std::string& exclude_id,
    absl::Time from, absl::Time to, double threshold, int limit) {
  std::vector<domain::DuplicateCandidate> out;
  // One statement: no transaction needed (saves the BEGIN and COMMIT round trips).
  absl::Status status = pool_.ReadAutocommit([&](pqxx::transaction_base& tx) -> absl::Status {
    out.clear();
    // pg_trgm lives in schema ext for every service role; qualified so search_path is moot.
    auto rows = tx.exec_params(
        absl::StrCat("SELECT id, incident_number, ", Micros("received_at"),
                     ", ext.similarity(dedup_text, $2) AS score FROM messages "
                     "WHERE requester_id = $1 AND id <> $3::uuid AND incident_number IS NOT NULL "
                     "AND received_at BETWEEN $4::timestamptz AND $5::timestamptz "
                     "AND ext.similarity(dedup_text, $2) >= $6 "
                     "ORDER BY score DESC, received_at DESC LIMIT $7"),
        requester_id, dedup_text, exclude_id, SqlTime(from), SqlTime(to), threshold, limit);
    for (const auto& r : rows) {
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), TimeFromMicros(r[2]),
                     r[3].as<double>()});
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<bool> IntakeStore::RecordIncidentCreated(const std::string& id,
                                                        const std::string& number, absl::Time now) {
  bool applied = false;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    applied = false;
    auto rows = tx.exec_params(
        "UPDATE messages SET status = 'HANDED_OFF', incident_number = $2, "
        "handed_off_at = $3::timestamptz, lease_until = NULL, next_attempt_at = NULL, "
        "last_error_code = NULL, last_error_reason = '', last_error_field = '', last_error = '' "
        "WHERE id = $1::uuid AND status IN ('RECEIVED', 'PENDING_HANDOFF') "
        "RETURNING channel, requester_id, submitted_by, ticket_type, possible_security, "
        "matched_rules, classification_reason",
        id, number, SqlTime(now));
    if (rows.empty()) return absl::OkStatus();  // already recorded by a concurrent hand-over
    applied = true;
    const auto& r = rows[0];
    InsertLink(tx, id, "CREATED_INCIDENT", number, "", r[2].as<std::string>(), now);
    v1::MessageHandedOff payload;
    payload.set_message_id(id);
    payload.set_incident_number(number);
    v1::Channel channel;
    if (v1::Channel_Parse(r[0].as<std::string>(), &channel)) payload.set_channel(channel);
    payload.set_requester_id(r[1].as<std::string>());
    v1::TicketType type;
    if (!r[3].is_null() && v1::TicketType_Parse(r[3].as<std::string>(), &type)) {
      payload.mutable_classification()->set_type(type);
    }
    payload.mutable_classification()->set_possible_security(r[4].as<bool>());
    for (auto& rule : ParseTextArray(r[5])) {
      payload.mutable_classification()->add_matched_rules(std::move(rule));
    }
    payload.mutable_classification()->set_reason(r[6].as<std::string>());
    AppendEvent(tx, {"intake.message.handed_off", "message", id, &payload, r[2].as<std::string>()});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return applied;
}

absl::StatusOr<bool> IntakeStore::RecordDuplicate(const std::string& id, const std::string& number,
                                                  const std::string& comment_id, double similarity,
                                                  absl::Time now) {
  bool applied = false;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    applied = false;
    auto rows = tx.exec_params(
        "UPDATE messages SET status = 'DUPLICATE', incident_number = $2, comment_id = $3, "
        "handed_off_at = $4::timestamptz, lease_until = NULL, next_attempt_at = NULL, "
        "last_error_code = NULL, last_error_reason = '', last_error_field = '', last_error = '' "
        "WHERE id = $1::uuid AND status IN ('RECEIVED', 'PENDING_HANDOFF') "
        "RETURNING channel, requester_id, submitted_by",
        id, number, comment_id, SqlTime(now));
    if (rows.empty()) return absl::OkStatus();
    applied = true;
    const auto& r = rows[0];
    InsertLink(tx, id, "COMMENTED_ON_INCIDENT", number, comment_id, r[2].as<std::string>(), now);
    v1::DuplicateDetected payload;
    payload.set_message_id(id);
    payload.set_incident_number(number);
    payload.set_comment_id(comment_id);
    payload.set_similarity(similarity);
    v1::Channel channel;
    if (v1::Channel_Parse(r[0].as<std::string>(), &channel)) payload.set_channel(channel);
    payload.set_requester_id(r[1].as<std::string>());
    AppendEvent(
        tx, {"intake.message.duplicate_detected", "message", id, &payload, r[2].as<std::string>()});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return applied;
}

absl::Status IntakeStore::RecordHandoffFailure(const std::string& id, const absl::Status& error,
                                               bool retryable, absl::Time next_attempt) {
  const std::optional<std::string> next =
      retryable ? std::optional<std::string>(SqlTime(next_attempt)) : std::nullopt;
  return pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    tx.exec_params(
        "UPDATE messages SET status = $2, handoff_attempts = handoff_attempts + 1, "
        "next_attempt_at = $3::timestamptz, lease_until = NULL, last_error_code = $4, "
        "last_error_reason = $5, last_error_field = $6, last_error = $7 "
        "WHERE id = $1::uuid AND status IN ('RECEIVED', 'PENDING_HANDOFF')",
        id, retryable ? "PENDING_HANDOFF" : "REJECTED", next, static_cast<int>(error.code()),
        ErrorReason(error), ErrorField(error), std::string(error.message()));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> IntakeStore::DueForHandoff(absl::Time now, int limit) {
  std::vector<std::string> ids;
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    ids.clear();
    auto rows = tx.exec_params(
        "SELECT id FROM messages WHERE status IN ('RECEIVED', 'PENDING_HANDOFF') "
        "AND (lease_until IS NULL OR lease_until <= $1::timestamptz) "
        "AND (next_attempt_at IS NULL OR next_attempt_at <= $1::timestamptz) "
        "ORDER BY received_at LIMIT $2",
        SqlTime(now), limit);
    for (const auto& r : rows) ids.push_back(r[0].as<std::string>());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return ids;
}

absl::StatusOr<IntakeStore::Archived> IntakeStore::ClaimSplit(const KeyClaim& key,
                                                              const std::string& message_id,
                                                              const std::string& actor_id,
                                                              absl::Time now,
                                                              absl::Time lease_until) {
  Archived result;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    result = Archived{};
    auto claimed = ClaimIdempotencyKey(tx, key.scope, key.key, key.fingerprint);
    if (!claimed.ok()) return claimed.status();
    if (claimed->has_value()) {
      result = {**claimed, true, {}};
      return absl::OkStatus();
    }
    auto rows = tx.exec_params(
        "SELECT status, lease_until IS NOT NULL AND lease_until > $2::timestamptz "
        "FROM messages WHERE id = $1::uuid FOR UPDATE",
        message_id, SqlTime(now));
    if (rows.empty()) return NotFound("message", message_id);
    if (rows[0][0].as<std::string>() != "DUPLICATE") {
      return Error(absl::StatusCode::kFailedPrecondition, "NOT_A_DUPLICATE",
                   "only a message added to an incident as a duplicate can be split out",
                   "message_id");
    }
    if (rows[0][1].as<bool>()) {
      return Error(absl::StatusCode::kAborted, "SPLIT_IN_PROGRESS",
                   "the message is being split right now; retry shortly");
    }
    tx.exec_params(
        "UPDATE messages SET split_requested_by = $2, lease_until = $3::timestamptz "
        "WHERE id = $1::uuid",
        message_id, actor_id, SqlTime(lease_until));
    RecordIdempotentResult(tx, key.scope, key.key, message_id);
    result.message_id = message_id;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::Status IntakeStore::RecordSplit(const std::string& id, const std::string& number,
                                      const std::string& actor_id, absl::Time now) {
  return pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto rows = tx.exec_params(
        "UPDATE messages SET status = 'HANDED_OFF', split_from = incident_number, "
        "incident_number = $2, comment_id = NULL, handed_off_at = $3::timestamptz, "
        "lease_until = NULL WHERE id = $1::uuid AND status = 'DUPLICATE' RETURNING split_from",
        id, number, SqlTime(now));
    if (rows.empty()) return absl::OkStatus();
    const std::string from = rows[0][0].as<std::string>();
    InsertLink(tx, id, "SPLIT_INTO_INCIDENT", number, "", actor_id, now);
    v1::MessageSplit payload;
    payload.set_message_id(id);
    payload.set_from_incident_number(from);
    payload.set_to_incident_number(number);
    payload.set_actor_id(actor_id);
    AppendEvent(tx, {"intake.message.split", "message", id, &payload, actor_id});
    return absl::OkStatus();
  });
}

absl::StatusOr<MessagePage> IntakeStore::ListMessages(
    const MessageFilter& f, const std::optional<domain::MessageCursor>& after, int page_size) {
  MessagePage page;
  auto opt_time = [](const std::optional<absl::Time>& t) {
    return t ? std::optional<std::string>(SqlTime(*t)) : std::nullopt;
  };
  const std::optional<std::string> after_time =
      after ? std::optional<std::string>(SqlTime(absl::FromUnixMicros(after->received_at_micros)))
            : std::nullopt;
  const std::optional<std::string> after_id =
      after ? std::optional<std::string>(after->id) : std::nullopt;
  absl::Status status = pool_.Read([&](pqxx::work& tx) -> absl::Status {
    page = MessagePage{};
    // One more row than asked tells whether another page follows.
    auto rows = tx.exec_params(
        absl::StrCat(
            "SELECT ", kMessageColumns,
            " FROM messages m WHERE ($1 = '' OR requester_id = $1) "
            "AND ($2 = '' OR channel = $2) "
            "AND ($3 = '' OR EXISTS (SELECT 1 FROM message_links l WHERE l.message_id = m.id "
            "AND l.incident_number = $3)) "
            "AND ($4::timestamptz IS NULL OR received_at >= $4::timestamptz) "
            "AND ($5::timestamptz IS NULL OR received_at < $5::timestamptz) "
            "AND ($6 = '' OR status = $6) "
            "AND ($7::timestamptz IS NULL OR (received_at, id) < ($7::timestamptz, $8::uuid)) "
            "AND ($10 OR NOT possible_security) "
            "ORDER BY received_at DESC, id DESC LIMIT $9"),
        f.requester_id,
        f.channel == v1::CHANNEL_UNSPECIFIED ? std::string() : v1::Channel_Name(f.channel),
        f.incident_number, opt_time(f.received_after), opt_time(f.received_before),
        f.status == v1::MESSAGE_STATUS_UNSPECIFIED ? std::string()
                                                   : v1::MessageStatus_Name(f.status),
        after_time, after_id, page_size + 1, f.include_security);
    std::vector<StoredMessage> loaded;
    for (const auto& r : rows) {
      if (static_cast<int>(loaded.size()) == page_size) {
        const StoredMessage& last = loaded.back();
        page.next = domain::MessageCursor{absl::ToUnixMicros(last.received_at), last.message.id()};
        break;
      }
      loaded.push_back(MessageFromRow(r));
    }
    page.messages.reserve(loaded.size());
    for (auto& s : loaded) page.messages.push_back(std::move(s.message));
    std::map<std::string, v1::Message*> by_id;
    for (auto& m : page.messages) by_id[m.id()] = &m;
    LoadAttachments(tx, by_id, false);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

}  // namespace tiquete::intake
