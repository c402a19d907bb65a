// HTTP/JSON ↔ protobuf: request messages from the JSON body, path variables and query
// parameters (through reflection), and JSON responses. Errors are INVALID_ARGUMENT statuses
// carrying a reason (MALFORMED_JSON, UNKNOWN_FIELD, INVALID_FIELD_VALUE, ...) and the field.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "gateway/path_template.h"
#include "gateway/route_table.h"

namespace tiquete::gateway {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=x+y&b=%C3%A9" → {{"a","1"},{"b","x y"},{"b","é"}}; MALFORMED_QUERY on a bad escape.
absl::StatusOr<QueryParams> ParseQuery(std::string_view query);

// Sets the field at a dotted path (proto or JSON names) from its text form: scalars, enums by
// name or number, bytes as base64, well-known types in their JSON form; a repeated field gets
// the value appended.
absl::Status SetFieldFromText(google::protobuf::Message* message, std::string_view path,
                              std::string_view value);

// Fills `request` (an empty message of the route's input type): the JSON body per the route's
// body rule (ignore_unknown_fields=false), then query parameters (only for fields outside the
// body), then path variables.
absl::Status BuildRequest(const Route& route, const std::vector<PathBinding>& bindings,
                          std::string_view query, std::string_view body,
                          google::protobuf::Message* request);

// Parses a JSON object into `message` with the gateway's error reasons.
absl::Status JsonToMessage(std::string_view json, google::protobuf::Message* message);

// The response body: proto field names, primitive fields always printed.
absl::StatusOr<std::string> MessageToJson(const google::protobuf::Message& message);

}  // namespace tiquete::gateway
