// The built web UI (TIQUETE_WEB_ROOT): files with cache headers (content-hashed assets are
// immutable, index.html is revalidated every time) and the single-page-app fallback, where
// any GET outside /v1 that names no file gets index.html.
#pragma once

#include <string>
#include <string_view>

#include "gateway/http_types.h"

namespace tiquete::gateway {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}

  // nullopt-like: status 404 with an empty body when there is nothing to serve (the caller
  // writes the JSON error). `if_none_match` is the request's If-None-Match header.
  HttpResponse Serve(std::string_view path, bool head, std::string_view if_none_match) const;

  const std::string& root() const { return root_; }

 private:
  HttpResponse ServeFile(const std::string& relative, bool head,
                         std::string_view if_none_match) const;
  std::string root_;
};

// True for names like "index-3f2a9c1b.js" or "app.8d7e6f5a4b.css" (a content hash of at
// least 8 hex or base64url characters before the extension).
bool LooksContentHashed(std::string_view file_name);
std::string ContentTypeFor(std::string_view file_name);

}  // namespace tiquete::gateway
