// Field rules for incoming requests: ids, text lengths, attachments (size limit and SHA-256),
// problem references. Each returns INVALID_ARGUMENT naming the field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <google/protobuf/repeated_ptr_field.h>

#include "absl/status/status.h"
#include "tiquete/incident/v1/incident.pb.h"

namespace tiquete::incident {

inline constexpr size_t kMaxTitleChars = 200;
inline constexpr size_t kMaxTextChars = 20000;  // descriptions, comments, notes
inline constexpr size_t kMaxReasonChars = 2000;
inline constexpr int64_t kDefaultMaxAttachmentBytes = 10 * 1024 * 1024;

bool IsUuid(std::string_view s);
// Directory ids are UUIDs; `required` makes an empty one an error too.
absl::Status CheckId(std::string_view field, const std::string& id, bool required = false);

// Trims surrounding whitespace; counts characters (UTF-8 code points), not bytes; rejects
// invalid UTF-8 and control characters other than newlines and tabs.
absl::Status NormalizeText(std::string_view field, std::string* value, size_t max_chars,
                           bool required);

// Per attachment: filename required (no path), content not over max_bytes (reason
// ATTACHMENT_TOO_LARGE with the limit in the message), sha256 computed or checked
// (SHA256_MISMATCH), size_bytes set. `field` is the repeated field's name.
absl::Status NormalizeAttachments(std::string_view field,
                                  google::protobuf::RepeatedPtrField<v1::Attachment>* attachments,
                                  int64_t max_bytes);

// Defaults (impact and urgency MEDIUM, type INCIDENT) and every field rule of a creation.
absl::Status NormalizeCreate(v1::CreateIncidentRequest* request, int64_t max_attachment_bytes);

// "" or a problem number (PRB-YYYY-NNNNNN).
absl::Status CheckProblemId(const std::string& problem_id);

std::string Sha256Hex(const std::string& data);

}  // namespace tiquete::incident
