#include "common/config.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

extern char** environ;

namespace tiquete {
namespace {

constexpr char kPrefix[] = "TIQUETE_";
// Variables for the test harness, never read by a service.
constexpr char kTestPrefix[] = "TIQUETE_TEST_";

std::string FlagName(const std::string& setting) {
  std::string flag = absl::AsciiStrToLower(setting.substr(sizeof(kPrefix) - 1));
  return absl::StrReplaceAll(flag, {{"_", "-"}});
}

}  // namespace

std::string ValidateHostPort(const std::string& v) {
  auto colon = v.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 || !absl::SimpleAtoi(v.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return "must be host:port (e.g. 127.0.0.1:8481)";
  }
  return "";
}

std::string ValidatePositiveInt(const std::string& v) {
  int n = 0;
  if (!absl::SimpleAtoi(v, &n) || n <= 0) return "must be a positive integer";
  return "";
}

std::string ValidateNonNegativeInt(const std::string& v) {
  int n = 0;
  if (!absl::SimpleAtoi(v, &n) || n < 0) return "must be a whole number (0 or more)";
  return "";
}

std::string ValidateDurationMs(const std::string& v) {
  int n = 0;
  if (!absl::SimpleAtoi(v, &n) || n < 0) return "must be a whole number of milliseconds";
  return "";
}

std::string ValidateOneOf(const std::string& v, const std::vector<std::string>& allowed) {
  for (const auto& a : allowed) {
    if (v == a) return "";
  }
  return absl::StrCat("must be one of: ", absl::StrJoin(allowed, ", "));
}

absl::StatusOr<Config> Config::Load(const std::vector<Setting>& settings, int argc,
                                    const char* const* argv, const char* const* env) {
  std::map<std::string, const Setting*> by_name;
  std::map<std::string, const Setting*> by_flag;
  for (const auto& s : settings) {
    by_name[s.name] = &s;
    by_flag[FlagName(s.name)] = &s;
  }
  Config config;
  std::vector<std::string> problems;
  for (const char* const* e = env; e && *e; ++e) {
    std::string entry(*e);
    if (!absl::StartsWith(entry, kPrefix) || absl::StartsWith(entry, kTestPrefix)) continue;
    auto eq = entry.find('=');
    std::string name = entry.substr(0, eq);
    if (!by_name.count(name)) {
      problems.push_back(absl::StrCat("unknown setting ", name));
      continue;
    }
    config.values_[name] = eq == std::string::npos ? "" : entry.substr(eq + 1);
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg(argv[i]);
    if (!absl::StartsWith(arg, "--")) {
      config.args_.push_back(arg);
      continue;
    }
    auto eq = arg.find('=');
    std::string flag = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    auto it = by_flag.find(flag);
    if (it == by_flag.end() || eq == std::string::npos) {
      // Flags that are not settings belong to the subcommand (e.g. --kind=people).
      config.args_.push_back(arg);
      continue;
    }
    config.values_[it->second->name] = arg.substr(eq + 1);
  }
  for (const auto& s : settings) {
    auto it = config.values_.find(s.name);
    if (it == config.values_.end()) {
      if (!s.default_value) {
        problems.push_back(absl::StrCat("missing required setting ", s.name, " (", s.help, ")"));
        continue;
      }
      config.values_[s.name] = *s.default_value;
      it = config.values_.find(s.name);
    }
    if (s.validate) {
      std::string why = s.validate(it->second);
      if (!why.empty()) {
        problems.push_back(absl::StrCat("invalid ", s.name, "=\"", it->second, "\": ", why));
      }
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
  }
  return config;
}

Config Config::LoadOrExit(const std::vector<Setting>& settings, int argc, char** argv) {
  auto config = Load(settings, argc, argv, environ);
  if (!config.ok()) {
    std::cerr << "configuration error: " << config.status().message() << "\n";
    std::exit(2);
  }
  return *std::move(config);
}

const std::string& Config::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    // Reading an undeclared setting is a programming error, not a user error.
    std::cerr << "internal error: setting " << name << " was not declared\n";
    std::abort();
  }
  return it->second;
}

int Config::GetInt(const std::string& name) const {
  int n = 0;
  (void)absl::SimpleAtoi(Get(name), &n);
  return n;
}

absl::Duration Config::GetMillis(const std::string& name) const {
  return absl::Milliseconds(GetInt(name));
}

std::vector<Setting> ServiceSettings(const std::string& default_grpc_addr,
                                     const std::string& default_metrics_addr,
                                     const std::string& schema) {
  return {
      {"TIQUETE_GRPC_ADDR", default_grpc_addr, "gRPC listen address host:port", ValidateHostPort},
      {"TIQUETE_METRICS_ADDR", default_metrics_addr, "Prometheus /metrics address host:port",
       ValidateHostPort},
      {"TIQUETE_DB_URL", std::nullopt, "PostgreSQL URL of this service's role",
       [](const std::string& v) {
         return absl::StartsWith(v, "postgresql://") || absl::StartsWith(v, "postgres://")
                    ? ""
                    : "must be a postgresql:// URL";
       }},
      {"TIQUETE_DB_SCHEMA", schema, "schema this service owns",
       [](const std::string& v) { return v.empty() ? "must not be empty" : ""; }},
      {"TIQUETE_DB_POOL_SIZE", "8", "PostgreSQL connections", ValidatePositiveInt},
      {"TIQUETE_DB_POOL_TIMEOUT_MS", "2000", "wait for a free connection before UNAVAILABLE",
       ValidateDurationMs},
      {"TIQUETE_REDIS_ADDR", "127.0.0.1:6379", "Redis host:port for domain events",
       ValidateHostPort},
      {"TIQUETE_LOG_LEVEL", "info", "debug|info|warning|error",
       [](const std::string& v) {
         return ValidateOneOf(v, {"debug", "info", "warning", "error"});
       }},
      {"TIQUETE_SHUTDOWN_GRACE_MS", "10000", "drain time for in-flight RPCs on SIGTERM",
       ValidateDurationMs},
  };
}

}  // namespace tiquete
