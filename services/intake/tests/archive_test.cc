// The message archive (GetMessage, ListMessages) and the classification rule table.
#include <catch2/catch.hpp>

#include "common/migrations.h"
#include "fakes.h"
#include "services/intake/domain/classification.h"

using namespace tiquete::intake;
using namespace tiquete::intake::testing;
using tiquete::api::v1::Caller;

namespace {

v1::SubmitTicketResponse MustSubmit(IntakeHarness& h, const Caller& caller,
                                    const v1::SubmitTicketRequest& request) {
  v1::SubmitTicketResponse response;
  grpc::Status status = h.Submit(caller, request, &response);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return response;
}

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

grpc::Status Upsert(IntakeHarness& h, const Caller& caller, const v1::ClassificationRule& rule,
                    v1::ClassificationRule* out) {
  v1::UpsertClassificationRuleRequest request;
  *request.mutable_rule() = rule;
  auto ctx = h.Context(caller);
  return h.stub->UpsertClassificationRule(ctx.get(), request, out);
}

v1::ClassificationRule Rule(v1::RuleKind kind, const std::string& phrase) {
  v1::ClassificationRule rule;
  rule.set_kind(kind);
  rule.set_phrase(phrase);
  return rule;
}

}  // namespace

TEST_CASE("every message is archived raw with what it produced", "[archive]") {
  IntakeHarness h;
  const std::string mime =
      "From: ana@sedtolima.gov.co\r\nSubject: =?UTF-8?Q?Impresora_da=C3=B1ada?=\r\n\r\n\xFF\x00"
      "binary";
  auto request = Ticket("<m1@sed>", kAna, v1::EMAIL, "Impresora dañada",
                        "La impresora de secretaría no enciende.");
  request.set_raw(std::string(mime.data(), mime.size() + 1));
  request.set_external_ref("<m1@sed>");
  auto* attachment = request.add_attachments();
  attachment->set_filename("foto.jpg");
  attachment->set_content(std::string("\x89JPG") + std::string(1, '\0') + "data");
  auto response = MustSubmit(h, MailGateway(), request);

  v1::Message m;
  REQUIRE(h.Get(Agent(), response.message_id(), &m).ok());
  CHECK(m.raw() == request.raw());
  CHECK(m.channel() == v1::EMAIL);
  CHECK(m.requester_id() == kAna);
  CHECK(m.submitted_by() == "mail-gateway");
  CHECK(m.external_ref() == "<m1@sed>");
  CHECK(m.normalized_text() == "impresora danada la impresora de secretaria no enciende");
  CHECK(m.received_at().seconds() == absl::ToUnixSeconds(h.clock.Now()));
  CHECK(m.incident_number() == response.incident_number());
  CHECK(m.classification().type() == v1::INCIDENT);
  REQUIRE(m.attachments_size() == 1);
  CHECK(m.attachments(0).content() == attachment->content());
  CHECK(m.attachments(0).size_bytes() == 9);  // the NUL byte included
  CHECK(m.attachments(0).sha256() == tiquete::Sha256Hex(attachment->content()));
  CHECK(m.attachments(0).content_type() == "application/octet-stream");
  REQUIRE(m.links_size() == 1);
  CHECK(m.links(0).kind() == v1::CREATED_INCIDENT);
  CHECK(m.links(0).incident_number() == response.incident_number());
  // The attachment reaches the incident too.
  REQUIRE(h.incidents.incidents().at(0).request.attachments.size() == 1);
}

TEST_CASE("an attachment whose digest does not match its content is refused", "[archive]") {
  IntakeHarness h;
  auto request = Ticket("1", kAna, v1::PORTAL, "A", "b");
  auto* a = request.add_attachments();
  a->set_filename("x.txt");
  a->set_content("hello");
  a->set_sha256(std::string(64, 'a'));
  v1::SubmitTicketResponse response;
  auto status = h.Submit(Requester(kAna), request, &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(FieldOf(status) == "attachments[0].sha256");
}

TEST_CASE("a portal submission without raw bytes is archived as the JSON it sent", "[archive]") {
  IntakeHarness h;
  auto response =
      MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, "Sin red", "No hay internet."));
  v1::Message m;
  REQUIRE(h.Get(Agent(), response.message_id(), &m).ok());
  CHECK(m.raw().find("\"subject\":\"Sin red\"") != std::string::npos);
  CHECK(m.raw().find("\"channel\":\"PORTAL\"") != std::string::npos);
}

TEST_CASE("messages are listed newest first, filtered, and paged with a cursor", "[archive]") {
  IntakeHarness h;
  const absl::Time start = h.clock.Now();
  std::vector<v1::SubmitTicketResponse> sent;
  const char* subjects[] = {"Impresora atascada", "Sin red en la sede", "Buzón lleno",
                            "Portátil no enciende", "Proyector sin imagen"};
  const char* bodies[] = {"Las hojas se quedan dentro.", "Ningún equipo navega desde ayer.",
                          "No recibo correos nuevos.", "La batería parece muerta.",
                          "El video beam del aula 3 muestra pantalla azul."};
  for (int i = 0; i < 5; ++i) {
    const bool ana = i % 2 == 0;
    sent.push_back(MustSubmit(h, ana ? Requester(kAna) : MailGateway(),
                              Ticket(std::to_string(i), ana ? kAna : kLuis,
                                     ana ? v1::PORTAL : v1::EMAIL, subjects[i], bodies[i])));
    REQUIRE(sent.back().created());
    h.clock.Advance(absl::Hours(1));
  }

  v1::ListMessagesRequest request;
  request.mutable_page()->set_page_size(2);
  std::vector<std::string> ids;
  for (int page = 0; page < 5; ++page) {
    v1::ListMessagesResponse response;
    REQUIRE(h.List(Agent(), request, &response).ok());
    for (const auto& m : response.messages()) {
      ids.push_back(m.id());
      CHECK(m.raw().empty());  // the listing stays light
    }
    if (response.next_page_token().empty()) break;
    request.mutable_page()->set_page_token(response.next_page_token());
  }
  REQUIRE(ids.size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(ids[i] == sent[4 - i].message_id());

  v1::ListMessagesRequest by_requester;
  by_requester.set_requester_id(kLuis);
  v1::ListMessagesResponse luis;
  REQUIRE(h.List(Agent(), by_requester, &luis).ok());
  CHECK(luis.messages_size() == 2);

  v1::ListMessagesRequest by_channel;
  by_channel.set_channel(v1::PORTAL);
  v1::ListMessagesResponse portal;
  REQUIRE(h.List(Agent(), by_channel, &portal).ok());
  CHECK(portal.messages_size() == 3);

  v1::ListMessagesRequest by_incident;
  by_incident.set_incident_number(sent[3].incident_number());
  v1::ListMessagesResponse one;
  REQUIRE(h.List(Agent(), by_incident, &one).ok());
  REQUIRE(one.messages_size() == 1);
  CHECK(one.messages(0).id() == sent[3].message_id());

  v1::ListMessagesRequest by_dates;
  *by_dates.mutable_received_after() = Ts(start + absl::Hours(1));
  *by_dates.mutable_received_before() = Ts(start + absl::Hours(3));
  v1::ListMessagesResponse window;
  REQUIRE(h.List(Agent(), by_dates, &window).ok());
  REQUIRE(window.messages_size() == 2);
  CHECK(window.messages(0).id() == sent[2].message_id());
  CHECK(window.messages(1).id() == sent[1].message_id());
}

TEST_CASE("a page token used with other filters is refused", "[archive]") {
  IntakeHarness h;
  for (int i = 0; i < 3; ++i) {
    MustSubmit(h, Requester(kAna),
               Ticket(std::to_string(i), kAna, v1::PORTAL, "Tema " + std::to_string(i),
                      "Detalle distinto número " + std::to_string(i * 37)));
  }
  v1::ListMessagesRequest request;
  request.mutable_page()->set_page_size(1);
  v1::ListMessagesResponse first;
  REQUIRE(h.List(Agent(), request, &first).ok());
  REQUIRE_FALSE(first.next_page_token().empty());
  request.mutable_page()->set_page_token(first.next_page_token());
  request.set_channel(v1::EMAIL);
  v1::ListMessagesResponse refused;
  auto status = h.List(Agent(), request, &refused);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(FieldOf(status) == "page.page_token");
}

TEST_CASE("only service-desk staff read the archive", "[archive]") {
  IntakeHarness h;
  auto response = MustSubmit(h, Requester(kAna), Ticket("1", kAna, v1::PORTAL, "A", "b"));
  v1::Message m;
  CHECK(h.Get(Requester(kAna), response.message_id(), &m).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  v1::ListMessagesResponse list;
  CHECK(h.List(Requester(kAna), {}, &list).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(h.Get(Agent(), "9f8e7d6c-5b4a-4f3e-8d2c-1b0a9f8e7d6c", &m).error_code() ==
        grpc::StatusCode::NOT_FOUND);
}

TEST_CASE("rules are managed by administrators and apply to the next submission",
          "[archive][rules]") {
  IntakeHarness h;
  v1::ClassificationRule created;
  CHECK(Upsert(h, Agent(), Rule(v1::SECURITY, "clonación de tarjeta"), &created).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  REQUIRE(Upsert(h, Admin(), Rule(v1::SECURITY, "clonación de tarjeta"), &created).ok());
  CHECK(created.active());
  CHECK(created.weight() == 1);
  CHECK(created.version() == 1);

  auto flagged = MustSubmit(
      h, Requester(kAna),
      Ticket("1", kAna, v1::PORTAL, "Posible CLONACION DE TARJETA", "en el pago de nómina"));
  CHECK(flagged.classification().possible_security());

  // Same kind and phrase (ignoring case and accents): the same rule, unchanged.
  v1::ClassificationRule same;
  REQUIRE(Upsert(h, Admin(), Rule(v1::SECURITY, "clonación de tarjeta"), &same).ok());
  CHECK(same.id() == created.id());
  CHECK(same.version() == 1);

  auto stale = Rule(v1::SECURITY, "clonacion de tarjetas");
  stale.set_id(created.id());
  stale.set_version(7);
  v1::ClassificationRule out;
  auto status = Upsert(h, Admin(), stale, &out);
  CHECK(status.error_code() == grpc::StatusCode::ABORTED);
  CHECK(ReasonOf(status) == "STALE_VERSION");

  v1::DeleteClassificationRuleRequest del;
  del.set_id(created.id());
  del.set_version(created.version());
  v1::ClassificationRule deleted;
  auto ctx = h.Context(Admin());
  REQUIRE(h.stub->DeleteClassificationRule(ctx.get(), del, &deleted).ok());
  auto not_flagged = MustSubmit(h, Requester(kAna),
                                Ticket("2", kAna, v1::PORTAL, "Clonación de tarjeta otra vez",
                                       "otro caso, en otra sede, con otro banco"));
  CHECK_FALSE(not_flagged.classification().possible_security());
}

TEST_CASE("a rule phrase needs a letter or digit and a known kind", "[archive][rules]") {
  IntakeHarness h;
  v1::ClassificationRule out;
  auto status = Upsert(h, Admin(), Rule(v1::SECURITY, " ¿? "), &out);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(FieldOf(status) == "rule.phrase");
  status = Upsert(h, Admin(), Rule(v1::RULE_KIND_UNSPECIFIED, "algo"), &out);
  CHECK(FieldOf(status) == "rule.kind");
}

TEST_CASE("an inactive rule is listed but never matches", "[archive][rules]") {
  IntakeHarness h;
  auto rule = Rule(v1::SECURITY, "keylogger");
  rule.set_active(false);
  v1::ClassificationRule out;
  REQUIRE(Upsert(h, Admin(), rule, &out).ok());
  CHECK_FALSE(out.active());
  v1::ListClassificationRulesRequest list;
  list.set_active(false);
  v1::ListClassificationRulesResponse inactive;
  auto ctx = h.Context(Admin());
  REQUIRE(h.stub->ListClassificationRules(ctx.get(), list, &inactive).ok());
  REQUIRE(inactive.rules_size() == 1);
  CHECK(inactive.rules(0).phrase() == "keylogger");
  auto response = MustSubmit(h, Requester(kAna),
                             Ticket("1", kAna, v1::PORTAL, "Keylogger", "encontré un keylogger"));
  CHECK_FALSE(response.classification().possible_security());
}

TEST_CASE("the seeded rules cover Spanish and English and are folded as the code folds",
          "[archive][rules]") {
  IntakeHarness h;
  int rules = 0;
  REQUIRE(h.pool
              ->Read([&](pqxx::work& tx) {
                for (const auto& r :
                     tx.exec("SELECT phrase, folded_phrase FROM classification_rules")) {
                  ++rules;
                  INFO(r[0].as<std::string>());
                  CHECK(domain::FoldPhrase(r[0].as<std::string>()) ==
                        std::optional<std::string>(r[1].as<std::string>()));
                }
                return absl::OkStatus();
              })
              .ok());
  CHECK(rules > 50);
  v1::ListClassificationRulesRequest list;
  list.set_kind(v1::SECURITY);
  v1::ListClassificationRulesResponse security;
  auto ctx = h.Context(Admin());
  REQUIRE(h.stub->ListClassificationRules(ctx.get(), list, &security).ok());
  std::vector<std::string> phrases;
  for (const auto& r : security.rules()) phrases.push_back(r.phrase());
  for (const char* expected : {"phishing", "ransomware", "suplantación de identidad",
                               "fuga de datos", "data breach", "correo sospechoso"}) {
    CHECK(std::find(phrases.begin(), phrases.end(), expected) != phrases.end());
  }
}
