// Early-return helpers for absl::Status / absl::StatusOr, so error paths stay one line.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TIQUETE_STATUS_CONCAT_INNER(a, b) a##b
#define TIQUETE_STATUS_CONCAT(a, b) TIQUETE_STATUS_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when it is not OK.
#define TIQUETE_RETURN_IF_ERROR(expr)                           \
  do {                                                          \
    if (absl::Status _tiq_status = (expr); !_tiq_status.ok()) { \
      return _tiq_status;                                       \
    }                                                           \
  } while (0)

// `TIQUETE_ASSIGN_OR_RETURN(auto x, F());` declares x from an OK StatusOr, else returns.
#define TIQUETE_ASSIGN_OR_RETURN(lhs, expr) \
  TIQUETE_ASSIGN_OR_RETURN_IMPL(TIQUETE_STATUS_CONCAT(_tiq_statusor_, __LINE__), lhs, expr)
#define TIQUETE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(*tmp)
