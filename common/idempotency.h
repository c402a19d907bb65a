// Idempotency keys for creates: a retried create with the same key returns what the first one
// created and writes nothing new.
#pragma once

#include <optional>
#include <string>

#include <google/protobuf/message.h>
#include <pqxx/pqxx>

#include "absl/status/statusor.h"

namespace tiquete {

// SHA-256 of the deterministic serialization of a request (callers clear the key field first).
std::string RequestFingerprint(const google::protobuf::Message& request);

// Claims (scope, key) inside tx. Returns the resource id recorded by an earlier committed call
// with the same key, or nullopt when this call is the first (then call RecordIdempotentResult
// in the same transaction). A concurrent call with the same key waits for the first to commit.
// The same key with a different request is INVALID_ARGUMENT (reason IDEMPOTENCY_KEY_REUSED).
absl::StatusOr<std::optional<std::string>> ClaimIdempotencyKey(pqxx::work& tx,
                                                               const std::string& scope,
                                                               const std::string& key,
                                                               const std::string& fingerprint);
void RecordIdempotentResult(pqxx::work& tx, const std::string& scope, const std::string& key,
                            const std::string& resource_id);

}  // namespace tiquete
