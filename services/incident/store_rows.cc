// Row ⇄ proto mapping for the incidents table and the small helpers every store file uses.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/incident/domain/codes.h"
#include "services/incident/domain/timestamps.h"
#include "services/incident/store_internal.h"

namespace tiquete::incident::store_internal {

std::string SqlParams::Add(std::string value) {
  storage_.push_back(std::move(value));
  pointers_.push_back(storage_.back().c_str());
  return absl::StrCat("$", pointers_.size());
}

std::string SqlParams::Add(const std::optional<std::string>& value) {
  if (value) return Add(*value);
  pointers_.push_back(nullptr);
  return absl::StrCat("$", pointers_.size());
}

pqxx::internal::dynamic_params<std::vector<const char*>::const_iterator> SqlParams::Dynamic() {
  return pqxx::prepare::make_dynamic_params(pointers_);
}

std::string SqlTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

std::optional<std::string> SqlTime(const google::protobuf::Timestamp& ts) {
  if (!IsSet(ts)) return std::nullopt;
  return SqlTime(FromProtoTime(ts));
}

std::string Micros(const std::string& column) {
  return absl::StrCat("coalesce((extract(epoch FROM ", column, ") * 1000000)::bigint, 0)");
}

google::protobuf::Timestamp TimeFromMicros(int64_t micros) {
  if (micros == 0) return {};
  return ToProtoTime(absl::FromUnixMicros(micros));
}

absl::Time TruncateToMicros(absl::Time t) { return absl::FromUnixMicros(absl::ToUnixMicros(t)); }

std::string ArrayLiteral(const std::vector<std::string>& items) {
  return absl::StrCat("{", absl::StrJoin(items, ","), "}");
}

std::optional<std::string> NullIfEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::optional<std::string> NullIfZero(int v) {
  if (v == 0) return std::nullopt;
  return absl::StrCat(v);
}

namespace {

std::string Bool(bool b) { return b ? "true" : "false"; }

}  // namespace

const char kIncidentColumns[] =
    "i.id, i.number, i.type, i.state, i.title, i.description, i.requester_id::text AS requester,"
    " i.channel, coalesce(i.category_id::text, '') AS category,"
    " coalesce(i.service_id::text, '') AS service, array_to_string(i.ci_ids, ',') AS cis,"
    " i.impact, i.urgency, i.priority, i.matrix_priority, i.priority_overridden,"
    " i.priority_justification, coalesce(i.pending_reason, '') AS pending,"
    " coalesce(i.level, 0) AS lvl, coalesce(i.group_id::text, '') AS grp,"
    " coalesce(i.assignee_id::text, '') AS assignee,"
    " coalesce(i.coordinator_id::text, '') AS coordinator, i.major,"
    " coalesce(i.major_owner_id::text, '') AS major_owner, i.parent_number, i.duplicate,"
    " i.problem_id, i.resolution_code, i.resolution_notes,"
    " coalesce(i.resolved_level, 0) AS resolved_lvl, i.closure_code, i.cancel_reason,"
    " i.reopen_count, coalesce(i.survey_rating, 0) AS rating, i.survey_comment,"
    " coalesce((extract(epoch FROM i.surveyed_at) * 1000000)::bigint, 0) AS surveyed_us,"
    " i.possible_security, i.security_reason, i.intake_message_id,"
    " coalesce((extract(epoch FROM i.created_at) * 1000000)::bigint, 0) AS created_us,"
    " coalesce((extract(epoch FROM i.first_response_at) * 1000000)::bigint, 0) AS response_us,"
    " coalesce((extract(epoch FROM i.resolved_at) * 1000000)::bigint, 0) AS resolved_us,"
    " coalesce((extract(epoch FROM i.closed_at) * 1000000)::bigint, 0) AS closed_us,"
    " coalesce((extract(epoch FROM i.updated_at) * 1000000)::bigint, 0) AS updated_us,"
    " i.version";

StoredIncident ParseIncident(const pqxx::row& r) {
  StoredIncident out;
  out.row_id = r["id"].as<int64_t>();
  v1::Incident& i = out.incident;
  auto str = [&](const char* column) { return r[column].as<std::string>(); };
  i.set_number(str("number"));
  i.set_type(ParseTypeCode(str("type")));
  i.set_state(ParseStateCode(str("state")));
  i.set_title(str("title"));
  i.set_description(str("description"));
  i.set_requester_id(str("requester"));
  i.set_channel(ParseChannelCode(str("channel")));
  i.set_category_id(str("category"));
  i.set_service_id(str("service"));
  const std::string cis = str("cis");
  if (!cis.empty()) {
    for (absl::string_view ci : absl::StrSplit(cis, ',')) i.add_ci_ids(std::string(ci));
  }
  i.set_impact(static_cast<v1::Level>(r["impact"].as<int>()));
  i.set_urgency(static_cast<v1::Level>(r["urgency"].as<int>()));
  i.set_priority(static_cast<v1::Priority>(r["priority"].as<int>()));
  i.set_matrix_priority(static_cast<v1::Priority>(r["matrix_priority"].as<int>()));
  i.set_priority_overridden(r["priority_overridden"].as<bool>());
  i.set_priority_justification(str("priority_justification"));
  i.set_pending_reason(ParsePendingReasonCode(str("pending")));
  i.set_level(static_cast<v1::SupportLevel>(r["lvl"].as<int>()));
  i.set_assignment_group_id(str("grp"));
  i.set_assignee_id(str("assignee"));
  i.set_coordinator_id(str("coordinator"));
  i.set_major(r["major"].as<bool>());
  i.set_major_owner_id(str("major_owner"));
  i.set_parent_number(str("parent_number"));
  i.set_duplicate(r["duplicate"].as<bool>());
  i.set_problem_id(str("problem_id"));
  i.set_resolution_code(str("resolution_code"));
  i.set_resolution_notes(str("resolution_notes"));
  i.set_resolved_level(static_cast<v1::SupportLevel>(r["resolved_lvl"].as<int>()));
  i.set_closure_code(str("closure_code"));
  i.set_cancel_reason(str("cancel_reason"));
  i.set_reopen_count(r["reopen_count"].as<int>());
  if (const int rating = r["rating"].as<int>(); rating != 0) {
    i.mutable_survey()->set_rating(rating);
    i.mutable_survey()->set_comment(str("survey_comment"));
    *i.mutable_survey()->mutable_submitted_at() = TimeFromMicros(r["surveyed_us"].as<int64_t>());
  }
  i.set_possible_security(r["possible_security"].as<bool>());
  i.set_security_reason(str("security_reason"));
  i.set_intake_message_id(str("intake_message_id"));
  // mutable_*() would mark a Timestamp present even when it stays zero: only touch set ones.
  if (int64_t us = r["created_us"].as<int64_t>()) *i.mutable_created_at() = TimeFromMicros(us);
  if (int64_t us = r["response_us"].as<int64_t>()) {
    *i.mutable_first_response_at() = TimeFromMicros(us);
  }
  if (int64_t us = r["resolved_us"].as<int64_t>()) *i.mutable_resolved_at() = TimeFromMicros(us);
  if (int64_t us = r["closed_us"].as<int64_t>()) *i.mutable_closed_at() = TimeFromMicros(us);
  if (int64_t us = r["updated_us"].as<int64_t>()) *i.mutable_updated_at() = TimeFromMicros(us);
  i.set_version(r["version"].as<int64_t>());
  return out;
}

std::vector<std::pair<std::string, std::string>> WritableColumns(const v1::Incident& i,
                                                                 SqlParams* p) {
  const std::string cis = ArrayLiteral({i.ci_ids().begin(), i.ci_ids().end()});
  const bool surveyed = i.survey().rating() != 0;
  return {
      {"state", p->Add(std::string(StateCode(i.state())))},
      {"title", p->Add(i.title())},
      {"description", p->Add(i.description())},
      {"category_id", p->Add(NullIfEmpty(i.category_id())) + "::uuid"},
      {"service_id", p->Add(NullIfEmpty(i.service_id())) + "::uuid"},
      {"ci_ids", p->Add(cis) + "::uuid[]"},
      {"impact", p->Add(absl::StrCat(static_cast<int>(i.impact()))) + "::smallint"},
      {"urgency", p->Add(absl::StrCat(static_cast<int>(i.urgency()))) + "::smallint"},
      {"priority", p->Add(absl::StrCat(static_cast<int>(i.priority()))) + "::smallint"},
      {"matrix_priority",
       p->Add(absl::StrCat(static_cast<int>(i.matrix_priority()))) + "::smallint"},
      {"priority_overridden", p->Add(Bool(i.priority_overridden())) + "::boolean"},
      {"priority_justification", p->Add(i.priority_justification())},
      {"pending_reason", p->Add(NullIfEmpty(std::string(PendingReasonCode(i.pending_reason()))))},
      {"level", p->Add(NullIfZero(i.level())) + "::smallint"},
      {"group_id", p->Add(NullIfEmpty(i.assignment_group_id())) + "::uuid"},
      {"assignee_id", p->Add(NullIfEmpty(i.assignee_id())) + "::uuid"},
      {"coordinator_id", p->Add(NullIfEmpty(i.coordinator_id())) + "::uuid"},
      {"major", p->Add(Bool(i.major())) + "::boolean"},
      {"major_owner_id", p->Add(NullIfEmpty(i.major_owner_id())) + "::uuid"},
      {"parent_number", p->Add(i.parent_number())},
      {"duplicate", p->Add(Bool(i.duplicate())) + "::boolean"},
      {"problem_id", p->Add(i.problem_id())},
      {"resolution_code", p->Add(i.resolution_code())},
      {"resolution_notes", p->Add(i.resolution_notes())},
      {"resolved_level", p->Add(NullIfZero(i.resolved_level())) + "::smallint"},
      {"closure_code", p->Add(i.closure_code())},
      {"cancel_reason", p->Add(i.cancel_reason())},
      {"reopen_count", p->Add(absl::StrCat(i.reopen_count())) + "::integer"},
      {"survey_rating", p->Add(NullIfZero(i.survey().rating())) + "::smallint"},
      {"survey_comment", p->Add(i.survey().comment())},
      {"surveyed_at",
       p->Add(surveyed ? SqlTime(i.survey().submitted_at()) : std::nullopt) + "::timestamptz"},
      {"possible_security", p->Add(Bool(i.possible_security())) + "::boolean"},
      {"security_reason", p->Add(i.security_reason())},
      {"first_response_at", p->Add(SqlTime(i.first_response_at())) + "::timestamptz"},
      {"resolved_at", p->Add(SqlTime(i.resolved_at())) + "::timestamptz"},
      {"closed_at", p->Add(SqlTime(i.closed_at())) + "::timestamptz"},
      {"updated_at", p->Add(SqlTime(i.updated_at())) + "::timestamptz"},
      {"version", p->Add(absl::StrCat(i.version())) + "::bigint"},
  };
}

v1::Attachment ParseAttachmentMeta(const pqxx::row& r) {
  v1::Attachment a;
  a.set_id(r["id"].as<std::string>());
  a.set_filename(r["filename"].as<std::string>());
  a.set_content_type(r["content_type"].as<std::string>());
  a.set_size_bytes(r["size_bytes"].as<int64_t>());
  a.set_sha256(r["sha256"].as<std::string>());
  return a;
}

std::optional<StoredIncident> LoadIncident(pqxx::transaction_base& tx, const std::string& number,
                                           bool lock, bool with_attachments) {
  if (with_attachments) {
    // One prepared statement: the incident's columns on every row, one row per attachment (or
    // one row with null attachment columns), so a plain read is one round trip and no planning.
    // libpqxx prepares it on a connection's first use; re-declaring the same text is a no-op.
    static const std::string kGetSql = absl::StrCat(
        "SELECT ", kIncidentColumns,
        ", a.id AS att_id, a.filename AS att_filename, a.content_type AS att_content_type,"
        " a.size_bytes AS att_size, a.sha256 AS att_sha256 FROM incidents i"
        " LEFT JOIN attachments a ON a.incident_id = i.id AND a.work_log_id IS NULL"
        " WHERE i.number = $1 ORDER BY a.id");
    static const std::string kLockSql = kGetSql + " FOR UPDATE OF i";
    const char* name = lock ? "incident_lock_with_attachments" : "incident_get_with_attachments";
    tx.conn().prepare(name, lock ? kLockSql : kGetSql);
    auto rows = tx.exec_prepared(name, number);
    if (rows.empty()) return std::nullopt;
    StoredIncident out = ParseIncident(rows[0]);
    for (const auto& r : rows) {
      if (r["att_id"].is_null()) continue;
      v1::Attachment* a = out.incident.add_attachments();
      a->set_id(r["att_id"].as<std::string>());
      a->set_filename(r["att_filename"].as<std::string>());
      a->set_content_type(r["att_content_type"].as<std::string>());
      a->set_size_bytes(r["att_size"].as<int64_t>());
      a->set_sha256(r["att_sha256"].as<std::string>());
    }
    return out;
  }
  auto rows = tx.exec_params(
      absl::StrCat("SELECT ", kIncidentColumns, " FROM incidents i WHERE i.number = $1",
                   lock ? " FOR UPDATE" : ""),
      number);
  if (rows.empty()) return std::nullopt;
  return ParseIncident(rows[0]);
}

void InsertAttachments(pqxx::work& tx, int64_t incident_row_id, std::optional<int64_t> work_log_id,
                       absl::Time at, google::protobuf::RepeatedPtrField<v1::Attachment>* items) {
  // A null const char* is sent as SQL NULL (pqxx 6.4 has no std::optional parameters).
  const std::string work_log = work_log_id ? absl::StrCat(*work_log_id) : "";
  const char* work_log_param = work_log_id ? work_log.c_str() : nullptr;
  for (v1::Attachment& a : *items) {
    auto row = tx.exec_params1(
        "INSERT INTO attachments (incident_id, work_log_id, filename, content_type, size_bytes,"
        " sha256, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz)"
        " RETURNING id",
        incident_row_id, work_log_param, a.filename(), a.content_type(), a.size_bytes(), a.sha256(),
        pqxx::binarystring(a.content()), SqlTime(at));
    a.set_id(row[0].as<std::string>());
    a.clear_content();
  }
}

}  // namespace tiquete::incident::store_internal
