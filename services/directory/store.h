// The directory's persistence: the only code that speaks SQL. Every write runs in one
// transaction through PgPool::Transact together with its outbox event (and idempotency
// record), so a change and its event are committed or rolled back together.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/migrations.h"
#include "common/pg.h"
#include "services/directory/domain/import_plan.h"
#include "services/directory/domain/page_token.h"
#include "tiquete/directory/v1/directory.pb.h"

namespace tiquete::directory {

// The directory's schema migrations (generated from migrations/*.sql).
const std::vector<Migration>& Migrations();

// Who writes, and how a create may be retried safely.
struct WriteContext {
  std::string actor_id;
  std::string idempotency_key;  // empty: no idempotency
  std::string fingerprint;      // RequestFingerprint of the request without its key
};

// A decoded page request; `scope` ties the token to the filters it was issued for.
struct PageArgs {
  int size = kDefaultPageSize;
  std::optional<PageCursor> after;
  std::string scope;
  bool include_total = false;
};

struct ImportOutcome {
  ImportPlan plan;  // problems, when any, and nothing was written
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};
using PlanFunction = std::function<ImportPlan(const ImportSnapshot&)>;
using ApplyProgress = std::function<void(int done, int total)>;

class DirectoryStore {
 public:
  DirectoryStore(PgPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Each Create* with a key already used for the same request returns the first result.
  // Update* replaces the mutable fields when `version` is current (else ABORTED,
  // STALE_VERSION) and writes nothing when no field changes. SetActive* deactivates or
  // reactivates.
  absl::StatusOr<v1::OrgUnit> CreateOrgUnit(const v1::OrgUnit& unit, const WriteContext& ctx);
  absl::StatusOr<v1::OrgUnit> UpdateOrgUnit(const std::string& id, int64_t version,
                                            const v1::OrgUnit& unit, const WriteContext& ctx);
  absl::StatusOr<v1::OrgUnit> SetOrgUnitActive(const std::string& id, int64_t version, bool active,
                                               const WriteContext& ctx);
  absl::StatusOr<v1::OrgUnit> GetOrgUnit(const std::string& id);
  absl::StatusOr<v1::OrgUnit> LookupOrgUnit(const std::string& code, const std::string& dane_code);
  absl::StatusOr<v1::ListOrgUnitsResponse> ListOrgUnits(const v1::ListOrgUnitsRequest& request,
                                                        const PageArgs& page);

  absl::StatusOr<v1::Person> CreatePerson(const v1::Person& person, const WriteContext& ctx);
  absl::StatusOr<v1::Person> UpdatePerson(const std::string& id, int64_t version,
                                          const v1::Person& person, const WriteContext& ctx);
  absl::StatusOr<v1::Person> SetPersonActive(const std::string& id, int64_t version, bool active,
                                             const WriteContext& ctx);
  absl::StatusOr<v1::Person> GetPerson(const std::string& id);
  absl::StatusOr<v1::Person> LookupPerson(const std::string& email);
  absl::StatusOr<v1::ListPeopleResponse> ListPeople(const v1::ListPeopleRequest& request,
                                                    const PageArgs& page);

  absl::StatusOr<v1::Group> CreateGroup(const v1::Group& group, const WriteContext& ctx);
  absl::StatusOr<v1::Group> UpdateGroup(const std::string& id, int64_t version,
                                        const v1::Group& group, const WriteContext& ctx);
  absl::StatusOr<v1::Group> SetGroupActive(const std::string& id, int64_t version, bool active,
                                           const WriteContext& ctx);
  absl::StatusOr<v1::Group> GetGroup(const std::string& id);
  absl::StatusOr<v1::ListGroupsResponse> ListGroups(const v1::ListGroupsRequest& request,
                                                    const PageArgs& page);
  absl::StatusOr<v1::GroupMember> AddGroupMember(const std::string& group_id,
                                                 const std::string& person_id,
                                                 const WriteContext& ctx);
  absl::StatusOr<v1::GroupMember> RemoveGroupMember(const std::string& group_id,
                                                    const std::string& person_id,
                                                    const WriteContext& ctx);
  absl::StatusOr<v1::ListGroupMembersResponse> ListGroupMembers(
      const v1::ListGroupMembersRequest& request, const PageArgs& page);

  absl::StatusOr<v1::Category> CreateCategory(const v1::Category& category,
                                              const WriteContext& ctx);
  absl::StatusOr<v1::Category> UpdateCategory(const std::string& id, int64_t version,
                                              const v1::Category& category,
                                              const WriteContext& ctx);
  absl::StatusOr<v1::Category> SetCategoryActive(const std::string& id, int64_t version,
                                                 bool active, const WriteContext& ctx);
  absl::StatusOr<v1::Category> GetCategory(const std::string& id);
  absl::StatusOr<v1::ListCategoriesResponse> ListCategories(
      const v1::ListCategoriesRequest& request, const PageArgs& page);
  absl::StatusOr<v1::ListCategoryTreeResponse> ListCategoryTree(bool include_inactive);

  absl::StatusOr<v1::ItService> CreateItService(const v1::ItService& service,
                                                const WriteContext& ctx);
  absl::StatusOr<v1::ItService> UpdateItService(const std::string& id, int64_t version,
                                                const v1::ItService& service,
                                                const WriteContext& ctx);
  absl::StatusOr<v1::ItService> SetItServiceActive(const std::string& id, int64_t version,
                                                   bool active, const WriteContext& ctx);
  absl::StatusOr<v1::ItService> GetItService(const std::string& id);
  absl::StatusOr<v1::ListItServicesResponse> ListItServices(
      const v1::ListItServicesRequest& request, const PageArgs& page);

  absl::StatusOr<v1::ConfigurationItem> CreateConfigurationItem(const v1::ConfigurationItem& ci,
                                                                const WriteContext& ctx);
  absl::StatusOr<v1::ConfigurationItem> UpdateConfigurationItem(const std::string& id,
                                                                int64_t version,
                                                                const v1::ConfigurationItem& ci,
                                                                const WriteContext& ctx);
  absl::StatusOr<v1::ConfigurationItem> SetConfigurationItemActive(const std::string& id,
                                                                   int64_t version, bool active,
                                                                   const WriteContext& ctx);
  absl::StatusOr<v1::ConfigurationItem> GetConfigurationItem(const std::string& id);
  absl::StatusOr<v1::ListConfigurationItemsResponse> ListConfigurationItems(
      const v1::ListConfigurationItemsRequest& request, const PageArgs& page);
  absl::StatusOr<v1::CiRelation> AddCiRelation(const v1::CiRelationRequest& relation,
                                               const WriteContext& ctx);
  absl::StatusOr<v1::CiRelation> RemoveCiRelation(const v1::CiRelationRequest& relation,
                                                  const WriteContext& ctx);

  // One import in one transaction: loads what `kind` refers to, lets `plan` check every row
  // against it and, only when no row has a problem, applies the plan. Imports are serialised
  // by an advisory lock so two runs never interleave.
  absl::StatusOr<ImportOutcome> Import(ImportKind kind, const PlanFunction& plan,
                                       const ApplyProgress& progress);

 private:
  PgPool& pool_;
  const Clock& clock_;
};

}  // namespace tiquete::directory
