// The gateway benchmark's baseline: the same calls bench/gateway.sh makes through the gateway
// with wrk, made directly over gRPC (callback API, `concurrency` calls always in flight, signed
// caller attached as the gateway does). Prints requests/s and p50/p99.
//
//   gateway_grpc_bench --addr=127.0.0.1:8483 --key=HEX --call=get-incident --id=INC-2026-000001
//                      --concurrency=8 --seconds=10 [--person=PERSON_ID]
//   --call=create-incident opens incidents with unique idempotency keys (like the POST run);
//   --call=get / --call=create read and insert directory groups (--addr of the directory).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/caller.h"
#include "tiquete/directory/v1/directory.grpc.pb.h"
#include "tiquete/incident/v1/incident.grpc.pb.h"

namespace {

using tiquete::directory::v1::DirectoryService;
using tiquete::incident::v1::IncidentService;
namespace incident_v1 = tiquete::incident::v1;

struct Options {
  std::string addr = "127.0.0.1:8481";
  std::string key;
  std::string call = "get";
  std::string id;
  std::string person = "00000000-0000-0000-0000-000000000001";
  int concurrency = 8;
  int seconds = 10;
};

class Run {
 public:
  Run(const Options& o, const tiquete::CallerSigner& signer)
      : o_(o),
        signer_(signer),
        channel_(grpc::CreateChannel(o.addr, grpc::InsecureChannelCredentials())),
        stub_(DirectoryService::NewStub(channel_)),
        incidents_(IncidentService::NewStub(channel_)) {
    caller_.set_person_id(o.person);
    caller_.add_roles("admin");
    caller_.add_roles("coordinator");
  }

  void Go() {
    end_ = absl::Now() + absl::Seconds(o_.seconds);
    start_ = absl::Now();
    for (int i = 0; i < o_.concurrency; ++i) Next(i);
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return active_ == 0; });
    elapsed_ = absl::Now() - start_;
  }

  void Report() {
    std::sort(latencies_ms_.begin(), latencies_ms_.end());
    auto pct = [&](double p) {
      if (latencies_ms_.empty()) return 0.0;
      return latencies_ms_[std::min(latencies_ms_.size() - 1,
                                    static_cast<size_t>(p * latencies_ms_.size()))];
    };
    const double rps = latencies_ms_.size() / absl::ToDoubleSeconds(elapsed_);
    std::printf("grpc %-6s c=%-3d requests=%zu errors=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
                o_.call.c_str(), o_.concurrency, latencies_ms_.size(), errors_.load(), rps,
                pct(0.50), pct(0.99));
  }

 private:
  struct Call {
    grpc::ClientContext context;
    tiquete::directory::v1::GetRequest get;
    tiquete::directory::v1::CreateGroupRequest create;
    tiquete::directory::v1::Group group;
    incident_v1::GetIncidentRequest get_incident;
    incident_v1::CreateIncidentRequest create_incident;
    incident_v1::Incident incident;
    absl::Time started;
  };

  void Next(int worker) {
    {
      std::lock_guard lock(mu_);
      if (absl::Now() >= end_) {
        if (started_[worker]) --active_;
        cv_.notify_all();
        return;
      }
      if (!started_[worker]) {
        started_[worker] = true;
        ++active_;
      }
    }
    auto* call = new Call();
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    call->context.AddMetadata("x-request-id", absl::StrCat("bench-", worker, "-", seq_++));
    signer_.Attach(&call->context, caller_);
    call->started = absl::Now();
    auto done = [this, call, worker](grpc::Status status) {
      const double ms = absl::ToDoubleMilliseconds(absl::Now() - call->started);
      {
        std::lock_guard lock(mu_);
        if (status.ok()) {
          latencies_ms_.push_back(ms);
        } else {
          ++errors_;
          if (errors_ < 3) std::cerr << "error: " << status.error_message() << "\n";
        }
      }
      delete call;
      Next(worker);
    };
    if (o_.call == "get-incident") {
      call->get_incident.set_number(o_.id);
      incidents_->async()->GetIncident(&call->context, &call->get_incident, &call->incident, done);
    } else if (o_.call == "create-incident") {
      auto& r = call->create_incident;
      r.set_idempotency_key(
          absl::StrCat("grpc-bench-", worker, "-", absl::ToUnixMicros(absl::Now()), "-", seq_++));
      r.set_title(absl::StrCat("Prueba de carga ", r.idempotency_key()));
      r.set_description("El equipo del aula de sistemas no enciende desde esta mañana.");
      r.set_channel(incident_v1::PHONE);
      r.set_impact(incident_v1::LOW);
      r.set_urgency(incident_v1::MEDIUM);
      incidents_->async()->CreateIncident(&call->context, &r, &call->incident, done);
    } else if (o_.call == "create") {
      auto* g = call->create.mutable_group();
      g->set_code(absl::StrCat("GB", worker, "-", absl::ToUnixMicros(absl::Now()), "-", seq_++));
      g->set_name(absl::StrCat("Grupo de carga ", g->code()));
      g->set_level("L2");
      g->set_kind("support");
      stub_->async()->CreateGroup(&call->context, &call->create, &call->group, done);
    } else {
      call->get.set_id(o_.id);
      stub_->async()->GetGroup(&call->context, &call->get, &call->group, done);
    }
  }

  Options o_;
  const tiquete::CallerSigner& signer_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<DirectoryService::Stub> stub_;
  std::unique_ptr<IncidentService::Stub> incidents_;
  tiquete::Caller caller_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<double> latencies_ms_;
  std::vector<bool> started_ = std::vector<bool>(1024, false);
  int active_ = 0;
  std::atomic<int> errors_{0};
  std::atomic<uint64_t> seq_{0};
  absl::Time start_, end_;
  absl::Duration elapsed_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* flag) -> std::string {
      const std::string prefix = absl::StrCat("--", flag, "=");
      return a.rfind(prefix, 0) == 0 ? a.substr(prefix.size()) : "";
    };
    if (auto v = value("addr"); !v.empty())
      o.addr = v;
    else if (auto v = value("key"); !v.empty())
      o.key = v;
    else if (auto v = value("call"); !v.empty())
      o.call = v;
    else if (auto v = value("id"); !v.empty())
      o.id = v;
    else if (auto v = value("person"); !v.empty())
      o.person = v;
    else if (auto v = value("concurrency"); !v.empty())
      (void)absl::SimpleAtoi(v, &o.concurrency);
    else if (auto v = value("seconds"); !v.empty())
      (void)absl::SimpleAtoi(v, &o.seconds);
    else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  auto signer = tiquete::CallerSigner::FromHex(o.key);
  const bool known = o.call == "get" || o.call == "create" || o.call == "get-incident" ||
                     o.call == "create-incident";
  const bool needs_id = o.call == "get" || o.call == "get-incident";
  if (!signer.ok() || !known || (needs_id && o.id.empty()) || o.concurrency < 1 ||
      o.concurrency > 1000) {
    std::cerr << "usage: gateway_grpc_bench --addr=H:P --key=HEX "
                 "--call=get-incident|create-incident|get|create --id=NUMBER_OR_GROUP "
                 "[--concurrency=N] [--seconds=S] [--person=ID]\n";
    return 2;
  }
  Run run(o, *signer);
  run.Go();
  run.Report();
  return 0;
}
