// Load driver of bench/intake_create.sh: opens cases through the real front door,
// IntakeService.SubmitTicket over gRPC (intake archives the message, classifies it, checks for
// duplicates and hands it over to the incident service's CreateIncident), with `concurrency`
// calls always in flight (callback API) for `seconds`. Each call is signed as the requester
// filing through the portal (the desk's commonest channel), for one of the given people, with
// one of the given categories, a unique idempotency key and text that shares no words with any
// other call (so the duplicate detector, which still runs, finds nothing to merge into).
//
//   intake_create_bench --addr=127.0.0.1:8482 --key=HEX --requesters=FILE
//                       [--categories=FILE] [--concurrency=8] [--seconds=10] [--warmup=2]
//                       [--call=submit|create-incident]
//
// --call=create-incident sends the same case straight to IncidentService.CreateIncident (--addr
// of the incident service): the incident side's share of the cost. FILE: one directory id per
// line. Prints one line:
//   intake c=8 requests=… created=… duplicates=… errors=… rps=… p50_ms=… p99_ms=…
//   (or "incident c=8 …" for --call=create-incident)
// Exit status 1 when any call failed or did not open an incident, 2 on bad arguments.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/caller.h"
#include "tiquete/incident/v1/incident.grpc.pb.h"
#include "tiquete/intake/v1/intake.grpc.pb.h"

namespace {

namespace intake_v1 = tiquete::intake::v1;
namespace incident_v1 = tiquete::incident::v1;

struct Options {
  std::string addr = "127.0.0.1:8482";
  std::string key;
  std::string requesters_file;
  std::string categories_file;
  int concurrency = 8;
  int seconds = 10;
  int warmup = 2;
  bool direct = false;  // --call=create-incident
};

std::vector<std::string> ReadIds(const std::string& path) {
  std::vector<std::string> ids;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::string id(absl::StripAsciiWhitespace(line));
    if (!id.empty()) ids.push_back(id);
  }
  return ids;
}

const char* const kProblems[] = {
    "La impresora no imprime",        "No puedo ingresar al SIMAT",
    "Sin conexión a internet",        "El proyector no enciende",
    "El computador está muy lento",   "Pantalla azul al iniciar Windows",
    "No llegan los correos",          "Error al cargar notas",
    "El escáner no digitaliza",       "La red wifi no aparece",
    "No funciona el sonido del aula", "El portátil no carga la batería",
    "Licencia de Office vencida",     "El servidor de archivos no responde",
    "El tablero digital no calibra",  "Solicitud de instalación de software"};

class Run {
 public:
  Run(const Options& o, const tiquete::CallerSigner& signer, std::vector<std::string> requesters,
      std::vector<std::string> categories)
      : o_(o),
        signer_(signer),
        requesters_(std::move(requesters)),
        categories_(std::move(categories)),
        channel_(grpc::CreateChannel(o.addr, grpc::InsecureChannelCredentials())),
        stub_(intake_v1::IntakeService::NewStub(channel_)),
        incidents_(incident_v1::IncidentService::NewStub(channel_)),
        run_tag_(absl::StrCat(absl::ToUnixMicros(absl::Now()))) {}

  // Warm-up calls are made and checked but not counted.
  void Go() {
    start_ = absl::Now();
    measure_from_ = start_ + absl::Seconds(o_.warmup);
    end_ = measure_from_ + absl::Seconds(o_.seconds);
    for (int i = 0; i < o_.concurrency; ++i) Next(i);
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return active_ == 0; });
    elapsed_ = last_done_ - measure_from_;
  }

  bool Report() {
    std::sort(latencies_ms_.begin(), latencies_ms_.end());
    auto pct = [&](double p) {
      if (latencies_ms_.empty()) return 0.0;
      return latencies_ms_[std::min(latencies_ms_.size() - 1,
                                    static_cast<size_t>(p * latencies_ms_.size()))];
    };
    const double rps = latencies_ms_.size() / absl::ToDoubleSeconds(elapsed_);
    std::printf(
        "%s c=%d requests=%zu created=%d duplicates=%d errors=%d rps=%.1f p50_ms=%.2f "
        "p99_ms=%.2f\n",
        o_.direct ? "incident" : "intake", o_.concurrency, latencies_ms_.size(), created_,
        duplicates_, errors_, rps, pct(0.50), pct(0.99));
    return errors_ == 0 && duplicates_ == 0 && !latencies_ms_.empty();
  }

 private:
  struct Call {
    grpc::ClientContext context;
    intake_v1::SubmitTicketRequest request;
    intake_v1::SubmitTicketResponse response;
    incident_v1::CreateIncidentRequest create;
    incident_v1::Incident incident;
    absl::Time started;
  };

  // Eight random lower-case words: text no other call shares (trigram similarity stays low).
  std::string RandomWords(std::mt19937_64& rng, int words) {
    std::string out;
    for (int w = 0; w < words; ++w) {
      if (w > 0) out += ' ';
      for (int c = 0; c < 7; ++c) out += static_cast<char>('a' + rng() % 26);
    }
    return out;
  }

  void Next(int worker) {
    auto* call = new Call();
    {
      std::lock_guard lock(mu_);
      if (absl::Now() >= end_) {
        if (started_[worker]) --active_;
        cv_.notify_all();
        delete call;
        return;
      }
      if (!started_[worker]) {
        started_[worker] = true;
        ++active_;
      }
      const uint64_t n = seq_++;
      auto& r = call->request;
      r.set_idempotency_key(absl::StrCat("intake-bench-", run_tag_, "-", n));
      r.set_channel(intake_v1::PORTAL);
      r.set_requester_id(requesters_[rng_() % requesters_.size()]);
      r.set_subject(
          absl::StrCat(kProblems[rng_() % std::size(kProblems)], " ", RandomWords(rng_, 2)));
      r.set_body(absl::StrCat("Buenos días, desde esta mañana ", RandomWords(rng_, 8),
                              ". Quedo atento, gracias."));
      if (!categories_.empty()) r.set_category_id(categories_[rng_() % categories_.size()]);
      r.set_impact(intake_v1::MEDIUM);
      r.set_urgency(rng_() % 2 == 0 ? intake_v1::MEDIUM : intake_v1::LOW);
    }
    tiquete::Caller caller;
    caller.set_person_id(call->request.requester_id());
    caller.add_roles("requester");
    call->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    call->context.AddMetadata("x-request-id", call->request.idempotency_key());
    signer_.Attach(&call->context, caller);
    call->started = absl::Now();
    auto done = [this, call, worker](grpc::Status s) {
      const absl::Time now = absl::Now();
      const double ms = absl::ToDoubleMilliseconds(now - call->started);
      {
        std::lock_guard lock(mu_);
        const bool counted = call->started >= measure_from_;
        const bool created =
            o_.direct ? !call->incident.number().empty()
                      : call->response.created() && !call->response.incident_number().empty();
        if (!s.ok()) {
          ++errors_;
          if (errors_ <= 3) std::cerr << "error: " << s.error_message() << "\n";
        } else if (!created) {
          ++duplicates_;
          if (duplicates_ <= 3) {
            std::cerr << "not created: duplicate_of=" << call->response.duplicate_of() << "\n";
          }
        } else if (counted) {
          ++created_;
          latencies_ms_.push_back(ms);
          last_done_ = std::max(last_done_, now);
        }
      }
      delete call;
      Next(worker);
    };
    if (o_.direct) {
      const auto& r = call->request;
      auto& c = call->create;
      c.set_idempotency_key(r.idempotency_key());
      c.set_title(r.subject());
      c.set_description(r.body());
      c.set_channel(incident_v1::PORTAL);
      c.set_category_id(r.category_id());
      c.set_impact(static_cast<incident_v1::Level>(r.impact()));
      c.set_urgency(static_cast<incident_v1::Level>(r.urgency()));
      incidents_->async()->CreateIncident(&call->context, &c, &call->incident, done);
    } else {
      stub_->async()->SubmitTicket(&call->context, &call->request, &call->response, done);
    }
  }

  Options o_;
  const tiquete::CallerSigner& signer_;
  std::vector<std::string> requesters_;
  std::vector<std::string> categories_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<intake_v1::IntakeService::Stub> stub_;
  std::unique_ptr<incident_v1::IncidentService::Stub> incidents_;
  std::string run_tag_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::vector<double> latencies_ms_;
  std::vector<bool> started_ = std::vector<bool>(1024, false);
  int active_ = 0;
  int created_ = 0;
  int duplicates_ = 0;
  int errors_ = 0;
  uint64_t seq_ = 0;
  absl::Time start_, measure_from_, end_, last_done_;
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
    bool ok = true;
    if (auto v = value("addr"); !v.empty()) {
      o.addr = v;
    } else if (auto v = value("key"); !v.empty()) {
      o.key = v;
    } else if (auto v = value("requesters"); !v.empty()) {
      o.requesters_file = v;
    } else if (auto v = value("categories"); !v.empty()) {
      o.categories_file = v;
    } else if (auto v = value("concurrency"); !v.empty()) {
      ok = absl::SimpleAtoi(v, &o.concurrency);
    } else if (auto v = value("seconds"); !v.empty()) {
      ok = absl::SimpleAtoi(v, &o.seconds);
    } else if (auto v = value("warmup"); !v.empty()) {
      ok = absl::SimpleAtoi(v, &o.warmup);
    } else if (auto v = value("call"); !v.empty()) {
      ok = v == "submit" || v == "create-incident";
      o.direct = v == "create-incident";
    } else {
      ok = false;
    }
    if (!ok) {
      std::cerr << "bad argument " << a << "\n";
      return 2;
    }
  }
  auto signer = tiquete::CallerSigner::FromHex(o.key);
  const std::vector<std::string> requesters = ReadIds(o.requesters_file);
  const std::vector<std::string> categories =
      o.categories_file.empty() ? std::vector<std::string>() : ReadIds(o.categories_file);
  if (!signer.ok() || requesters.empty() || (!o.categories_file.empty() && categories.empty()) ||
      o.concurrency < 1 || o.concurrency > 1000 || o.seconds < 1 || o.warmup < 0) {
    if (!signer.ok()) std::cerr << "--key: " << signer.status().message() << "\n";
    if (requesters.empty()) std::cerr << "--requesters: no ids in '" << o.requesters_file << "'\n";
    if (!o.categories_file.empty() && categories.empty()) {
      std::cerr << "--categories: no ids in '" << o.categories_file << "'\n";
    }
    std::cerr << "usage: intake_create_bench --addr=H:P --key=HEX --requesters=FILE "
                 "[--categories=FILE] [--concurrency=1..1000] [--seconds=S>=1] [--warmup=S>=0] "
                 "[--call=submit|create-incident]\n";
    return 2;
  }
  Run run(o, *signer, requesters, categories);
  run.Go();
  return run.Report() ? 0 : 1;
}
