#include "services/directory/credentials_service.h"

#include <ostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "common/idempotency.h"
#include "common/log.h"
#include "common/server.h"
#include "services/directory/domain/credentials.h"
#include "services/directory/domain/validation.h"

namespace tiquete::directory {
namespace {

constexpr char kGateway[] = "gateway";

absl::Status Unauthenticated(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kUnauthenticated, reason, message);
}

absl::Status Denied(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kPermissionDenied, reason, message);
}

bool IsSystem(const Caller& c) { return !c.system().empty(); }
bool IsAdmin(const Caller& c) { return HasRole(c, "admin"); }

// A person acting for themselves, an admin acting for anyone, or an internal service.
absl::Status MayActFor(const Caller& caller, const std::string& person_id) {
  if (IsSystem(caller) || IsAdmin(caller) || caller.person_id() == person_id) {
    return absl::OkStatus();
  }
  return Denied("PERMISSION_DENIED", "only an admin may manage another person's credentials");
}

absl::Status CheckUuid(const char* field, const std::string& id) {
  if (id.empty()) return InvalidField(field, "REQUIRED", "is required");
  if (!IsUuid(id)) return InvalidField(field, "INVALID_ID", "is not a valid id");
  return absl::OkStatus();
}

WriteContext Context(const Caller& caller) { return {caller.person_id(), "", ""}; }

grpc::Status Fail(const absl::Status& s) { return ToGrpcStatus(s); }

// Sets the password of `person_id` after checking the policy against the person's email.
absl::StatusOr<v1::SetPasswordResponse> SetPasswordOf(CredentialsStore& store,
                                                      const Account& account,
                                                      const std::string& password,
                                                      const std::string& field,
                                                      const WriteContext& ctx) {
  if (auto s = CheckPasswordPolicy(password, account.person.email(), field); !s.ok()) return s;
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  return store.SetPasswordHash(account.person.person_id(), *hash, ctx);
}

absl::StatusOr<Account> RequireAccount(absl::StatusOr<std::optional<Account>> found,
                                       std::string_view what) {
  if (!found.ok()) return found.status();
  if (!found->has_value()) return NotFound("person", what);
  return **found;
}

}  // namespace

grpc::Status CredentialServiceImpl::SetPassword(grpc::ServerContext* context,
                                                const v1::SetPasswordRequest* request,
                                                v1::SetPasswordResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = signer_.Verify(*context);
  if (!caller.ok()) return Fail(caller.status());
  if (!IsSystem(*caller) && !IsAdmin(*caller)) {
    return Fail(Denied("PERMISSION_DENIED", "only an admin may set a password"));
  }
  if (request->person_id().empty() == request->email().empty()) {
    return Fail(
        InvalidField("person_id", "ONE_KEY_REQUIRED", "give exactly one of person_id, email"));
  }
  absl::StatusOr<Account> account;
  if (!request->person_id().empty()) {
    if (auto s = CheckUuid("person_id", request->person_id()); !s.ok()) return Fail(s);
    account = RequireAccount(store_.FindAccountById(request->person_id()), request->person_id());
  } else {
    account = RequireAccount(store_.FindAccountByEmail(request->email()), request->email());
  }
  if (!account.ok()) return Fail(account.status());
  auto result = SetPasswordOf(store_, *account, request->password(), "password", Context(*caller));
  if (!result.ok()) return Fail(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status CredentialServiceImpl::ChangePassword(grpc::ServerContext* context,
                                                   const v1::ChangePasswordRequest* request,
                                                   v1::ChangePasswordResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = signer_.Verify(*context);
  if (!caller.ok()) return Fail(caller.status());
  if (caller->person_id().empty()) {
    return Fail(Denied("PERMISSION_DENIED", "only a person can change their own password"));
  }
  auto account = RequireAccount(store_.FindAccountById(caller->person_id()), caller->person_id());
  if (!account.ok()) return Fail(account.status());
  if (account->password_hash.empty()) {
    return Fail(Error(absl::StatusCode::kFailedPrecondition, "NO_PASSWORD",
                      "this account has no local password; ask an admin to set one"));
  }
  if (!PasswordMatches(account->password_hash, request->current_password())) {
    return Fail(InvalidField("current_password", "WRONG_PASSWORD", "does not match"));
  }
  auto result =
      SetPasswordOf(store_, *account, request->new_password(), "new_password", Context(*caller));
  if (!result.ok()) return Fail(result.status());
  *response->mutable_update_time() = result->update_time();
  return grpc::Status::OK;
}

grpc::Status CredentialServiceImpl::VerifyPassword(grpc::ServerContext* context,
                                                   const v1::VerifyPasswordRequest* request,
                                                   v1::VerifiedPerson* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = signer_.Verify(*context);
  if (!caller.ok()) return Fail(caller.status());
  if (caller->system() != kGateway) {
    return Fail(Denied("GATEWAY_ONLY", "only the gateway verifies passwords"));
  }
  const absl::Status wrong = Unauthenticated("INVALID_CREDENTIALS", "wrong email or password");
  auto found = store_.FindAccountByEmail(
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(request->email())));
  if (!found.ok()) return Fail(found.status());
  if (!found->has_value() || (*found)->password_hash.empty()) {
    SpendPasswordCheckTime(request->password());
    return Fail(wrong);
  }
  const Account& account = **found;
  if (!PasswordMatches(account.password_hash, request->password()) || !account.active) {
    return Fail(wrong);
  }
  *response = account.person;
  return grpc::Status::OK;
}

grpc::Status CredentialServiceImpl::CreateApiToken(grpc::ServerContext* context,
                                                   const v1::CreateApiTokenRequest* request,
                                                   v1::CreateApiTokenResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = signer_.Verify(*context);
  if (!caller.ok()) return Fail(caller.status());
  const std::string person_id =
      request->person_id().empty() ? caller->person_id() : request->person_id();
  if (auto s = CheckUuid("person_id", person_id); !s.ok()) return Fail(s);
  if (auto s = MayActFor(*caller, person_id); !s.ok()) return Fail(s);
  std::string name(absl::StripAsciiWhitespace(request->name()));
  if (name.empty() || name.size() > 100) {
    return Fail(InvalidField("name", "INVALID_NAME", "must have 1 to 100 characters"));
  }
  if (request->has_expire_time() &&
      absl::FromUnixSeconds(request->expire_time().seconds()) <= absl::Now()) {
    return Fail(InvalidField("expire_time", "INVALID_EXPIRE_TIME", "must be in the future"));
  }
  const std::string secret = NewApiTokenSecret();
  v1::ApiToken token;
  token.set_person_id(person_id);
  token.set_name(name);
  token.set_prefix(ApiTokenPrefix(secret));
  if (request->has_expire_time()) *token.mutable_expire_time() = request->expire_time();
  v1::CreateApiTokenRequest fingerprinted = *request;
  fingerprinted.clear_idempotency_key();
  WriteContext ctx{caller->person_id(), request->idempotency_key(),
                   RequestFingerprint(fingerprinted)};
  auto created = store_.CreateApiToken(token, SecretDigest(secret), ctx);
  if (!created.ok()) return Fail(created.status());
  // A retry that found the first token gets it without a secret: only its digest was kept.
  const bool fresh = created->prefix() == token.prefix();
  *response->mutable_token() = *std::move(created);
  if (fresh) response->set_secret(secret);
  return grpc::Status::OK;
}

grpc::Status CredentialServiceImpl::VerifyApiToken(grpc::ServerContext* context,
                                                   const v1::VerifyApiTokenRequest* request,
                                                   v1::VerifiedPerson* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = signer_.Verify(*context);
  if (!caller.ok()) return Fail(caller.status());
  if (caller->system() != kGateway) {
    return Fail(Denied("GATEWAY_ONLY", "only the gateway verifies API tokens"));
  }
  const absl::Status invalid =
      Unauthenticated("INVALID_API_TOKEN", "unknown, expired or revoked API token");
  if (!LooksLikeApiTokenSecret(request->secret())) return Fail(invalid);
  auto found = store_.FindApiToken(SecretDigest(request->secret()));
  if (!found.ok()) return Fail(found.status());
  if (!found->has_value()) return Fail(invalid);
  const auto& [token, account] = **found;
  const bool expired = token.has_expire_time() &&
                       absl::FromUnixSeconds(token.expire_time().seconds()) <= absl::Now();
  if (token.has_revoke_time() || expired || !account.active) return Fail(invalid);
  if (auto s = store_.TouchApiToken(token.id()); !s.ok()) {
    // The last-use time is informative; failing the call over it would be worse.
    log::Warning("api token last use not recorded", {{"error", s.ToString()}});
  }
  *response = account.person;
  return grpc::Status::OK;
}

grpc::Status CredentialServiceImpl::RevokeApiToken(grpc::ServerContext* context,
                                                   const v1::RevokeApiTokenRequest* request,
                                                   v1::ApiToken* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = signer_.Verify(*context);
  if (!caller.ok()) return Fail(caller.status());
  if (auto s = CheckUuid("id", request->id()); !s.ok()) return Fail(s);
  auto token = store_.GetApiToken(request->id());
  if (!token.ok()) return Fail(token.status());
  // Someone else's token is "not found", so ids of other people's tokens leak nothing.
  if (!MayActFor(*caller, token->person_id()).ok()) {
    return Fail(NotFound("API token", request->id()));
  }
  auto revoked = store_.RevokeApiToken(request->id(), Context(*caller));
  if (!revoked.ok()) return Fail(revoked.status());
  *response = *std::move(revoked);
  return grpc::Status::OK;
}

grpc::Status CredentialServiceImpl::ListApiTokens(grpc::ServerContext* context,
                                                  const v1::ListApiTokensRequest* request,
                                                  v1::ListApiTokensResponse* response) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = signer_.Verify(*context);
  if (!caller.ok()) return Fail(caller.status());
  const std::string person_id =
      request->person_id().empty() ? caller->person_id() : request->person_id();
  if (auto s = CheckUuid("person_id", person_id); !s.ok()) return Fail(s);
  if (auto s = MayActFor(*caller, person_id); !s.ok()) return Fail(s);
  auto tokens = store_.ListApiTokens(person_id, request->include_revoked());
  if (!tokens.ok()) return Fail(tokens.status());
  for (auto& t : *tokens) *response->add_tokens() = std::move(t);
  return grpc::Status::OK;
}

int RunSetPassword(CredentialsStore& store, const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err) {
  std::string email, password;
  for (const std::string& arg : args) {
    if (arg.rfind("--email=", 0) == 0) {
      email = arg.substr(8);
    } else if (arg.rfind("--password=", 0) == 0) {
      password = arg.substr(11);
    } else if (arg != "set-password") {
      err << "set-password: unexpected argument " << arg << "\n";
      return 2;
    }
  }
  if (email.empty() || password.empty()) {
    err << "usage: tiquete-directory set-password --email=EMAIL --password=PASSWORD\n";
    return 2;
  }
  auto account = RequireAccount(store.FindAccountByEmail(email), email);
  if (!account.ok()) {
    err << "set-password: " << account.status().message() << "\n";
    return 1;
  }
  auto result = SetPasswordOf(store, *account, password, "password", {});
  if (!result.ok()) {
    err << "set-password: " << ErrorReason(result.status()) << ": " << result.status().message()
        << "\n";
    return 1;
  }
  out << "password set for " << account->person.email() << "\n";
  return 0;
}

}  // namespace tiquete::directory
