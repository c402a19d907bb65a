// Intake wired to the real incident service (its library, served over gRPC on port 0) through
// the real gRPC adapter: what the fakes stand for is what the incident service does.
#include <catch2/catch.hpp>

#include "common/migrations.h"
#include "common/server.h"
#include "fakes.h"
#include "services/incident/incident_management.h"
#include "services/incident/migrations.h"
#include "services/incident/service.h"
#include "services/incident/store.h"
#include "services/intake/clients.h"
#include "tiquete/incident/v1/incident.grpc.pb.h"

using namespace tiquete::intake;
using namespace tiquete::intake::testing;
namespace inc = tiquete::incident::v1;
namespace dir = tiquete::directory::v1;

namespace {

// The incident service's view of the directory: the requesters exist and are active.
class PeopleDirectory final : public tiquete::incident::DirectoryClient {
 public:
  absl::StatusOr<dir::Person> GetPerson(const std::string& id) override {
    if (id != kAna && id != kLuis && id != kAgent) return absl::NotFoundError("no such person");
    dir::Person p;
    p.set_id(id);
    p.set_active(true);
    p.add_roles(id == kAgent ? "agent_l1" : "requester");
    return p;
  }
  absl::StatusOr<dir::Group> GetGroup(const std::string&) override {
    return absl::NotFoundError("no groups");
  }
  absl::StatusOr<dir::Category> GetCategory(const std::string&) override {
    return absl::NotFoundError("no categories");
  }
  absl::StatusOr<dir::ItService> GetItService(const std::string&) override {
    return absl::NotFoundError("no services");
  }
  absl::StatusOr<dir::ConfigurationItem> GetConfigurationItem(const std::string&) override {
    return absl::NotFoundError("no CIs");
  }
};

struct Wiring {
  tiquete::testing::TestDatabase db{{"intake", "incident"}};
  tiquete::FakeClock clock;
  tiquete::CallerSigner signer{std::string(32, 'k'), &clock};
  tiquete::Metrics metrics{"wiring-test"};
  // The incident service.
  std::unique_ptr<tiquete::PgPool> incident_pool;
  PeopleDirectory people;
  std::unique_ptr<tiquete::incident::IncidentStore> incident_store;
  std::unique_ptr<tiquete::incident::IncidentManagement> management;
  std::unique_ptr<tiquete::incident::IncidentServiceImpl> incident_service;
  std::unique_ptr<tiquete::ServiceRunner> incident_server;
  std::unique_ptr<inc::IncidentService::Stub> incident_stub;
  // Intake, calling it through the real adapter.
  std::unique_ptr<tiquete::PgPool> intake_pool;
  FakeDirectory categories;
  std::unique_ptr<IncidentClient> incidents;
  std::unique_ptr<IntakeStore> store;
  std::unique_ptr<IntakeDesk> desk;

  Wiring() {
    for (const auto& [schema, set] :
         std::vector<std::pair<std::string, const std::vector<tiquete::Migration>*>>{
             {"incident", &tiquete::incident::Migrations()}, {"intake", &Migrations()}}) {
      auto conn = tiquete::ConnectPg(db.UrlFor(schema), schema);
      REQUIRE(tiquete::ApplyMigrations(*conn, schema,
                                       {{"common", &tiquete::CommonMigrations()}, {schema, set}})
                  .ok());
    }
    incident_pool = db.PoolFor("incident");
    incident_store = std::make_unique<tiquete::incident::IncidentStore>(*incident_pool, &clock);
    management = std::make_unique<tiquete::incident::IncidentManagement>(
        *incident_store, people, &clock, tiquete::incident::IncidentOptions{});
    incident_service =
        std::make_unique<tiquete::incident::IncidentServiceImpl>(*management, signer);
    incident_server = std::make_unique<tiquete::ServiceRunner>(
        tiquete::ServerOptions{"tiquete.incident.v1.IncidentService", "127.0.0.1:0"}, &metrics);
    incident_server->AddService(incident_service.get());
    REQUIRE(incident_server->Start().ok());
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(incident_server->port()),
                                       grpc::InsecureChannelCredentials());
    incident_stub = inc::IncidentService::NewStub(channel);

    intake_pool = db.PoolFor("intake");
    incidents = std::make_unique<IncidentClient>(channel, signer);
    store = std::make_unique<IntakeStore>(*intake_pool);
    desk = std::make_unique<IntakeDesk>(*store, *incidents, categories, clock, DeskOptions{});
  }
  ~Wiring() { incident_server->Shutdown(); }

  inc::Incident GetIncident(const std::string& number,
                            const tiquete::api::v1::Caller& as = Agent()) {
    grpc::ClientContext ctx;
    signer.Attach(&ctx, as);
    inc::GetIncidentRequest request;
    request.set_number(number);
    inc::Incident incident;
    grpc::Status status = incident_stub->GetIncident(&ctx, request, &incident);
    INFO(status.error_message());
    REQUIRE(status.ok());
    return incident;
  }
};

v1::SubmitTicketResponse MustSubmit(Wiring& w, const tiquete::api::v1::Caller& caller,
                                    const v1::SubmitTicketRequest& request) {
  auto response = w.desk->Submit(caller, request);
  INFO(response.status().ToString());
  REQUIRE(response.ok());
  return *response;
}

}  // namespace

TEST_CASE(
    "intake and the real incident service: one incident per problem, duplicates as "
    "public comments, splits as new incidents",
    "[wiring]") {
  Wiring w;
  // An agent registers the e-mail. (Through a system caller such as the mail gateway the
  // incident service currently answers NOT_FOUND: it creates the incident, then refuses to show
  // it to a caller without a person.)
  auto by_mail = MustSubmit(
      w, Agent(),
      Ticket("<m1@sed>", kAna, v1::EMAIL, "No funciona el SIMAT",
             "Desde ayer no puedo ingresar al SIMAT con mi usuario, sale un mensaje de error."));
  REQUIRE(by_mail.created());
  inc::Incident incident = w.GetIncident(by_mail.incident_number());
  CHECK(incident.title() == "No funciona el SIMAT");
  CHECK(incident.channel() == inc::EMAIL);
  CHECK(incident.requester_id() == kAna);
  CHECK(incident.intake_message_id() == by_mail.message_id());
  CHECK(incident.type() == inc::INCIDENT);
  CHECK(incident.state() == inc::NEW);

  // The same e-mail registered again changes nothing.
  auto again = MustSubmit(
      w, Agent(),
      Ticket("<m1@sed>", kAna, v1::EMAIL, "No funciona el SIMAT",
             "Desde ayer no puedo ingresar al SIMAT con mi usuario, sale un mensaje de error."));
  CHECK(again.incident_number() == by_mail.incident_number());

  auto by_portal = MustSubmit(
      w, Requester(kAna),
      Ticket("portal-1", kAna, v1::PORTAL, "SIMAT no funciona",
             "Desde ayer no puedo entrar al SIMAT con mi usuario, me sale un mensaje de error."));
  CHECK(by_portal.duplicate_of() == by_mail.incident_number());
  {
    grpc::ClientContext ctx;
    w.signer.Attach(&ctx, Agent());
    inc::ListWorkLogRequest request;
    request.set_number(by_mail.incident_number());
    inc::ListWorkLogResponse log;
    REQUIRE(w.incident_stub->ListWorkLog(&ctx, request, &log).ok());
    int comments = 0;
    for (const auto& entry : log.entries()) {
      if (entry.source_message_id() != by_portal.message_id()) continue;
      ++comments;
      CHECK(entry.visibility() == inc::PUBLIC);
      CHECK(entry.id() == by_portal.comment_id());
    }
    CHECK(comments == 1);
  }

  auto split = w.desk->Split(Agent(), [&] {
    v1::SplitDuplicateRequest r;
    r.set_message_id(by_portal.message_id());
    r.set_idempotency_key("split-1");
    return r;
  }());
  INFO(split.status().ToString());
  REQUIRE(split.ok());
  inc::Incident own = w.GetIncident(split->incident_number());
  CHECK(own.intake_message_id() == by_portal.message_id());
  CHECK(own.channel() == inc::PORTAL);
  CHECK(own.requester_id() == kAna);
}

TEST_CASE(
    "intake and the real incident service: a security keyword flags the incident and a "
    "request keeps its type",
    "[wiring]") {
  Wiring w;
  auto flagged = MustSubmit(w, Requester(kLuis),
                            Ticket("1", kLuis, v1::PORTAL, "Correo sospechoso",
                                   "Me llegó un phishing pidiendo la clave del banco."));
  // A possible security incident is shown to the security role only.
  inc::Incident incident = w.GetIncident(flagged.incident_number(), SecurityOfficer());
  CHECK(incident.possible_security());
  CHECK(incident.security_reason().find("phishing") != std::string::npos);

  auto request = MustSubmit(w, Requester(kLuis),
                            Ticket("2", kLuis, v1::PORTAL, "Solicito instalar Office",
                                   "Para el computador de la biblioteca."));
  CHECK(w.GetIncident(request.incident_number()).type() == inc::SERVICE_REQUEST);
}

TEST_CASE("intake's and incident's channel, level and type values have the same numbers",
          "[wiring]") {
  for (int i = 0; i <= 7; ++i) {
    REQUIRE(v1::Channel_IsValid(i));
    CHECK(v1::Channel_Name(static_cast<v1::Channel>(i)) ==
          inc::Channel_Name(static_cast<inc::Channel>(i)));
  }
  for (int i = 0; i <= 3; ++i) {
    CHECK(v1::Level_Name(static_cast<v1::Level>(i)) == inc::Level_Name(static_cast<inc::Level>(i)));
  }
  for (int i = 0; i <= 2; ++i) {
    CHECK(v1::TicketType_Name(static_cast<v1::TicketType>(i)) ==
          inc::TicketType_Name(static_cast<inc::TicketType>(i)));
  }
}
