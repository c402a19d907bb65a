#include "services/intake/service.h"

#include "common/errors.h"
#include "common/log.h"
#include "common/server.h"

namespace tiquete::intake {
namespace {

// Verifies the caller, runs fn(caller) in the request's log scope and maps the outcome.
template <typename Response, typename Fn>
grpc::Status Handle(grpc::ServerContext* ctx, const CallerSigner& signer, Response* response,
                    Fn&& fn) {
  log::RequestScope scope(RequestIdOf(*ctx));
  auto caller = signer.Verify(*ctx);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto result = fn(*caller);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status IntakeServiceImpl::SubmitTicket(grpc::ServerContext* ctx,
                                             const v1::SubmitTicketRequest* request,
                                             v1::SubmitTicketResponse* response) {
  return Handle(ctx, signer_, response,
                [&](const Caller& caller) { return desk_.Submit(caller, *request); });
}

grpc::Status IntakeServiceImpl::SplitDuplicate(grpc::ServerContext* ctx,
                                               const v1::SplitDuplicateRequest* request,
                                               v1::SplitDuplicateResponse* response) {
  return Handle(ctx, signer_, response,
                [&](const Caller& caller) { return desk_.Split(caller, *request); });
}

grpc::Status IntakeServiceImpl::GetMessage(grpc::ServerContext* ctx,
                                           const v1::GetMessageRequest* request,
                                           v1::Message* response) {
  return Handle(ctx, signer_, response,
                [&](const Caller& caller) { return desk_.GetMessage(caller, *request); });
}

grpc::Status IntakeServiceImpl::ListMessages(grpc::ServerContext* ctx,
                                             const v1::ListMessagesRequest* request,
                                             v1::ListMessagesResponse* response) {
  return Handle(ctx, signer_, response,
                [&](const Caller& caller) { return desk_.ListMessages(caller, *request); });
}

grpc::Status IntakeServiceImpl::ListClassificationRules(
    grpc::ServerContext* ctx, const v1::ListClassificationRulesRequest* request,
    v1::ListClassificationRulesResponse* response) {
  return Handle(ctx, signer_, response,
                [&](const Caller& caller) { return desk_.ListRules(caller, *request); });
}

grpc::Status IntakeServiceImpl::UpsertClassificationRule(
    grpc::ServerContext* ctx, const v1::UpsertClassificationRuleRequest* request,
    v1::ClassificationRule* response) {
  return Handle(ctx, signer_, response,
                [&](const Caller& caller) { return desk_.UpsertRule(caller, *request); });
}

grpc::Status IntakeServiceImpl::DeleteClassificationRule(
    grpc::ServerContext* ctx, const v1::DeleteClassificationRuleRequest* request,
    v1::ClassificationRule* response) {
  return Handle(ctx, signer_, response,
                [&](const Caller& caller) { return desk_.DeleteRule(caller, *request); });
}

}  // namespace tiquete::intake
