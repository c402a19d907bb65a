#include "services/incident/domain/query.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/errors.h"
#include "services/incident/domain/codes.h"
#include "services/incident/domain/number.h"
#include "services/incident/domain/timestamps.h"
#include "services/incident/domain/validation.h"

namespace tiquete::incident {
namespace {

// Binds tokens to the filter, the sort and the caller, so a token is never replayed against
// another query (it would skip or repeat rows).
std::string QueryScope(const Caller& caller, const v1::IncidentFilter& filter, v1::SortOrder sort) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    filter.SerializeToCodedStream(&out);
  }
  absl::StrAppend(&bytes, "|", static_cast<int>(sort), "|", caller.person_id());
  return Sha256Hex(bytes).substr(0, 16);
}

v1::SortOrder Normalize(v1::SortOrder sort) {
  return sort == v1::SORT_ORDER_UNSPECIFIED ? v1::SORT_PRIORITY_AGE : sort;
}

absl::Status InvalidToken() {
  return InvalidField("page.page_token", "INVALID_PAGE_TOKEN",
                      "the page token is malformed or belongs to another query");
}

}  // namespace

absl::StatusOr<int> EffectivePageSize(int requested) {
  if (requested < 0) {
    return InvalidField("page.page_size", "INVALID_PAGE_SIZE", "page_size cannot be negative");
  }
  if (requested == 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

size_t CursorWidth(v1::SortOrder sort) { return Normalize(sort) == v1::SORT_PRIORITY_AGE ? 3 : 2; }

std::string EncodePageToken(const std::string& scope, const std::vector<int64_t>& values) {
  return absl::WebSafeBase64Escape(absl::StrCat(scope, ":", absl::StrJoin(values, ",")));
}

bool DecodePageToken(const std::string& token, const std::string& scope, size_t width,
                     std::vector<int64_t>* values) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return false;
  // The scope may itself contain ':' (incident numbers do not, but callers choose scopes).
  const size_t colon = raw.rfind(':');
  if (colon == std::string::npos || raw.substr(0, colon) != scope) return false;
  values->clear();
  for (absl::string_view v : absl::StrSplit(raw.substr(colon + 1), ',')) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(v, &n)) return false;
    values->push_back(n);
  }
  return values->size() == width;
}

absl::StatusOr<IncidentQuery> BuildQuery(const Caller& caller, const v1::IncidentFilter& filter,
                                         v1::SortOrder sort, int page_size,
                                         const std::string& page_token) {
  IncidentQuery q;
  auto limit = EffectivePageSize(page_size);
  if (!limit.ok()) return limit.status();
  q.limit = *limit;
  q.sort = Normalize(sort);
  if (q.sort != v1::SORT_PRIORITY_AGE && q.sort != v1::SORT_CREATED_DESC &&
      q.sort != v1::SORT_UPDATED_DESC) {
    return InvalidField("sort", "INVALID_VALUE", "unknown sort order");
  }
  for (int s : filter.states()) {
    const auto state = static_cast<v1::State>(s);
    if (StateCode(state).empty()) {
      return InvalidField("filter.states", "INVALID_VALUE", absl::StrCat("unknown state ", s));
    }
    q.states.push_back(state);
  }
  for (int p : filter.priorities()) {
    if (p < v1::P1 || p > v1::P5) {
      return InvalidField("filter.priorities", "INVALID_VALUE",
                          absl::StrCat("unknown priority ", p));
    }
    q.priorities.push_back(static_cast<v1::Priority>(p));
  }
  for (const auto& [field, id] :
       {std::pair<const char*, const std::string*>{"filter.group_id", &filter.group_id()},
        {"filter.assignee_id", &filter.assignee_id()},
        {"filter.requester_id", &filter.requester_id()},
        {"filter.category_id", &filter.category_id()},
        {"filter.ci_id", &filter.ci_id()}}) {
    if (auto s = CheckId(field, *id); !s.ok()) return s;
  }
  q.group_id = filter.group_id();
  q.assignee_id = filter.assignee_id();
  q.requester_id = filter.requester_id();
  q.category_id = filter.category_id();
  q.ci_id = filter.ci_id();
  if (filter.level() != v1::SUPPORT_LEVEL_UNSPECIFIED && LevelName(filter.level()).empty()) {
    return InvalidField("filter.level", "INVALID_VALUE", "level must be L1, L2 or L3");
  }
  q.level = filter.level();
  if (filter.type() != v1::TICKET_TYPE_UNSPECIFIED && TypeCode(filter.type()).empty()) {
    return InvalidField("filter.type", "INVALID_VALUE", "unknown ticket type");
  }
  q.type = filter.type();
  if (filter.has_created_from()) q.created_from = FromProtoTime(filter.created_from());
  if (filter.has_created_to()) q.created_to = FromProtoTime(filter.created_to());
  if (q.created_from && q.created_to && *q.created_from >= *q.created_to) {
    return InvalidField("filter.created_to", "INVALID_RANGE",
                        "created_to must be after created_from");
  }
  if (filter.has_major()) q.major = filter.major();
  q.text = filter.query();
  if (auto s = NormalizeText("filter.query", &q.text, 200, false); !s.ok()) return s;
  // Agents paste ticket numbers into the search box: a number finds that ticket, not its words.
  if (std::string upper = absl::AsciiStrToUpper(q.text); IsTicketNumber(upper)) {
    q.number = std::move(upper);
    q.text.clear();
  }

  if (filter.my_queue()) {
    if (caller.person_id().empty()) {
      return InvalidField("filter.my_queue", "NO_PERSON", "my_queue needs a signed-in person");
    }
    if (!q.assignee_id.empty() && q.assignee_id != caller.person_id()) {
      return InvalidField("filter.assignee_id", "CONFLICTING_FILTERS",
                          "assignee_id and my_queue disagree");
    }
    q.assignee_id = caller.person_id();
  }
  if (filter.unassigned()) {
    if (!q.assignee_id.empty()) {
      return InvalidField("filter.unassigned", "CONFLICTING_FILTERS",
                          "unassigned cannot be combined with an assignee or my_queue");
    }
    q.unassigned = true;
  }
  if (filter.my_groups_queue()) {
    q.groups_queue = true;
    for (const std::string& g : caller.group_ids()) {
      if (IsUuid(g)) q.group_ids.push_back(g);
    }
  }
  q.scope = ScopeFor(caller);
  for (auto* ids : {&q.scope.group_ids}) {
    std::erase_if(*ids, [](const std::string& g) { return !IsUuid(g); });
  }
  if (!q.scope.person_id.empty() && !IsUuid(q.scope.person_id)) q.scope.person_id.clear();

  if (!page_token.empty() && !DecodePageToken(page_token, QueryScope(caller, filter, q.sort),
                                              CursorWidth(q.sort), &q.after)) {
    return InvalidToken();
  }
  return q;
}

std::string NextPageToken(const Caller& caller, const v1::IncidentFilter& filter,
                          v1::SortOrder sort, const v1::Incident& incident, int64_t row_id) {
  sort = Normalize(sort);
  std::vector<int64_t> values;
  switch (sort) {
    case v1::SORT_CREATED_DESC:
      values = {absl::ToUnixMicros(FromProtoTime(incident.created_at())), row_id};
      break;
    case v1::SORT_UPDATED_DESC:
      values = {absl::ToUnixMicros(FromProtoTime(incident.updated_at())), row_id};
      break;
    default:
      values = {incident.priority(), absl::ToUnixMicros(FromProtoTime(incident.created_at())),
                row_id};
  }
  return EncodePageToken(QueryScope(caller, filter, sort), values);
}

}  // namespace tiquete::incident
