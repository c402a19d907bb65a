// Building absl::Status errors that carry a machine-readable reason and the offending field,
// and mapping them to grpc::Status in exactly one place.
#pragma once

#include <string>
#include <string_view>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace tiquete {

// The reason is an UPPER_SNAKE code clients can branch on (the gateway translates it to
// Spanish/English); the message is an English sentence for logs and developers.
absl::Status Error(absl::StatusCode code, std::string_view reason, std::string_view message,
                   std::string_view field = {});

absl::Status InvalidField(std::string_view field, std::string_view reason,
                          std::string_view message);
absl::Status NotFound(std::string_view what, std::string_view id);

// The reason and field stored by Error(), or "" when absent.
std::string ErrorReason(const absl::Status& status);
std::string ErrorField(const absl::Status& status);

// absl and gRPC share the canonical codes; reason and field travel in error_details as a
// serialized tiquete.api.v1.ErrorDetail.
grpc::Status ToGrpcStatus(const absl::Status& status);
// "NOT_FOUND", "INVALID_ARGUMENT", ...: the canonical name of a gRPC code (logs, metrics, the
// gateway's error bodies); "UNKNOWN" for a value outside the enum.
const char* GrpcCodeName(grpc::StatusCode code);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace tiquete
