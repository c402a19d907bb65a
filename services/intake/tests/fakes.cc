#include "fakes.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_format.h"
#include "common/migrations.h"
#include "tiquete/api/v1/annotations.pb.h"

namespace tiquete::intake::testing {

absl::StatusOr<std::string> FakeIncidents::CreateIncident(const api::v1::Caller& caller,
                                                          const NewIncident& incident) {
  absl::Duration delay;
  {
    std::lock_guard lock(mu_);
    delay = create_delay_;
  }
  if (delay > absl::ZeroDuration()) absl::SleepFor(delay);
  std::lock_guard lock(mu_);
  ++create_calls_;
  if (down_) return absl::UnavailableError("incident service unreachable");
  std::string number;
  auto known = create_keys_.find(incident.idempotency_key);
  if (known != create_keys_.end()) {
    number = known->second;
  } else {
    number = absl::StrFormat("INC-2026-%06d", static_cast<int>(incidents_.size()) + 1);
    incidents_.push_back({number, incident, caller, domain::IncidentState::kNew});
    create_keys_[incident.idempotency_key] = number;
  }
  if (lose_create_responses_ > 0) {
    --lose_create_responses_;
    return absl::UnavailableError("connection reset before the response arrived");
  }
  return number;
}

absl::StatusOr<domain::IncidentSnapshot> FakeIncidents::GetIncidentState(
    const api::v1::Caller&, const std::string& number) {
  std::lock_guard lock(mu_);
  if (down_) return absl::UnavailableError("incident service unreachable");
  for (const auto& i : incidents_) {
    if (i.number == number) return domain::IncidentSnapshot{i.state, i.request.possible_security};
  }
  return absl::NotFoundError("no such incident");
}

absl::StatusOr<std::string> FakeIncidents::AddPublicComment(const api::v1::Caller&,
                                                            const PublicComment& comment) {
  std::lock_guard lock(mu_);
  if (down_) return absl::UnavailableError("incident service unreachable");
  if (fail_comments_ > 0) {
    --fail_comments_;
    return absl::UnavailableError("incident service overloaded");
  }
  auto known = comment_keys_.find(comment.idempotency_key);
  if (known != comment_keys_.end()) return known->second;
  for (const auto& i : incidents_) {
    if (i.number != comment.incident_number) continue;
    if (!domain::IsOpen(i.state)) {
      return absl::FailedPreconditionError("the incident no longer accepts comments");
    }
    const std::string id = absl::StrFormat("wl-%d", static_cast<int>(comments_.size()) + 1);
    comments_.push_back({id, comment});
    comment_keys_[comment.idempotency_key] = id;
    return id;
  }
  return absl::NotFoundError("no such incident");
}

void FakeIncidents::SetDown(bool down) {
  std::lock_guard lock(mu_);
  down_ = down;
}

void FakeIncidents::LoseCreateResponses(int n) {
  std::lock_guard lock(mu_);
  lose_create_responses_ = n;
}

void FakeIncidents::FailComments(int n) {
  std::lock_guard lock(mu_);
  fail_comments_ = n;
}

void FakeIncidents::SetCreateDelay(absl::Duration delay) {
  std::lock_guard lock(mu_);
  create_delay_ = delay;
}

void FakeIncidents::SetState(const std::string& number, domain::IncidentState state) {
  std::lock_guard lock(mu_);
  for (auto& i : incidents_) {
    if (i.number == number) i.state = state;
  }
}

int FakeIncidents::create_calls() const {
  std::lock_guard lock(mu_);
  return create_calls_;
}

std::vector<FakeIncidents::Incident> FakeIncidents::incidents() const {
  std::lock_guard lock(mu_);
  return incidents_;
}

std::vector<FakeIncidents::Comment> FakeIncidents::comments() const {
  std::lock_guard lock(mu_);
  return comments_;
}

absl::StatusOr<CategoryInfo> FakeDirectory::GetCategory(const api::v1::Caller&,
                                                        const std::string& category_id) {
  std::lock_guard lock(mu_);
  if (down_) return absl::UnavailableError("directory unreachable");
  auto it = categories_.find(category_id);
  if (it == categories_.end()) return absl::NotFoundError("no such category");
  return it->second;
}

void FakeDirectory::AddCategory(CategoryInfo category) {
  std::lock_guard lock(mu_);
  categories_[category.id] = std::move(category);
}

void FakeDirectory::SetDown(bool down) {
  std::lock_guard lock(mu_);
  down_ = down;
}

api::v1::Caller Requester(const std::string& person_id) {
  api::v1::Caller c;
  c.set_person_id(person_id);
  c.add_roles("requester");
  return c;
}

api::v1::Caller Agent() {
  api::v1::Caller c;
  c.set_person_id(kAgent);
  c.add_roles("agent_l1");
  return c;
}

api::v1::Caller Admin() {
  api::v1::Caller c;
  c.set_person_id(kAdmin);
  c.add_roles("admin");
  return c;
}

api::v1::Caller SecurityOfficer() {
  api::v1::Caller c;
  c.set_person_id(kOfficer);
  c.add_roles("security_officer");
  return c;
}

api::v1::Caller MailGateway() {
  api::v1::Caller c;
  c.set_system("mail-gateway");
  c.add_roles("integration");
  return c;
}

v1::SubmitTicketRequest Ticket(const std::string& key, const std::string& requester,
                               v1::Channel channel, const std::string& subject,
                               const std::string& body) {
  v1::SubmitTicketRequest r;
  r.set_idempotency_key(key);
  r.set_requester_id(requester);
  r.set_channel(channel);
  r.set_subject(subject);
  r.set_body(body);
  return r;
}

IntakeHarness::IntakeHarness(DeskOptions options) : signer(std::string(32, 'k'), &clock) {
  {
    auto conn = ConnectPg(db.UrlFor("intake"), "intake");
    REQUIRE(ApplyMigrations(*conn, "intake",
                            {{"common", &CommonMigrations()}, {"intake", &Migrations()}})
                .ok());
  }
  pool = db.PoolFor("intake");
  store = std::make_unique<IntakeStore>(*pool);
  desk = std::make_unique<IntakeDesk>(*store, incidents, directory, clock, options);
  service_ = std::make_unique<IntakeServiceImpl>(*desk, signer);
  runner_ = std::make_unique<ServiceRunner>(
      ServerOptions{"tiquete.intake.v1.IntakeService", "127.0.0.1:0", absl::Seconds(2),
                    absl::Milliseconds(100)},
      &metrics_);
  runner_->AddService(service_.get());
  REQUIRE(runner_->Start().ok());
  stub = v1::IntakeService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(runner_->port()), grpc::InsecureChannelCredentials()));
}

IntakeHarness::~IntakeHarness() { runner_->Shutdown(); }

std::unique_ptr<grpc::ClientContext> IntakeHarness::Context(const api::v1::Caller& caller) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  signer.Attach(ctx.get(), caller);
  return ctx;
}

grpc::Status IntakeHarness::Submit(const api::v1::Caller& caller,
                                   const v1::SubmitTicketRequest& request,
                                   v1::SubmitTicketResponse* response) {
  auto ctx = Context(caller);
  return stub->SubmitTicket(ctx.get(), request, response);
}

grpc::Status IntakeHarness::Split(const api::v1::Caller& caller, const std::string& message_id,
                                  const std::string& key, v1::SplitDuplicateResponse* response) {
  v1::SplitDuplicateRequest request;
  request.set_message_id(message_id);
  request.set_idempotency_key(key);
  auto ctx = Context(caller);
  return stub->SplitDuplicate(ctx.get(), request, response);
}

grpc::Status IntakeHarness::Get(const api::v1::Caller& caller, const std::string& message_id,
                                v1::Message* response) {
  v1::GetMessageRequest request;
  request.set_message_id(message_id);
  auto ctx = Context(caller);
  return stub->GetMessage(ctx.get(), request, response);
}

grpc::Status IntakeHarness::List(const api::v1::Caller& caller,
                                 const v1::ListMessagesRequest& request,
                                 v1::ListMessagesResponse* response) {
  auto ctx = Context(caller);
  return stub->ListMessages(ctx.get(), request, response);
}

std::vector<std::string> IntakeHarness::EventTypes() {
  std::vector<std::string> types;
  REQUIRE(pool->Read([&](pqxx::work& tx) {
                types.clear();
                for (const auto& r : tx.exec("SELECT type FROM outbox ORDER BY sequence")) {
                  types.push_back(r[0].as<std::string>());
                }
                return absl::OkStatus();
              })
              .ok());
  return types;
}

std::string ReasonOf(const grpc::Status& status) {
  api::v1::ErrorDetail detail;
  detail.ParseFromString(status.error_details());
  return detail.reason();
}

std::string FieldOf(const grpc::Status& status) {
  api::v1::ErrorDetail detail;
  detail.ParseFromString(status.error_details());
  return detail.field();
}

}  // namespace tiquete::intake::testing
