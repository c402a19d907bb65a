// The incident lifecycle through the real gRPC server and PostgreSQL.
#include <google/protobuf/any.pb.h>
#include <catch2/catch.hpp>

#include "services/incident/domain/audit.h"
#include "services/incident/tests/fixture.h"

using namespace tiquete::incident;           // NOLINT: test
using namespace tiquete::incident::testing;  // NOLINT: test
using Stub = v1::IncidentService::Stub;

namespace {

template <typename Request>
v1::Incident Must(IncidentFixture& f, const std::string& who,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, v1::Incident*),
                  const Request& request) {
  v1::Incident out;
  grpc::Status s = f.Call(CallerFor(who), method, request, &out);
  INFO(s.error_message() << " " << Reason(s));
  REQUIRE(s.ok());
  return out;
}

template <typename Request>
Request For(const v1::Incident& incident) {
  Request r;
  r.set_number(incident.number());
  r.set_version(incident.version());
  return r;
}

}  // namespace

TEST_CASE(
    "create, assign, escalate L1 to L2, pend on the requester, resume, resolve, survey and "
    "close are each recorded in the audit trail and escalation history",
    "[incident][flow]") {
  IncidentFixture f;
  v1::Incident i = f.Create(kAna, "La impresora del aula 3 no imprime");
  CHECK(i.number() == "INC-2026-000001");
  CHECK(i.state() == v1::ASSIGNED);  // routed by the category's default group
  CHECK(i.assignment_group_id() == kDesk);
  CHECK(i.level() == v1::L1);
  CHECK(i.priority() == v1::P3);
  CHECK(i.version() == 1);

  auto assign = For<v1::AssignIncidentRequest>(i);
  assign.set_assignee_id(kAgent);
  i = Must(f, kAgent, &Stub::AssignIncident, assign);
  CHECK(i.assignee_id() == kAgent);
  CHECK(i.version() == 2);

  i = Must(f, kAgent, &Stub::StartWork, For<v1::StartWorkRequest>(i));
  CHECK(i.state() == v1::IN_PROGRESS);
  CHECK(i.has_first_response_at());

  f.clock.Advance(absl::Minutes(30));
  auto escalate = For<v1::EscalateIncidentRequest>(i);
  escalate.set_kind(v1::FUNCTIONAL);
  escalate.set_group_id(kSpecialists);
  escalate.set_assignee_id(kSpecialist);
  escalate.set_reason("el spooler del servidor necesita especialista");
  i = Must(f, kAgent, &Stub::EscalateIncident, escalate);
  CHECK(i.state() == v1::ASSIGNED);
  CHECK(i.level() == v1::L2);
  CHECK(i.assignment_group_id() == kSpecialists);

  i = Must(f, kSpecialist, &Stub::StartWork, For<v1::StartWorkRequest>(i));
  auto pend = For<v1::SetPendingRequest>(i);
  pend.set_reason(v1::REQUESTER);
  pend.set_note("esperando acceso al aula");
  i = Must(f, kSpecialist, &Stub::SetPending, pend);
  CHECK(i.state() == v1::PENDING);
  CHECK(i.pending_reason() == v1::REQUESTER);
  i = Must(f, kSpecialist, &Stub::Resume, For<v1::ResumeRequest>(i));
  CHECK(i.pending_reason() == v1::PENDING_REASON_UNSPECIFIED);

  auto resolve = For<v1::ResolveIncidentRequest>(i);
  resolve.set_resolution_code("fixed");
  resolve.set_resolution_notes("se reinstaló el controlador");
  i = Must(f, kSpecialist, &Stub::ResolveIncident, resolve);
  CHECK(i.state() == v1::RESOLVED);
  CHECK(i.resolved_level() == v1::L2);

  v1::SubmitSurveyRequest survey;
  survey.set_number(i.number());
  survey.set_rating(5);
  survey.set_comment("muy rápido");
  v1::Survey answered;
  REQUIRE(f.Call(CallerFor(kAna), &Stub::SubmitSurvey, survey, &answered).ok());
  CHECK(answered.rating() == 5);
  i = f.Get(kAna, i.number());
  i = Must(f, kAna, &Stub::CloseIncident, For<v1::CloseIncidentRequest>(i));
  CHECK(i.state() == v1::CLOSED);
  CHECK(i.closure_code() == "confirmed");
  CHECK(i.survey().rating() == 5);

  v1::GetAuditTrailRequest audit_request;
  audit_request.set_number(i.number());
  v1::GetAuditTrailResponse audit;
  REQUIRE(f.Call(CallerFor(kAgent), &Stub::GetAuditTrail, audit_request, &audit).ok());
  std::vector<std::string> states;
  std::string escalation_reason;
  for (const auto& e : audit.entries()) {
    if (e.field() == "state") states.push_back(e.old_value() + ">" + e.new_value());
    if (e.field() == "assignment_group_id" && e.new_value() == kSpecialists) {
      escalation_reason = e.reason();
      CHECK(e.actor_id() == kAgent);
    }
  }
  CHECK(states == std::vector<std::string>{">ASSIGNED", "ASSIGNED>IN_PROGRESS",
                                           "IN_PROGRESS>ASSIGNED", "ASSIGNED>IN_PROGRESS",
                                           "IN_PROGRESS>PENDING", "PENDING>IN_PROGRESS",
                                           "IN_PROGRESS>RESOLVED", "RESOLVED>CLOSED"});
  CHECK(escalation_reason == "el spooler del servidor necesita especialista");

  v1::ListEscalationsRequest history_request;
  history_request.set_number(i.number());
  v1::ListEscalationsResponse history;
  REQUIRE(f.Call(CallerFor(kSpecialist), &Stub::ListEscalations, history_request, &history).ok());
  REQUIRE(history.escalations_size() == 1);
  const auto& e = history.escalations(0);
  CHECK(e.kind() == v1::FUNCTIONAL);
  CHECK(e.from_level() == v1::L1);
  CHECK(e.to_level() == v1::L2);
  CHECK(e.from_group_id() == kDesk);
  CHECK(e.to_group_id() == kSpecialists);
  CHECK(e.to_person_id() == kSpecialist);
  CHECK(e.actor_id() == kAgent);

  // Exactly one event per change: 7 state changes, one of each named change.
  CHECK(f.OutboxCounts() == std::map<std::string, long>{{"incident.incident.created", 1},
                                                        {"incident.incident.assigned", 1},
                                                        {"incident.incident.escalated", 1},
                                                        {"incident.incident.state_changed", 7},
                                                        {"incident.incident.resolved", 1},
                                                        {"incident.incident.surveyed", 1},
                                                        {"incident.incident.closed", 1}});
}

TEST_CASE("a state_changed event carries the states, level, group and time of the change",
          "[incident][flow]") {
  IncidentFixture f;
  v1::Incident i = f.Create(kAna, "Sin internet en la sede");
  i = Must(f, kAgent, &Stub::StartWork, For<v1::StartWorkRequest>(i));
  std::string payload;
  REQUIRE(f.pool
              ->Read([&](pqxx::work& tx) {
                payload = pqxx::binarystring(tx.exec("SELECT payload FROM outbox WHERE type = "
                                                     "'incident.incident.state_changed'")[0][0])
                              .str();
                return absl::OkStatus();
              })
              .ok());
  google::protobuf::Any any;
  REQUIRE(any.ParseFromString(payload));
  v1::IncidentEvent event;
  REQUIRE(any.UnpackTo(&event));
  CHECK(event.change() == "state_changed");
  CHECK(event.previous_state() == v1::ASSIGNED);
  CHECK(event.new_state() == v1::IN_PROGRESS);
  CHECK(event.new_level() == v1::L1);
  CHECK(event.new_group_id() == kDesk);
  CHECK(event.new_priority() == v1::P3);
  CHECK(event.actor_id() == kAgent);
  CHECK(event.occurred_at().seconds() == absl::ToUnixSeconds(f.clock.Now()));
  CHECK(event.incident().number() == i.number());
}

TEST_CASE("a change that changes nothing writes no version, audit row or event",
          "[incident][flow]") {
  IncidentFixture f;
  v1::Incident i = f.Create(kAna, "Teclado dañado");
  auto assign = For<v1::AssignIncidentRequest>(i);  // same group, nobody: nothing changes
  v1::Incident same = Must(f, kAgent, &Stub::AssignIncident, assign);
  CHECK(same.version() == i.version());
  CHECK(f.OutboxCounts() == std::map<std::string, long>{{"incident.incident.created", 1}});
}

TEST_CASE("the audit trail records every initial value verbatim and in field order",
          "[incident][flow]") {
  IncidentFixture f;
  // Text that an SQL array literal would mangle if it were not quoted and escaped.
  const std::string title = "Impresora \"HP\" {aula 3}, sala \\B\\ NULL";
  v1::Incident i = f.Create(kAna, title);
  v1::GetAuditTrailRequest request;
  request.set_number(i.number());
  v1::GetAuditTrailResponse audit;
  REQUIRE(f.Call(CallerFor(kAgent), &Stub::GetAuditTrail, request, &audit).ok());
  const std::vector<v1::FieldChange> expected = DiffIncidents(v1::Incident(), i);
  REQUIRE(audit.entries_size() == static_cast<int>(expected.size()));
  for (int n = 0; n < audit.entries_size(); ++n) {
    INFO(expected[n].field());
    CHECK(audit.entries(n).field() == expected[n].field());
    CHECK(audit.entries(n).old_value() == expected[n].old_value());
    CHECK(audit.entries(n).new_value() == expected[n].new_value());
    CHECK(audit.entries(n).actor_id() == kAna);
  }
  bool saw_title = false;
  for (const auto& e : audit.entries()) {
    if (e.field() != "title") continue;
    saw_title = true;
    CHECK(e.old_value().empty());
    CHECK(e.new_value() == title);
  }
  CHECK(saw_title);
}

TEST_CASE("reopen after close is a failed precondition, but within the window it reopens",
          "[incident][flow]") {
  IncidentOptions options;
  options.reopen_window = absl::Hours(48);
  IncidentFixture f(options);
  v1::Incident i = f.Create(kAna, "El proyector no enciende");
  i = Must(f, kAgent, &Stub::StartWork, For<v1::StartWorkRequest>(i));
  auto resolve = For<v1::ResolveIncidentRequest>(i);
  resolve.set_resolution_code("fixed");
  i = Must(f, kAgent, &Stub::ResolveIncident, resolve);

  f.clock.Advance(absl::Hours(47));
  auto reopen = For<v1::ReopenIncidentRequest>(i);
  reopen.set_reason("sigue sin encender");
  i = Must(f, kAna, &Stub::ReopenIncident, reopen);
  CHECK(i.state() == v1::IN_PROGRESS);
  CHECK(i.reopen_count() == 1);

  resolve = For<v1::ResolveIncidentRequest>(i);
  resolve.set_resolution_code("replaced");
  i = Must(f, kAgent, &Stub::ResolveIncident, resolve);
  f.clock.Advance(absl::Hours(49));
  reopen = For<v1::ReopenIncidentRequest>(i);
  reopen.set_reason("otra vez");
  v1::Incident out;
  grpc::Status late = f.Call(CallerFor(kAna), &Stub::ReopenIncident, reopen, &out);
  CHECK(late.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(Reason(late) == "REOPEN_WINDOW_EXPIRED");

  i = Must(f, kAna, &Stub::CloseIncident, For<v1::CloseIncidentRequest>(i));
  reopen = For<v1::ReopenIncidentRequest>(i);
  reopen.set_reason("volvió a fallar");
  grpc::Status closed = f.Call(CallerFor(kAgent), &Stub::ReopenIncident, reopen, &out);
  CHECK(closed.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(Reason(closed) == "ILLEGAL_TRANSITION");
  CHECK(closed.error_message().find("no transitions are allowed from closed") != std::string::npos);
}

TEST_CASE("an illegal transition names what the current state allows", "[incident][flow]") {
  IncidentFixture f;
  v1::Incident i = f.Create(kAna, "Correo no sincroniza", kOther);  // no default group: new
  CHECK(i.state() == v1::NEW);
  auto resolve = For<v1::ResolveIncidentRequest>(i);
  resolve.set_resolution_code("fixed");
  v1::Incident out;
  grpc::Status s = f.Call(CallerFor(kAgent), &Stub::ResolveIncident, resolve, &out);
  CHECK(s.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(Reason(s) == "ILLEGAL_TRANSITION");
  CHECK(s.error_message().find("allowed from new: assign → assigned") != std::string::npos);
}

TEST_CASE("assignment is checked against the directory", "[incident][flow]") {
  IncidentFixture f;
  v1::Incident i = f.Create(kAna, "Pantalla azul", kOther);
  v1::Incident out;
  auto assign = For<v1::AssignIncidentRequest>(i);
  grpc::Status no_group = f.Call(CallerFor(kAgent), &Stub::AssignIncident, assign, &out);
  CHECK(Reason(no_group) == "REQUIRED");

  const std::pair<std::pair<const char*, const char*>, const char*> cases[] = {
      {{kSpecialists, kAgent}, "ASSIGNEE_NOT_IN_GROUP"},
      {{kDesk, kGone}, "INACTIVE_ASSIGNEE"},
      {{kClosedGroup, ""}, "INACTIVE_GROUP"},
      {{"b0000000-0000-4000-8000-00000000dead", ""}, "UNKNOWN_GROUP"},
  };
  for (const auto& [ids, reason] : cases) {
    assign.set_group_id(ids.first);
    assign.set_assignee_id(ids.second);
    grpc::Status s = f.Call(CallerFor(kAgent), &Stub::AssignIncident, assign, &out);
    CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(Reason(s) == reason);
  }
  f.directory.SetDown(true);
  assign.set_group_id(kDesk);
  assign.set_assignee_id("");
  CHECK(f.Call(CallerFor(kAgent), &Stub::AssignIncident, assign, &out).error_code() ==
        grpc::StatusCode::UNAVAILABLE);
  f.directory.SetDown(false);
  out = Must(f, kAgent, &Stub::AssignIncident, assign);
  CHECK(out.state() == v1::ASSIGNED);
}

TEST_CASE("a priority override needs a justification and is recorded with it", "[incident][flow]") {
  IncidentFixture f;
  v1::Incident i = f.Create(kAna, "No carga el SIMAT");
  auto set = For<v1::SetPriorityRequest>(i);
  set.set_priority(v1::P1);
  v1::Incident out;
  grpc::Status s = f.Call(CallerFor(kAgent), &Stub::SetPriority, set, &out);
  CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Reason(s) == "JUSTIFICATION_REQUIRED");
  set.set_justification("matrículas cierran hoy");
  out = Must(f, kAgent, &Stub::SetPriority, set);
  CHECK(out.priority() == v1::P1);
  CHECK(out.matrix_priority() == v1::P3);
  CHECK(out.priority_overridden());
  CHECK(f.Count("SELECT count(*) FROM audit_trail WHERE field = 'priority' AND old_value = 'P3' "
                "AND new_value = 'P1' AND reason = 'matrículas cierran hoy'") == 1);
  CHECK(f.OutboxCounts()["incident.incident.priority_changed"] == 1);
}

TEST_CASE("the audit trail cannot be rewritten, not even by the service's own role",
          "[incident][flow]") {
  IncidentFixture f;
  v1::Incident i = f.Create(kAna, "Mouse no funciona");
  auto escalate = For<v1::EscalateIncidentRequest>(i);
  escalate.set_kind(v1::HIERARCHICAL);
  escalate.set_coordinator_id(kCoordinator);
  escalate.set_reason("el rector pide seguimiento");
  Must(f, kAgent, &Stub::EscalateIncident, escalate);
  REQUIRE(f.Count("SELECT count(*) FROM audit_trail") > 0);
  REQUIRE(f.Count("SELECT count(*) FROM escalations") == 1);
  for (const char* sql :
       {"UPDATE audit_trail SET reason = 'rewritten'", "DELETE FROM audit_trail",
        "TRUNCATE audit_trail", "UPDATE escalations SET reason = 'x'", "DELETE FROM escalations"}) {
    INFO(sql);
    absl::Status s = f.pool->Transact([&](pqxx::work& tx) {
      tx.exec(sql);
      return absl::OkStatus();
    });
    CHECK(s.code() == absl::StatusCode::kPermissionDenied);
    CHECK(std::string(s.message()).find("append-only") != std::string::npos);
  }
  CHECK(f.Count("SELECT count(*) FROM audit_trail WHERE reason = 'rewritten'") == 0);
}

TEST_CASE("an attachment over the limit is refused and one within it is stored with its digest",
          "[incident][flow]") {
  IncidentOptions options;
  options.max_attachment_bytes = 1024;
  IncidentFixture f(options);
  v1::CreateIncidentRequest create;
  create.set_title("Adjunto captura del error");
  create.set_channel(v1::PORTAL);
  auto* file = create.add_attachments();
  file->set_filename("captura.png");
  file->set_content(std::string(1025, '\x7f'));
  v1::Incident out;
  grpc::Status s = f.Call(CallerFor(kAna), &Stub::CreateIncident, create, &out);
  CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(Reason(s) == "ATTACHMENT_TOO_LARGE");
  CHECK(s.error_message().find("1024 bytes") != std::string::npos);
  CHECK(f.Count("SELECT count(*) FROM incidents") == 0);

  file->set_content(std::string(1024, '\x7f'));
  REQUIRE(f.Call(CallerFor(kAna), &Stub::CreateIncident, create, &out).ok());
  REQUIRE(out.attachments_size() == 1);
  CHECK(out.attachments(0).size_bytes() == 1024);
  CHECK(out.attachments(0).sha256() == Sha256Hex(std::string(1024, '\x7f')));
  CHECK(out.attachments(0).content().empty());

  v1::AddCommentRequest comment;
  comment.set_number(out.number());
  comment.set_body("otra captura");
  comment.add_attachments()->set_filename("grande.bin");
  comment.mutable_attachments(0)->set_content(std::string(4096, 'x'));
  v1::WorkLogEntry entry;
  grpc::Status big = f.Call(CallerFor(kAna), &Stub::AddComment, comment, &entry);
  CHECK(Reason(big) == "ATTACHMENT_TOO_LARGE");

  v1::GetAttachmentRequest download;
  download.set_number(out.number());
  download.set_attachment_id(out.attachments(0).id());
  v1::Attachment got;
  REQUIRE(f.Call(CallerFor(kAna), &Stub::GetAttachment, download, &got).ok());
  CHECK(got.content() == std::string(1024, '\x7f'));
  CHECK(got.filename() == "captura.png");
}

TEST_CASE("calls without a valid signed caller are refused", "[incident][flow]") {
  IncidentFixture f;
  auto stub = f.NewStub();
  grpc::ClientContext context;
  v1::GetIncidentRequest request;
  request.set_number("INC-2026-000001");
  v1::Incident out;
  CHECK(stub->GetIncident(&context, request, &out).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
}

TEST_CASE("the audit trail and work log are read page by page, oldest first", "[incident][flow]") {
  IncidentFixture f;
  v1::Incident i = f.Create(kAna, "Sin acceso a la plataforma");
  for (int k = 0; k < 5; ++k) {
    v1::AddCommentRequest comment;
    comment.set_number(i.number());
    comment.set_body("mensaje " + std::to_string(k));
    v1::WorkLogEntry entry;
    REQUIRE(f.Call(CallerFor(kAna), &Stub::AddComment, comment, &entry).ok());
  }
  v1::ListWorkLogRequest log;
  log.set_number(i.number());
  log.mutable_page()->set_page_size(2);
  std::vector<std::string> bodies;
  for (int page = 0; page < 5; ++page) {
    v1::ListWorkLogResponse response;
    REQUIRE(f.Call(CallerFor(kAna), &Stub::ListWorkLog, log, &response).ok());
    for (const auto& e : response.entries()) bodies.push_back(e.body());
    if (response.next_page_token().empty()) break;
    log.mutable_page()->set_page_token(response.next_page_token());
  }
  CHECK(bodies ==
        std::vector<std::string>{"mensaje 0", "mensaje 1", "mensaje 2", "mensaje 3", "mensaje 4"});

  v1::GetAuditTrailRequest audit;
  audit.set_number(i.number());
  audit.mutable_page()->set_page_size(3);
  long total = 0;
  std::string previous_id;
  for (int page = 0; page < 50; ++page) {
    v1::GetAuditTrailResponse response;
    REQUIRE(f.Call(CallerFor(kAgent), &Stub::GetAuditTrail, audit, &response).ok());
    for (const auto& e : response.entries()) {
      CHECK(std::stoll(e.id()) > (previous_id.empty() ? 0 : std::stoll(previous_id)));
      previous_id = e.id();
      ++total;
    }
    if (response.next_page_token().empty()) break;
    audit.mutable_page()->set_page_token(response.next_page_token());
  }
  CHECK(total == f.Count("SELECT count(*) FROM audit_trail"));
  audit.mutable_page()->set_page_token("bm90LWEtdG9rZW4");
  v1::GetAuditTrailResponse response;
  CHECK(Reason(f.Call(CallerFor(kAgent), &Stub::GetAuditTrail, audit, &response)) ==
        "INVALID_PAGE_TOKEN");
}
