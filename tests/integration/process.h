// Runs a service binary as a child process with an explicit environment, for tests that check
// what an operator sees: exit codes, messages, health, metrics and signal handling.
#pragma once

#include <sys/types.h>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/testing/http_get.h"

namespace tiquete::testing {

class ChildProcess {
 public:
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::vector<std::string>& env);
  ~ChildProcess();  // SIGKILL if still running

  // Waits for exit; returns the exit code, or -1 on timeout (the process keeps running).
  int WaitExit(absl::Duration timeout);
  void Signal(int sig);
  std::string Stderr() const;  // everything written so far

 private:
  pid_t pid_ = -1;
  std::string stderr_path_;
  int exit_code_ = -1;
};

// The gRPC health status of host:port ("SERVING", "NOT_SERVING", or the call's error).
std::string HealthOf(const std::string& address);

}  // namespace tiquete::testing
