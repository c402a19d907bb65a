// The gRPC surface of sign-in credentials (tiquete.directory.v1.CredentialService): passwords
// and API tokens. Every call carries a signed caller: VerifyPassword and VerifyApiToken are
// for the gateway only; people manage their own tokens and password, admins anyone's.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "common/caller.h"
#include "services/directory/credentials_store.h"
#include "tiquete/directory/v1/credentials.grpc.pb.h"

namespace tiquete::directory {

class CredentialServiceImpl final : public v1::CredentialService::Service {
 public:
  CredentialServiceImpl(CredentialsStore& store, const CallerSigner& signer)
      : store_(store), signer_(signer) {}

  grpc::Status SetPassword(grpc::ServerContext* context, const v1::SetPasswordRequest* request,
                           v1::SetPasswordResponse* response) override;
  grpc::Status ChangePassword(grpc::ServerContext* context,
                              const v1::ChangePasswordRequest* request,
                              v1::ChangePasswordResponse* response) override;
  grpc::Status VerifyPassword(grpc::ServerContext* context,
                              const v1::VerifyPasswordRequest* request,
                              v1::VerifiedPerson* response) override;
  grpc::Status CreateApiToken(grpc::ServerContext* context,
                              const v1::CreateApiTokenRequest* request,
                              v1::CreateApiTokenResponse* response) override;
  grpc::Status VerifyApiToken(grpc::ServerContext* context,
                              const v1::VerifyApiTokenRequest* request,
                              v1::VerifiedPerson* response) override;
  grpc::Status RevokeApiToken(grpc::ServerContext* context,
                              const v1::RevokeApiTokenRequest* request,
                              v1::ApiToken* response) override;
  grpc::Status ListApiTokens(grpc::ServerContext* context, const v1::ListApiTokensRequest* request,
                             v1::ListApiTokensResponse* response) override;

 private:
  CredentialsStore& store_;
  const CallerSigner& signer_;
};

// `tiquete-directory set-password --email=E --password=P`: sets a password directly in the
// database (deploy scripts, first admin). Returns the process exit code.
int RunSetPassword(CredentialsStore& store, const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err);

}  // namespace tiquete::directory
