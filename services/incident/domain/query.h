// Incident queries: the filters, visibility scope, sort order and keyset cursor of one list
// page, built from a request and the caller, and the opaque page tokens that carry the cursor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/incident/domain/visibility.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

struct IncidentQuery {
  std::vector<v1::State> states;
  std::vector<v1::Priority> priorities;
  std::string group_id;
  std::vector<std::string> group_ids;  // "my group's queue": group ∈ these
  bool groups_queue = false;
  bool unassigned = false;  // assignee_id IS NULL
  std::string assignee_id;
  std::string requester_id;
  std::string category_id;
  std::string ci_id;
  v1::SupportLevel level = v1::SUPPORT_LEVEL_UNSPECIFIED;
  std::optional<absl::Time> created_from;
  std::optional<absl::Time> created_to;
  std::optional<bool> major;
  v1::TicketType type = v1::TICKET_TYPE_UNSPECIFIED;
  std::string text;    // Spanish full-text search
  std::string number;  // the query was a ticket number (INC-2026-000042): that ticket only
  VisibilityScope scope;
  v1::SortOrder sort = v1::SORT_PRIORITY_AGE;
  // The sort key of the last row of the previous page: (priority, created µs, id) for
  // SORT_PRIORITY_AGE, (created µs, id) or (updated µs, id) for the others. Empty: first page.
  std::vector<int64_t> after;
  int limit = kDefaultPageSize;
};

// Validates the filter (ids, enum values, range) and binds it to what the caller may see.
// The page token must come from the same filter, sort and caller (INVALID_PAGE_TOKEN).
absl::StatusOr<IncidentQuery> BuildQuery(const Caller& caller, const v1::IncidentFilter& filter,
                                         v1::SortOrder sort, int page_size,
                                         const std::string& page_token);

// Number of values in a cursor of this sort order.
size_t CursorWidth(v1::SortOrder sort);
// The cursor after `incident` (whose internal row id is `row_id`) as a page token.
std::string NextPageToken(const Caller& caller, const v1::IncidentFilter& filter,
                          v1::SortOrder sort, const v1::Incident& incident, int64_t row_id);

// Generic opaque tokens: `scope` ties a token to the query it came from.
std::string EncodePageToken(const std::string& scope, const std::vector<int64_t>& values);
bool DecodePageToken(const std::string& token, const std::string& scope, size_t width,
                     std::vector<int64_t>* values);

// Resolves a page_size: 0 means the default; above the maximum is capped.
absl::StatusOr<int> EffectivePageSize(int requested);

}  // namespace tiquete::incident
