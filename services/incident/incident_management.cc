#include "services/incident/incident_management.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "services/incident/domain/codes.h"
#include "services/incident/domain/lifecycle.h"
#include "services/incident/domain/number.h"
#include "services/incident/domain/query.h"
#include "services/incident/domain/state_machine.h"

namespace tiquete::incident {
namespace {

// The directory said NOT_FOUND: for us that is a bad reference in the request.
absl::Status UnknownReference(const absl::Status& s, const std::string& field,
                              const std::string& what, const std::string& id) {
  if (s.code() != absl::StatusCode::kNotFound) return s;
  return InvalidField(field, absl::StrCat("UNKNOWN_", what),
                      absl::StrCat("no ", absl::AsciiStrToLower(what), " with id ", id));
}

bool MayFileForOthers(const Caller& caller) {
  return IsSupport(caller) || std::find(caller.roles().begin(), caller.roles().end(),
                                        "integration") != caller.roles().end();
}

}  // namespace

IncidentManagement::IncidentManagement(IncidentStore& store, DirectoryClient& directory,
                                       Clock* clock, IncidentOptions options)
    : store_(store), directory_(directory), clock_(clock), options_(std::move(options)) {}

absl::StatusOr<StoredIncident> IncidentManagement::Visible(const Caller& caller,
                                                           const std::string& number,
                                                           Operation operation,
                                                           bool with_attachments) {
  if (!IsTicketNumber(number)) return NotFound("incident", number);
  auto stored = store_.Get(number, with_attachments);
  if (!stored.ok()) return stored.status();
  if (auto s = Authorize(caller, stored->incident, operation); !s.ok()) return s;
  return stored;
}

absl::StatusOr<v1::Incident> IncidentManagement::Change(const Caller& caller,
                                                        const std::string& number, int64_t version,
                                                        Operation operation, const MutateFn& fn) {
  // Visibility first: a stale-version answer would otherwise confirm that the incident exists.
  if (auto visible = Visible(caller, number, operation); !visible.ok()) return visible.status();
  if (version <= 0) {
    return InvalidField("version", "REQUIRED",
                        "version is required: send the version you last read");
  }
  auto changed = store_.Mutate(number, version, ActorOf(caller),
                               [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                                 if (auto s = Authorize(caller, *incident, operation); !s.ok()) {
                                   return s;
                                 }
                                 return fn(incident);
                               });
  if (changed.ok()) RedactFor(AudienceFor(caller, *changed), &*changed);
  return changed;
}

absl::StatusOr<directory::v1::Group> IncidentManagement::ActiveGroup(const std::string& field,
                                                                     const std::string& id) {
  auto group = directory_.GetGroup(id);
  if (!group.ok()) return UnknownReference(group.status(), field, "GROUP", id);
  if (!group->active()) {
    return InvalidField(field, "INACTIVE_GROUP",
                        absl::StrCat("group ", group->code(), " is not active"));
  }
  return group;
}

absl::Status IncidentManagement::CheckActivePerson(const std::string& field,
                                                   const std::string& id) {
  auto person = directory_.GetPerson(id);
  if (!person.ok()) return UnknownReference(person.status(), field, "PERSON", id);
  if (!person->active()) {
    return InvalidField(field, "INACTIVE_PERSON", absl::StrCat(id, " is not active"));
  }
  return absl::OkStatus();
}

absl::Status IncidentManagement::CheckAssignee(const std::string& field, const std::string& id,
                                               const std::string& group_id) {
  auto person = directory_.GetPerson(id);
  if (!person.ok()) return UnknownReference(person.status(), field, "ASSIGNEE", id);
  if (!person->active()) {
    return InvalidField(field, "INACTIVE_ASSIGNEE",
                        absl::StrCat(person->display_name(), " is not active"));
  }
  const bool member = std::any_of(person->groups().begin(), person->groups().end(),
                                  [&](const auto& g) { return g.id() == group_id; });
  if (!member) {
    return InvalidField(field, "ASSIGNEE_NOT_IN_GROUP",
                        absl::StrCat(person->display_name(), " is not a member of the group"));
  }
  return absl::OkStatus();
}

absl::StatusOr<directory::v1::Category> IncidentManagement::ActiveCategory(const std::string& id) {
  auto category = directory_.GetCategory(id);
  if (!category.ok()) return UnknownReference(category.status(), "category_id", "CATEGORY", id);
  if (!category->active()) {
    return InvalidField("category_id", "INACTIVE_CATEGORY",
                        absl::StrCat("category ", category->full_path(), " is not active"));
  }
  return category;
}

absl::Status IncidentManagement::CheckServiceAndCis(
    const std::string& service_id, const google::protobuf::RepeatedPtrField<std::string>& ci_ids) {
  if (!service_id.empty()) {
    auto service = directory_.GetItService(service_id);
    if (!service.ok())
      return UnknownReference(service.status(), "service_id", "SERVICE", service_id);
    if (!service->active()) {
      return InvalidField("service_id", "INACTIVE_SERVICE",
                          absl::StrCat("service ", service->code(), " is not active"));
    }
  }
  for (int i = 0; i < ci_ids.size(); ++i) {
    const std::string field = absl::StrCat("ci_ids[", i, "]");
    auto ci = directory_.GetConfigurationItem(ci_ids[i]);
    if (!ci.ok()) return UnknownReference(ci.status(), field, "CI", ci_ids[i]);
    if (!ci->active()) {
      return InvalidField(field, "INACTIVE_CI", absl::StrCat("CI ", ci->code(), " is not active"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Incident> IncidentManagement::Create(const Caller& caller,
                                                        v1::CreateIncidentRequest request) {
  if (auto s = NormalizeCreate(&request, options_.max_attachment_bytes); !s.ok()) return s;
  std::string requester = request.requester_id();
  if (MayFileForOthers(caller)) {
    if (requester.empty()) requester = caller.person_id();
    if (requester.empty()) {
      return InvalidField("requester_id", "REQUIRED", "requester_id is required");
    }
  } else {
    if (caller.person_id().empty()) {
      return Error(absl::StatusCode::kPermissionDenied, "PERSON_REQUIRED",
                   "only a signed-in person may open an incident");
    }
    if (!requester.empty() && requester != caller.person_id()) {
      return Error(absl::StatusCode::kPermissionDenied, "REQUESTER_MISMATCH",
                   "requesters open incidents for themselves only", "requester_id");
    }
    requester = caller.person_id();
  }
  if (!(IsStaff(caller) || IsSecurityOfficer(caller)) &&
      !(request.assignment_group_id().empty() && request.assignee_id().empty())) {
    return Error(absl::StatusCode::kPermissionDenied, "ASSIGNMENT_NOT_ALLOWED",
                 "only service desk staff may assign an incident when opening it",
                 "assignment_group_id");
  }
  // The caller's own identity was verified by the gateway; anyone else must exist and be active.
  if (requester != caller.person_id()) {
    if (auto s = CheckActivePerson("requester_id", requester); !s.ok()) return s;
  }
  v1::Incident draft;
  std::string group_id = request.assignment_group_id();
  if (!request.category_id().empty()) {
    auto category = ActiveCategory(request.category_id());
    if (!category.ok()) return category.status();
    if (category->security()) {
      draft.set_possible_security(true);
      draft.set_security_reason(absl::StrCat("category: ", category->full_path()));
    }
    if (group_id.empty() && !category->default_group_id().empty()) {
      // Routing by category is a convenience: an inactive default group leaves it unassigned.
      auto group = directory_.GetGroup(category->default_group_id());
      if (group.ok() && group->active()) {
        group_id = group->id();
      } else if (!group.ok() && group.status().code() != absl::StatusCode::kNotFound) {
        return group.status();
      }
    }
  }
  if (auto s = CheckServiceAndCis(request.service_id(), request.ci_ids()); !s.ok()) return s;
  if (!group_id.empty()) {
    auto group = ActiveGroup("assignment_group_id", group_id);
    if (!group.ok()) return group.status();
    if (!request.assignee_id().empty()) {
      if (auto s = CheckAssignee("assignee_id", request.assignee_id(), group_id); !s.ok()) {
        return s;
      }
    }
    draft.set_state(v1::ASSIGNED);
    draft.set_assignment_group_id(group_id);
    draft.set_assignee_id(request.assignee_id());
    draft.set_level(ParseLevelName(group->level()));
  } else {
    draft.set_state(v1::NEW);
  }
  draft.set_type(request.type());
  draft.set_title(request.title());
  draft.set_description(request.description());
  draft.set_requester_id(requester);
  draft.set_channel(request.channel());
  draft.set_category_id(request.category_id());
  draft.set_service_id(request.service_id());
  *draft.mutable_ci_ids() = request.ci_ids();
  ApplyClassification(&draft, request.impact(), request.urgency(), options_.matrix);
  if (request.possible_security()) {
    draft.set_possible_security(true);
    draft.set_security_reason(request.security_reason().empty() ? "reported as possible security"
                                                                : request.security_reason());
  }
  draft.set_intake_message_id(request.intake_message_id());
  *draft.mutable_attachments() = request.attachments();

  v1::CreateIncidentRequest fingerprinted = request;
  fingerprinted.clear_idempotency_key();
  fingerprinted.set_requester_id(requester);
  auto created = store_.Create(
      draft, {request.idempotency_key(), RequestFingerprint(fingerprinted)}, ActorOf(caller),
      absl::StrCat("opened via ", std::string(ChannelCode(request.channel()))));
  if (!created.ok()) return created.status();
  // Whoever opened it gets it back, even a system filing for someone it may not otherwise see.
  RedactFor(AudienceFor(caller, *created), &*created);
  return created;
}

absl::StatusOr<v1::Incident> IncidentManagement::Get(const Caller& caller,
                                                     const std::string& number) {
  auto stored = Visible(caller, number, Operation::kView, true);
  if (!stored.ok()) return stored.status();
  RedactFor(AudienceFor(caller, stored->incident), &stored->incident);
  return stored->incident;
}

absl::StatusOr<v1::ListIncidentsResponse> IncidentManagement::List(
    const Caller& caller, const v1::ListIncidentsRequest& request) {
  auto query = BuildQuery(caller, request.filter(), request.sort(), request.page().page_size(),
                          request.page().page_token());
  if (!query.ok()) return query.status();
  auto rows = store_.List(*query);
  if (!rows.ok()) return rows.status();
  v1::ListIncidentsResponse response;
  const bool more = static_cast<int>(rows->size()) > query->limit;
  if (more) rows->resize(query->limit);
  for (const StoredIncident& row : *rows) {
    v1::Incident* incident = response.add_incidents();
    *incident = row.incident;
    RedactFor(AudienceFor(caller, *incident), incident);
  }
  if (more) {
    response.set_next_page_token(NextPageToken(caller, request.filter(), request.sort(),
                                               rows->back().incident, rows->back().row_id));
  }
  return response;
}

absl::StatusOr<v1::CountIncidentsByStateResponse> IncidentManagement::CountByState(
    const Caller& caller, const v1::CountIncidentsByStateRequest& request) {
  v1::IncidentFilter filter = request.filter();
  filter.clear_states();
  auto query = BuildQuery(caller, filter, v1::SORT_PRIORITY_AGE, 0, "");
  if (!query.ok()) return query.status();
  auto counts = store_.CountByState(*query);
  if (!counts.ok()) return counts.status();
  v1::CountIncidentsByStateResponse response;
  for (int s = v1::NEW; s <= v1::CANCELLED; ++s) {
    auto* count = response.add_counts();
    count->set_state(static_cast<v1::State>(s));
    auto it = counts->find(static_cast<v1::State>(s));
    count->set_count(it == counts->end() ? 0 : it->second);
    response.set_total(response.total() + count->count());
  }
  return response;
}

}  // namespace tiquete::incident
