// Reads of what accumulates around an incident: work log, attachments, audit trail and
// escalation history.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "services/incident/domain/codes.h"
#include "services/incident/store.h"
#include "services/incident/store_internal.h"

namespace tiquete::incident {

namespace store_internal {

WorkLogPage ListWorkLogIn(pqxx::work& tx, int64_t incident_row_id, bool include_internal,
                          bool communications_only, int64_t after_id, int limit) {
  auto rows = tx.exec_params(
      "SELECT w.id, w.kind, w.visibility, w.author_id, w.body, w.source_message_id,"
      " (extract(epoch FROM w.created_at) * 1000000)::bigint AS created_us"
      " FROM work_log w WHERE w.incident_id = $1 AND w.id > $2"
      " AND ($3 OR w.visibility = 'public') AND (NOT $4 OR w.kind = 'communication')"
      " ORDER BY w.id LIMIT $5",
      incident_row_id, after_id, include_internal, communications_only, limit + 1);
  WorkLogPage page;
  std::map<std::string, v1::WorkLogEntry*> by_id;
  for (const auto& r : rows) {
    if (static_cast<int>(page.entries.size()) == limit) {
      page.last_id = std::stoll(page.entries.back().id());
      break;
    }
    v1::WorkLogEntry e;
    e.set_id(r["id"].as<std::string>());
    e.set_kind(ParseWorkLogKindCode(r["kind"].as<std::string>()));
    e.set_visibility(ParseVisibilityCode(r["visibility"].as<std::string>()));
    e.set_author_id(r["author_id"].as<std::string>());
    e.set_body(r["body"].as<std::string>());
    e.set_source_message_id(r["source_message_id"].as<std::string>());
    *e.mutable_created_at() = TimeFromMicros(r["created_us"].as<int64_t>());
    page.entries.push_back(std::move(e));
  }
  if (page.entries.empty()) return page;
  std::vector<std::string> ids;
  for (auto& e : page.entries) {
    ids.push_back(e.id());
    by_id[e.id()] = &e;
  }
  auto files = tx.exec_params(
      "SELECT id, work_log_id, filename, content_type, size_bytes, sha256 FROM attachments"
      " WHERE work_log_id = ANY($1::bigint[]) ORDER BY id",
      ArrayLiteral(ids));
  for (const auto& f : files) {
    *by_id[f["work_log_id"].as<std::string>()]->add_attachments() = ParseAttachmentMeta(f);
  }
  return page;
}

}  // namespace store_internal

using namespace store_internal;  // NOLINT: this file is the store

absl::StatusOr<WorkLogPage> IncidentStore::ListWorkLog(int64_t incident_row_id,
                                                       bool include_internal,
                                                       bool communications_only, int64_t after_id,
                                                       int limit) {
  WorkLogPage page;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    page =
        ListWorkLogIn(tx, incident_row_id, include_internal, communications_only, after_id, limit);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<std::pair<v1::Attachment, v1::Visibility>> IncidentStore::GetAttachment(
    int64_t incident_row_id, int64_t attachment_id) {
  std::optional<std::pair<v1::Attachment, v1::Visibility>> found;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    auto rows = tx.exec_params(
        "SELECT a.id, a.filename, a.content_type, a.size_bytes, a.sha256, a.content,"
        " coalesce(w.visibility, 'public') AS visibility"
        " FROM attachments a LEFT JOIN work_log w ON w.id = a.work_log_id"
        " WHERE a.incident_id = $1 AND a.id = $2",
        incident_row_id, attachment_id);
    if (rows.empty()) return absl::OkStatus();
    v1::Attachment a = ParseAttachmentMeta(rows[0]);
    a.set_content(pqxx::binarystring(rows[0]["content"]).str());
    found.emplace(std::move(a), ParseVisibilityCode(rows[0]["visibility"].as<std::string>()));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return NotFound("attachment", absl::StrCat(attachment_id));
  return *std::move(found);
}

absl::StatusOr<AuditPage> IncidentStore::AuditTrail(int64_t incident_row_id, int64_t after_id,
                                                    int limit) {
  AuditPage page;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    auto rows = tx.exec_params(
        "SELECT id, number, actor_id, (extract(epoch FROM at) * 1000000)::bigint AS at_us,"
        " field, old_value, new_value, reason FROM audit_trail"
        " WHERE incident_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        incident_row_id, after_id, limit + 1);
    for (const auto& r : rows) {
      if (static_cast<int>(page.entries.size()) == limit) {
        page.last_id = std::stoll(page.entries.back().id());
        break;
      }
      v1::AuditEntry e;
      e.set_id(r["id"].as<std::string>());
      e.set_number(r["number"].as<std::string>());
      e.set_actor_id(r["actor_id"].as<std::string>());
      *e.mutable_at() = TimeFromMicros(r["at_us"].as<int64_t>());
      e.set_field(r["field"].as<std::string>());
      e.set_old_value(r["old_value"].as<std::string>());
      e.set_new_value(r["new_value"].as<std::string>());
      e.set_reason(r["reason"].as<std::string>());
      page.entries.push_back(std::move(e));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<std::vector<v1::Escalation>> IncidentStore::Escalations(int64_t incident_row_id) {
  std::vector<v1::Escalation> out;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    auto rows = tx.exec_params(
        "SELECT e.id, i.number, e.kind, coalesce(e.from_level, 0) AS from_level,"
        " coalesce(e.to_level, 0) AS to_level, coalesce(e.from_group_id::text, '') AS from_group,"
        " coalesce(e.to_group_id::text, '') AS to_group,"
        " coalesce(e.to_person_id::text, '') AS to_person, e.reason, e.actor_id,"
        " (extract(epoch FROM e.at) * 1000000)::bigint AS at_us"
        " FROM escalations e JOIN incidents i ON i.id = e.incident_id"
        " WHERE e.incident_id = $1 ORDER BY e.id",
        incident_row_id);
    for (const auto& r : rows) {
      v1::Escalation e;
      e.set_id(r["id"].as<std::string>());
      e.set_number(r["number"].as<std::string>());
      e.set_kind(ParseEscalationKindCode(r["kind"].as<std::string>()));
      e.set_from_level(static_cast<v1::SupportLevel>(r["from_level"].as<int>()));
      e.set_to_level(static_cast<v1::SupportLevel>(r["to_level"].as<int>()));
      e.set_from_group_id(r["from_group"].as<std::string>());
      e.set_to_group_id(r["to_group"].as<std::string>());
      e.set_to_person_id(r["to_person"].as<std::string>());
      e.set_reason(r["reason"].as<std::string>());
      e.set_actor_id(r["actor_id"].as<std::string>());
      *e.mutable_at() = TimeFromMicros(r["at_us"].as<int64_t>());
      out.push_back(std::move(e));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiquete::incident
