#include <catch2/catch.hpp>

#include "common/errors.h"

TEST_CASE("reason and field survive the trip to gRPC and back") {
  absl::Status s = tiquete::InvalidField("email", "INVALID_EMAIL", "is not a valid address");
  grpc::Status g = tiquete::ToGrpcStatus(s);
  CHECK(g.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(g.error_message() == "email: is not a valid address");
  absl::Status back = tiquete::FromGrpcStatus(g);
  CHECK(back.code() == absl::StatusCode::kInvalidArgument);
  CHECK(tiquete::ErrorReason(back) == "INVALID_EMAIL");
  CHECK(tiquete::ErrorField(back) == "email");
}

TEST_CASE("every canonical code maps to the same gRPC code") {
  for (int code = 1; code <= 16; ++code) {
    absl::Status s(static_cast<absl::StatusCode>(code), "x");
    CHECK(static_cast<int>(tiquete::ToGrpcStatus(s).error_code()) == code);
  }
  CHECK(tiquete::ToGrpcStatus(absl::OkStatus()).ok());
}

TEST_CASE("not found names the resource") {
  absl::Status s = tiquete::NotFound("incident", "INC-2026-000001");
  CHECK(s.code() == absl::StatusCode::kNotFound);
  CHECK(s.message() == "incident INC-2026-000001 not found");
}
