// The gRPC surface of the directory: validates requests with the domain rules, calls the
// store and maps its Status to gRPC (reason and field travel in the error details).
#pragma once

#include <grpcpp/grpcpp.h>

#include "services/directory/store.h"
#include "tiquete/directory/v1/directory.grpc.pb.h"

namespace tiquete::directory {

class DirectoryServiceImpl final : public v1::DirectoryService::Service {
 public:
  explicit DirectoryServiceImpl(DirectoryStore& store) : store_(store) {}

  grpc::Status CreateOrgUnit(grpc::ServerContext* context, const v1::CreateOrgUnitRequest* request,
                             v1::OrgUnit* response) override;
  grpc::Status UpdateOrgUnit(grpc::ServerContext* context, const v1::UpdateOrgUnitRequest* request,
                             v1::OrgUnit* response) override;
  grpc::Status DeactivateOrgUnit(grpc::ServerContext* context, const v1::LifecycleRequest* request,
                                 v1::OrgUnit* response) override;
  grpc::Status ReactivateOrgUnit(grpc::ServerContext* context, const v1::LifecycleRequest* request,
                                 v1::OrgUnit* response) override;
  grpc::Status GetOrgUnit(grpc::ServerContext* context, const v1::GetRequest* request,
                          v1::OrgUnit* response) override;
  grpc::Status LookupOrgUnit(grpc::ServerContext* context, const v1::LookupOrgUnitRequest* request,
                             v1::OrgUnit* response) override;
  grpc::Status ListOrgUnits(grpc::ServerContext* context, const v1::ListOrgUnitsRequest* request,
                            v1::ListOrgUnitsResponse* response) override;
  grpc::Status CreatePerson(grpc::ServerContext* context, const v1::CreatePersonRequest* request,
                            v1::Person* response) override;
  grpc::Status UpdatePerson(grpc::ServerContext* context, const v1::UpdatePersonRequest* request,
                            v1::Person* response) override;
  grpc::Status DeactivatePerson(grpc::ServerContext* context, const v1::LifecycleRequest* request,
                                v1::Person* response) override;
  grpc::Status ReactivatePerson(grpc::ServerContext* context, const v1::LifecycleRequest* request,
                                v1::Person* response) override;
  grpc::Status GetPerson(grpc::ServerContext* context, const v1::GetRequest* request,
                         v1::Person* response) override;
  grpc::Status LookupPerson(grpc::ServerContext* context, const v1::LookupPersonRequest* request,
                            v1::Person* response) override;
  grpc::Status ListPeople(grpc::ServerContext* context, const v1::ListPeopleRequest* request,
                          v1::ListPeopleResponse* response) override;
  grpc::Status CreateGroup(grpc::ServerContext* context, const v1::CreateGroupRequest* request,
                           v1::Group* response) override;
  grpc::Status UpdateGroup(grpc::ServerContext* context, const v1::UpdateGroupRequest* request,
                           v1::Group* response) override;
  grpc::Status DeactivateGroup(grpc::ServerContext* context, const v1::LifecycleRequest* request,
                               v1::Group* response) override;
  grpc::Status ReactivateGroup(grpc::ServerContext* context, const v1::LifecycleRequest* request,
                               v1::Group* response) override;
  grpc::Status GetGroup(grpc::ServerContext* context, const v1::GetRequest* request,
                        v1::Group* response) override;
  grpc::Status ListGroups(grpc::ServerContext* context, const v1::ListGroupsRequest* request,
                          v1::ListGroupsResponse* response) override;
  grpc::Status AddGroupMember(grpc::ServerContext* context, const v1::GroupMemberRequest* request,
                              v1::GroupMember* response) override;
  grpc::Status RemoveGroupMember(grpc::ServerContext* context,
                                 const v1::GroupMemberRequest* request,
                                 v1::GroupMember* response) override;
  grpc::Status ListGroupMembers(grpc::ServerContext* context,
                                const v1::ListGroupMembersRequest* request,
                                v1::ListGroupMembersResponse* response) override;
  grpc::Status CreateCategory(grpc::ServerContext* context,
                              const v1::CreateCategoryRequest* request,
                              v1::Category* response) override;
  grpc::Status UpdateCategory(grpc::ServerContext* context,
                              const v1::UpdateCategoryRequest* request,
                              v1::Category* response) override;
  grpc::Status DeactivateCategory(grpc::ServerContext* context, const v1::LifecycleRequest* request,
                                  v1::Category* response) override;
  grpc::Status ReactivateCategory(grpc::ServerContext* context, const v1::LifecycleRequest* request,
                                  v1::Category* response) override;
  grpc::Status GetCategory(grpc::ServerContext* context, const v1::GetRequest* request,
                           v1::Category* response) override;
  grpc::Status ListCategories(grpc::ServerContext* context,
                              const v1::ListCategoriesRequest* request,
                              v1::ListCategoriesResponse* response) override;
  grpc::Status ListCategoryTree(grpc::ServerContext* context,
                                const v1::ListCategoryTreeRequest* request,
                                v1::ListCategoryTreeResponse* response) override;
  grpc::Status CreateItService(grpc::ServerContext* context,
                               const v1::CreateItServiceRequest* request,
                               v1::ItService* response) override;
  grpc::Status UpdateItService(grpc::ServerContext* context,
                               const v1::UpdateItServiceRequest* request,
                               v1::ItService* response) override;
  grpc::Status DeactivateItService(grpc::ServerContext* context,
                                   const v1::LifecycleRequest* request,
                                   v1::ItService* response) override;
  grpc::Status ReactivateItService(grpc::ServerContext* context,
                                   const v1::LifecycleRequest* request,
                                   v1::ItService* response) override;
  grpc::Status GetItService(grpc::ServerContext* context, const v1::GetRequest* request,
                            v1::ItService* response) override;
  grpc::Status ListItServices(grpc::ServerContext* context,
                              const v1::ListItServicesRequest* request,
                              v1::ListItServicesResponse* response) override;
  grpc::Status CreateConfigurationItem(grpc::ServerContext* context,
                                       const v1::CreateConfigurationItemRequest* request,
                                       v1::ConfigurationItem* response) override;
  grpc::Status UpdateConfigurationItem(grpc::ServerContext* context,
                                       const v1::UpdateConfigurationItemRequest* request,
                                       v1::ConfigurationItem* response) override;
  grpc::Status DeactivateConfigurationItem(grpc::ServerContext* context,
                                           const v1::LifecycleRequest* request,
                                           v1::ConfigurationItem* response) override;
  grpc::Status ReactivateConfigurationItem(grpc::ServerContext* context,
                                           const v1::LifecycleRequest* request,
                                           v1::ConfigurationItem* response) override;
  grpc::Status GetConfigurationItem(grpc::ServerContext* context, const v1::GetRequest* request,
                                    v1::ConfigurationItem* response) override;
  grpc::Status ListConfigurationItems(grpc::ServerContext* context,
                                      const v1::ListConfigurationItemsRequest* request,
                                      v1::ListConfigurationItemsResponse* response) override;
  grpc::Status AddCiRelation(grpc::ServerContext* context, const v1::CiRelationRequest* request,
                             v1::CiRelation* response) override;
  grpc::Status RemoveCiRelation(grpc::ServerContext* context, const v1::CiRelationRequest* request,
                                v1::CiRelation* response) override;

 private:
  DirectoryStore& store_;
};

}  // namespace tiquete::directory
