// SlaService through gRPC, as the gateway calls it: signed callers, roles, validation errors
// with their reason and field, and the clock views.
#include <set>

#include <grpcpp/grpcpp.h>
#include <catch2/catch.hpp>

#include "common/caller.h"
#include "common/errors.h"
#include "services/sla/incident_events.h"
#include "services/sla/proto_mapping.h"
#include "services/sla/service.h"
#include "services/sla/tests/fake_incident_client.h"
#include "services/sla/tests/sla_fixture.h"

using namespace tiquete::sla;
using namespace tiquete::sla::testing;
namespace inc = tiquete::incident::v1;

namespace {

const std::string kKey(32, 'k');

struct Api {
  SlaFixture f;
  tiquete::CallerSigner signer{kKey};
  FakeIncidentClient incidents;
  SlaServiceImpl service{*f.store, signer, f.clock, &incidents};
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<v1::SlaService::Stub> stub;
  Api() {
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
    stub = v1::SlaService::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                       grpc::InsecureChannelCredentials()));
  }
  ~Api() { server->Shutdown(); }

  std::unique_ptr<grpc::ClientContext> As(const std::string& role, const std::string& group = "",
                                          const std::string& person = "p-1") {
    auto context = std::make_unique<grpc::ClientContext>();
    tiquete::Caller caller;
    caller.set_person_id(person);
    caller.add_roles(role);
    if (!group.empty()) caller.add_group_ids(group);
    signer.Attach(context.get(), caller);
    return context;
  }
};

std::string Reason(const grpc::Status& s) {
  return tiquete::ErrorReason(tiquete::FromGrpcStatus(s));
}

}  // namespace

TEST_CASE("a ticket's clocks show elapsed and remaining business time and their due time",
          "[integration]") {
  Api api;
  auto incident = SlaFixture::Incident("INC-2026-000300", 2, api.f.clock.Now());
  REQUIRE(api.f.Deliver("created", incident).ok());
  api.f.clock.Set(Local(2026, 2, 3, 12, 30));  // lunch: 4 business hours so far
  v1::GetTicketClocksRequest request;
  request.set_number("INC-2026-000300");
  v1::GetTicketClocksResponse response;
  REQUIRE(api.stub->GetTicketClocks(api.As("agent_l1").get(), request, &response).ok());
  REQUIRE(response.clocks_size() == 2);
  const v1::Clock& resolution = response.clocks(1);
  CHECK(resolution.kind() == "resolution");
  CHECK(resolution.state() == "running");
  CHECK(resolution.elapsed_minutes() == 240);
  CHECK(resolution.remaining_minutes() == 240);
  CHECK(FromProtoTime(resolution.due_time()) == Local(2026, 2, 3, 18));
  CHECK(response.clocks(0).breached());  // the 1-hour response target passed at 09:00
  CHECK(response.clocks(0).remaining_minutes() == -180);

  v1::ExplainClockRequest explain;
  explain.set_id(resolution.id());
  v1::ClockExplanation explanation;
  REQUIRE(api.stub->ExplainClock(api.As("coordinator").get(), explain, &explanation).ok());
  REQUIRE(explanation.segments_size() == 1);
  CHECK(explanation.segments(0).open());
  CHECK(explanation.segments(0).business_minutes() == 240);
  bool due_line = false;
  for (const std::string& line : explanation.lines()) {
    if (line == "→ due Tue 2026-02-03 18:00") due_line = true;
  }
  CHECK(due_line);
  CHECK_FALSE(resolution.has_stop_time());  // not stopped: no stop time (not 1970-01-01)

  // Waiting on the requester the resolution clock is paused: it has no due time until it
  // runs again, and the API says so by leaving the field out.
  incident.set_state(inc::PENDING);
  incident.set_pending_reason(inc::REQUESTER);
  incident.set_version(2);
  REQUIRE(api.f.Deliver("state_changed", incident).ok());
  response.Clear();
  REQUIRE(api.stub->GetTicketClocks(api.As("agent_l1").get(), request, &response).ok());
  REQUIRE(response.clocks_size() == 2);
  CHECK(response.clocks(1).state() == "paused");
  CHECK_FALSE(response.clocks(1).has_due_time());
  CHECK(response.clocks(1).has_start_time());
}

TEST_CASE("requesters read only their own cases' due times, providers their groups' tickets",
          "[integration]") {
  Api api;
  REQUIRE(api.f
              .Deliver("created", SlaFixture::Incident("INC-2026-000301", 1, api.f.clock.Now(),
                                                       "g-proveedor", inc::L3))
              .ok());
  REQUIRE(
      api.f.Deliver("created", SlaFixture::Incident("INC-2026-000302", 1, api.f.clock.Now())).ok());
  api.f.clock.Set(Local(2026, 2, 3, 9));
  v1::GetTicketClocksRequest request;
  request.set_number("INC-2026-000302");
  v1::GetTicketClocksResponse response;
  // Not theirs (the incident service says so): the same answer as a ticket that does not exist.
  auto denied = api.stub->GetTicketClocks(api.As("requester").get(), request, &response);
  CHECK(denied.error_code() == grpc::StatusCode::NOT_FOUND);
  // Their own case: when it will be answered and solved, without internal fields.
  api.incidents.Share("INC-2026-000302", "p-1");
  REQUIRE(api.stub->GetTicketClocks(api.As("requester").get(), request, &response).ok());
  REQUIRE(response.clocks_size() == 2);
  CHECK(response.clocks(1).kind() == "resolution");
  CHECK(response.clocks(1).has_due_time());
  CHECK(response.clocks(1).group_id().empty());
  CHECK(response.clocks(1).policy_id().empty());
  CHECK(response.clocks(1).id().empty());
  // Another requester still sees nothing, in a batch too.
  v1::BatchGetTicketClocksRequest batch;
  batch.add_numbers("INC-2026-000302");
  batch.add_numbers("INC-2026-000301");
  v1::BatchGetTicketClocksResponse batched;
  REQUIRE(
      api.stub->BatchGetTicketClocks(api.As("requester", "", "p-2").get(), batch, &batched).ok());
  CHECK(batched.clocks().empty());
  REQUIRE(api.stub->BatchGetTicketClocks(api.As("requester").get(), batch, &batched).ok());
  CHECK(batched.clocks_size() == 2);  // only INC-2026-000302's
  batched.Clear();
  REQUIRE(api.stub->BatchGetTicketClocks(api.As("coordinator").get(), batch, &batched).ok());
  CHECK(batched.clocks_size() == 4);
  CHECK(batched.clocks(0).ticket() == "INC-2026-000301");
  batched.Clear();
  REQUIRE(api.stub->BatchGetTicketClocks(api.As("provider", "g-proveedor").get(), batch, &batched)
              .ok());
  CHECK(batched.clocks_size() == 2);  // its group's ticket only
  v1::BatchGetTicketClocksRequest empty;
  CHECK(api.stub->BatchGetTicketClocks(api.As("coordinator").get(), empty, &batched).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  auto hidden =
      api.stub->GetTicketClocks(api.As("provider", "g-proveedor").get(), request, &response);
  CHECK(hidden.error_code() == grpc::StatusCode::NOT_FOUND);
  v1::ListClocksRequest list;
  v1::ListClocksResponse listed;
  REQUIRE(api.stub->ListClocks(api.As("provider", "g-proveedor").get(), list, &listed).ok());
  REQUIRE(listed.clocks_size() == 1);  // its ticket's breached response clock
  CHECK(listed.clocks(0).ticket() == "INC-2026-000301");
  listed.Clear();
  REQUIRE(api.stub->ListClocks(api.As("coordinator").get(), list, &listed).ok());
  CHECK(listed.clocks_size() == 2);
  list.set_status("overdue");
  auto bad = api.stub->ListClocks(api.As("coordinator").get(), list, &listed);
  CHECK(bad.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Reason(bad) == "INVALID_VALUE");
}

TEST_CASE("policies are managed by coordinators with field-level validation errors",
          "[integration]") {
  Api api;
  v1::CreatePolicyRequest create;
  create.set_idempotency_key("k-1");
  v1::Policy& p = *create.mutable_policy();
  p.set_name("OLA segundo nivel");
  p.set_kind("ola");
  p.set_calendar_id(kOfficeCalendar);
  p.set_group_level("L2");
  for (int i = 1; i <= 5; ++i) {
    auto* t = p.add_targets();
    t->set_priority(i);
    t->set_resolution_minutes(60 * i);
  }
  p.add_warning_percents(80);
  v1::Policy created;
  auto forbidden = api.stub->CreatePolicy(api.As("agent_l1").get(), create, &created);
  CHECK(forbidden.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  p.add_pause_on("pending:lunch");
  auto invalid = api.stub->CreatePolicy(api.As("coordinator").get(), create, &created);
  CHECK(invalid.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Reason(invalid) == "INVALID_PAUSE_CONDITION");
  p.clear_pause_on();
  REQUIRE(api.stub->CreatePolicy(api.As("coordinator").get(), create, &created).ok());
  CHECK(created.kind() == "ola");
  CHECK(created.targets(2).resolution_minutes() == 180);
  v1::Policy again;
  REQUIRE(api.stub->CreatePolicy(api.As("coordinator").get(), create, &again).ok());
  CHECK(again.id() == created.id());

  v1::UpdatePolicyRequest update;
  update.set_id(created.id());
  update.set_version(created.version() + 5);
  *update.mutable_policy() = p;
  v1::Policy updated;
  auto stale = api.stub->UpdatePolicy(api.As("admin").get(), update, &updated);
  CHECK(stale.error_code() == grpc::StatusCode::ABORTED);
  CHECK(Reason(stale) == "STALE_VERSION");

  // An L2 assignment now opens an OLA clock with the policy's target.
  auto in = SlaFixture::Incident("INC-2026-000303", 3, api.f.clock.Now(), "g-redes", inc::L2);
  REQUIRE(api.f.Deliver("created", in).ok());
  auto clocks = api.f.store->ClocksOfTicket(in.number());
  REQUIRE(clocks->size() == 3);
  CHECK(clocks->back().kind == ClockKind::kOla);
  CHECK(clocks->back().target_seconds == 180 * 60);
}

TEST_CASE("calendars list the Colombian holidays, take closures and add business time",
          "[integration]") {
  Api api;
  v1::ListHolidaysRequest holidays;
  holidays.set_calendar_id(kOfficeCalendar);
  holidays.set_year(2026);
  v1::ListHolidaysResponse listed;
  REQUIRE(api.stub->ListHolidays(api.As("requester").get(), holidays, &listed).ok());
  REQUIRE(listed.holidays_size() == 18);
  CHECK(listed.holidays(1).date() == "2026-01-12");

  v1::AddClosureRequest closure;
  closure.set_calendar_id(kOfficeCalendar);
  *closure.mutable_closure()->mutable_start_time() = ToProtoTime(Local(2026, 2, 5, 7));
  *closure.mutable_closure()->mutable_end_time() = ToProtoTime(Local(2026, 2, 6, 7));
  closure.mutable_closure()->set_reason("Jornada pedagógica");
  closure.set_idempotency_key("closure-2026-02-05");
  v1::Calendar calendar;
  REQUIRE(api.stub->AddClosure(api.As("admin").get(), closure, &calendar).ok());
  REQUIRE(calendar.closures_size() == 1);
  // A retry (the answer was lost) adds nothing; the key with another closure is refused.
  REQUIRE(api.stub->AddClosure(api.As("admin").get(), closure, &calendar).ok());
  CHECK(calendar.closures_size() == 1);
  v1::AddClosureRequest other = closure;
  other.mutable_closure()->set_reason("Otra jornada");
  v1::Calendar unchanged;
  auto reused = api.stub->AddClosure(api.As("admin").get(), other, &unchanged);
  CHECK(reused.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Reason(reused) == "IDEMPOTENCY_KEY_REUSED");
  CHECK(calendar.week_size() == 5);
  CHECK(calendar.week(0).shifts(1).start() == "14:00");

  v1::AddBusinessTimeRequest add;
  add.set_calendar_id(kOfficeCalendar);
  *add.mutable_start_time() = ToProtoTime(Local(2026, 2, 4, 17));  // Wednesday
  add.set_minutes(120);
  v1::AddBusinessTimeResponse due;
  REQUIRE(api.stub->AddBusinessTime(api.As("agent_l1").get(), add, &due).ok());
  CHECK(FromProtoTime(due.due_time()) == Local(2026, 2, 6, 8));  // Thursday closed

  v1::CreateCalendarRequest create;
  create.mutable_calendar()->set_name("Turno nocturno");
  auto* day = create.mutable_calendar()->add_week();
  day->set_weekday("lunes");
  auto* shift = day->add_shifts();
  shift->set_start("22:00");
  shift->set_end("24:00");
  v1::Calendar made;
  auto bad = api.stub->CreateCalendar(api.As("admin").get(), create, &made);
  CHECK(bad.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Reason(bad) == "INVALID_WEEKDAY");
  day->set_weekday("monday");
  REQUIRE(api.stub->CreateCalendar(api.As("admin").get(), create, &made).ok());
  CHECK(made.time_zone() == "America/Bogota");
  CHECK(made.week(0).shifts(0).end() == "24:00");
}

TEST_CASE("a possible security incident's clocks are the security team's, as the incident is",
          "[integration]") {
  Api api;
  auto secret = SlaFixture::Incident("INC-2026-000310", 1, api.f.clock.Now());
  secret.set_possible_security(true);
  REQUIRE(api.f.Deliver("created", secret).ok());
  auto plain = SlaFixture::Incident("INC-2026-000311", 1, api.f.clock.Now());
  REQUIRE(api.f.Deliver("created", plain).ok());
  api.f.clock.Set(Local(2026, 2, 3, 9));  // both P1 responses (30 min) breached
  v1::GetTicketClocksRequest request;
  request.set_number("INC-2026-000310");
  v1::GetTicketClocksResponse response;
  auto listed_tickets = [&](const std::string& role) {
    v1::ListClocksRequest list;
    v1::ListClocksResponse listed;
    REQUIRE(api.stub->ListClocks(api.As(role).get(), list, &listed).ok());
    std::set<std::string> tickets;
    for (const v1::Clock& c : listed.clocks()) tickets.insert(c.ticket());
    return tickets;
  };
  const std::set<std::string> only_plain = {"INC-2026-000311"};
  const std::set<std::string> both = {"INC-2026-000310", "INC-2026-000311"};

  // The desk does not see it, nor list it among the breached, nor read its explanation.
  CHECK(api.stub->GetTicketClocks(api.As("agent_l1").get(), request, &response).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  v1::BatchGetTicketClocksRequest batch;
  batch.add_numbers("INC-2026-000310");
  batch.add_numbers("INC-2026-000311");
  v1::BatchGetTicketClocksResponse batched;
  REQUIRE(api.stub->BatchGetTicketClocks(api.As("coordinator").get(), batch, &batched).ok());
  REQUIRE(batched.clocks_size() == 2);
  CHECK(batched.clocks(0).ticket() == "INC-2026-000311");
  CHECK(listed_tickets("coordinator") == only_plain);
  REQUIRE(api.stub->GetTicketClocks(api.As("security_officer").get(), request, &response).ok());
  REQUIRE(response.clocks_size() == 2);
  CHECK(listed_tickets("security_officer") == both);
  v1::ExplainClockRequest explain;
  explain.set_id(response.clocks(0).id());
  v1::ClockExplanation explanation;
  CHECK(api.stub->ExplainClock(api.As("admin").get(), explain, &explanation).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  CHECK(api.stub->ExplainClock(api.As("security_officer").get(), explain, &explanation).ok());
  // Its requester sees when it will be answered and solved, a desk member who reported it too.
  api.incidents.Share("INC-2026-000310", "p-reporter");
  response.Clear();
  REQUIRE(api.stub->GetTicketClocks(api.As("requester", "", "p-reporter").get(), request, &response)
              .ok());
  CHECK(response.clocks_size() == 2);
  response.Clear();
  REQUIRE(api.stub->GetTicketClocks(api.As("agent_l1", "", "p-reporter").get(), request, &response)
              .ok());
  CHECK(response.clocks_size() == 2);

  // The flag survives the writes that do not apply a new snapshot: a redelivered event taken
  // from the engine's cache (the event path's batches) and an older one arriving late at another
  // replica (the ticket read from the database).
  auto batch_deliver = [&](SlaStore& store, const std::string& change, const inc::Incident& in) {
    const auto event = SlaFixture::EventOf(change, in, api.f.clock.Now());
    return api.f.pool->Transact(
        [&](pqxx::work& tx) { return IncidentEventBatchHandler(store)(tx, {&event}); });
  };
  const int64_t hits = api.f.store->clock_cache().hits();
  REQUIRE(batch_deliver(*api.f.store, "created", secret).ok());  // read from the database
  REQUIRE(batch_deliver(*api.f.store, "created", secret).ok());  // now from the cache
  CHECK(api.f.store->clock_cache().hits() > hits);
  CHECK(listed_tickets("coordinator") == only_plain);
  auto older = secret;
  older.set_version(0);
  SlaStore replica(*api.f.pool, api.f.clock);
  REQUIRE(batch_deliver(replica, "created", older).ok());
  CHECK(api.f.Count("SELECT stale_events FROM tickets WHERE number = 'INC-2026-000310'") == 1);
  CHECK(listed_tickets("coordinator") == only_plain);

  // The flag follows the incident both ways: the other case is flagged (on a cached ticket),
  // and the security team rules the first one out.
  REQUIRE(batch_deliver(*api.f.store, "created", plain).ok());  // cache it
  plain.set_possible_security(true);
  plain.set_version(2);
  REQUIRE(batch_deliver(*api.f.store, "updated", plain).ok());
  CHECK(listed_tickets("coordinator").empty());
  auto cleared = secret;
  cleared.set_possible_security(false);
  cleared.set_version(secret.version() + 1);
  REQUIRE(batch_deliver(*api.f.store, "updated", cleared).ok());
  CHECK(listed_tickets("coordinator") == std::set<std::string>{"INC-2026-000310"});
}
