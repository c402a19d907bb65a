// JSON-lines logging: one object per line with ts, severity, service, request_id, msg, fields.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace tiquete::log {

enum class Severity { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Returns false for an unknown level name.
bool ParseSeverity(std::string_view name, Severity* out);

// Called once at start-up; before it, logs go to stderr with service "unknown".
void Init(std::string service, Severity min_severity);

using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

void Write(Severity severity, std::string_view message, Fields fields = {});
inline void Debug(std::string_view m, Fields f = {}) { Write(Severity::kDebug, m, f); }
inline void Info(std::string_view m, Fields f = {}) { Write(Severity::kInfo, m, f); }
inline void Warning(std::string_view m, Fields f = {}) { Write(Severity::kWarning, m, f); }
inline void Error(std::string_view m, Fields f = {}) { Write(Severity::kError, m, f); }

// The request id attached to every line written by this thread while the scope lives.
class RequestScope {
 public:
  explicit RequestScope(std::string request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string previous_;
};
const std::string& CurrentRequestId();

// Formats one log line (exposed for tests).
std::string FormatLine(std::string_view ts, Severity severity, std::string_view service,
                       std::string_view request_id, std::string_view message, Fields fields);

}  // namespace tiquete::log
