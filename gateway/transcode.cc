#include "gateway/transcode.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/errors.h"
#include "gateway/json_text.h"

namespace tiquete::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status BadValue(std::string_view path, std::string_view why) {
  return Error(absl::StatusCode::kInvalidArgument, "INVALID_FIELD_VALUE",
               absl::StrCat(std::string(path), ": ", std::string(why)), path);
}

const FieldDescriptor* FindField(const Descriptor* type, std::string_view name) {
  const std::string n(name);
  if (const FieldDescriptor* f = type->FindFieldByName(n)) return f;
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == n) return type->field(i);
  }
  return nullptr;
}

template <typename T>
bool ParseInt(std::string_view text, T* out) {
  return absl::SimpleAtoi(absl::string_view(text.data(), text.size()), out);
}

// The first line of a protobuf JSON parser message (the rest echoes the input with a caret).
std::string FirstLine(std::string_view text) {
  return SanitizeUtf8(text.substr(0, text.find('\n')));
}

absl::Status SetScalar(Message* msg, const FieldDescriptor* f, std::string_view path,
                       std::string_view value) {
  const Reflection* r = msg->GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v(value);
      if (f->type() == FieldDescriptor::TYPE_BYTES) {
        std::string decoded;
        if (!absl::WebSafeBase64Unescape(v, &decoded) && !absl::Base64Unescape(v, &decoded)) {
          return BadValue(path, "is not base64");
        }
        v = std::move(decoded);
      } else if (SanitizeUtf8(v) != v) {
        return BadValue(path, "is not valid UTF-8");
      }
      rep ? r->AddString(msg, f, std::move(v)) : r->SetString(msg, f, std::move(v));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!ParseInt(value, &v)) return BadValue(path, "is not a 32-bit integer");
      rep ? r->AddInt32(msg, f, v) : r->SetInt32(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!ParseInt(value, &v)) return BadValue(path, "is not a 64-bit integer");
      rep ? r->AddInt64(msg, f, v) : r->SetInt64(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!ParseInt(value, &v)) return BadValue(path, "is not an unsigned 32-bit integer");
      rep ? r->AddUInt32(msg, f, v) : r->SetUInt32(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!ParseInt(value, &v)) return BadValue(path, "is not an unsigned 64-bit integer");
      rep ? r->AddUInt64(msg, f, v) : r->SetUInt64(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(absl::string_view(value.data(), value.size()), &v)) {
        return BadValue(path, "is not a number");
      }
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        rep ? r->AddFloat(msg, f, static_cast<float>(v))
            : r->SetFloat(msg, f, static_cast<float>(v));
      } else {
        rep ? r->AddDouble(msg, f, v) : r->SetDouble(msg, f, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (value == "true" || value == "1") {
        v = true;
      } else if (value == "false" || value == "0") {
        v = false;
      } else {
        return BadValue(path, "must be true or false");
      }
      rep ? r->AddBool(msg, f, v) : r->SetBool(msg, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      int number;
      if (const auto* ev = f->enum_type()->FindValueByName(std::string(value))) {
        number = ev->number();
      } else if (!ParseInt(value, &number) ||
                 (f->enum_type()->FindValueByNumber(number) == nullptr &&
                  f->enum_type()->file()->syntax() !=
                      google::protobuf::FileDescriptor::SYNTAX_PROTO3)) {
        return BadValue(path,
                        absl::StrCat("is not one of the values of ", f->enum_type()->full_name()));
      }
      rep ? r->AddEnumValue(msg, f, number) : r->SetEnumValue(msg, f, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      // Well-known types (Timestamp, Duration, FieldMask, wrappers) in their JSON form.
      Message* sub = rep ? r->AddMessage(msg, f) : r->MutableMessage(msg, f);
      google::protobuf::util::JsonParseOptions options;
      if (google::protobuf::util::JsonStringToMessage(JsonString(value), sub, options).ok() ||
          google::protobuf::util::JsonStringToMessage(std::string(value), sub, options).ok()) {
        return absl::OkStatus();
      }
      return BadValue(path, absl::StrCat("is not a valid ", f->message_type()->full_name()));
    }
  }
  return BadValue(path, "has an unsupported type");
}

}  // namespace

absl::StatusOr<QueryParams> ParseQuery(std::string_view query) {
  QueryParams out;
  if (query.empty()) return out;
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(query.data(), query.size()), '&', absl::SkipEmpty())) {
    const size_t eq = part.find('=');
    const std::string_view raw_name(part.data(), eq == absl::string_view::npos ? part.size() : eq);
    const std::string_view raw_value =
        eq == absl::string_view::npos
            ? std::string_view()
            : std::string_view(part.data() + eq + 1, part.size() - eq - 1);
    auto name = PercentDecode(raw_name, true);
    auto value = PercentDecode(raw_value, true);
    if (!name || !value || name->empty()) {
      return Error(absl::StatusCode::kInvalidArgument, "MALFORMED_QUERY",
                   "the query string has a malformed parameter or %-escape");
    }
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

absl::Status SetFieldFromText(Message* message, std::string_view path, std::string_view value) {
  Message* msg = message;
  std::vector<std::string> parts = absl::StrSplit(absl::string_view(path.data(), path.size()), '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = FindField(msg->GetDescriptor(), parts[i]);
    if (f == nullptr) {
      return Error(absl::StatusCode::kInvalidArgument, "UNKNOWN_FIELD",
                   absl::StrCat("no field ", std::string(path), " in ",
                                message->GetDescriptor()->full_name()),
                   path);
    }
    if (i + 1 == parts.size()) return SetScalar(msg, f, path, value);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) {
      return BadValue(path, absl::StrCat(parts[i], " has no sub-fields that can be set here"));
    }
    msg = msg->GetReflection()->MutableMessage(msg, f);
  }
  return BadValue(path, "is empty");
}

absl::Status JsonToMessage(std::string_view json, Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (status.ok()) return absl::OkStatus();
  const std::string text(status.message().data(), status.message().size());
  const std::string first = FirstLine(text);
  // Field errors look like "(a[0].b) name: Cannot find field." or "(a.b): invalid value ...".
  std::string prefix;
  std::string rest = first;
  if (!rest.empty() && rest[0] == '(') {
    const size_t close = rest.find(')');
    if (close != std::string::npos) {
      prefix = rest.substr(1, close - 1);
      rest = rest.substr(close + 1);
    }
  }
  if (absl::StrContains(rest, "Cannot find field")) {
    std::string name = rest.substr(0, rest.find(':'));
    absl::StripAsciiWhitespace(&name);
    const std::string field = prefix.empty() ? name : absl::StrCat(prefix, ".", name);
    return Error(absl::StatusCode::kInvalidArgument, "UNKNOWN_FIELD",
                 absl::StrCat("unknown field ", field), field);
  }
  if (!prefix.empty() && absl::StrContains(rest, "invalid value")) {
    return Error(absl::StatusCode::kInvalidArgument, "INVALID_FIELD_VALUE",
                 absl::StrCat(prefix, ":", rest), prefix);
  }
  return Error(absl::StatusCode::kInvalidArgument, "MALFORMED_JSON",
               absl::StrCat("the body is not a valid JSON object for this request: ", first));
}

absl::Status BuildRequest(const Route& route, const std::vector<PathBinding>& bindings,
                          std::string_view query, std::string_view body, Message* request) {
  if (route.body.empty()) {
    if (!body.empty()) {
      return Error(absl::StatusCode::kInvalidArgument, "BODY_NOT_ALLOWED",
                   absl::StrCat(route.http_method, " ", route.path.text(), " takes no body"));
    }
  } else if (route.body == "*") {
    if (auto s = JsonToMessage(body.empty() ? std::string_view("{}") : body, request); !s.ok()) {
      return s;
    }
  } else if (!body.empty()) {
    // Parsed as {"<field>": body}, so the body can set that field and nothing else.
    const FieldDescriptor* f = request->GetDescriptor()->FindFieldByName(route.body);
    if (auto s = JsonToMessage(
            absl::StrCat("{", JsonString(f->json_name()), ":", std::string(body), "}"), request);
        !s.ok()) {
      return s;
    }
  }

  auto params = ParseQuery(query);
  if (!params.ok()) return params.status();
  std::vector<std::string> seen;
  for (const auto& param : *params) {
    // Named copies: lambdas cannot capture structured bindings before C++20 in clang 14.
    const std::string& name = param.first;
    const std::string& value = param.second;
    const FieldDescriptor* f = FindFieldPath(request->GetDescriptor(), name);
    const std::string top = name.substr(0, name.find('.'));
    const bool bound = std::any_of(bindings.begin(), bindings.end(),
                                   [&](const PathBinding& b) { return b.field_path == name; });
    if (route.body == "*" || top == route.body || bound) {
      return Error(absl::StatusCode::kInvalidArgument, "UNKNOWN_QUERY_PARAMETER",
                   absl::StrCat("query parameter ", name, " is not accepted here"), name);
    }
    if (f != nullptr && !f->is_repeated()) {
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
        return Error(absl::StatusCode::kInvalidArgument, "REPEATED_QUERY_PARAMETER",
                     absl::StrCat("query parameter ", name, " may appear only once"), name);
      }
      seen.push_back(name);
    }
    if (auto s = SetFieldFromText(request, name, value); !s.ok()) {
      if (ErrorReason(s) == "UNKNOWN_FIELD") {
        return Error(absl::StatusCode::kInvalidArgument, "UNKNOWN_QUERY_PARAMETER",
                     absl::StrCat("unknown query parameter ", name), name);
      }
      return s;
    }
  }
  for (const PathBinding& b : bindings) {
    // Path variables always win over the body, so a URL cannot be contradicted by its body.
    const FieldDescriptor* f = FindFieldPath(request->GetDescriptor(), b.field_path);
    if (f != nullptr && !f->is_repeated()) {
      Message* owner = request;
      std::vector<std::string> parts = absl::StrSplit(b.field_path, '.');
      for (size_t i = 0; i + 1 < parts.size(); ++i) {
        owner = owner->GetReflection()->MutableMessage(
            owner, owner->GetDescriptor()->FindFieldByName(parts[i]));
      }
      owner->GetReflection()->ClearField(owner, f);
    }
    if (auto s = SetFieldFromText(request, b.field_path, b.value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> MessageToJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    return Error(absl::StatusCode::kInternal, "RESPONSE_NOT_JSON",
                 absl::StrCat("the response cannot be written as JSON: ",
                              FirstLine(std::string(status.message()))));
  }
  return out;
}

}  // namespace tiquete::gateway
