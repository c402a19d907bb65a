// gRPC server bootstrap shared by every service: health that tells the truth, reflection,
// per-RPC metrics and request-id logging, graceful SIGTERM handling.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace tiquete {

class Metrics;

// The caller's x-request-id metadata (set by the gateway), or a fresh id when absent. Handlers
// open a log::RequestScope with it so every log line of the call carries it.
std::string RequestIdOf(const grpc::ServerContext& context);

// Call first thing in main(), before any thread starts: ignores SIGPIPE, blocks SIGTERM/SIGINT
// so that only WaitForTerminationSignal() receives them, and turns off absl::Mutex's deadlock
// detection (see server.cc).
void PrepareProcess();
// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForTerminationSignal();

struct ServerOptions {
  std::string service_name;  // e.g. "tiquete.directory.v1.DirectoryService"
  std::string listen_address;
  absl::Duration shutdown_grace = absl::Seconds(10);
  absl::Duration health_interval = absl::Seconds(1);
};

// A named readiness probe (PostgreSQL, Redis...): health is SERVING only while all pass.
struct HealthProbe {
  std::string name;
  std::function<absl::Status()> check;
};

// Background work that starts after the server and stops before the pools close.
struct BackgroundWorker {
  std::function<void()> start;
  std::function<void()> stop;
};

class ServiceRunner {
 public:
  ServiceRunner(ServerOptions options, Metrics* metrics);
  ~ServiceRunner();

  void AddService(grpc::Service* service);
  void AddHealthProbe(HealthProbe probe);
  void AddWorker(BackgroundWorker worker);

  // Builds and starts the server, then runs the probes once before reporting SERVING.
  absl::Status Start();
  int port() const { return port_; }
  bool serving() const { return serving_.load(); }
  // Health → NOT_SERVING, stop workers, drain in-flight RPCs up to shutdown_grace.
  void Shutdown();
  // Start, wait for SIGTERM/SIGINT, Shutdown. Returns the process exit code.
  int Run();

 private:
  void ProbeLoop();
  void SetServing(bool serving);

  ServerOptions options_;
  Metrics* metrics_;
  std::vector<grpc::Service*> services_;
  std::vector<HealthProbe> probes_;
  std::vector<BackgroundWorker> workers_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::atomic<bool> serving_{false};
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread prober_;
};

}  // namespace tiquete
