// Shared by the store's translation units: parameter lists built alongside SQL text, the
// incident row ⇄ proto mapping and time conversions. Not part of the store's interface.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "absl/time/time.h"
#include "services/incident/store.h"

namespace tiquete::incident::store_internal {

// Placeholders and their values, in step: Add() returns "$n" for the value it keeps. SQL text is
// only ever assembled from constant fragments and these placeholders.
class SqlParams {
 public:
  std::string Add(std::string value);
  std::string Add(const std::optional<std::string>& value);
  // For tx.exec_params(sql, params.Dynamic()); valid while this object lives.
  pqxx::internal::dynamic_params<std::vector<const char*>::const_iterator> Dynamic();

 private:
  std::deque<std::string> storage_;  // deque: element addresses stay put as it grows
  std::vector<const char*> pointers_;
};

// `SELECT <kIncidentColumns> FROM incidents i ...` yields what ParseIncident reads.
extern const char kIncidentColumns[];
StoredIncident ParseIncident(const pqxx::row& row);

// Writable columns of the incidents table and their values from `incident`, for INSERT and
// UPDATE alike: (column, placeholder with its cast).
std::vector<std::pair<std::string, std::string>> WritableColumns(const v1::Incident& incident,
                                                                 SqlParams* params);

// Time ⇄ SQL: timestamps travel as RFC 3339 text with microseconds and come back as µs since
// the epoch (0 for NULL), so what is written is exactly what is read back.
std::string SqlTime(absl::Time t);
std::optional<std::string> SqlTime(const google::protobuf::Timestamp& ts);
std::string Micros(const std::string& column);  // SQL expression: µs since the epoch or 0
google::protobuf::Timestamp TimeFromMicros(int64_t micros);
absl::Time TruncateToMicros(absl::Time t);

// "{a,b}" for a text[]/uuid[] parameter; elements must already be validated (ids, codes).
std::string ArrayLiteral(const std::vector<std::string>& items);

std::optional<std::string> NullIfEmpty(const std::string& s);
std::optional<std::string> NullIfZero(int v);

// Loads one incident by number inside `tx` (optionally locking it).
std::optional<StoredIncident> LoadIncident(pqxx::transaction_base& tx, const std::string& number,
                                           bool lock, bool with_attachments);

v1::Attachment ParseAttachmentMeta(const pqxx::row& row);
// Inserts attachments (content included) and fills in their ids.
void InsertAttachments(pqxx::work& tx, int64_t incident_row_id, std::optional<int64_t> work_log_id,
                       absl::Time at, google::protobuf::RepeatedPtrField<v1::Attachment>* items);

// One page of an incident's work log, oldest first, with attachment metadata.
WorkLogPage ListWorkLogIn(pqxx::work& tx, int64_t incident_row_id, bool include_internal,
                          bool communications_only, int64_t after_id, int limit);

}  // namespace tiquete::incident::store_internal
