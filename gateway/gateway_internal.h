// State of one request inside the gateway (shared by gateway.cc and auth_endpoints.cc).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/time/time.h"
#include "gateway/gateway.h"
#include "gateway/messages.h"

namespace tiquete::gateway {

struct Gateway::Exchange {
  HttpRequest request;
  Respond respond;
  std::string request_id;
  Language language = Language::kEs;
  std::string path;  // still percent-encoded
  std::string query;
  std::string address;      // the client's address (rate limits, sign-in throttling)
  std::string route_label;  // metrics label: the route template, never the raw path
  absl::Time start;
  const Route* route = nullptr;
  std::vector<PathBinding> bindings;
  std::optional<Principal> principal;
  std::string stale_session;  // a session cookie that named no live session
  std::unique_ptr<google::protobuf::Message> request_message;
  std::unique_ptr<google::protobuf::Message> response_message;
  std::vector<std::pair<std::string, std::string>> extra_headers;  // Set-Cookie, Retry-After
  std::atomic<bool> finished{false};
};

}  // namespace tiquete::gateway
