// The gateway's settings (TIQUETE_* environment variables or --flags), validated at start-up.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/config.h"
#include "gateway/gateway.h"
#include "gateway/http_server.h"

namespace tiquete::gateway {

struct GatewaySettings {
  std::string http_addr;
  std::string metrics_addr;
  std::string redis_addr;
  std::string log_level;
  std::string caller_key_hex;
  int threads = 0;
  absl::Duration backend_deadline;
  absl::Duration shutdown_grace;
  absl::Duration token_cache_ttl;
  std::string web_root;
  ServerLimits limits;
  GatewayOptions options;
  std::map<std::string, std::string> backend_addresses;  // configured services only
};

// "directory" → "TIQUETE_DIRECTORY_ADDR".
std::string BackendAddressSetting(const std::string& service);

// Every setting, with one TIQUETE_<SVC>_ADDR per backend service in the route table (empty by
// default: that service's routes answer 503 until it is configured).
std::vector<Setting> GatewaySettingList(const std::vector<std::string>& backend_services);
GatewaySettings ReadGatewaySettings(const Config& config,
                                    const std::vector<std::string>& backend_services);

}  // namespace tiquete::gateway
