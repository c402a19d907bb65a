// The OpenAPI 3.0 description of the HTTP API (/v1/openapi.json), generated from the same
// route table the gateway serves: paths, operation ids, parameters, request and response
// schemas derived from the message descriptors, and the roles allowed (x-roles).
#pragma once

#include <string>

#include "gateway/route_table.h"

namespace tiquete::gateway {

std::string OpenApiDocument(const RouteTable& table, const std::string& version);

}  // namespace tiquete::gateway
