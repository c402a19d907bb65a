// The gateway's one error model: every failure, from the HTTP parser to a backend's
// grpc::Status, becomes an HTTP status and the body
//   {"code": REASON or gRPC code name, "message": es/en text,
//    "details": {"field": ..., "grpc_code": ...}, "request_id": ...}.
#pragma once

#include <string>
#include <string_view>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "gateway/http_types.h"
#include "gateway/messages.h"

namespace tiquete::gateway {

struct ApiError {
  int http_status = 500;
  grpc::StatusCode grpc_code = grpc::StatusCode::INTERNAL;
  std::string reason;   // UPPER_SNAKE; empty when the service gave none
  std::string field;    // the request field at fault, when known
  std::string message;  // English, from the service or the gateway (logs, fallback text)
};

// INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404,
// ALREADY_EXISTS/ABORTED/FAILED_PRECONDITION 409, RESOURCE_EXHAUSTED 429, UNAVAILABLE 503,
// DEADLINE_EXCEEDED 504, OUT_OF_RANGE 400, others 500.
int HttpStatusFor(grpc::StatusCode code);

// A backend's status; reason and field come from the serialized ErrorDetail in
// error_details.
ApiError ApiErrorFromGrpc(const grpc::Status& status);
// A gateway-side absl::Status built with common/errors.h Error().
ApiError ApiErrorFromStatus(const absl::Status& status);
// An error that has its own HTTP status (405, 413, 414, 431, ...).
ApiError HttpError(int http_status, grpc::StatusCode code, std::string reason, std::string message,
                   std::string field = "");

// The JSON error body.
std::string ErrorBody(const ApiError& error, Language language, std::string_view request_id);
HttpResponse ErrorResponse(const ApiError& error, Language language, std::string_view request_id);

}  // namespace tiquete::gateway
