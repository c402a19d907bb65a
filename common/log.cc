#include "common/log.h"

#include <cstdio>
#include <mutex>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tiquete::log {
namespace {

struct State {
  std::mutex mu;
  std::string service = "unknown";
  Severity min = Severity::kInfo;
};
State& GetState() {
  static State state;
  return state;
}
thread_local std::string current_request_id;

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kDebug:
      return "DEBUG";
    case Severity::kInfo:
      return "INFO";
    case Severity::kWarning:
      return "WARNING";
    case Severity::kError:
      return "ERROR";
  }
  return "INFO";
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

}  // namespace

bool ParseSeverity(std::string_view name, Severity* out) {
  if (name == "debug")
    *out = Severity::kDebug;
  else if (name == "info")
    *out = Severity::kInfo;
  else if (name == "warning")
    *out = Severity::kWarning;
  else if (name == "error")
    *out = Severity::kError;
  else
    return false;
  return true;
}

void Init(std::string service, Severity min_severity) {
  State& s = GetState();
  std::lock_guard lock(s.mu);
  s.service = std::move(service);
  s.min = min_severity;
}

std::string FormatLine(std::string_view ts, Severity severity, std::string_view service,
                       std::string_view request_id, std::string_view message, Fields fields) {
  std::string line;
  line.reserve(128 + message.size());
  line += "{\"ts\":";
  AppendJsonString(line, ts);
  line += ",\"severity\":";
  AppendJsonString(line, SeverityName(severity));
  line += ",\"service\":";
  AppendJsonString(line, service);
  if (!request_id.empty()) {
    line += ",\"request_id\":";
    AppendJsonString(line, request_id);
  }
  line += ",\"msg\":";
  AppendJsonString(line, message);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    AppendJsonString(line, key);
    line.push_back(':');
    AppendJsonString(line, value);
  }
  line += "}\n";
  return line;
}

void Write(Severity severity, std::string_view message, Fields fields) {
  State& s = GetState();
  std::string service;
  {
    std::lock_guard lock(s.mu);
    if (severity < s.min) return;
    service = s.service;
  }
  std::string ts = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::string line = FormatLine(ts, severity, service, current_request_id, message, fields);
  // One fwrite per line keeps lines whole when threads log concurrently.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

RequestScope::RequestScope(std::string request_id) : previous_(std::move(current_request_id)) {
  current_request_id = std::move(request_id);
}
RequestScope::~RequestScope() { current_request_id = std::move(previous_); }
const std::string& CurrentRequestId() { return current_request_id; }

}  // namespace tiquete::log
