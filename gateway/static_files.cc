#include "gateway/static_files.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/path_template.h"

namespace tiquete::gateway {
namespace {

// A relative path with no "..", "." or empty segments and no NUL, or "" when unsafe.
std::string SafeRelative(std::string_view path) {
  auto decoded = PercentDecode(path, /*plus_is_space=*/false);
  if (!decoded || decoded->find('\0') != std::string::npos) return "";
  std::string out;
  for (absl::string_view seg : absl::StrSplit(*decoded, '/', absl::SkipEmpty())) {
    if (seg == "." || seg == ".." || absl::StartsWith(seg, ".")) return "";
    if (!out.empty()) out.push_back('/');
    out.append(seg.data(), seg.size());
  }
  return out;
}

bool HasExtension(std::string_view relative) {
  const size_t slash = relative.rfind('/');
  const std::string_view name =
      slash == std::string_view::npos ? relative : relative.substr(slash + 1);
  return name.find('.') != std::string_view::npos;
}

}  // namespace

bool LooksContentHashed(std::string_view name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view stem = name.substr(0, dot);
  const size_t sep = stem.find_last_of("-.");
  if (sep == std::string_view::npos) return false;
  const std::string_view hash = stem.substr(sep + 1);
  if (hash.size() < 8) return false;
  bool has_digit = false;
  for (char c : hash) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
    if (std::isdigit(static_cast<unsigned char>(c))) has_digit = true;
  }
  return has_digit;
}

std::string ContentTypeFor(std::string_view name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (absl::EndsWith(absl::string_view(name.data(), name.size()), ext)) return type;
  }
  return "application/octet-stream";
}

HttpResponse StaticFiles::ServeFile(const std::string& relative, bool head,
                                    std::string_view if_none_match) const {
  HttpResponse r;
  const std::string full = absl::StrCat(root_, "/", relative);
  struct stat st;
  if (stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    r.status = 404;
    return r;
  }
  const std::string etag =
      absl::StrCat("\"", st.st_size, "-", st.st_mtim.tv_sec, "-", st.st_mtim.tv_nsec, "\"");
  const std::string name = relative.substr(relative.rfind('/') + 1);
  r.SetHeader("Content-Type", ContentTypeFor(name));
  r.SetHeader("ETag", etag);
  if (name == "index.html") {
    r.SetHeader("Cache-Control", "no-cache");
  } else if (LooksContentHashed(name)) {
    r.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    r.SetHeader("Cache-Control", "public, max-age=300");
  }
  if (!if_none_match.empty() && if_none_match == etag) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  if (head) {
    r.SetHeader("Content-Length", std::to_string(st.st_size));
    return r;
  }
  std::ifstream in(full, std::ios::binary);
  std::ostringstream body;
  body << in.rdbuf();
  if (!in && !in.eof()) {
    r.status = 404;
    r.headers.clear();
    return r;
  }
  r.body = std::move(body).str();
  return r;
}

HttpResponse StaticFiles::Serve(std::string_view path, bool head,
                                std::string_view if_none_match) const {
  std::string relative = SafeRelative(path);
  if (relative.empty() && path != "/" && !path.empty()) {
    HttpResponse r;
    r.status = 404;
    return r;
  }
  if (relative.empty()) relative = "index.html";
  HttpResponse r = ServeFile(relative, head, if_none_match);
  if (r.status == 404 && !HasExtension(relative)) {
    // A client-side route such as /incidents/INC-2026-000123: the app decides.
    r = ServeFile("index.html", head, if_none_match);
  }
  return r;
}

}  // namespace tiquete::gateway
