#include "common/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "tiquete/api/v1/annotations.pb.h"

namespace tiquete {
namespace {

constexpr char kReasonUrl[] = "tiquete.dev/reason";
constexpr char kFieldUrl[] = "tiquete.dev/field";

std::string PayloadString(const absl::Status& status, const char* url) {
  auto payload = status.GetPayload(url);
  return payload ? std::string(*payload) : std::string();
}

}  // namespace

absl::Status Error(absl::StatusCode code, std::string_view reason, std::string_view message,
                   std::string_view field) {
  absl::Status status(code, absl::string_view(message.data(), message.size()));
  if (!reason.empty()) status.SetPayload(kReasonUrl, absl::Cord(std::string(reason)));
  if (!field.empty()) status.SetPayload(kFieldUrl, absl::Cord(std::string(field)));
  return status;
}

absl::Status InvalidField(std::string_view field, std::string_view reason,
                          std::string_view message) {
  return Error(absl::StatusCode::kInvalidArgument, reason,
               absl::StrCat(std::string(field), ": ", std::string(message)), field);
}

absl::Status NotFound(std::string_view what, std::string_view id) {
  return Error(absl::StatusCode::kNotFound, "NOT_FOUND",
               absl::StrCat(std::string(what), " ", std::string(id), " not found"));
}

std::string ErrorReason(const absl::Status& status) { return PayloadString(status, kReasonUrl); }
std::string ErrorField(const absl::Status& status) { return PayloadString(status, kFieldUrl); }

const char* GrpcCodeName(grpc::StatusCode code) {
  static const char* kNames[] = {"OK",
                                 "CANCELLED",
                                 "UNKNOWN",
                                 "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED",
                                 "NOT_FOUND",
                                 "ALREADY_EXISTS",
                                 "PERMISSION_DENIED",
                                 "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION",
                                 "ABORTED",
                                 "OUT_OF_RANGE",
                                 "UNIMPLEMENTED",
                                 "INTERNAL",
                                 "UNAVAILABLE",
                                 "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i <= 16 ? kNames[i] : "UNKNOWN";
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  api::v1::ErrorDetail detail;
  detail.set_reason(ErrorReason(status));
  detail.set_field(ErrorField(status));
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      detail.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  api::v1::ErrorDetail detail;
  detail.ParseFromString(status.error_details());
  return Error(static_cast<absl::StatusCode>(status.error_code()), detail.reason(),
               status.error_message(), detail.field());
}

}  // namespace tiquete
