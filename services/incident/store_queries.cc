// Incident lists and counts: filters, visibility and keyset pagination turned into one
// parameterised query shaped to use the queue, sort and text-search indexes.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/incident/domain/codes.h"
#include "services/incident/store.h"
#include "services/incident/store_internal.h"

namespace tiquete::incident {
namespace {

using namespace store_internal;  // NOLINT: this file is the store

class Where {
 public:
  void Add(std::string condition) { conditions_.push_back(std::move(condition)); }
  std::string Sql() const {
    return conditions_.empty() ? "" : absl::StrCat(" WHERE ", absl::StrJoin(conditions_, " AND "));
  }

 private:
  std::vector<std::string> conditions_;
};

void AddVisibility(const VisibilityScope& scope, SqlParams* p, Where* where) {
  if (scope.everything) return;
  std::vector<std::string> any;
  if (!scope.person_id.empty()) {
    any.push_back(absl::StrCat("i.requester_id = ", p->Add(scope.person_id), "::uuid"));
  }
  if (scope.unrestricted) {
    any.push_back("NOT i.possible_security");
  } else if (!scope.group_ids.empty()) {
    any.push_back(absl::StrCat("(NOT i.possible_security AND i.group_id = ANY(",
                               p->Add(ArrayLiteral(scope.group_ids)), "::uuid[]))"));
  }
  where->Add(any.empty() ? "false" : absl::StrCat("(", absl::StrJoin(any, " OR "), ")"));
}

// Everything but the state set and the cursor (CountByState shares it).
void AddFilters(const IncidentQuery& q, SqlParams* p, Where* where) {
  AddVisibility(q.scope, p, where);
  if (!q.number.empty()) where->Add(absl::StrCat("i.number = ", p->Add(q.number)));
  if (!q.priorities.empty()) {
    std::vector<std::string> values;
    for (auto priority : q.priorities) values.push_back(absl::StrCat(static_cast<int>(priority)));
    where->Add(absl::StrCat("i.priority = ANY(", p->Add(ArrayLiteral(values)), "::smallint[])"));
  }
  if (!q.group_id.empty()) where->Add(absl::StrCat("i.group_id = ", p->Add(q.group_id), "::uuid"));
  if (q.groups_queue) {
    where->Add(q.group_ids.empty() ? "false"
                                   : absl::StrCat("i.group_id = ANY(",
                                                  p->Add(ArrayLiteral(q.group_ids)), "::uuid[])"));
  }
  if (!q.assignee_id.empty()) {
    where->Add(absl::StrCat("i.assignee_id = ", p->Add(q.assignee_id), "::uuid"));
  }
  if (q.unassigned) where->Add("i.assignee_id IS NULL");
  if (!q.requester_id.empty()) {
    where->Add(absl::StrCat("i.requester_id = ", p->Add(q.requester_id), "::uuid"));
  }
  if (!q.category_id.empty()) {
    where->Add(absl::StrCat("i.category_id = ", p->Add(q.category_id), "::uuid"));
  }
  if (!q.ci_id.empty()) {
    where->Add(absl::StrCat("i.ci_ids @> ARRAY[", p->Add(q.ci_id), "::uuid]"));
  }
  if (q.level != v1::SUPPORT_LEVEL_UNSPECIFIED) {
    where->Add(
        absl::StrCat("i.level = ", p->Add(absl::StrCat(static_cast<int>(q.level))), "::smallint"));
  }
  if (q.created_from) {
    where->Add(absl::StrCat("i.created_at >= ", p->Add(SqlTime(*q.created_from)), "::timestamptz"));
  }
  if (q.created_to) {
    where->Add(absl::StrCat("i.created_at < ", p->Add(SqlTime(*q.created_to)), "::timestamptz"));
  }
  if (q.major) {
    where->Add(
        absl::StrCat("i.major = ", p->Add(std::string(*q.major ? "true" : "false")), "::boolean"));
  }
  if (q.type != v1::TICKET_TYPE_UNSPECIFIED) {
    where->Add(absl::StrCat("i.type = ", p->Add(std::string(TypeCode(q.type)))));
  }
}

std::string TextCondition(const IncidentQuery& q, SqlParams* p) {
  return absl::StrCat("i.search @@ websearch_to_tsquery('incident_spanish', ", p->Add(q.text), ")");
}

// The state set arrives as a parameter, but an unnamed statement is planned with its values, so
// the planner still proves that a set of open states implies the open-queue partial indexes. (An
// extra literal "state IN (open states)" would be counted twice in its row estimate and tip it
// towards sorting the whole group.)
void AddStates(const IncidentQuery& q, SqlParams* p, Where* where) {
  if (q.states.empty()) return;
  std::vector<std::string> codes;
  for (auto state : q.states) codes.push_back(std::string(StateCode(state)));
  // One state is an equality, so (group_id, state, priority, …) delivers rows already sorted; a
  // set on that second column would make PostgreSQL 15 sort every matching row.
  if (codes.size() == 1) {
    where->Add(absl::StrCat("i.state = ", p->Add(codes[0])));
  } else {
    where->Add(absl::StrCat("i.state = ANY(", p->Add(ArrayLiteral(codes)), "::text[])"));
  }
}

std::string TimeFromCursor(int64_t micros) { return SqlTime(absl::FromUnixMicros(micros)); }

// Keyset pagination: rows strictly after the previous page's last sort key.
void AddCursor(const IncidentQuery& q, SqlParams* p, Where* where) {
  if (q.after.empty()) return;
  switch (q.sort) {
    case v1::SORT_CREATED_DESC:
      where->Add(absl::StrCat("(i.created_at, i.id) < (", p->Add(TimeFromCursor(q.after[0])),
                              "::timestamptz, ", p->Add(absl::StrCat(q.after[1])), "::bigint)"));
      break;
    case v1::SORT_UPDATED_DESC:
      where->Add(absl::StrCat("(i.updated_at, i.id) < (", p->Add(TimeFromCursor(q.after[0])),
                              "::timestamptz, ", p->Add(absl::StrCat(q.after[1])), "::bigint)"));
      break;
    default:
      where->Add(absl::StrCat("(i.priority, i.created_at, i.id) > (",
                              p->Add(absl::StrCat(q.after[0])), "::smallint, ",
                              p->Add(TimeFromCursor(q.after[1])), "::timestamptz, ",
                              p->Add(absl::StrCat(q.after[2])), "::bigint)"));
  }
}

const char* OrderBy(v1::SortOrder sort) {
  switch (sort) {
    case v1::SORT_CREATED_DESC:
      return " ORDER BY i.created_at DESC, i.id DESC";
    case v1::SORT_UPDATED_DESC:
      return " ORDER BY i.updated_at DESC, i.id DESC";
    default:
      return " ORDER BY i.priority, i.created_at, i.id";
  }
}

// The page, or (window > 0, text searches only) the page found among the first `window` rows
// that pass every other filter, in sort order.
std::string ListSql(const IncidentQuery& q, int window, SqlParams* p) {
  Where where;
  AddFilters(q, p, &where);
  AddStates(q, p, &where);
  AddCursor(q, p, &where);
  if (window == 0) {
    if (!q.text.empty()) where.Add(TextCondition(q, p));
    // The page is chosen on whole rows and only its rows are shaped into columns: written as
    // one SELECT, PostgreSQL computes the column list (casts, coalesces, array_to_string) for
    // every candidate before the sort keeps `limit` of them — for a search that fetches 1,700
    // matches, a third of its time.
    return absl::StrCat("SELECT ", kIncidentColumns, " FROM (SELECT * FROM incidents i",
                        where.Sql(), OrderBy(q.sort), " LIMIT ", p->Add(absl::StrCat(q.limit + 1)),
                        "::integer) i", OrderBy(q.sort));
  }
  const std::string inner = absl::StrCat("SELECT * FROM incidents i", where.Sql(), OrderBy(q.sort),
                                         " LIMIT ", p->Add(absl::StrCat(window)), "::integer");
  const std::string text = TextCondition(q, p);
  return absl::StrCat("SELECT ", kIncidentColumns, " FROM (", inner, ") i WHERE ", text,
                      OrderBy(q.sort), " LIMIT ", p->Add(absl::StrCat(q.limit + 1)), "::integer");
}

}  // namespace

// A text search is answered in one of two ways, and the planner cannot be trusted to choose:
// for several words it multiplies their frequencies, so a common phrase ("pantalla azul") looks
// rare and gets a full-text bitmap scan that fetches every match before sorting. So the store
// first walks the sort-ordered index through a bounded window: when the words are common the
// page is there after a few hundred rows. Only when the window holds less than a page does the
// full query run, through the GIN index, which is cheap because the words are rare. Both answers
// are exact: the window is a prefix of the filtered rows in sort order.
absl::StatusOr<std::vector<StoredIncident>> IncidentStore::List(const IncidentQuery& q) {
  SqlParams windowed_params;
  const std::string windowed = q.text.empty() ? "" : ListSql(q, search_.window, &windowed_params);
  SqlParams full_params;
  const std::string full = ListSql(q, 0, &full_params);
  std::vector<StoredIncident> out;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    out.clear();
    if (!windowed.empty()) {
      for (const auto& row : tx.exec_params(windowed, windowed_params.Dynamic())) {
        out.push_back(ParseIncident(row));
      }
      if (static_cast<int>(out.size()) > q.limit) return absl::OkStatus();
      out.clear();
      // Fewer than a page of matches in the window: the words are rare there, so walking the
      // sort order further could read the whole table. Fetch the matches through the full-text
      // index and sort them instead (SET LOCAL ends with this read-only transaction).
      tx.exec("SET LOCAL enable_indexscan = off");
    }
    for (const auto& row : tx.exec_params(full, full_params.Dynamic())) {
      out.push_back(ParseIncident(row));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::map<v1::State, int64_t>> IncidentStore::CountByState(const IncidentQuery& q) {
  SqlParams p;
  Where where;
  AddFilters(q, &p, &where);
  const std::string sql =
      absl::StrCat("SELECT i.state, count(*) FROM incidents i", where.Sql(), " GROUP BY i.state");
  std::map<v1::State, int64_t> counts;
  absl::Status status = pool_.Read([&](pqxx::work& tx) {
    counts.clear();
    for (const auto& row : tx.exec_params(sql, p.Dynamic())) {
      counts[ParseStateCode(row[0].as<std::string>())] = row[1].as<int64_t>();
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return counts;
}

}  // namespace tiquete::incident
