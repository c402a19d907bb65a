#include "services/incident/store.h"

#include <google/protobuf/any.pb.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "common/events.h"
#include "common/idempotency.h"
#include "common/log.h"
#include "services/incident/domain/audit.h"
#include "services/incident/domain/codes.h"
#include "services/incident/domain/number.h"
#include "services/incident/domain/timestamps.h"
#include "services/incident/store_internal.h"

namespace tiquete::incident {
namespace {

using namespace store_internal;  // NOLINT: this file is the store

constexpr char kCreateScope[] = "incident.create";
constexpr char kCommentScope[] = "incident.comment";
constexpr char kSurveyScope[] = "incident.survey";

absl::Status NotFoundNumber(const std::string& number) { return NotFound("incident", number); }

// Per (prefix, year), from a PostgreSQL sequence (migration 0002): never waits for another
// creation, never repeats; a creation that rolls back leaves a gap.
int64_t NextSequence(pqxx::work& tx, const std::string& prefix, int year) {
  return tx.exec_params1("SELECT next_ticket_sequence($1, $2)", prefix, year)[0].as<int64_t>();
}

// All of a change's audit rows in one statement, in order: a creation records every initial
// value.
void InsertAudit(pqxx::work& tx, const StoredIncident& stored, const std::string& actor,
                 absl::Time at, const std::vector<v1::FieldChange>& changes,
                 const std::string& reason) {
  if (changes.empty()) return;
  std::vector<std::string> fields, olds, news;
  for (const v1::FieldChange& c : changes) {
    fields.push_back(c.field());
    olds.push_back(c.old_value());
    news.push_back(c.new_value());
  }
  tx.exec_params(
      "INSERT INTO audit_trail (incident_id, number, actor_id, at, field, old_value, new_value,"
      " reason) SELECT $1, $2, $3, $4::timestamptz, u.field, u.old_value, u.new_value, $8"
      " FROM unnest($5::text[], $6::text[], $7::text[]) WITH ORDINALITY"
      " AS u(field, old_value, new_value, n) ORDER BY u.n",
      stored.row_id, stored.incident.number(), actor, SqlTime(at), PgTextArray(fields),
      PgTextArray(olds), PgTextArray(news), reason);
}

void InsertEscalation(pqxx::work& tx, int64_t row_id, const v1::Escalation& e, absl::Time at) {
  SqlParams p;
  const std::string sql = absl::StrCat(
      "INSERT INTO escalations (incident_id, kind, from_level, to_level, from_group_id,"
      " to_group_id, to_person_id, reason, actor_id, at) VALUES (",
      p.Add(absl::StrCat(row_id)), "::bigint, ", p.Add(std::string(EscalationKindCode(e.kind()))),
      ", ", p.Add(NullIfZero(e.from_level())), "::smallint, ", p.Add(NullIfZero(e.to_level())),
      "::smallint, ", p.Add(NullIfEmpty(e.from_group_id())), "::uuid, ",
      p.Add(NullIfEmpty(e.to_group_id())), "::uuid, ", p.Add(NullIfEmpty(e.to_person_id())),
      "::uuid, ", p.Add(e.reason()), ", ", p.Add(e.actor_id()), ", ", p.Add(SqlTime(at)),
      "::timestamptz)");
  tx.exec_params(sql, p.Dynamic());
}

void AppendEvents(pqxx::work& tx, const std::vector<Change>& events, const v1::Incident& before,
                  const v1::Incident& after, const std::vector<v1::FieldChange>& changes,
                  const ChangeContext& context) {
  for (Change c : events) {
    const v1::IncidentEvent payload = BuildEvent(c, before, after, changes, context);
    AppendEvent(tx, {EventType(c), "incident", after.number(), &payload, context.actor_id});
  }
}

// Writes `after` over the locked row of `before` with a new version, then its audit rows,
// escalation and events. `force` writes even when no field changed (a new work log entry).
v1::Incident Persist(pqxx::work& tx, const StoredIncident& before, v1::Incident after,
                     const Mutation& mutation, ChangeContext context,
                     std::vector<v1::FieldChange> extra_audit, bool force) {
  std::vector<v1::FieldChange> changes = DiffIncidents(before.incident, after);
  if (changes.empty() && !force && !mutation.escalation) return before.incident;
  after.set_version(before.incident.version() + 1);
  *after.mutable_updated_at() = ToProtoTime(context.at);
  SqlParams p;
  std::vector<std::string> sets;
  for (const auto& [column, value] : WritableColumns(after, &p)) {
    sets.push_back(absl::StrCat(column, " = ", value));
  }
  // Built before the call: the placeholder must be added before the parameters are taken.
  const std::string sql =
      absl::StrCat("UPDATE incidents SET ", absl::StrJoin(sets, ", "),
                   " WHERE id = ", p.Add(absl::StrCat(before.row_id)), "::bigint");
  tx.exec_params(sql, p.Dynamic());
  std::vector<v1::FieldChange> audit = changes;
  audit.insert(audit.end(), extra_audit.begin(), extra_audit.end());
  InsertAudit(tx, before, context.actor_id, context.at, audit, mutation.reason);
  if (mutation.escalation) InsertEscalation(tx, before.row_id, *mutation.escalation, context.at);
  AppendEvents(tx, EventsFor(mutation.events, before.incident, after), before.incident, after,
               changes, context);
  return after;
}

// The columns of a new incident row and their placeholders: the fixed ones, then every
// writable one.
std::pair<std::vector<std::string>, std::vector<std::string>> NewRowColumns(const v1::Incident& row,
                                                                            absl::Time now,
                                                                            SqlParams* p) {
  std::vector<std::string> columns = {
      "number", "type", "requester_id", "channel", "intake_message_id", "created_at"};
  std::vector<std::string> values = {p->Add(row.number()),
                                     p->Add(std::string(TypeCode(row.type()))),
                                     p->Add(row.requester_id()) + "::uuid",
                                     p->Add(std::string(ChannelCode(row.channel()))),
                                     p->Add(row.intake_message_id()),
                                     p->Add(SqlTime(now)) + "::timestamptz"};
  for (const auto& [column, value] : WritableColumns(row, p)) {
    columns.push_back(column);
    values.push_back(value);
  }
  return {std::move(columns), std::move(values)};
}

// A new incident without attachments, its audit rows (every initial value), its created event
// and its idempotency record, in one statement: the same rows as the general path of Create.
void CreateInOneStatement(pqxx::work& tx, const v1::Incident& row,
                          const std::string& idempotency_key, const std::string& actor,
                          absl::Time now, const std::string& reason) {
  SqlParams p;
  const auto [columns, values] = NewRowColumns(row, now, &p);
  std::vector<std::string> fields, olds, news;
  for (const v1::FieldChange& c : DiffIncidents(v1::Incident(), row)) {
    fields.push_back(c.field());
    olds.push_back(c.old_value());
    news.push_back(c.new_value());
  }
  const ChangeContext context{actor, now, reason};
  google::protobuf::Any event;
  event.PackFrom(BuildEvent(Change::kCreated, v1::Incident(), row, {}, context));
  const std::string number = p.Add(row.number());
  const std::string at = p.Add(SqlTime(now)) + "::timestamptz";
  const std::string by = p.Add(actor);
  std::string sql = absl::StrCat(
      "WITH ins AS (INSERT INTO incidents (", absl::StrJoin(columns, ", "), ") VALUES (",
      absl::StrJoin(values, ", "),
      ") RETURNING id), "
      "aud AS (INSERT INTO audit_trail (incident_id, number, actor_id, at, field, old_value,"
      " new_value, reason) SELECT ins.id, ",
      number, ", ", by, ", ", at, ", u.field, u.old_value, u.new_value, ", p.Add(reason),
      " FROM ins, unnest(", p.Add(PgTextArray(fields)), "::text[], ", p.Add(PgTextArray(olds)),
      "::text[], ", p.Add(PgTextArray(news)),
      "::text[]) WITH ORDINALITY AS u(field, old_value, new_value, n) ORDER BY u.n), "
      "evt AS (INSERT INTO outbox (type, aggregate_type, aggregate_id, payload, request_id,"
      " actor_id) VALUES (",
      p.Add(EventType(Change::kCreated)), ", 'incident', ", number, ", decode(",
      p.Add(HexDigits(event.SerializeAsString())), ", 'hex'), ", p.Add(log::CurrentRequestId()),
      ", ", by, "))");
  if (!idempotency_key.empty()) {
    absl::StrAppend(&sql, ", idem AS (UPDATE idempotency_keys SET resource_id = ", number,
                    " WHERE scope = ", p.Add(std::string(kCreateScope)),
                    " AND key = ", p.Add(idempotency_key), ")");
  }
  absl::StrAppend(&sql, " SELECT id FROM ins");
  // The text depends only on whether there is an idempotency key (every writable column is
  // always written), so it is prepared once per connection instead of planned on every
  // creation; libpqxx prepares it on a connection's first use, re-declaring it is a no-op.
  const char* name = idempotency_key.empty() ? "incident_create" : "incident_create_keyed";
  tx.conn().prepare(name, sql);
  auto rows = tx.exec_prepared(name, p.Dynamic());
  if (rows.size() != 1) {
    throw pqxx::unexpected_rows(
        absl::StrCat("creating an incident returned ", rows.size(), " rows instead of 1"));
  }
  MarkOutboxWritten();  // its created event: the relay publishes it once this commits
}

absl::Status StaleVersion(int64_t expected, int64_t current) {
  return Error(absl::StatusCode::kAborted, "STALE_VERSION",
               absl::StrCat("the incident changed since it was read (version ", expected, ", now ",
                            current, "); reload it and try again"),
               "version");
}

}  // namespace

IncidentStore::IncidentStore(PgPool& pool, Clock* clock) : pool_(pool), clock_(clock) {}

absl::StatusOr<v1::Incident> IncidentStore::Create(const v1::Incident& draft,
                                                   const Idempotency& idempotency,
                                                   const std::string& actor,
                                                   const std::string& reason) {
  v1::Incident created;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto claimed = ClaimIdempotencyKey(tx, kCreateScope, idempotency.key, idempotency.fingerprint);
    if (!claimed.ok()) return claimed.status();
    if (claimed->has_value()) {
      auto existing = LoadIncident(tx, **claimed, false, true);
      if (!existing) return NotFoundNumber(**claimed);
      created = existing->incident;
      return absl::OkStatus();
    }
    const absl::Time now = TruncateToMicros(clock_->Now());
    v1::Incident row = draft;
    row.set_number(
        FormatNumber(row.type(), ColombianYear(now),
                     NextSequence(tx, std::string(NumberPrefix(row.type())), ColombianYear(now))));
    *row.mutable_created_at() = ToProtoTime(now);
    *row.mutable_updated_at() = ToProtoTime(now);
    row.set_version(1);
    if (row.attachments().empty()) {
      // Everything else in one statement: each round trip holds the connection and the
      // idempotency key's row lock a little longer.
      CreateInOneStatement(tx, row, idempotency.key, actor, now, reason);
      created = row;
      return absl::OkStatus();
    }
    SqlParams p;
    const auto [columns, values] = NewRowColumns(row, now, &p);
    auto inserted =
        tx.exec_params1(absl::StrCat("INSERT INTO incidents (", absl::StrJoin(columns, ", "),
                                     ") VALUES (", absl::StrJoin(values, ", "), ") RETURNING id"),
                        p.Dynamic());
    StoredIncident stored{row, inserted[0].as<int64_t>()};
    InsertAttachments(tx, stored.row_id, std::nullopt, now, row.mutable_attachments());
    // The first audit rows record every initial value, so the trail alone tells the whole story.
    InsertAudit(tx, stored, actor, now, DiffIncidents(v1::Incident(), row), reason);
    ChangeContext context{actor, now, reason};
    AppendEvents(tx, {Change::kCreated}, v1::Incident(), row, {}, context);
    RecordIdempotentResult(tx, kCreateScope, idempotency.key, row.number());
    created = row;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<StoredIncident> IncidentStore::Get(const std::string& number,
                                                  bool with_attachments) {
  std::optional<StoredIncident> found;
  absl::Status status = pool_.ReadAutocommit([&](pqxx::transaction_base& tx) {
    found = LoadIncident(tx, number, false, with_attachments);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return NotFoundNumber(number);
  return *std::move(found);
}

absl::StatusOr<v1::Incident> IncidentStore::Mutate(const std::string& number,
                                                   int64_t expected_version,
                                                   const std::string& actor, const MutateFn& fn) {
  v1::Incident result;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto before = LoadIncident(tx, number, true, false);
    if (!before) return NotFoundNumber(number);
    if (before->incident.version() != expected_version) {
      return StaleVersion(expected_version, before->incident.version());
    }
    v1::Incident after = before->incident;
    auto mutation = fn(&after);
    if (!mutation.ok()) return mutation.status();
    ChangeContext context{actor, TruncateToMicros(clock_->Now()), mutation->reason};
    if (mutation->escalation) context.escalation_kind = mutation->escalation->kind();
    result = Persist(tx, *before, std::move(after), *mutation, context, {}, false);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<v1::WorkLogEntry> IncidentStore::AddComment(
    const std::string& number, const v1::WorkLogEntry& entry, const Idempotency& idempotency,
    const std::string& actor, const std::function<absl::Status(v1::Incident*)>& fn) {
  v1::WorkLogEntry saved;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto claimed = ClaimIdempotencyKey(tx, kCommentScope, idempotency.key, idempotency.fingerprint);
    if (!claimed.ok()) return claimed.status();
    auto before = LoadIncident(tx, number, true, false);
    if (!before) return NotFoundNumber(number);
    if (claimed->has_value()) {
      int64_t id = 0;
      if (!absl::SimpleAtoi(**claimed, &id)) return absl::InternalError("bad stored comment id");
      auto page = ListWorkLogIn(tx, before->row_id, true, false, id - 1, 1);
      if (page.entries.empty()) return NotFound("work log entry", **claimed);
      saved = page.entries.front();
      saved.set_number(number);
      return absl::OkStatus();
    }
    v1::Incident after = before->incident;
    if (auto s = fn(&after); !s.ok()) return s;
    const absl::Time now = TruncateToMicros(clock_->Now());
    saved = entry;
    auto row = tx.exec_params1(
        "INSERT INTO work_log (incident_id, kind, visibility, author_id, body, source_message_id,"
        " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) RETURNING id",
        before->row_id, std::string(WorkLogKindCode(entry.kind())),
        std::string(VisibilityCode(entry.visibility())), actor, entry.body(),
        entry.source_message_id(), SqlTime(now));
    const int64_t id = row[0].as<int64_t>();
    saved.set_id(absl::StrCat(id));
    saved.set_number(number);
    saved.set_author_id(actor);
    *saved.mutable_created_at() = ToProtoTime(now);
    InsertAttachments(tx, before->row_id, id, now, saved.mutable_attachments());
    v1::FieldChange logged;
    logged.set_field("work_log");
    logged.set_new_value(absl::StrCat(id, " (", std::string(WorkLogKindCode(entry.kind())), ", ",
                                      std::string(VisibilityCode(entry.visibility())), ")"));
    ChangeContext context{actor, now, ""};
    context.work_log_id = saved.id();
    context.comment_visibility = entry.visibility();
    Persist(tx, *before, std::move(after), Mutation{{Change::kCommented}, "", std::nullopt},
            context, {logged}, true);
    RecordIdempotentResult(tx, kCommentScope, idempotency.key, saved.id());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return saved;
}

absl::StatusOr<v1::Survey> IncidentStore::SubmitSurvey(const std::string& number,
                                                       const Idempotency& idempotency,
                                                       const std::string& actor,
                                                       const MutateFn& fn) {
  v1::Survey survey;
  absl::Status status = pool_.Transact([&](pqxx::work& tx) -> absl::Status {
    auto claimed = ClaimIdempotencyKey(tx, kSurveyScope, idempotency.key, idempotency.fingerprint);
    if (!claimed.ok()) return claimed.status();
    auto before = LoadIncident(tx, number, true, false);
    if (!before) return NotFoundNumber(number);
    if (claimed->has_value()) {
      survey = before->incident.survey();
      return absl::OkStatus();
    }
    v1::Incident after = before->incident;
    auto mutation = fn(&after);
    if (!mutation.ok()) return mutation.status();
    ChangeContext context{actor, TruncateToMicros(clock_->Now()), mutation->reason};
    survey = Persist(tx, *before, std::move(after), *mutation, context, {}, false).survey();
    RecordIdempotentResult(tx, kSurveyScope, idempotency.key, number);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return survey;
}

}  // namespace tiquete::incident
