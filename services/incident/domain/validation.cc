#include "services/incident/domain/validation.h"

#include <sodium.h>

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "services/incident/domain/codes.h"

namespace tiquete::incident {
namespace {

// Counts code points; false for malformed UTF-8.
bool Utf8Length(std::string_view s, size_t* chars) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    }
    i += len;
    ++n;
  }
  *chars = n;
  return true;
}

std::string FormatBytes(int64_t bytes) {
  if (bytes % (1024 * 1024) == 0) return absl::StrCat(bytes / (1024 * 1024), " MiB");
  if (bytes % 1024 == 0) return absl::StrCat(bytes / 1024, " KiB");
  return absl::StrCat(bytes, " bytes");
}

}  // namespace

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

absl::Status CheckId(std::string_view field_view, const std::string& id, bool required) {
  const std::string field(field_view);
  if (id.empty()) {
    return required ? InvalidField(field, "REQUIRED", absl::StrCat(field, " is required"))
                    : absl::OkStatus();
  }
  if (IsUuid(id)) return absl::OkStatus();
  return InvalidField(field, "INVALID_ID", absl::StrCat("\"", id, "\" is not a valid id"));
}

absl::Status NormalizeText(std::string_view field_view, std::string* value, size_t max_chars,
                           bool required) {
  const std::string field(field_view);
  *value = std::string(absl::StripAsciiWhitespace(*value));
  if (value->empty()) {
    return required ? InvalidField(field, "REQUIRED", absl::StrCat(field, " is required"))
                    : absl::OkStatus();
  }
  size_t chars = 0;
  if (!Utf8Length(*value, &chars)) {
    return InvalidField(field, "INVALID_TEXT", absl::StrCat(field, " is not valid UTF-8"));
  }
  for (char c : *value) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
      return InvalidField(field, "INVALID_TEXT",
                          absl::StrCat(field, " contains control characters"));
    }
  }
  if (chars > max_chars) {
    return InvalidField(
        field, "TOO_LONG",
        absl::StrCat(field, " has ", chars, " characters; at most ", max_chars, " are allowed"));
  }
  return absl::OkStatus();
}

absl::Status NormalizeAttachments(std::string_view field_view,
                                  google::protobuf::RepeatedPtrField<v1::Attachment>* attachments,
                                  int64_t max_bytes) {
  const std::string field(field_view);
  for (int i = 0; i < attachments->size(); ++i) {
    v1::Attachment* a = attachments->Mutable(i);
    const std::string name = absl::StrCat(field, "[", i, "]");
    a->clear_id();
    const int64_t size = static_cast<int64_t>(a->content().size());
    if (size > max_bytes) {
      return InvalidField(
          name, "ATTACHMENT_TOO_LARGE",
          absl::StrCat("attachment \"", a->filename(), "\" has ", size, " bytes; the limit is ",
                       max_bytes, " bytes (", FormatBytes(max_bytes), ")"));
    }
    std::string filename = a->filename();
    if (auto s = NormalizeText(absl::StrCat(name, ".filename"), &filename, 255, true); !s.ok()) {
      return s;
    }
    if (filename.find_first_of("/\\") != std::string::npos) {
      return InvalidField(absl::StrCat(name, ".filename"), "INVALID_FILENAME",
                          "a filename cannot contain a path");
    }
    a->set_filename(filename);
    if (a->content_type().empty()) a->set_content_type("application/octet-stream");
    const std::string digest = Sha256Hex(a->content());
    if (!a->sha256().empty() && absl::AsciiStrToLower(a->sha256()) != digest) {
      return InvalidField(absl::StrCat(name, ".sha256"), "SHA256_MISMATCH",
                          "the content does not match the given SHA-256");
    }
    a->set_sha256(digest);
    a->set_size_bytes(size);
  }
  return absl::OkStatus();
}

absl::Status NormalizeCreate(v1::CreateIncidentRequest* r, int64_t max_attachment_bytes) {
  if (auto s = NormalizeText("title", r->mutable_title(), kMaxTitleChars, true); !s.ok()) return s;
  if (auto s = NormalizeText("description", r->mutable_description(), kMaxTextChars, false);
      !s.ok()) {
    return s;
  }
  if (r->channel() == v1::CHANNEL_UNSPECIFIED || ChannelCode(r->channel()).empty()) {
    return InvalidField("channel", "REQUIRED", "channel is required");
  }
  if (r->type() == v1::TICKET_TYPE_UNSPECIFIED) r->set_type(v1::INCIDENT);
  if (TypeCode(r->type()).empty()) return InvalidField("type", "INVALID_VALUE", "unknown type");
  if (r->impact() == v1::LEVEL_UNSPECIFIED) r->set_impact(v1::MEDIUM);
  if (r->urgency() == v1::LEVEL_UNSPECIFIED) r->set_urgency(v1::MEDIUM);
  if (r->impact() < v1::HIGH || r->impact() > v1::LOW) {
    return InvalidField("impact", "INVALID_VALUE", "impact must be HIGH, MEDIUM or LOW");
  }
  if (r->urgency() < v1::HIGH || r->urgency() > v1::LOW) {
    return InvalidField("urgency", "INVALID_VALUE", "urgency must be HIGH, MEDIUM or LOW");
  }
  for (const auto& [field, id] :
       {std::pair<const char*, const std::string*>{"requester_id", &r->requester_id()},
        {"category_id", &r->category_id()},
        {"service_id", &r->service_id()},
        {"assignment_group_id", &r->assignment_group_id()},
        {"assignee_id", &r->assignee_id()}}) {
    if (auto s = CheckId(field, *id); !s.ok()) return s;
  }
  for (int i = 0; i < r->ci_ids_size(); ++i) {
    if (auto s = CheckId(absl::StrCat("ci_ids[", i, "]"), r->ci_ids(i), true); !s.ok()) return s;
  }
  if (!r->assignee_id().empty() && r->assignment_group_id().empty()) {
    return InvalidField("assignment_group_id", "REQUIRED",
                        "an assignee is given only together with the assignment group");
  }
  if (auto s =
          NormalizeText("security_reason", r->mutable_security_reason(), kMaxReasonChars, false);
      !s.ok()) {
    return s;
  }
  if (r->intake_message_id().size() > 200) {
    return InvalidField("intake_message_id", "TOO_LONG", "intake_message_id is too long");
  }
  return NormalizeAttachments("attachments", r->mutable_attachments(), max_attachment_bytes);
}

absl::Status CheckProblemId(const std::string& id) {
  if (id.empty()) return absl::OkStatus();
  bool ok = id.size() >= 15 && id.size() <= 20 && id.rfind("PRB-", 0) == 0 && id[8] == '-';
  for (size_t i = 4; ok && i < id.size(); ++i) {
    if (i != 8 && !absl::ascii_isdigit(static_cast<unsigned char>(id[i]))) ok = false;
  }
  if (ok) return absl::OkStatus();
  return InvalidField("problem_id", "INVALID_PROBLEM_ID",
                      absl::StrCat("\"", id, "\" is not a problem number (PRB-YYYY-NNNNNN)"));
}

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace tiquete::incident
