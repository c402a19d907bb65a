// Process configuration from TIQUETE_* environment variables, with --flags overriding them.
// Every setting is declared; a missing required one, an invalid value or an unknown TIQUETE_*
// variable or flag is a start-up error (LoadOrExit exits with code 2 naming it).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tiquete {

struct Setting {
  std::string name;                          // e.g. "TIQUETE_DB_URL"; its flag is --db-url
  std::optional<std::string> default_value;  // nullopt: required
  std::string help;
  // Returns an error message for a bad value, or "" when valid.
  std::function<std::string(const std::string&)> validate;
};

// Validators for common shapes.
std::string ValidateHostPort(const std::string& v);
std::string ValidatePositiveInt(const std::string& v);
std::string ValidateNonNegativeInt(const std::string& v);
std::string ValidateDurationMs(const std::string& v);
std::string ValidateOneOf(const std::string& v, const std::vector<std::string>& allowed);

class Config {
 public:
  // argv may hold --name=value flags (name is the setting without TIQUETE_, lower-case, '-' for
  // '_'); positional arguments are kept in args(). env is a NULL-terminated environ array.
  static absl::StatusOr<Config> Load(const std::vector<Setting>& settings, int argc,
                                     const char* const* argv, const char* const* env);
  static Config LoadOrExit(const std::vector<Setting>& settings, int argc, char** argv);

  const std::string& Get(const std::string& name) const;
  int GetInt(const std::string& name) const;
  absl::Duration GetMillis(const std::string& name) const;
  const std::vector<std::string>& args() const { return args_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> args_;
};

// Settings every service has: gRPC and metrics addresses, database, Redis, logging, shutdown.
std::vector<Setting> ServiceSettings(const std::string& default_grpc_addr,
                                     const std::string& default_metrics_addr,
                                     const std::string& schema);

}  // namespace tiquete
