#include "common/idempotency.h"

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/migrations.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace tiquete {

std::string RequestFingerprint(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&out);
  }
  return Sha256Hex(bytes);
}

absl::StatusOr<std::optional<std::string>> ClaimIdempotencyKey(pqxx::work& tx,
                                                               const std::string& scope,
                                                               const std::string& key,
                                                               const std::string& fingerprint) {
  if (key.empty()) return std::optional<std::string>();
  if (key.size() > 200) {
    return InvalidField("idempotency_key", "INVALID_IDEMPOTENCY_KEY",
                        "must be at most 200 characters");
  }
  // The unique key makes a concurrent call with the same key wait here until the first commits.
  auto inserted = tx.exec_params(
      "INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES ($1, $2, $3) "
      "ON CONFLICT DO NOTHING",
      scope, key, fingerprint);
  if (inserted.affected_rows() == 1) return std::optional<std::string>();
  auto rows = tx.exec_params(
      "SELECT fingerprint, resource_id FROM idempotency_keys WHERE scope = $1 AND key = $2", scope,
      key);
  if (rows[0][0].as<std::string>() != fingerprint) {
    return InvalidField("idempotency_key", "IDEMPOTENCY_KEY_REUSED",
                        "was already used for a different request");
  }
  if (rows[0][1].is_null()) {
    return Error(absl::StatusCode::kAborted, "IDEMPOTENCY_KEY_IN_USE",
                 "a request with this idempotency key is still being processed");
  }
  return std::optional<std::string>(rows[0][1].as<std::string>());
}

void RecordIdempotentResult(pqxx::work& tx, const std::string& scope, const std::string& key,
                            const std::string& resource_id) {
  if (key.empty()) return;
  tx.exec_params("UPDATE idempotency_keys SET resource_id = $3 WHERE scope = $1 AND key = $2",
                 scope, key, resource_id);
}

}  // namespace tiquete
