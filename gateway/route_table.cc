#include "gateway/route_table.h"

#include <algorithm>
#include <set>

#include <google/protobuf/descriptor_database.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tiquete::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

absl::Status RouteError(const MethodDescriptor* m, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("http option of ", m->full_name(), ": ", std::string(why)));
}

// "tiquete.directory.v1" → "directory".
std::string ServiceKey(const ServiceDescriptor* s) {
  std::vector<std::string> parts = absl::StrSplit(s->file()->package(), '.');
  return parts.size() >= 2 ? parts[1] : "";
}

absl::StatusOr<Route> BuildRoute(const MethodDescriptor* m, const api::v1::HttpRule& rule) {
  Route r;
  const std::pair<const char*, const std::string*> verbs[] = {{"GET", &rule.get()},
                                                              {"POST", &rule.post()},
                                                              {"PATCH", &rule.patch()},
                                                              {"DELETE", &rule.delete_()}};
  int set = 0;
  std::string text;
  for (const auto& [name, value] : verbs) {
    if (!value->empty()) {
      ++set;
      r.http_method = name;
      text = *value;
    }
  }
  if (set != 1) return RouteError(m, "exactly one of get/post/patch/delete must be set");
  if (m->client_streaming() || m->server_streaming()) {
    return RouteError(m, "streaming RPCs cannot be exposed over HTTP/JSON");
  }
  auto path = PathTemplate::Parse(text);
  if (!path.ok()) return RouteError(m, std::string(path.status().message()));
  r.path = *std::move(path);
  const Descriptor* input = m->input_type();
  for (const std::string& var : r.path.variables()) {
    const FieldDescriptor* f = FindFieldPath(input, var);
    if (f == nullptr) return RouteError(m, absl::StrCat("{", var, "} is not a request field"));
    if (f->is_repeated() || f->type() == FieldDescriptor::TYPE_MESSAGE ||
        f->type() == FieldDescriptor::TYPE_GROUP) {
      return RouteError(m, absl::StrCat("{", var, "} must be a singular scalar field"));
    }
  }
  r.body = rule.body();
  if (r.http_method == "GET" && !r.body.empty()) return RouteError(m, "GET cannot take a body");
  if (!r.body.empty() && r.body != "*") {
    const FieldDescriptor* f = input->FindFieldByName(r.body);
    if (f == nullptr || (f->type() != FieldDescriptor::TYPE_MESSAGE && !f->is_repeated())) {
      return RouteError(
          m, absl::StrCat("body \"", r.body, "\" must be a top-level message or repeated field"));
    }
  }
  r.method = m;
  r.service = ServiceKey(m->service());
  r.grpc_path = absl::StrCat("/", m->service()->full_name(), "/", m->name());
  r.operation_id = absl::StrCat(m->service()->name(), "_", m->name());
  if (m->options().HasExtension(api::v1::access)) {
    r.has_access = true;
    r.access = m->options().GetExtension(api::v1::access);
  }
  return r;
}

}  // namespace

const FieldDescriptor* FindFieldPath(const Descriptor* type, std::string_view path) {
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(absl::string_view(path.data(), path.size()), '.')) {
    if (type == nullptr) return nullptr;
    field = type->FindFieldByName(std::string(part));
    if (field == nullptr) return nullptr;
    type = field->type() == FieldDescriptor::TYPE_MESSAGE && !field->is_repeated()
               ? field->message_type()
               : nullptr;
  }
  return field;
}

std::vector<const ServiceDescriptor*> TiqueteServices() {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<std::string> files;
  google::protobuf::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::vector<const ServiceDescriptor*> out;
  for (const std::string& name : files) {
    if (!absl::StartsWith(name, "tiquete/")) continue;
    const auto* file = pool->FindFileByName(name);
    if (file == nullptr || !absl::StartsWith(file->package(), "tiquete.")) continue;
    for (int i = 0; i < file->service_count(); ++i) out.push_back(file->service(i));
  }
  std::sort(out.begin(), out.end(), [](const ServiceDescriptor* a, const ServiceDescriptor* b) {
    return a->full_name() < b->full_name();
  });
  return out;
}

std::vector<std::string> TiqueteServiceKeys() {
  std::set<std::string> keys;
  for (const ServiceDescriptor* s : TiqueteServices()) {
    const std::string key = ServiceKey(s);
    if (!key.empty() && key != kLocalService) keys.insert(key);
  }
  return {keys.begin(), keys.end()};
}

absl::StatusOr<RouteTable> RouteTable::FromGeneratedPool() {
  return FromServices(TiqueteServices());
}

absl::StatusOr<RouteTable> RouteTable::FromServices(
    const std::vector<const ServiceDescriptor*>& services) {
  RouteTable table;
  std::set<std::string> seen;
  for (const ServiceDescriptor* s : services) {
    for (int i = 0; i < s->method_count(); ++i) {
      const MethodDescriptor* m = s->method(i);
      if (!m->options().HasExtension(api::v1::http)) continue;  // internal RPC
      auto route = BuildRoute(m, m->options().GetExtension(api::v1::http));
      if (!route.ok()) return route.status();
      const std::string key = absl::StrCat(route->http_method, " ", route->path.text());
      if (!seen.insert(key).second) {
        return absl::InvalidArgumentError(
            absl::StrCat("two RPCs declare the route ", key, " (", m->full_name(), ")"));
      }
      table.routes_.push_back(*std::move(route));
    }
  }
  return table;
}

RouteMatch RouteTable::Match(std::string_view method, std::string_view path) const {
  RouteMatch best;
  for (const Route& r : routes_) {
    auto bindings = r.path.Match(path);
    if (!bindings) continue;
    if (r.http_method != method) {
      if (std::find(best.allowed_methods.begin(), best.allowed_methods.end(), r.http_method) ==
          best.allowed_methods.end()) {
        best.allowed_methods.push_back(r.http_method);
      }
      continue;
    }
    if (best.route == nullptr || r.path.MoreSpecificThan(best.route->path)) {
      best.route = &r;
      best.bindings = *std::move(bindings);
    }
  }
  if (best.route != nullptr) best.allowed_methods.clear();
  std::sort(best.allowed_methods.begin(), best.allowed_methods.end());
  return best;
}

std::vector<std::string> RouteTable::BackendServices() const {
  std::set<std::string> keys;
  for (const Route& r : routes_) {
    if (!r.local()) keys.insert(r.service);
  }
  return {keys.begin(), keys.end()};
}

}  // namespace tiquete::gateway
