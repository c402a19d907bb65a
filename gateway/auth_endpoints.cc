// The gateway's own sign-in endpoints (tiquete.gateway.v1.AuthService): login with throttling,
// logout and "who am I". Their requests were already parsed and checked by the pipeline.
#include <google/protobuf/util/time_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "gateway/gateway.h"
#include "gateway/gateway_internal.h"
#include "gateway/transcode.h"
#include "tiquete/gateway/v1/auth.pb.h"

namespace tiquete::gateway {
namespace {

v1::SessionInfo InfoFor(const Principal& p, const SessionLimits& limits) {
  v1::SessionInfo info;
  info.set_person_id(p.caller.person_id());
  info.set_email(p.email);
  info.set_display_name(p.caller.display_name());
  info.mutable_roles()->CopyFrom(p.caller.roles());
  info.mutable_group_ids()->CopyFrom(p.caller.group_ids());
  if (p.kind == Principal::Kind::kSession) {
    info.set_auth_method("session");
    info.set_csrf_token(p.session.csrf_token);
    *info.mutable_expire_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
        absl::ToUnixSeconds(p.session.created + limits.absolute));
  } else {
    info.set_auth_method("api_token");
  }
  return info;
}

}  // namespace

void Gateway::Login(std::shared_ptr<Exchange> ex) {
  const auto* request =
      google::protobuf::DynamicCastToGenerated<v1::LoginRequest>(ex->request_message.get());
  std::string email = absl::AsciiStrToLower(absl::StripAsciiWhitespace(request->email()));
  const std::string password = request->password();
  if (email.empty()) {
    return Fail(ex, HttpError(400, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_EMAIL",
                              "email is required", "email"));
  }
  if (password.empty()) {
    return Fail(ex, HttpError(400, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_FIELD_VALUE",
                              "password is required", "password"));
  }
  if (deps_.credentials == nullptr) {
    return Fail(ex, HttpError(503, grpc::StatusCode::UNAVAILABLE, "SERVICE_NOT_CONFIGURED",
                              "no directory service is configured to check passwords"));
  }
  login_throttle_.Check(
      email, ex->address, [this, ex, email, password](absl::StatusOr<LimitDecision> decision) {
        if (!decision.ok()) {
          // Fail closed: without the counters, password guessing would be unlimited.
          return Fail(ex, HttpError(503, grpc::StatusCode::UNAVAILABLE, "SESSION_STORE_UNAVAILABLE",
                                    std::string(decision.status().message())));
        }
        if (!decision->allowed) {
          ex->extra_headers.emplace_back(
              "Retry-After",
              std::to_string(std::max<int64_t>(
                  1, absl::ToInt64Seconds(absl::Ceil(decision->retry_after, absl::Seconds(1))))));
          return Fail(ex, HttpError(429, grpc::StatusCode::RESOURCE_EXHAUSTED,
                                    "TOO_MANY_LOGIN_ATTEMPTS", "too many failed sign-in attempts"));
        }
        deps_.credentials->VerifyPassword(
            email, password, ex->request_id,
            [this, ex, email](absl::StatusOr<VerifiedPerson> person) {
              if (!person.ok() && person.status().code() == absl::StatusCode::kUnauthenticated) {
                {
                  log::RequestScope scope(ex->request_id);
                  log::Info("sign-in failed", {{"address", ex->address}});
                }
                return login_throttle_.RecordFailure(email, ex->address, [this, ex](absl::Status) {
                  Fail(ex, HttpError(401, grpc::StatusCode::UNAUTHENTICATED, "INVALID_CREDENTIALS",
                                     "wrong email or password"));
                });
              }
              if (!person.ok()) return Fail(ex, ApiErrorFromStatus(person.status()));
              login_throttle_.RecordSuccess(email, [](absl::Status) {});
              Session session;
              session.caller = CallerFor(*person);
              session.email = person->email();
              session.csrf_token = NewOpaqueToken();
              session.created = deps_.clock->Now();
              // A fresh id on every sign-in (no session fixation); the old one is dropped.
              if (ex->principal && ex->principal->kind == Principal::Kind::kSession) {
                deps_.sessions->Delete(ex->principal->credential, [](absl::Status) {});
              }
              deps_.sessions->Create(session, [this, ex, session](absl::StatusOr<std::string> id) {
                if (!id.ok()) {
                  return Fail(
                      ex, HttpError(503, grpc::StatusCode::UNAVAILABLE, "SESSION_STORE_UNAVAILABLE",
                                    std::string(id.status().message())));
                }
                ex->stale_session.clear();
                ex->extra_headers.emplace_back("Set-Cookie",
                                               SessionCookie(*id, options_.sessions.absolute));
                Principal p;
                p.kind = Principal::Kind::kSession;
                p.caller = session.caller;
                p.email = session.email;
                p.session = session;
                auto json = MessageToJson(InfoFor(p, options_.sessions));
                if (!json.ok()) return Fail(ex, ApiErrorFromStatus(json.status()));
                ReplyJson(ex, 200, *std::move(json));
              });
            });
      });
}

void Gateway::Logout(std::shared_ptr<Exchange> ex) {
  if (ex->principal->kind != Principal::Kind::kSession) return ReplyJson(ex, 200, "{}");
  deps_.sessions->Delete(ex->principal->credential, [this, ex](absl::Status status) {
    if (!status.ok()) {
      return Fail(ex, HttpError(503, grpc::StatusCode::UNAVAILABLE, "SESSION_STORE_UNAVAILABLE",
                                std::string(status.message())));
    }
    ex->extra_headers.emplace_back("Set-Cookie", SessionCookie("", absl::ZeroDuration()));
    ReplyJson(ex, 200, "{}");
  });
}

void Gateway::GetMe(std::shared_ptr<Exchange> ex) {
  auto json = MessageToJson(InfoFor(*ex->principal, options_.sessions));
  if (!json.ok()) return Fail(ex, ApiErrorFromStatus(json.status()));
  ReplyJson(ex, 200, *std::move(json));
}

}  // namespace tiquete::gateway
