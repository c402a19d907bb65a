#include "gateway/error_model.h"

#include "common/errors.h"
#include "gateway/json_text.h"
#include "gateway/messages.h"
#include "tiquete/api/v1/annotations.pb.h"

namespace tiquete::gateway {

int HttpStatusFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

ApiError ApiErrorFromGrpc(const grpc::Status& status) {
  ApiError e;
  e.grpc_code = status.error_code();
  e.http_status = HttpStatusFor(e.grpc_code);
  e.message = SanitizeUtf8(status.error_message());
  api::v1::ErrorDetail detail;
  if (!status.error_details().empty() && detail.ParseFromString(status.error_details())) {
    e.reason = detail.reason();
    e.field = detail.field();
  }
  // gRPC's own transport failures carry no reason; name them so clients can branch.
  if (e.reason.empty() && e.grpc_code == grpc::StatusCode::UNAVAILABLE) {
    e.reason = "BACKEND_UNAVAILABLE";
  }
  if (e.reason.empty() && e.grpc_code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    e.reason = "BACKEND_TIMEOUT";
  }
  return e;
}

ApiError ApiErrorFromStatus(const absl::Status& status) {
  ApiError e;
  e.grpc_code = static_cast<grpc::StatusCode>(status.code());
  e.http_status = HttpStatusFor(e.grpc_code);
  e.reason = ErrorReason(status);
  e.field = ErrorField(status);
  e.message = SanitizeUtf8(std::string(status.message()));
  return e;
}

ApiError HttpError(int http_status, grpc::StatusCode code, std::string reason, std::string message,
                   std::string field) {
  return {http_status, code, std::move(reason), std::move(field), std::move(message)};
}

std::string ErrorBody(const ApiError& error, Language language, std::string_view request_id) {
  const std::string code = error.reason.empty() ? GrpcCodeName(error.grpc_code) : error.reason;
  std::string out = "{\"code\":";
  AppendJsonString(&out, code);
  out.append(",\"message\":");
  AppendJsonString(&out, LocalizedMessage(error.reason, error.grpc_code, error.message, language));
  out.append(",\"details\":{\"field\":");
  AppendJsonString(&out, error.field);
  out.append(",\"grpc_code\":");
  AppendJsonString(&out, GrpcCodeName(error.grpc_code));
  // A translated message is the same for every occurrence of its reason; for domain and
  // validation reasons the service's own words say what exactly was wrong (which transitions
  // are allowed, which limit was hit), so they travel beside it, in English.
  if (!error.message.empty() && ShowsServiceDetail(error.reason)) {
    out.append(",\"detail\":");
    AppendJsonString(&out, error.message);
  }
  out.append("},\"request_id\":");
  AppendJsonString(&out, request_id);
  out.push_back('}');
  return out;
}

HttpResponse ErrorResponse(const ApiError& error, Language language, std::string_view request_id) {
  HttpResponse r;
  r.status = error.http_status;
  r.SetHeader("Content-Type", "application/json; charset=utf-8");
  r.SetHeader("Content-Language", language == Language::kEs ? "es-CO" : "en");
  r.body = ErrorBody(error, language, request_id);
  return r;
}

}  // namespace tiquete::gateway
