// Hand-over failures: the incident service down, lost responses, concurrent retries and the
// background worker. Whatever happens, a message opens at most one incident.
#include <thread>

#include <catch2/catch.hpp>

#include "fakes.h"
#include "services/intake/domain/keys.h"
#include "services/intake/handoff_worker.h"

using namespace tiquete::intake;
using namespace tiquete::intake::testing;

namespace {

v1::Message Archived(IntakeHarness& h, const std::string& id) {
  v1::Message m;
  REQUIRE(h.Get(Agent(), id, &m).ok());
  return m;
}

// The id of the only message in the archive.
std::string OnlyMessageId(IntakeHarness& h) {
  v1::ListMessagesResponse all;
  REQUIRE(h.List(Agent(), {}, &all).ok());
  REQUIRE(all.messages_size() == 1);
  return all.messages(0).id();
}

// Ana's first report of a site without network, opened as an incident: the original that
// the duplicate tests below send again by another channel.
v1::SubmitTicketResponse SubmitOriginal(IntakeHarness& h) {
  auto first = Ticket("1", kAna, v1::PORTAL, "Sin internet en la sede",
                      "La sede norte no tiene red desde la mañana.");
  v1::SubmitTicketResponse original;
  REQUIRE(h.Submit(Requester(kAna), first, &original).ok());
  return original;
}

bool Eventually(const std::function<bool()>& cond) {
  for (int i = 0; i < 200; ++i) {
    if (cond()) return true;
    absl::SleepFor(absl::Milliseconds(25));
  }
  return cond();
}

}  // namespace

TEST_CASE(
    "with the incident service down the message is archived, the call is UNAVAILABLE, and "
    "a retry with the same key hands it over exactly once",
    "[handoff]") {
  IntakeHarness h;
  const auto request = Ticket("1", kAna, v1::PORTAL, "Sin internet", "La sede no tiene red.");
  h.incidents.SetDown(true);
  v1::SubmitTicketResponse response;
  auto status = h.Submit(Requester(kAna), request, &response);
  CHECK(status.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK(ReasonOf(status) == "HANDOFF_PENDING");
  const std::string id = OnlyMessageId(h);
  CHECK(status.error_message().find(id) != std::string::npos);
  auto pending = Archived(h, id);
  CHECK(pending.status() == v1::PENDING_HANDOFF);
  CHECK(pending.handoff_attempts() == 1);
  CHECK(pending.subject() == "Sin internet");

  h.incidents.SetDown(false);
  v1::SubmitTicketResponse retried;
  REQUIRE(h.Submit(Requester(kAna), request, &retried).ok());
  CHECK(retried.created());
  CHECK(retried.message_id() == id);
  v1::SubmitTicketResponse again;
  REQUIRE(h.Submit(Requester(kAna), request, &again).ok());
  CHECK(again.SerializeAsString() == retried.SerializeAsString());
  CHECK(h.incidents.incidents().size() == 1);
  CHECK(Archived(h, id).status() == v1::HANDED_OFF);
}

TEST_CASE("a lost CreateIncident response is retried with the same key, so no second incident",
          "[handoff]") {
  IntakeHarness h;
  const auto request = Ticket("1", kAna, v1::PORTAL, "Sin internet", "La sede no tiene red.");
  h.incidents.LoseCreateResponses(1);
  v1::SubmitTicketResponse response;
  CHECK(h.Submit(Requester(kAna), request, &response).error_code() ==
        grpc::StatusCode::UNAVAILABLE);
  REQUIRE(h.Submit(Requester(kAna), request, &response).ok());
  CHECK(h.incidents.create_calls() == 2);
  REQUIRE(h.incidents.incidents().size() == 1);
  CHECK(response.incident_number() == h.incidents.incidents()[0].number);
}

TEST_CASE("the background retry hands pending messages over once the incident service is back",
          "[handoff]") {
  DeskOptions options;
  options.retry_base = absl::Seconds(5);
  IntakeHarness h(options);
  const auto request = Ticket("1", kAna, v1::PORTAL, "Sin internet", "La sede no tiene red.");
  h.incidents.SetDown(true);
  v1::SubmitTicketResponse response;
  REQUIRE(h.Submit(Requester(kAna), request, &response).error_code() ==
          grpc::StatusCode::UNAVAILABLE);
  h.incidents.SetDown(false);

  auto attempted = h.desk->RetryDueHandoffs(10);
  REQUIRE(attempted.ok());
  CHECK(*attempted == 0);  // not due before its back-off
  h.clock.Advance(absl::Seconds(6));
  attempted = h.desk->RetryDueHandoffs(10);
  REQUIRE(attempted.ok());
  CHECK(*attempted == 1);
  const auto incidents = h.incidents.incidents();
  REQUIRE(incidents.size() == 1);
  // The worker acts on behalf of whoever submitted.
  CHECK(incidents[0].caller.person_id() == kAna);

  REQUIRE(h.Submit(Requester(kAna), request, &response).ok());
  CHECK(response.incident_number() == incidents[0].number);
  CHECK(h.incidents.incidents().size() == 1);
  CHECK(*h.desk->RetryDueHandoffs(10) == 0);
}

TEST_CASE("the retry worker thread keeps trying until the hand-over succeeds", "[handoff]") {
  DeskOptions options;
  options.retry_base = absl::Milliseconds(1);
  IntakeHarness h(options);
  h.incidents.SetDown(true);
  v1::SubmitTicketResponse response;
  REQUIRE(h.Submit(MailGateway(), Ticket("m", kAna, v1::EMAIL, "Sin red", "No hay red."), &response)
              .error_code() == grpc::StatusCode::UNAVAILABLE);
  HandoffRetrier retrier(*h.desk, absl::Milliseconds(20), 5);
  retrier.Start();
  h.clock.Advance(absl::Seconds(1));
  CHECK(Eventually([&] { return h.incidents.create_calls() >= 2; }));  // still down: retried
  h.incidents.SetDown(false);
  CHECK(Eventually([&] {
    h.clock.Advance(absl::Minutes(11));  // past any back-off
    return h.incidents.incidents().size() == 1;
  }));
  retrier.Stop();
  CHECK(Archived(h, OnlyMessageId(h)).status() == v1::HANDED_OFF);
  CHECK(h.incidents.incidents().size() == 1);
}

TEST_CASE("a call arriving while the first with the same key is handing over gets its outcome",
          "[handoff]") {
  IntakeHarness h;
  h.incidents.SetCreateDelay(absl::Milliseconds(600));
  const auto request = Ticket("1", kAna, v1::PORTAL, "Sin internet", "La sede no tiene red.");
  v1::SubmitTicketResponse first;
  v1::SubmitTicketResponse second;
  grpc::Status first_status;
  grpc::Status second_status;
  std::thread a([&] { first_status = h.Submit(Requester(kAna), request, &first); });
  absl::SleepFor(absl::Milliseconds(150));
  std::thread b([&] { second_status = h.Submit(Requester(kAna), request, &second); });
  a.join();
  b.join();
  REQUIRE(first_status.ok());
  REQUIRE(second_status.ok());
  CHECK(second.SerializeAsString() == first.SerializeAsString());
  CHECK(h.incidents.create_calls() == 1);
  CHECK(h.incidents.incidents().size() == 1);
}

TEST_CASE("a duplicate whose incident stopped accepting comments gets its own incident",
          "[handoff]") {
  IntakeHarness h;
  const v1::SubmitTicketResponse original = SubmitOriginal(h);
  // The duplicate is decided (a comment on the open incident), but adding the comment fails...
  h.incidents.FailComments(1);
  v1::SubmitTicketResponse response;
  auto again = Ticket("2", kAna, v1::CHAT, "Sin internet en la sede",
                      "La sede norte no tiene red desde la mañana");
  CHECK(h.Submit(Requester(kAna), again, &response).error_code() == grpc::StatusCode::UNAVAILABLE);
  // ...and the incident is closed before the retry.
  h.incidents.SetState(original.incident_number(), tiquete::intake::domain::IncidentState::kClosed);
  REQUIRE(h.Submit(Requester(kAna), again, &response).ok());
  CHECK(response.created());
  CHECK(response.incident_number() != original.incident_number());
  CHECK(h.incidents.comments().empty());
  CHECK(h.incidents.incidents().size() == 2);
}

TEST_CASE("with the directory down the message waits and is classified on the retry", "[handoff]") {
  IntakeHarness h;
  const std::string category = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
  h.directory.AddCategory({category, "Seguridad > Reportes", true, true});
  h.directory.SetDown(true);
  auto request = Ticket("1", kAna, v1::PORTAL, "Mensaje extraño", "Llegó un mensaje raro.");
  request.set_category_id(category);
  v1::SubmitTicketResponse response;
  CHECK(h.Submit(Requester(kAna), request, &response).error_code() ==
        grpc::StatusCode::UNAVAILABLE);
  CHECK(h.incidents.create_calls() == 0);
  h.directory.SetDown(false);
  REQUIRE(h.Submit(Requester(kAna), request, &response).ok());
  CHECK(response.classification().possible_security());
  CHECK(h.incidents.incidents().at(0).request.possible_security);
}

TEST_CASE(
    "a duplicate check that cannot reach the incident service leaves the message pending, and "
    "the retry adds it to the open incident",
    "[handoff]") {
  IntakeHarness h;
  const v1::SubmitTicketResponse original = SubmitOriginal(h);
  // The duplicate check needs the incident service (is the earlier incident still open?).
  h.incidents.SetDown(true);
  auto again = Ticket("2", kAna, v1::CHAT, "RE: Sin internet en la sede",
                      "La sede norte no tiene red desde la mañana");
  v1::SubmitTicketResponse response;
  CHECK(h.Submit(Requester(kAna), again, &response).error_code() == grpc::StatusCode::UNAVAILABLE);
  v1::ListMessagesResponse all;
  REQUIRE(h.List(Agent(), {}, &all).ok());
  REQUIRE(all.messages_size() == 2);
  const v1::Message pending =
      all.messages(0).id() == original.message_id() ? all.messages(1) : all.messages(0);
  CHECK(pending.status() == v1::PENDING_HANDOFF);
  CHECK(pending.subject() == "RE: Sin internet en la sede");

  h.incidents.SetDown(false);
  REQUIRE(h.Submit(Requester(kAna), again, &response).ok());
  CHECK_FALSE(response.created());
  CHECK(response.duplicate_of() == original.incident_number());
  CHECK(h.incidents.incidents().size() == 1);
  CHECK(h.incidents.comments().size() == 1);
  auto handed = Archived(h, pending.id());
  CHECK(handed.status() == v1::DUPLICATE);
  CHECK(handed.classification().type() == v1::INCIDENT);
  CHECK_FALSE(handed.classification().reason().empty());
}
