#include "services/directory/service.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/log.h"
#include "common/server.h"
#include "common/text.h"
#include "services/directory/domain/resources.h"
#include "services/directory/domain/text.h"

namespace tiquete::directory {
namespace {

template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status Fail(const absl::Status& status) { return ToGrpcStatus(status); }

// The first problem names the field and reason clients branch on; the message lists them all
// so a developer fixes everything in one round.
absl::Status FromProblems(const Problems& problems) {
  if (problems.empty()) return absl::OkStatus();
  std::string message;
  for (const FieldProblem& p : problems) {
    if (!message.empty()) message += "; ";
    absl::StrAppend(&message, p.field, ": ", p.message);
  }
  return Error(absl::StatusCode::kInvalidArgument, problems.front().reason, message,
               problems.front().field);
}

absl::Status CheckId(const char* field, const std::string& id, bool required = true) {
  if (id.empty()) {
    return required ? InvalidField(field, "REQUIRED", "is required") : absl::OkStatus();
  }
  if (!IsUuid(id)) {
    return InvalidField(field, "INVALID_ID", absl::StrCat("\"", id, "\" is not a valid id"));
  }
  return absl::OkStatus();
}

absl::Status CheckVersion(int64_t version) {
  if (version > 0) return absl::OkStatus();
  return InvalidField("version", "REQUIRED", "is required: send the version you last read");
}

absl::Status CheckFilter(const char* field, const std::string& value,
                         std::span<const std::string_view> allowed) {
  if (value.empty() || IsOneOf(value, allowed)) return absl::OkStatus();
  return InvalidField(field, "INVALID_VALUE",
                      absl::StrCat("\"", value, "\" is not one of ", JoinValues(allowed)));
}

// Who made a change, for the events. The directory does not verify signed callers yet (its
// settings carry no TIQUETE_CALLER_KEY), and an unverified name is worse than none, so events
// carry no actor until it does.
std::string Actor(const grpc::ServerContext* /*context*/) { return ""; }

// A write's context. While it lives (the whole call when passed as an argument), log lines and
// outbox rows carry the caller's request id.
struct WriteScope {
  log::RequestScope request;
  WriteContext context;
  operator const WriteContext&() const { return context; }  // NOLINT(google-explicit-constructor)
};

WriteScope Write(const grpc::ServerContext* context) {
  return {log::RequestScope(RequestIdOf(*context)), {Actor(context), "", ""}};
}

// The key itself is not part of what must match on a retry.
template <typename Request>
WriteScope Create(const grpc::ServerContext* context, const Request& request) {
  Request copy = request;
  copy.clear_idempotency_key();
  return {log::RequestScope(RequestIdOf(*context)),
          {Actor(context), request.idempotency_key(), RequestFingerprint(copy)}};
}

// Decodes the page request; the token is bound to the resource and to the filters (everything
// in the request except the page itself and include_total).
absl::StatusOr<PageArgs> Page(const google::protobuf::Message& request, const char* resource,
                              const api::v1::PageRequest& page, bool include_total) {
  PageArgs args;
  args.size = EffectivePageSize(page.page_size());
  if (args.size < 0) {
    return InvalidField("page.page_size", "INVALID_PAGE_SIZE", "cannot be negative");
  }
  std::unique_ptr<google::protobuf::Message> filters(request.New());
  filters->CopyFrom(request);
  const auto* descriptor = filters->GetDescriptor();
  for (const char* name : {"page", "include_total"}) {
    if (const auto* field = descriptor->FindFieldByName(name)) {
      filters->GetReflection()->ClearField(filters.get(), field);
    }
  }
  args.scope = absl::StrCat(resource, ":", RequestFingerprint(*filters).substr(0, 16));
  args.include_total = include_total;
  if (!page.page_token().empty()) {
    PageCursor cursor;
    if (!DecodePageToken(page.page_token(), args.scope, &cursor)) {
      return InvalidField("page.page_token", "INVALID_PAGE_TOKEN",
                          "the page token is malformed or belongs to another query");
    }
    args.after = cursor;
  }
  return args;
}

}  // namespace

// ---- Org units ----

grpc::Status DirectoryServiceImpl::CreateOrgUnit(grpc::ServerContext* context,
                                                 const v1::CreateOrgUnitRequest* request,
                                                 v1::OrgUnit* response) {
  v1::OrgUnit unit = request->org_unit();
  if (auto s = FromProblems(NormalizeOrgUnit(&unit)); !s.ok()) return Fail(s);
  return Reply(store_.CreateOrgUnit(unit, Create(context, *request)), response);
}

grpc::Status DirectoryServiceImpl::UpdateOrgUnit(grpc::ServerContext* context,
                                                 const v1::UpdateOrgUnitRequest* request,
                                                 v1::OrgUnit* response) {
  v1::OrgUnit unit = request->org_unit();
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version()),
                                FromProblems(NormalizeOrgUnit(&unit))}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.UpdateOrgUnit(request->id(), request->version(), unit, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::DeactivateOrgUnit(grpc::ServerContext* context,
                                                     const v1::LifecycleRequest* request,
                                                     v1::OrgUnit* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetOrgUnitActive(request->id(), request->version(), false, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::ReactivateOrgUnit(grpc::ServerContext* context,
                                                     const v1::LifecycleRequest* request,
                                                     v1::OrgUnit* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetOrgUnitActive(request->id(), request->version(), true, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::GetOrgUnit(grpc::ServerContext*, const v1::GetRequest* request,
                                              v1::OrgUnit* response) {
  if (auto s = CheckId("id", request->id()); !s.ok()) return Fail(s);
  return Reply(store_.GetOrgUnit(request->id()), response);
}

grpc::Status DirectoryServiceImpl::LookupOrgUnit(grpc::ServerContext*,
                                                 const v1::LookupOrgUnitRequest* request,
                                                 v1::OrgUnit* response) {
  if (request->code().empty() == request->dane_code().empty()) {
    return Fail(InvalidField("code", "ONE_KEY_REQUIRED", "give exactly one of code, dane_code"));
  }
  std::string code;
  if (!request->code().empty() && !NormalizeCode(request->code(), &code)) {
    return Fail(InvalidField("code", "INVALID_CODE", "not a valid code"));
  }
  const std::string dane = text::CollapseAsciiSpaces(request->dane_code());
  if (!dane.empty() && !IsValidDaneCode(dane)) {
    return Fail(InvalidField("dane_code", "INVALID_DANE_CODE", "not a 12-digit DANE code"));
  }
  return Reply(store_.LookupOrgUnit(code, dane), response);
}

grpc::Status DirectoryServiceImpl::ListOrgUnits(grpc::ServerContext*,
                                                const v1::ListOrgUnitsRequest* request,
                                                v1::ListOrgUnitsResponse* response) {
  for (const absl::Status& s : {CheckFilter("kind", request->kind(), OrgUnitKinds()),
                                CheckId("parent_id", request->parent_id(), false)}) {
    if (!s.ok()) return Fail(s);
  }
  auto page = Page(*request, "org_units", request->page(), request->include_total());
  if (!page.ok()) return Fail(page.status());
  return Reply(store_.ListOrgUnits(*request, *page), response);
}

// ---- People ----

grpc::Status DirectoryServiceImpl::CreatePerson(grpc::ServerContext* context,
                                                const v1::CreatePersonRequest* request,
                                                v1::Person* response) {
  v1::Person person = request->person();
  if (auto s = FromProblems(NormalizePerson(&person)); !s.ok()) return Fail(s);
  return Reply(store_.CreatePerson(person, Create(context, *request)), response);
}

grpc::Status DirectoryServiceImpl::UpdatePerson(grpc::ServerContext* context,
                                                const v1::UpdatePersonRequest* request,
                                                v1::Person* response) {
  v1::Person person = request->person();
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version()),
                                FromProblems(NormalizePerson(&person))}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.UpdatePerson(request->id(), request->version(), person, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::DeactivatePerson(grpc::ServerContext* context,
                                                    const v1::LifecycleRequest* request,
                                                    v1::Person* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetPersonActive(request->id(), request->version(), false, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::ReactivatePerson(grpc::ServerContext* context,
                                                    const v1::LifecycleRequest* request,
                                                    v1::Person* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetPersonActive(request->id(), request->version(), true, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::GetPerson(grpc::ServerContext*, const v1::GetRequest* request,
                                             v1::Person* response) {
  if (auto s = CheckId("id", request->id()); !s.ok()) return Fail(s);
  return Reply(store_.GetPerson(request->id()), response);
}

grpc::Status DirectoryServiceImpl::LookupPerson(grpc::ServerContext*,
                                                const v1::LookupPersonRequest* request,
                                                v1::Person* response) {
  std::string email;
  if (!NormalizeEmail(request->email(), &email)) {
    return Fail(InvalidField("email", "INVALID_EMAIL", "not a valid email address"));
  }
  return Reply(store_.LookupPerson(email), response);
}

grpc::Status DirectoryServiceImpl::ListPeople(grpc::ServerContext*,
                                              const v1::ListPeopleRequest* request,
                                              v1::ListPeopleResponse* response) {
  for (const absl::Status& s : {CheckId("org_unit_id", request->org_unit_id(), false),
                                CheckId("group_id", request->group_id(), false),
                                CheckFilter("role", request->role(), Roles())}) {
    if (!s.ok()) return Fail(s);
  }
  auto page = Page(*request, "people", request->page(), request->include_total());
  if (!page.ok()) return Fail(page.status());
  return Reply(store_.ListPeople(*request, *page), response);
}

// ---- Groups ----

grpc::Status DirectoryServiceImpl::CreateGroup(grpc::ServerContext* context,
                                               const v1::CreateGroupRequest* request,
                                               v1::Group* response) {
  v1::Group group = request->group();
  if (auto s = FromProblems(NormalizeGroup(&group)); !s.ok()) return Fail(s);
  return Reply(store_.CreateGroup(group, Create(context, *request)), response);
}

grpc::Status DirectoryServiceImpl::UpdateGroup(grpc::ServerContext* context,
                                               const v1::UpdateGroupRequest* request,
                                               v1::Group* response) {
  v1::Group group = request->group();
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version()),
                                FromProblems(NormalizeGroup(&group))}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.UpdateGroup(request->id(), request->version(), group, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::DeactivateGroup(grpc::ServerContext* context,
                                                   const v1::LifecycleRequest* request,
                                                   v1::Group* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetGroupActive(request->id(), request->version(), false, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::ReactivateGroup(grpc::ServerContext* context,
                                                   const v1::LifecycleRequest* request,
                                                   v1::Group* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetGroupActive(request->id(), request->version(), true, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::GetGroup(grpc::ServerContext*, const v1::GetRequest* request,
                                            v1::Group* response) {
  if (auto s = CheckId("id", request->id()); !s.ok()) return Fail(s);
  return Reply(store_.GetGroup(request->id()), response);
}

grpc::Status DirectoryServiceImpl::ListGroups(grpc::ServerContext*,
                                              const v1::ListGroupsRequest* request,
                                              v1::ListGroupsResponse* response) {
  for (const absl::Status& s : {CheckFilter("level", request->level(), GroupLevels()),
                                CheckFilter("kind", request->kind(), GroupKinds())}) {
    if (!s.ok()) return Fail(s);
  }
  auto page = Page(*request, "groups", request->page(), request->include_total());
  if (!page.ok()) return Fail(page.status());
  return Reply(store_.ListGroups(*request, *page), response);
}

grpc::Status DirectoryServiceImpl::AddGroupMember(grpc::ServerContext* context,
                                                  const v1::GroupMemberRequest* request,
                                                  v1::GroupMember* response) {
  for (const absl::Status& s :
       {CheckId("group_id", request->group_id()), CheckId("person_id", request->person_id())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.AddGroupMember(request->group_id(), request->person_id(), Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::RemoveGroupMember(grpc::ServerContext* context,
                                                     const v1::GroupMemberRequest* request,
                                                     v1::GroupMember* response) {
  for (const absl::Status& s :
       {CheckId("group_id", request->group_id()), CheckId("person_id", request->person_id())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.RemoveGroupMember(request->group_id(), request->person_id(), Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::ListGroupMembers(grpc::ServerContext*,
                                                    const v1::ListGroupMembersRequest* request,
                                                    v1::ListGroupMembersResponse* response) {
  if (auto s = CheckId("group_id", request->group_id()); !s.ok()) return Fail(s);
  auto page = Page(*request, "group_members", request->page(), false);
  if (!page.ok()) return Fail(page.status());
  return Reply(store_.ListGroupMembers(*request, *page), response);
}

// ---- Categories ----

grpc::Status DirectoryServiceImpl::CreateCategory(grpc::ServerContext* context,
                                                  const v1::CreateCategoryRequest* request,
                                                  v1::Category* response) {
  v1::Category category = request->category();
  if (auto s = FromProblems(NormalizeCategory(&category)); !s.ok()) return Fail(s);
  return Reply(store_.CreateCategory(category, Create(context, *request)), response);
}

grpc::Status DirectoryServiceImpl::UpdateCategory(grpc::ServerContext* context,
                                                  const v1::UpdateCategoryRequest* request,
                                                  v1::Category* response) {
  v1::Category category = request->category();
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version()),
                                FromProblems(NormalizeCategory(&category))}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.UpdateCategory(request->id(), request->version(), category, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::DeactivateCategory(grpc::ServerContext* context,
                                                      const v1::LifecycleRequest* request,
                                                      v1::Category* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetCategoryActive(request->id(), request->version(), false, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::ReactivateCategory(grpc::ServerContext* context,
                                                      const v1::LifecycleRequest* request,
                                                      v1::Category* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetCategoryActive(request->id(), request->version(), true, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::GetCategory(grpc::ServerContext*, const v1::GetRequest* request,
                                               v1::Category* response) {
  if (auto s = CheckId("id", request->id()); !s.ok()) return Fail(s);
  return Reply(store_.GetCategory(request->id()), response);
}

grpc::Status DirectoryServiceImpl::ListCategories(grpc::ServerContext*,
                                                  const v1::ListCategoriesRequest* request,
                                                  v1::ListCategoriesResponse* response) {
  if (auto s = CheckId("parent_id", request->parent_id(), false); !s.ok()) return Fail(s);
  auto page = Page(*request, "categories", request->page(), request->include_total());
  if (!page.ok()) return Fail(page.status());
  return Reply(store_.ListCategories(*request, *page), response);
}

grpc::Status DirectoryServiceImpl::ListCategoryTree(grpc::ServerContext*,
                                                    const v1::ListCategoryTreeRequest* request,
                                                    v1::ListCategoryTreeResponse* response) {
  return Reply(store_.ListCategoryTree(request->include_inactive()), response);
}

// ---- IT services ----

grpc::Status DirectoryServiceImpl::CreateItService(grpc::ServerContext* context,
                                                   const v1::CreateItServiceRequest* request,
                                                   v1::ItService* response) {
  v1::ItService service = request->service();
  if (auto s = FromProblems(NormalizeItService(&service)); !s.ok()) return Fail(s);
  return Reply(store_.CreateItService(service, Create(context, *request)), response);
}

grpc::Status DirectoryServiceImpl::UpdateItService(grpc::ServerContext* context,
                                                   const v1::UpdateItServiceRequest* request,
                                                   v1::ItService* response) {
  v1::ItService service = request->service();
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version()),
                                FromProblems(NormalizeItService(&service))}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.UpdateItService(request->id(), request->version(), service, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::DeactivateItService(grpc::ServerContext* context,
                                                       const v1::LifecycleRequest* request,
                                                       v1::ItService* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetItServiceActive(request->id(), request->version(), false, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::ReactivateItService(grpc::ServerContext* context,
                                                       const v1::LifecycleRequest* request,
                                                       v1::ItService* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(store_.SetItServiceActive(request->id(), request->version(), true, Write(context)),
               response);
}

grpc::Status DirectoryServiceImpl::GetItService(grpc::ServerContext*, const v1::GetRequest* request,
                                                v1::ItService* response) {
  if (auto s = CheckId("id", request->id()); !s.ok()) return Fail(s);
  return Reply(store_.GetItService(request->id()), response);
}

grpc::Status DirectoryServiceImpl::ListItServices(grpc::ServerContext*,
                                                  const v1::ListItServicesRequest* request,
                                                  v1::ListItServicesResponse* response) {
  for (const absl::Status& s :
       {CheckId("owner_group_id", request->owner_group_id(), false),
        CheckFilter("criticality", request->criticality(), Criticalities())}) {
    if (!s.ok()) return Fail(s);
  }
  auto page = Page(*request, "services", request->page(), request->include_total());
  if (!page.ok()) return Fail(page.status());
  return Reply(store_.ListItServices(*request, *page), response);
}

// ---- Configuration items ----

grpc::Status DirectoryServiceImpl::CreateConfigurationItem(
    grpc::ServerContext* context, const v1::CreateConfigurationItemRequest* request,
    v1::ConfigurationItem* response) {
  v1::ConfigurationItem ci = request->configuration_item();
  if (auto s = FromProblems(NormalizeConfigurationItem(&ci)); !s.ok()) return Fail(s);
  return Reply(store_.CreateConfigurationItem(ci, Create(context, *request)), response);
}

grpc::Status DirectoryServiceImpl::UpdateConfigurationItem(
    grpc::ServerContext* context, const v1::UpdateConfigurationItemRequest* request,
    v1::ConfigurationItem* response) {
  v1::ConfigurationItem ci = request->configuration_item();
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version()),
                                FromProblems(NormalizeConfigurationItem(&ci))}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(
      store_.UpdateConfigurationItem(request->id(), request->version(), ci, Write(context)),
      response);
}

grpc::Status DirectoryServiceImpl::DeactivateConfigurationItem(grpc::ServerContext* context,
                                                               const v1::LifecycleRequest* request,
                                                               v1::ConfigurationItem* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(
      store_.SetConfigurationItemActive(request->id(), request->version(), false, Write(context)),
      response);
}

grpc::Status DirectoryServiceImpl::ReactivateConfigurationItem(grpc::ServerContext* context,
                                                               const v1::LifecycleRequest* request,
                                                               v1::ConfigurationItem* response) {
  for (const absl::Status& s : {CheckId("id", request->id()), CheckVersion(request->version())}) {
    if (!s.ok()) return Fail(s);
  }
  return Reply(
      store_.SetConfigurationItemActive(request->id(), request->version(), true, Write(context)),
      response);
}

grpc::Status DirectoryServiceImpl::GetConfigurationItem(grpc::ServerContext*,
                                                        const v1::GetRequest* request,
                                                        v1::ConfigurationItem* response) {
  if (auto s = CheckId("id", request->id()); !s.ok()) return Fail(s);
  return Reply(store_.GetConfigurationItem(request->id()), response);
}

grpc::Status DirectoryServiceImpl::ListConfigurationItems(
    grpc::ServerContext*, const v1::ListConfigurationItemsRequest* request,
    v1::ListConfigurationItemsResponse* response) {
  for (const absl::Status& s :
       {CheckFilter("type", request->type(), CiTypes()),
        CheckId("service_id", request->service_id(), false),
        CheckId("owner_group_id", request->owner_group_id(), false),
        CheckFilter("criticality", request->criticality(), Criticalities())}) {
    if (!s.ok()) return Fail(s);
  }
  auto page = Page(*request, "cis", request->page(), request->include_total());
  if (!page.ok()) return Fail(page.status());
  return Reply(store_.ListConfigurationItems(*request, *page), response);
}

grpc::Status DirectoryServiceImpl::AddCiRelation(grpc::ServerContext* context,
                                                 const v1::CiRelationRequest* request,
                                                 v1::CiRelation* response) {
  v1::CiRelationRequest relation = *request;
  if (auto s = FromProblems(NormalizeCiRelation(&relation)); !s.ok()) return Fail(s);
  return Reply(store_.AddCiRelation(relation, Write(context)), response);
}

grpc::Status DirectoryServiceImpl::RemoveCiRelation(grpc::ServerContext* context,
                                                    const v1::CiRelationRequest* request,
                                                    v1::CiRelation* response) {
  v1::CiRelationRequest relation = *request;
  if (auto s = FromProblems(NormalizeCiRelation(&relation)); !s.ok()) return Fail(s);
  return Reply(store_.RemoveCiRelation(relation, Write(context)), response);
}

}  // namespace tiquete::directory
