#include "common/server.h"

#include <pthread.h>
#include <csignal>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/support/server_interceptor.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/errors.h"
#include "common/log.h"
#include "common/metrics.h"

namespace tiquete {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Counts and times every RPC by method and code, and logs the ones that fail.
class RpcInterceptor final : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(grpc::experimental::ServerRpcInfo* info, Metrics* metrics)
      : method_(info->method()), metrics_(metrics), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      auto* md = methods->GetRecvInitialMetadata();
      auto it = md->find("x-request-id");
      if (it != md->end()) request_id_.assign(it->second.data(), it->second.size());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const char* code = GrpcCodeName(status.error_code());
      if (metrics_)
        metrics_->ObserveRpc(method_, code, absl::ToDoubleSeconds(absl::Now() - start_));
      if (!status.ok()) {
        log::RequestScope scope(request_id_);
        const bool server_fault = status.error_code() == grpc::StatusCode::INTERNAL ||
                                  status.error_code() == grpc::StatusCode::UNKNOWN ||
                                  status.error_code() == grpc::StatusCode::UNAVAILABLE;
        log::Write(server_fault ? log::Severity::kError : log::Severity::kInfo, "rpc failed",
                   {{"method", method_}, {"code", code}, {"error", status.error_message()}});
      }
    }
    methods->Proceed();
  }

 private:
  std::string method_;
  Metrics* metrics_;
  absl::Time start_;
  std::string request_id_;
};

class RpcInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcInterceptorFactory(Metrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RpcInterceptor(info, metrics_);
  }

 private:
  Metrics* metrics_;
};

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

std::string RequestIdOf(const grpc::ServerContext& context) {
  const auto& md = context.client_metadata();
  auto it = md.find("x-request-id");
  if (it != md.end()) return std::string(it->second.data(), it->second.size());
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat("srv-", absl::ToUnixMicros(absl::Now()), "-", counter.fetch_add(1));
}

void PrepareProcess() {
  // Debian builds Abseil without NDEBUG, so every absl::Mutex lock (gRPC takes dozens per
  // call) runs the debug-mode deadlock detector and its lock graph: 75-85 ns per uncontended
  // lock/unlock against 30-49 ns without it on this VM, and 2-3 % of the gateway's CPU under
  // load (perf: GraphCycles::GetId). The tests still run with it (they do not call this).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  std::signal(SIGPIPE, SIG_IGN);
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set = TerminationSignals();
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

ServiceRunner::ServiceRunner(ServerOptions options, Metrics* metrics)
    : options_(std::move(options)), metrics_(metrics) {}

ServiceRunner::~ServiceRunner() {
  if (server_) Shutdown();
}

void ServiceRunner::AddService(grpc::Service* service) { services_.push_back(service); }
void ServiceRunner::AddHealthProbe(HealthProbe probe) { probes_.push_back(std::move(probe)); }
void ServiceRunner::AddWorker(BackgroundWorker worker) { workers_.push_back(std::move(worker)); }

void ServiceRunner::SetServing(bool serving) {
  if (serving_.exchange(serving) == serving && server_) return;
  if (server_) server_->GetHealthCheckService()->SetServingStatus(serving);
  log::Info(serving ? "health: SERVING" : "health: NOT_SERVING");
}

void ServiceRunner::ProbeLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_.load()) {
    lock.unlock();
    bool healthy = true;
    for (const auto& probe : probes_) {
      absl::Status s = probe.check();
      if (!s.ok()) {
        if (serving_.load()) {
          log::Warning("health probe failed", {{"probe", probe.name}, {"error", s.ToString()}});
        }
        healthy = false;
        break;
      }
    }
    lock.lock();
    if (!stopping_.load()) SetServing(healthy);
    cv_.wait_for(lock, absl::ToChronoMilliseconds(options_.health_interval),
                 [this] { return stopping_.load(); });
  }
}

absl::Status ServiceRunner::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen_address, grpc::InsecureServerCredentials(), &port_);
  builder.SetMaxReceiveMessageSize(32 * 1024 * 1024);
  // gRPC enables SO_REUSEPORT by default, which would let a second process silently share the
  // port; a clash must be a start-up error instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  for (grpc::Service* s : services_) builder.RegisterService(s);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<RpcInterceptorFactory>(metrics_));
  builder.experimental().SetInterceptorCreators(std::move(factories));
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen for gRPC on ", options_.listen_address));
  }
  server_->GetHealthCheckService()->SetServingStatus(false);
  for (auto& w : workers_) w.start();
  prober_ = std::thread([this] { ProbeLoop(); });
  log::Info("gRPC server started",
            {{"address", options_.listen_address}, {"port", std::to_string(port_)}});
  return absl::OkStatus();
}

void ServiceRunner::Shutdown() {
  if (!server_) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (prober_.joinable()) prober_.join();
  SetServing(false);
  log::Info("draining", {{"grace", absl::FormatDuration(options_.shutdown_grace)}});
  server_->Shutdown(std::chrono::system_clock::now() +
                    absl::ToChronoMilliseconds(options_.shutdown_grace));
  server_->Wait();
  for (auto it = workers_.rbegin(); it != workers_.rend(); ++it) it->stop();
  server_.reset();
  log::Info("stopped");
}

int ServiceRunner::Run() {
  if (absl::Status s = Start(); !s.ok()) {
    log::Error("start-up failed", {{"error", s.ToString()}});
    return 1;
  }
  const int sig = WaitForTerminationSignal();
  log::Info("termination signal received", {{"signal", std::to_string(sig)}});
  Shutdown();
  return 0;
}

}  // namespace tiquete
