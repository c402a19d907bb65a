// The gRPC surface of intake: verifies the signed caller, opens the request's log scope and
// hands the request to the desk. No rules live here.
#pragma once

#include "common/caller.h"
#include "services/intake/desk.h"
#include "tiquete/intake/v1/intake.grpc.pb.h"

namespace tiquete::intake {

class IntakeServiceImpl final : public v1::IntakeService::Service {
 public:
  IntakeServiceImpl(IntakeDesk& desk, const CallerSigner& signer) : desk_(desk), signer_(signer) {}

  grpc::Status SubmitTicket(grpc::ServerContext* ctx, const v1::SubmitTicketRequest* request,
                            v1::SubmitTicketResponse* response) override;
  grpc::Status SplitDuplicate(grpc::ServerContext* ctx, const v1::SplitDuplicateRequest* request,
                              v1::SplitDuplicateResponse* response) override;
  grpc::Status GetMessage(grpc::ServerContext* ctx, const v1::GetMessageRequest* request,
                          v1::Message* response) override;
  grpc::Status ListMessages(grpc::ServerContext* ctx, const v1::ListMessagesRequest* request,
                            v1::ListMessagesResponse* response) override;
  grpc::Status ListClassificationRules(grpc::ServerContext* ctx,
                                       const v1::ListClassificationRulesRequest* request,
                                       v1::ListClassificationRulesResponse* response) override;
  grpc::Status UpsertClassificationRule(grpc::ServerContext* ctx,
                                        const v1::UpsertClassificationRuleRequest* request,
                                        v1::ClassificationRule* response) override;
  grpc::Status DeleteClassificationRule(grpc::ServerContext* ctx,
                                        const v1::DeleteClassificationRuleRequest* request,
                                        v1::ClassificationRule* response) override;

 private:
  IntakeDesk& desk_;
  const CallerSigner& signer_;
};

}  // namespace tiquete::intake
