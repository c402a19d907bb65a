// Submitting through intake's real gRPC server: idempotency, cross-channel duplicates, splits,
// classification and validation. The incident and directory services are fakes that record
// every call.
#include <algorithm>

#include <catch2/catch.hpp>

#include "fakes.h"
#include "services/intake/domain/keys.h"

using namespace tiquete::intake;
using namespace tiquete::intake::testing;

namespace {

const char kSimatSubject[] = "No funciona el SIMAT";
const char kSimatBody[] =
    "Desde ayer no puedo ingresar al SIMAT con mi usuario, sale un mensaje de error al "
    "iniciar sesión en la sede principal.";

// The same problem told again through another channel, in other words, as people do
// (trigram similarity with the first about 0.77 after folding).
const char kSimatAgainSubject[] = "RE: SIMAT no funciona";
const char kSimatAgainBody[] =
    "Desde ayer no puedo entrar al SIMAT con mi usuario, me sale error al iniciar sesión "
    "(sede principal).";

v1::SubmitTicketResponse MustSubmit(IntakeHarness& h, const tiquete::api::v1::Caller& caller,
                                    const v1::SubmitTicketRequest& request) {
  v1::SubmitTicketResponse response;
  grpc::Status status = h.Submit(caller, request, &response);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return response;
}

}  // namespace

TEST_CASE("the same idempotency key twice opens one incident and returns the same response",
          "[intake]") {
  IntakeHarness h;
  auto request = Ticket("portal-1", kAna, v1::PORTAL, kSimatSubject, kSimatBody);
  auto first = MustSubmit(h, Requester(kAna), request);
  auto second = MustSubmit(h, Requester(kAna), request);
  CHECK(first.created());
  CHECK(first.incident_number() == "INC-2026-000001");
  CHECK(second.SerializeAsString() == first.SerializeAsString());
  CHECK(h.incidents.incidents().size() == 1);
  CHECK(h.incidents.create_calls() == 1);
  const auto created = h.incidents.incidents()[0].request;
  CHECK(created.idempotency_key == domain::IncidentKeyFor(first.message_id()));
  CHECK(created.intake_message_id == first.message_id());
  CHECK(created.channel == v1::PORTAL);
  CHECK(created.title == kSimatSubject);
  CHECK(h.EventTypes() ==
        std::vector<std::string>{"intake.message.received", "intake.message.handed_off"});
}

TEST_CASE("the same key with a different request is refused", "[intake]") {
  IntakeHarness h;
  MustSubmit(h, Requester(kAna), Ticket("k", kAna, v1::PORTAL, "Impresora", "no imprime"));
  v1::SubmitTicketResponse response;
  auto status =
      h.Submit(Requester(kAna), Ticket("k", kAna, v1::PORTAL, "Otra cosa", "x"), &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ReasonOf(status) == "IDEMPOTENCY_KEY_REUSED");
  CHECK(h.incidents.incidents().size() == 1);
}

TEST_CASE(
    "the same problem by email then through the portal becomes one incident and a public "
    "comment",
    "[intake][dedup]") {
  IntakeHarness h;
  auto by_mail = MustSubmit(h, MailGateway(),
                            Ticket("mail-<abc@sed>", kAna, v1::EMAIL, kSimatSubject, kSimatBody));
  h.clock.Advance(absl::Hours(3));
  auto by_portal =
      MustSubmit(h, Requester(kAna),
                 Ticket("portal-1", kAna, v1::PORTAL, kSimatAgainSubject, kSimatAgainBody));

  CHECK(by_mail.created());
  CHECK_FALSE(by_portal.created());
  CHECK(by_portal.duplicate_of() == by_mail.incident_number());
  CHECK(by_portal.incident_number() == by_mail.incident_number());
  CHECK(h.incidents.incidents().size() == 1);
  const auto comments = h.incidents.comments();
  REQUIRE(comments.size() == 1);
  CHECK(comments[0].comment.incident_number == by_mail.incident_number());
  CHECK(comments[0].comment.source_message_id == by_portal.message_id());
  CHECK(comments[0].comment.idempotency_key == domain::CommentKeyFor(by_portal.message_id()));
  CHECK(comments[0].comment.body.find("sede principal") != std::string::npos);
  CHECK(by_portal.comment_id() == comments[0].id);

  v1::Message archived;
  REQUIRE(h.Get(Agent(), by_portal.message_id(), &archived).ok());
  CHECK(archived.status() == v1::DUPLICATE);
  CHECK(archived.duplicate_of() == by_mail.incident_number());
  REQUIRE(archived.links_size() == 1);
  CHECK(archived.links(0).kind() == v1::COMMENTED_ON_INCIDENT);
  const auto events = h.EventTypes();
  CHECK(std::count(events.begin(), events.end(), "intake.message.duplicate_detected") == 1);
}

TEST_CASE("a similar message below the configured threshold opens a new incident",
          "[intake][dedup]") {
  DeskOptions options;
  options.dedup.threshold = 0.9;
  IntakeHarness h(options);
  MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, kSimatSubject, kSimatBody));
  auto second = MustSubmit(h, Requester(kAna),
                           Ticket("2", kAna, v1::PORTAL, kSimatAgainSubject, kSimatAgainBody));
  CHECK(second.created());
  CHECK(h.incidents.incidents().size() == 2);
}

TEST_CASE("a different problem of the same requester is not a duplicate", "[intake][dedup]") {
  IntakeHarness h;
  MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, kSimatSubject, kSimatBody));
  auto other = MustSubmit(h, Requester(kAna),
                          Ticket("2", kAna, v1::PORTAL, "Impresora atascada",
                                 "La impresora de secretaría atasca todas las hojas."));
  CHECK(other.created());
  CHECK(h.incidents.incidents().size() == 2);
}

TEST_CASE("a similar message after the window opens a new incident", "[intake][dedup]") {
  DeskOptions options;
  options.dedup.window = absl::Hours(24);
  IntakeHarness h(options);
  auto first =
      MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, kSimatSubject, kSimatBody));
  h.clock.Advance(absl::Hours(25));
  auto second = MustSubmit(h, MailGateway(),
                           Ticket("m-2", kAna, v1::EMAIL, kSimatAgainSubject, kSimatAgainBody));
  CHECK(second.created());
  CHECK(second.incident_number() != first.incident_number());
  CHECK(h.incidents.comments().empty());
}

TEST_CASE("a similar message after the incident is resolved opens a new incident",
          "[intake][dedup]") {
  IntakeHarness h;
  auto first =
      MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, kSimatSubject, kSimatBody));
  h.incidents.SetState(first.incident_number(), domain::IncidentState::kResolved);
  auto second = MustSubmit(h, Requester(kAna),
                           Ticket("2", kAna, v1::CHAT, kSimatAgainSubject, kSimatAgainBody));
  CHECK(second.created());
  CHECK(h.incidents.incidents().size() == 2);
}

TEST_CASE("the same text from a different requester opens a new incident", "[intake][dedup]") {
  IntakeHarness h;
  MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, kSimatSubject, kSimatBody));
  auto luis =
      MustSubmit(h, Requester(kLuis), Ticket("1", kLuis, v1::PORTAL, kSimatSubject, kSimatBody));
  CHECK(luis.created());
  CHECK(h.incidents.incidents().size() == 2);
}

TEST_CASE("a possible security incident is not merged into an unflagged incident",
          "[intake][dedup]") {
  IntakeHarness h;
  MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, kSimatSubject, kSimatBody));
  auto flagged = MustSubmit(h, Requester(kAna),
                            Ticket("2", kAna, v1::PORTAL, kSimatSubject,
                                   std::string(kSimatBody) + " Creo que es un virus."));
  CHECK(flagged.created());
  CHECK(flagged.classification().possible_security());
}

TEST_CASE("an agent splits a duplicate into its own incident and the link change is recorded",
          "[intake][split]") {
  IntakeHarness h;
  auto original =
      MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, kSimatSubject, kSimatBody));
  auto phone = Ticket("call-1", kAna, v1::PHONE, kSimatAgainSubject, kSimatAgainBody);
  auto duplicate = MustSubmit(h, Agent(), phone);
  REQUIRE(duplicate.duplicate_of() == original.incident_number());

  v1::SplitDuplicateResponse denied;
  CHECK(h.Split(Requester(kAna), duplicate.message_id(), "s-1", &denied).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);

  v1::SplitDuplicateResponse split;
  REQUIRE(h.Split(Agent(), duplicate.message_id(), "s-1", &split).ok());
  CHECK(split.previous_incident_number() == original.incident_number());
  CHECK(split.incident_number() != original.incident_number());
  const auto incidents = h.incidents.incidents();
  REQUIRE(incidents.size() == 2);
  CHECK(incidents[1].number == split.incident_number());
  CHECK(incidents[1].request.idempotency_key ==
        domain::SplitIncidentKeyFor(duplicate.message_id()));
  CHECK(incidents[1].request.requester_id == kAna);
  CHECK(incidents[1].request.channel == v1::PHONE);

  v1::SplitDuplicateResponse again;
  REQUIRE(h.Split(Agent(), duplicate.message_id(), "s-1", &again).ok());
  CHECK(again.SerializeAsString() == split.SerializeAsString());
  CHECK(h.incidents.incidents().size() == 2);

  v1::SplitDuplicateResponse twice;
  auto status = h.Split(Agent(), duplicate.message_id(), "s-2", &twice);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(ReasonOf(status) == "NOT_A_DUPLICATE");

  v1::Message archived;
  REQUIRE(h.Get(Agent(), duplicate.message_id(), &archived).ok());
  CHECK(archived.status() == v1::HANDED_OFF);
  CHECK(archived.incident_number() == split.incident_number());
  CHECK(archived.split_from() == original.incident_number());
  REQUIRE(archived.links_size() == 2);
  CHECK(archived.links(0).kind() == v1::COMMENTED_ON_INCIDENT);
  CHECK(archived.links(1).kind() == v1::SPLIT_INTO_INCIDENT);
  CHECK(archived.links(1).actor_id() == kAgent);

  // Retrying the original submission still answers what it answered then.
  auto replay = MustSubmit(h, Agent(), phone);
  CHECK(replay.SerializeAsString() == duplicate.SerializeAsString());
  const auto events = h.EventTypes();
  CHECK(std::count(events.begin(), events.end(), "intake.message.split") == 1);
}

TEST_CASE("a message that opened its own incident cannot be split", "[intake][split]") {
  IntakeHarness h;
  auto only = MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, "A", "b"));
  v1::SplitDuplicateResponse response;
  auto status = h.Split(Agent(), only.message_id(), "s", &response);
  CHECK(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(FieldOf(status) == "message_id");
}

TEST_CASE("a security keyword is recorded on the message and passed to the incident",
          "[intake][classify]") {
  IntakeHarness h;
  auto response = MustSubmit(
      h, MailGateway(),
      Ticket("m-1", kAna, v1::EMAIL, "Correo sospechoso",
             "Recibí un mensaje de PHISHING que pide mi contraseña del correo institucional."));
  CHECK(response.classification().possible_security());
  CHECK(response.classification().type() == v1::INCIDENT);
  const auto& matched = response.classification().matched_rules();
  CHECK(std::find(matched.begin(), matched.end(), "security:phishing") != matched.end());
  CHECK(std::find(matched.begin(), matched.end(), "security:correo sospechoso") != matched.end());
  const auto created = h.incidents.incidents().at(0).request;
  CHECK(created.possible_security);
  CHECK(created.security_reason.find("phishing") != std::string::npos);
  v1::Message archived;
  REQUIRE(h.Get(SecurityOfficer(), response.message_id(), &archived).ok());
  CHECK(archived.classification().possible_security());
  CHECK(archived.classification().reason().find("possible security incident") == 0);
}

TEST_CASE("a possible security message is shown to the security role only", "[intake][classify]") {
  IntakeHarness h;
  auto flagged = MustSubmit(
      h, Requester(kAna),
      Ticket("1", kAna, v1::PORTAL, "Ransomware", "Los archivos del servidor aparecen cifrados."));
  MustSubmit(h, Requester(kAna), Ticket("2", kAna, v1::PORTAL, "Impresora", "No imprime."));
  v1::Message m;
  CHECK(h.Get(Agent(), flagged.message_id(), &m).error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(h.Get(SecurityOfficer(), flagged.message_id(), &m).ok());
  v1::ListMessagesResponse agent_view;
  REQUIRE(h.List(Agent(), {}, &agent_view).ok());
  CHECK(agent_view.messages_size() == 1);
  v1::ListMessagesResponse officer_view;
  REQUIRE(h.List(SecurityOfficer(), {}, &officer_view).ok());
  CHECK(officer_view.messages_size() == 2);
}

TEST_CASE("a category flagged as security marks the incident without any keyword",
          "[intake][classify]") {
  IntakeHarness h;
  const std::string category = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
  h.directory.AddCategory({category, "Seguridad > Reportes", true, true});
  auto request = Ticket("1", kAna, v1::PORTAL, "Mensaje extraño", "Llegó un mensaje raro.");
  request.set_category_id(category);
  auto response = MustSubmit(h, Requester(kAna), request);
  CHECK(response.classification().possible_security());
  const auto created = h.incidents.incidents().at(0).request;
  CHECK(created.possible_security);
  CHECK(created.category_id == category);
}

TEST_CASE("a request is handed over as a service request", "[intake][classify]") {
  IntakeHarness h;
  auto response = MustSubmit(
      h, Requester(kAna),
      Ticket("1", kAna, v1::PORTAL, "Solicito instalar Office", "En el equipo de rectoría."));
  CHECK(response.classification().type() == v1::SERVICE_REQUEST);
  CHECK(h.incidents.incidents().at(0).request.type == v1::SERVICE_REQUEST);
}

TEST_CASE("an unknown category is rejected and the same key returns the same error",
          "[intake][classify]") {
  IntakeHarness h;
  auto request = Ticket("1", kAna, v1::PORTAL, "Impresora", "No imprime.");
  request.set_category_id("9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c");
  v1::SubmitTicketResponse response;
  auto first = h.Submit(Requester(kAna), request, &response);
  CHECK(first.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(FieldOf(first) == "category_id");
  auto second = h.Submit(Requester(kAna), request, &response);
  CHECK(second.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(ReasonOf(second) == ReasonOf(first));
  CHECK(h.incidents.create_calls() == 0);
  v1::ListMessagesRequest list;
  list.set_status(v1::REJECTED);
  v1::ListMessagesResponse rejected;
  REQUIRE(h.List(Agent(), list, &rejected).ok());
  CHECK(rejected.messages_size() == 1);
}

TEST_CASE("invalid input is INVALID_ARGUMENT naming the field and archives nothing", "[intake]") {
  IntakeHarness h;
  v1::SubmitTicketResponse response;
  auto bad_channel = Ticket("1", kAna, static_cast<v1::Channel>(42), "A", "b");
  auto status = h.Submit(Requester(kAna), bad_channel, &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(FieldOf(status) == "channel");
  status = h.Submit(Requester(kAna), Ticket("2", kAna, v1::PORTAL, "", "b"), &response);
  CHECK(FieldOf(status) == "subject");
  // Staff must say for whom they register a case.
  status = h.Submit(Agent(), Ticket("3", "", v1::PHONE, "A", "b"), &response);
  CHECK(FieldOf(status) == "requester_id");
  status = h.Submit(Requester(kAna), Ticket("", kAna, v1::PORTAL, "A", "b"), &response);
  CHECK(FieldOf(status) == "idempotency_key");
  v1::ListMessagesResponse all;
  REQUIRE(h.List(Agent(), {}, &all).ok());
  CHECK(all.messages_size() == 0);
  CHECK(h.EventTypes().empty());
}

TEST_CASE("a requester who names no requester registers the case for themself", "[intake]") {
  IntakeHarness h;
  auto request = Ticket("portal-own", "", v1::PORTAL, kSimatSubject, kSimatBody);
  auto first = MustSubmit(h, Requester(kAna), request);
  CHECK(first.created());
  REQUIRE(h.incidents.incidents().size() == 1);
  CHECK(h.incidents.incidents()[0].request.requester_id == kAna);
  // A retry (still without requester_id) is the same submission.
  CHECK(MustSubmit(h, Requester(kAna), request).SerializeAsString() == first.SerializeAsString());
  CHECK(h.incidents.create_calls() == 1);
}

TEST_CASE("a requester cannot register a case for someone else", "[intake]") {
  IntakeHarness h;
  v1::SubmitTicketResponse response;
  auto status = h.Submit(Requester(kAna), Ticket("1", kLuis, v1::PORTAL, "A", "b"), &response);
  CHECK(status.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(ReasonOf(status) == "REQUESTER_MISMATCH");
  CHECK(h.incidents.create_calls() == 0);
}

TEST_CASE("a call without a signed caller is UNAUTHENTICATED", "[intake]") {
  IntakeHarness h;
  grpc::ClientContext ctx;
  v1::SubmitTicketResponse response;
  auto status = h.stub->SubmitTicket(&ctx, Ticket("1", kAna, v1::PORTAL, "A", "b"), &response);
  CHECK(status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
}
