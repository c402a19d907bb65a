#include "gateway/openapi.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gateway/json_text.h"

namespace tiquete::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

std::string Ref(const Descriptor* d) {
  return absl::StrCat("#/components/schemas/", d->full_name());
}

class SchemaBuilder {
 public:
  // The schema of a field's value type (without the repeated wrapper).
  JsonValue ValueSchema(const FieldDescriptor* f) {
    JsonValue s = JsonValue::Object();
    switch (f->type()) {
      case FieldDescriptor::TYPE_STRING:
        s["type"] = "string";
        break;
      case FieldDescriptor::TYPE_BYTES:
        s["type"] = "string";
        s["format"] = "byte";
        break;
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
        s["type"] = "integer";
        s["format"] = "int32";
        break;
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        s["type"] = "integer";
        s["format"] = "int64";
        s["minimum"] = 0;
        break;
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        // proto3 JSON writes 64-bit integers as strings (and accepts numbers).
        s["type"] = "string";
        s["format"] = "int64";
        break;
      case FieldDescriptor::TYPE_DOUBLE:
        s["type"] = "number";
        s["format"] = "double";
        break;
      case FieldDescriptor::TYPE_FLOAT:
        s["type"] = "number";
        s["format"] = "float";
        break;
      case FieldDescriptor::TYPE_BOOL:
        s["type"] = "boolean";
        break;
      case FieldDescriptor::TYPE_ENUM: {
        s["type"] = "string";
        JsonValue& values = s["enum"];
        for (int i = 0; i < f->enum_type()->value_count(); ++i) {
          values.Push(f->enum_type()->value(i)->name());
        }
        break;
      }
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP:
        return MessageSchema(f->message_type());
    }
    return s;
  }

  JsonValue FieldSchema(const FieldDescriptor* f) {
    if (f->is_map()) {
      JsonValue s = JsonValue::Object();
      s["type"] = "object";
      s["additionalProperties"] = ValueSchema(f->message_type()->map_value());
      return s;
    }
    if (f->is_repeated()) {
      JsonValue s = JsonValue::Object();
      s["type"] = "array";
      s["items"] = ValueSchema(f);
      return s;
    }
    return ValueSchema(f);
  }

  // A $ref to the message (registered for components), or an inline schema for the
  // well-known types whose JSON form is not an object.
  JsonValue MessageSchema(const Descriptor* d) {
    const std::string& name = d->full_name();
    JsonValue s = JsonValue::Object();
    if (name == "google.protobuf.Timestamp") {
      s["type"] = "string";
      s["format"] = "date-time";
      return s;
    }
    if (name == "google.protobuf.Duration" || name == "google.protobuf.FieldMask") {
      s["type"] = "string";
      return s;
    }
    if (name == "google.protobuf.Struct") {
      s["type"] = "object";
      return s;
    }
    if (name == "google.protobuf.Value" || name == "google.protobuf.Any") return s;
    if (name == "google.protobuf.StringValue") {
      s["type"] = "string";
      return s;
    }
    if (name == "google.protobuf.BoolValue") {
      s["type"] = "boolean";
      return s;
    }
    if (name == "google.protobuf.Int32Value" || name == "google.protobuf.UInt32Value") {
      s["type"] = "integer";
      return s;
    }
    if (name == "google.protobuf.DoubleValue" || name == "google.protobuf.FloatValue") {
      s["type"] = "number";
      return s;
    }
    if (pending_.insert(name).second) queue_.push_back(d);
    s["$ref"] = Ref(d);
    return s;
  }

  // Writes every referenced message into components/schemas.
  void Flush(JsonValue* schemas) {
    while (!queue_.empty()) {
      const Descriptor* d = queue_.front();
      queue_.erase(queue_.begin());
      JsonValue s = JsonValue::Object();
      s["type"] = "object";
      JsonValue& props = s["properties"];
      props = JsonValue::Object();
      for (int i = 0; i < d->field_count(); ++i) {
        props[d->field(i)->name()] = FieldSchema(d->field(i));
      }
      // Unknown fields are refused (400 UNKNOWN_FIELD).
      s["additionalProperties"] = false;
      done_[d->full_name()] = std::move(s);
    }
    for (auto& [name, schema] : done_) (*schemas)[name] = schema;
  }

 private:
  std::set<std::string> pending_;
  std::vector<const Descriptor*> queue_;
  std::map<std::string, JsonValue> done_;
};

// Query parameters of a body-less route: every scalar (or repeated scalar) field, nested
// messages flattened with dots, path variables excluded.
void AddQueryParameters(SchemaBuilder& b, const Descriptor* d, const std::string& prefix,
                        const std::set<std::string>& bound, int depth, JsonValue* params) {
  if (depth > 3) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string name = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (bound.count(name) || f->is_map()) continue;
    const bool wkt = f->type() == FieldDescriptor::TYPE_MESSAGE &&
                     absl::StartsWith(f->message_type()->full_name(), "google.protobuf.");
    if (f->type() == FieldDescriptor::TYPE_MESSAGE && !wkt) {
      if (!f->is_repeated())
        AddQueryParameters(b, f->message_type(), name, bound, depth + 1, params);
      continue;
    }
    JsonValue p = JsonValue::Object();
    p["name"] = name;
    p["in"] = "query";
    p["required"] = false;
    p["schema"] = b.FieldSchema(f);
    if (f->is_repeated()) {
      p["style"] = "form";
      p["explode"] = true;
    }
    params->Push(std::move(p));
  }
}

JsonValue ErrorSchema() {
  JsonValue s = JsonValue::Object();
  s["type"] = "object";
  JsonValue& p = s["properties"];
  JsonValue str = JsonValue::Object();
  str["type"] = "string";
  p["code"] = str;
  p["message"] = str;
  JsonValue details = JsonValue::Object();
  details["type"] = "object";
  details["properties"]["field"] = str;
  details["properties"]["grpc_code"] = str;
  // The service's own (English) words when `message` is the reason's fixed translation.
  details["properties"]["detail"] = str;
  p["details"] = details;
  p["request_id"] = str;
  JsonValue& req = s["required"];
  for (const char* n : {"code", "message", "details", "request_id"}) req.Push(n);
  return s;
}

JsonValue JsonContent(JsonValue schema) {
  JsonValue c = JsonValue::Object();
  c["application/json"]["schema"] = std::move(schema);
  return c;
}

}  // namespace

std::string OpenApiDocument(const RouteTable& table, const std::string& version) {
  SchemaBuilder builder;
  JsonValue doc = JsonValue::Object();
  doc["openapi"] = "3.0.3";
  doc["info"]["title"] = "Tiquete API";
  doc["info"]["version"] = version;
  doc["info"]["description"] =
      "HTTP/JSON API of the Tiquete service desk, generated from the gRPC service "
      "definitions. Sign in with POST /v1/auth/login (cookie tiquete_session; send the "
      "returned csrf_token in X-CSRF-Token on writes) or send Authorization: Bearer <token>. "
      "x-roles lists the roles allowed to call each operation.";
  doc["servers"].Push(JsonValue::Object())["url"] = "/";
  JsonValue security = JsonValue::Array();
  security.Push(JsonValue::Object())["session"] = JsonValue::Array();
  security.Push(JsonValue::Object())["bearer"] = JsonValue::Array();
  doc["security"] = security;

  JsonValue& paths = doc["paths"];
  paths = JsonValue::Object();
  for (const Route& r : table.routes()) {
    JsonValue op = JsonValue::Object();
    op["operationId"] = r.operation_id;
    op["tags"].Push(r.method->service()->full_name());
    op["summary"] = absl::StrCat(r.method->service()->name(), ".", r.method->name());
    JsonValue params = JsonValue::Array();
    std::set<std::string> bound;
    for (const std::string& var : r.path.variables()) {
      bound.insert(var);
      JsonValue p = JsonValue::Object();
      p["name"] = var;
      p["in"] = "path";
      p["required"] = true;
      p["schema"] = builder.FieldSchema(FindFieldPath(r.method->input_type(), var));
      params.Push(std::move(p));
    }
    if (r.body.empty()) {
      AddQueryParameters(builder, r.method->input_type(), "", bound, 0, &params);
    }
    if (params.size() > 0) op["parameters"] = std::move(params);
    if (!r.body.empty()) {
      JsonValue schema = r.body == "*"
                             ? builder.MessageSchema(r.method->input_type())
                             : builder.FieldSchema(r.method->input_type()->FindFieldByName(r.body));
      op["requestBody"]["required"] = r.body == "*" ? false : true;
      op["requestBody"]["content"] = JsonContent(std::move(schema));
    }
    op["responses"]["200"]["description"] = "OK";
    op["responses"]["200"]["content"] = JsonContent(builder.MessageSchema(r.method->output_type()));
    JsonValue error_ref = JsonValue::Object();
    error_ref["$ref"] = "#/components/schemas/Error";
    op["responses"]["default"]["description"] =
        "Error (4xx/5xx) with a machine-readable code and a Spanish or English message "
        "(Accept-Language)";
    op["responses"]["default"]["content"] = JsonContent(std::move(error_ref));
    JsonValue roles = JsonValue::Array();
    for (const auto& role : r.access.roles()) roles.Push(role);
    op["x-roles"] = std::move(roles);
    op["x-any-authenticated"] = r.access.any_authenticated();
    op["x-grpc-method"] = r.grpc_path;
    if (r.local() && !r.has_access) op["security"] = JsonValue::Array();  // public (sign-in)
    paths[r.path.text()][absl::AsciiStrToLower(r.http_method)] = std::move(op);
  }

  JsonValue& components = doc["components"];
  components["securitySchemes"]["session"]["type"] = "apiKey";
  components["securitySchemes"]["session"]["in"] = "cookie";
  components["securitySchemes"]["session"]["name"] = "tiquete_session";
  components["securitySchemes"]["bearer"]["type"] = "http";
  components["securitySchemes"]["bearer"]["scheme"] = "bearer";
  JsonValue& schemas = components["schemas"];
  schemas = JsonValue::Object();
  schemas["Error"] = ErrorSchema();
  builder.Flush(&schemas);
  return doc.Dump();
}

}  // namespace tiquete::gateway
