// The gateway's route table, built at start-up from the (tiquete.api.v1.http) and
// (tiquete.api.v1.access) options of every RPC in the tiquete.* packages linked into the
// binary: exposing a new RPC needs no hand-written handler.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "absl/status/statusor.h"
#include "gateway/path_template.h"
#include "tiquete/api/v1/annotations.pb.h"

namespace tiquete::gateway {

// Routes of this package are served by the gateway itself (sign-in).
inline constexpr char kLocalService[] = "gateway";

struct Route {
  std::string http_method;  // GET, POST, PATCH or DELETE
  PathTemplate path;
  std::string body;  // "" (no body: query parameters), "*" or a top-level field name
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string service;       // backend key: "directory" for tiquete.directory.v1
  std::string grpc_path;     // "/tiquete.directory.v1.DirectoryService/GetPerson"
  std::string operation_id;  // "DirectoryService_GetPerson"
  api::v1::Access access;
  bool has_access = false;  // false: nobody may call it through the gateway

  bool local() const { return service == kLocalService; }
};

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<PathBinding> bindings;
  // Set when no route has this method but some match the path (answer 405 with Allow).
  std::vector<std::string> allowed_methods;
};

class RouteTable {
 public:
  // Every RPC with an http option in a service whose package starts with "tiquete.", taken
  // from the generated pool (every generated file linked into the binary).
  static absl::StatusOr<RouteTable> FromGeneratedPool();
  // The same for a given list of services (tests).
  static absl::StatusOr<RouteTable> FromServices(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  RouteMatch Match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }
  // The distinct backend keys, local routes excluded (e.g. {"directory", "incident"}).
  std::vector<std::string> BackendServices() const;

 private:
  std::vector<Route> routes_;
};

// Every service in a tiquete.* package of the generated pool, ordered by full name.
std::vector<const google::protobuf::ServiceDescriptor*> TiqueteServices();
// The backend keys of those services ("directory", "sla", ...), with or without HTTP routes,
// the gateway's own excluded: each may be given an address (TIQUETE_<KEY>_ADDR).
std::vector<std::string> TiqueteServiceKeys();

// The field named by a dotted path (proto names), or nullptr.
const google::protobuf::FieldDescriptor* FindFieldPath(const google::protobuf::Descriptor* type,
                                                       std::string_view path);

}  // namespace tiquete::gateway
