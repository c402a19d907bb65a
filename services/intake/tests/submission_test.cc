#include <catch2/catch.hpp>

#include "services/intake/domain/submission.h"

using namespace tiquete::intake;
using namespace tiquete::intake::domain;
using tiquete::api::v1::Caller;

namespace {

const std::string kAna = "0b7a4c2e-1d3f-4e5a-9b6c-7d8e9f0a1b2c";
const std::string kLuis = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f";

v1::SubmitTicketRequest Valid() {
  v1::SubmitTicketRequest r;
  r.set_idempotency_key("k-1");
  r.set_channel(v1::PORTAL);
  r.set_requester_id(kAna);
  r.set_subject("No funciona el SIMAT");
  r.set_body("Desde ayer no puedo ingresar.");
  return r;
}

std::string FieldOf(const v1::SubmitTicketRequest& r) {
  auto e = ValidateSubmission(r);
  return e ? e->field + "/" + e->reason : "ok";
}

Caller Person(const std::string& id, std::initializer_list<const char*> roles) {
  Caller c;
  c.set_person_id(id);
  for (const char* role : roles) c.add_roles(role);
  return c;
}

}  // namespace

TEST_CASE("a complete submission is accepted", "[submission]") { CHECK(FieldOf(Valid()) == "ok"); }

TEST_CASE("required fields are named when missing or blank", "[submission]") {
  auto r = Valid();
  r.clear_idempotency_key();
  CHECK(FieldOf(r) == "idempotency_key/REQUIRED");
  r = Valid();
  r.clear_requester_id();
  CHECK(FieldOf(r) == "requester_id/REQUIRED");
  r = Valid();
  r.set_subject("   \n ");
  CHECK(FieldOf(r) == "subject/REQUIRED");
  r = Valid();
  r.clear_body();
  CHECK(FieldOf(r) == "body/REQUIRED");
  r = Valid();
  r.clear_channel();
  CHECK(FieldOf(r) == "channel/REQUIRED");
}

TEST_CASE("an unknown channel is refused naming the field", "[submission]") {
  auto r = Valid();
  r.set_channel(static_cast<v1::Channel>(42));
  CHECK(FieldOf(r) == "channel/UNKNOWN_CHANNEL");
}

TEST_CASE("lengths are counted in characters, not bytes", "[submission]") {
  auto r = Valid();
  std::string subject;
  for (int i = 0; i < 200; ++i) subject += "ñ";
  r.set_subject(subject);
  CHECK(FieldOf(r) == "ok");
  r.set_subject(subject + "a");
  CHECK(FieldOf(r) == "subject/TOO_LONG");
  r = Valid();
  r.set_body(std::string(kMaxBodyChars + 1, 'x'));
  CHECK(FieldOf(r) == "body/TOO_LONG");
}

TEST_CASE("control characters and malformed UTF-8 are refused", "[submission]") {
  auto r = Valid();
  r.set_subject("hola\x01");
  CHECK(FieldOf(r) == "subject/INVALID_TEXT");
  r = Valid();
  r.set_body("Texto\tcon tabulador\ny salto");
  CHECK(FieldOf(r) == "ok");
}

TEST_CASE("references must be UUIDs and CIs may not repeat", "[submission]") {
  auto r = Valid();
  r.set_requester_id("ana");
  CHECK(FieldOf(r) == "requester_id/INVALID_ID");
  r = Valid();
  r.set_category_id("software");
  CHECK(FieldOf(r) == "category_id/INVALID_ID");
  r = Valid();
  r.add_ci_ids(kLuis);
  r.add_ci_ids(kLuis);
  CHECK(FieldOf(r) == "ci_ids[1]/DUPLICATE_VALUE");
}

TEST_CASE("impact and urgency must be known levels", "[submission]") {
  auto r = Valid();
  r.set_urgency(static_cast<v1::Level>(9));
  CHECK(FieldOf(r) == "urgency/UNKNOWN_LEVEL");
}

TEST_CASE("attachments need a plain file name and some content", "[submission]") {
  auto r = Valid();
  auto* a = r.add_attachments();
  a->set_filename("../../etc/passwd");
  a->set_content("x");
  CHECK(FieldOf(r) == "attachments[0].filename/INVALID_FILENAME");
  a->set_filename("captura.png");
  a->clear_content();
  CHECK(FieldOf(r) == "attachments[0].content/REQUIRED");
  a->set_content("png");
  a->set_sha256("abc");
  CHECK(FieldOf(r) == "attachments[0].sha256/INVALID_DIGEST");
  a->clear_sha256();
  CHECK(FieldOf(r) == "ok");
}

TEST_CASE("a requester registers cases only for themselves through self-service channels",
          "[submission]") {
  const Caller ana = Person(kAna, {"requester"});
  auto r = Valid();
  CHECK_FALSE(CheckSubmitter(ana, r).has_value());
  r.set_requester_id(kLuis);
  auto denied = CheckSubmitter(ana, r);
  REQUIRE(denied.has_value());
  CHECK(denied->reason == "REQUESTER_MISMATCH");
  r = Valid();
  r.set_channel(v1::PHONE);
  denied = CheckSubmitter(ana, r);
  REQUIRE(denied.has_value());
  CHECK(denied->reason == "CHANNEL_NOT_ALLOWED");
}

namespace {
// The request as the desk goes on with it: the requester id filled in when it defaults.
v1::SubmitTicketRequest WithDefaultRequester(const Caller& caller, v1::SubmitTicketRequest r) {
  if (auto id = DefaultRequester(caller, r)) r.set_requester_id(*id);
  return r;
}
}  // namespace

TEST_CASE("a requester who names no requester registers the case for themself, staff must name one",
          "[submission]") {
  auto r = Valid();
  r.clear_requester_id();
  const auto own = WithDefaultRequester(Person(kAna, {"requester"}), r);
  CHECK(own.requester_id() == kAna);
  CHECK(FieldOf(own) == "ok");
  CHECK_FALSE(CheckSubmitter(Person(kAna, {"requester"}), own).has_value());
  // An agent taking a phone call must say for whom; so must an integration.
  CHECK(FieldOf(WithDefaultRequester(Person(kAna, {"agent_l1"}), r)) == "requester_id/REQUIRED");
  Caller mail;
  mail.set_system("mail-gateway");
  CHECK(FieldOf(WithDefaultRequester(mail, r)) == "requester_id/REQUIRED");
  // A person account used by a monitoring integration is not a requester either.
  CHECK(FieldOf(WithDefaultRequester(Person(kAna, {"integration"}), r)) == "requester_id/REQUIRED");
  // A named requester is kept as sent (and then checked by CheckSubmitter).
  r.set_requester_id(kLuis);
  CHECK(WithDefaultRequester(Person(kAna, {"requester"}), r).requester_id() == kLuis);
  CHECK_FALSE(DefaultRequester(Person(kAna, {"requester"}), r).has_value());
}

TEST_CASE("agents, integrations and services submit for anyone on any channel", "[submission]") {
  auto r = Valid();
  r.set_requester_id(kLuis);
  r.set_channel(v1::PHONE);
  CHECK_FALSE(CheckSubmitter(Person(kAna, {"agent_l1"}), r).has_value());
  r.set_channel(v1::EMAIL);
  CHECK_FALSE(CheckSubmitter(Person(kAna, {"integration"}), r).has_value());
  Caller mail;
  mail.set_system("mail-gateway");
  CHECK_FALSE(CheckSubmitter(mail, r).has_value());
  CHECK(CheckSubmitter(Caller(), r).has_value());
}

TEST_CASE("splitting, reading the archive and managing rules need staff roles", "[submission]") {
  CHECK_FALSE(CanSplit(Person(kAna, {"requester"})));
  CHECK_FALSE(CanSplit(Person(kAna, {"provider"})));
  CHECK(CanSplit(Person(kAna, {"requester", "agent_l1"})));
  CHECK(CanReadMessages(Person(kAna, {"security_officer"})));
  CHECK_FALSE(CanReadMessages(Person(kAna, {"requester"})));
  CHECK(CanManageRules(Person(kAna, {"admin"})));
  CHECK_FALSE(CanManageRules(Person(kAna, {"coordinator"})));
}
