// Changes to an incident's record outside the lifecycle: classification (UpdateIncident),
// priority override, major-incident flag and parent/duplicate link.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "services/incident/domain/lifecycle.h"
#include "services/incident/domain/number.h"
#include "services/incident/domain/state_machine.h"
#include "services/incident/incident_management.h"

namespace tiquete::incident {
namespace {

const std::set<std::string>& UpdatablePaths() {
  static const std::set<std::string> kPaths = {
      "title",  "description", "category_id", "service_id",        "ci_ids",
      "impact", "urgency",     "problem_id",  "possible_security", "security_reason"};
  return kPaths;
}

absl::Status CheckLevel(const char* field, v1::Level level) {
  if (level >= v1::HIGH && level <= v1::LOW) return absl::OkStatus();
  return InvalidField(field, "INVALID_VALUE", absl::StrCat(field, " must be HIGH, MEDIUM or LOW"));
}

}  // namespace

absl::StatusOr<v1::Incident> IncidentManagement::Update(const Caller& caller,
                                                        const v1::UpdateIncidentRequest& r) {
  std::set<std::string> paths;
  for (const std::string& path : r.update_mask().paths()) {
    if (!UpdatablePaths().count(path)) {
      return InvalidField("update_mask", "UNKNOWN_FIELD",
                          absl::StrCat("\"", path, "\" cannot be updated; updatable: ",
                                       absl::StrJoin(UpdatablePaths(), ", ")));
    }
    paths.insert(path);
  }
  if (paths.empty()) {
    return InvalidField("update_mask", "REQUIRED", "name the fields to update in update_mask");
  }
  v1::Incident in = r.incident();
  std::string reason = r.reason();
  if (auto s = NormalizeText("reason", &reason, kMaxReasonChars, false); !s.ok()) return s;
  if (paths.count("title")) {
    if (auto s = NormalizeText("incident.title", in.mutable_title(), kMaxTitleChars, true);
        !s.ok()) {
      return s;
    }
  }
  if (paths.count("description")) {
    if (auto s =
            NormalizeText("incident.description", in.mutable_description(), kMaxTextChars, false);
        !s.ok()) {
      return s;
    }
  }
  if (paths.count("security_reason")) {
    if (auto s = NormalizeText("incident.security_reason", in.mutable_security_reason(),
                               kMaxReasonChars, false);
        !s.ok()) {
      return s;
    }
  }
  if (paths.count("impact")) {
    if (auto s = CheckLevel("incident.impact", in.impact()); !s.ok()) return s;
  }
  if (paths.count("urgency")) {
    if (auto s = CheckLevel("incident.urgency", in.urgency()); !s.ok()) return s;
  }
  if (paths.count("problem_id")) {
    if (auto s = CheckProblemId(in.problem_id()); !s.ok()) return s;
  }
  if (paths.count("possible_security") && !in.possible_security() && !IsSecurityOfficer(caller)) {
    return Error(absl::StatusCode::kPermissionDenied, "SECURITY_OFFICER_ONLY",
                 "only a security officer may clear the possible-security flag",
                 "incident.possible_security");
  }
  if (auto s = CheckId("incident.category_id", in.category_id()); !s.ok()) return s;
  if (auto s = CheckId("incident.service_id", in.service_id()); !s.ok()) return s;
  for (int i = 0; i < in.ci_ids_size(); ++i) {
    if (auto s = CheckId(absl::StrCat("incident.ci_ids[", i, "]"), in.ci_ids(i), true); !s.ok()) {
      return s;
    }
  }
  // Directory checks only for what changes; a security category flags the incident.
  bool security_category = false;
  std::string category_path;
  if (paths.count("category_id") && !in.category_id().empty()) {
    auto category = ActiveCategory(in.category_id());
    if (!category.ok()) return category.status();
    security_category = category->security();
    category_path = category->full_path();
  }
  if (auto s = CheckServiceAndCis(
          paths.count("service_id") ? in.service_id() : "",
          paths.count("ci_ids") ? in.ci_ids() : google::protobuf::RepeatedPtrField<std::string>());
      !s.ok()) {
    return s;
  }
  return Change(caller, r.number(), r.version(), Operation::kWork,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = CheckEditable(incident->state()); !s.ok()) return s;
                  if (paths.count("title")) incident->set_title(in.title());
                  if (paths.count("description")) incident->set_description(in.description());
                  if (paths.count("category_id")) incident->set_category_id(in.category_id());
                  if (paths.count("service_id")) incident->set_service_id(in.service_id());
                  if (paths.count("ci_ids")) *incident->mutable_ci_ids() = in.ci_ids();
                  if (paths.count("problem_id")) incident->set_problem_id(in.problem_id());
                  if (paths.count("possible_security")) {
                    incident->set_possible_security(in.possible_security());
                  }
                  if (paths.count("security_reason")) {
                    incident->set_security_reason(in.security_reason());
                  }
                  if (security_category && !incident->possible_security()) {
                    incident->set_possible_security(true);
                    incident->set_security_reason(absl::StrCat("category: ", category_path));
                  }
                  ApplyClassification(
                      incident, paths.count("impact") ? in.impact() : incident->impact(),
                      paths.count("urgency") ? in.urgency() : incident->urgency(), options_.matrix);
                  return Mutation{{Change::kUpdated}, reason, std::nullopt};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::SetPriority(const Caller& caller,
                                                             const v1::SetPriorityRequest& r) {
  std::string justification = r.justification();
  if (auto s = NormalizeText("justification", &justification, kMaxReasonChars, false); !s.ok()) {
    return s;
  }
  return Change(caller, r.number(), r.version(), Operation::kOverridePriority,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = ApplyPriorityOverride(incident, r.priority(), justification);
                      !s.ok()) {
                    return s;
                  }
                  return Mutation{{}, justification, std::nullopt};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::SetMajor(const Caller& caller,
                                                          const v1::SetMajorIncidentRequest& r) {
  std::string reason = r.reason();
  if (auto s = NormalizeText("reason", &reason, kMaxReasonChars, false); !s.ok()) return s;
  if (auto s = CheckId("owner_id", r.owner_id(), r.major()); !s.ok()) return s;
  if (r.major()) {
    if (auto s = CheckActivePerson("owner_id", r.owner_id()); !s.ok()) return s;
  }
  return Change(caller, r.number(), r.version(), Operation::kSetMajor,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = ApplyMajor(incident, r.major(), r.owner_id()); !s.ok()) return s;
                  return Mutation{{Change::kUpdated}, reason, std::nullopt};
                });
}

absl::StatusOr<v1::Incident> IncidentManagement::LinkParent(const Caller& caller,
                                                            const v1::LinkParentRequest& r) {
  std::string reason = r.reason();
  if (auto s = NormalizeText("reason", &reason, kMaxReasonChars, false); !s.ok()) return s;
  const std::string& parent = r.parent_number();
  if (!parent.empty()) {
    if (parent == r.number()) {
      return InvalidField("parent_number", "SELF_LINK", "an incident cannot be its own parent");
    }
    if (!IsTicketNumber(parent)) {
      return InvalidField("parent_number", "UNKNOWN_INCIDENT",
                          absl::StrCat("\"", parent, "\" is not an incident number"));
    }
    auto linked = Visible(caller, parent, Operation::kView);
    if (!linked.ok()) {
      if (linked.status().code() != absl::StatusCode::kNotFound) return linked.status();
      return InvalidField("parent_number", "UNKNOWN_INCIDENT",
                          absl::StrCat("no incident ", parent));
    }
    // Walk up from the new parent (whoever may see the ancestors): meeting this incident would
    // close a loop.
    std::string cursor = linked->incident.parent_number();
    for (int depth = 0; !cursor.empty() && depth < 32; ++depth) {
      if (cursor == r.number()) {
        return Error(absl::StatusCode::kFailedPrecondition, "LINK_CYCLE",
                     absl::StrCat(parent, " already descends from ", r.number()), "parent_number");
      }
      auto up = store_.Get(cursor, false);
      if (!up.ok()) {
        if (up.status().code() == absl::StatusCode::kNotFound) break;
        return up.status();
      }
      cursor = up->incident.parent_number();
    }
  }
  return Change(caller, r.number(), r.version(), Operation::kLinkParent,
                [&](v1::Incident* incident) -> absl::StatusOr<Mutation> {
                  if (auto s = CheckEditable(incident->state()); !s.ok()) return s;
                  incident->set_parent_number(parent);
                  incident->set_duplicate(!parent.empty() && r.duplicate());
                  return Mutation{{Change::kUpdated}, reason, std::nullopt};
                });
}

}  // namespace tiquete::incident
