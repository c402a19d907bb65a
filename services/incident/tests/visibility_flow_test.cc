// Who sees what, enforced by the service from the signed caller.
#include <catch2/catch.hpp>

#include "services/incident/tests/fixture.h"

using namespace tiquete::incident;           // NOLINT: test
using namespace tiquete::incident::testing;  // NOLINT: test
using Stub = v1::IncidentService::Stub;

namespace {

v1::WorkLogEntry Comment(IncidentFixture& f, const std::string& who, const std::string& number,
                         const std::string& body, v1::Visibility visibility,
                         grpc::Status* status = nullptr) {
  v1::AddCommentRequest request;
  request.set_number(number);
  request.set_body(body);
  request.set_visibility(visibility);
  if (visibility == v1::INTERNAL) {
    auto* file = request.add_attachments();
    file->set_filename("traza.log");
    file->set_content("stack trace");
  }
  v1::WorkLogEntry entry;
  grpc::Status s = f.Call(CallerFor(who), &Stub::AddComment, request, &entry);
  if (status) {
    *status = s;
  } else {
    INFO(s.error_message());
    REQUIRE(s.ok());
  }
  return entry;
}

std::vector<std::string> Bodies(IncidentFixture& f, const std::string& who,
                                const std::string& number, grpc::Status* status = nullptr) {
  v1::ListWorkLogRequest request;
  request.set_number(number);
  v1::ListWorkLogResponse response;
  grpc::Status s = f.Call(CallerFor(who), &Stub::ListWorkLog, request, &response);
  if (status) *status = s;
  std::vector<std::string> bodies;
  for (const auto& e : response.entries()) bodies.push_back(e.body());
  return bodies;
}

std::set<std::string> Listed(IncidentFixture& f, const std::string& who,
                             v1::IncidentFilter filter = {}) {
  v1::ListIncidentsRequest request;
  *request.mutable_filter() = filter;
  v1::ListIncidentsResponse response;
  grpc::Status s = f.Call(CallerFor(who), &Stub::ListIncidents, request, &response);
  INFO(s.error_message());
  REQUIRE(s.ok());
  std::set<std::string> numbers;
  for (const auto& i : response.incidents()) numbers.insert(i.number());
  return numbers;
}

}  // namespace

TEST_CASE("requester B gets NOT_FOUND on requester A's incident, never PERMISSION_DENIED",
          "[incident][visibility]") {
  IncidentFixture f;
  const v1::Incident mine = f.Create(kAna, "Mi portátil no enciende");
  v1::GetIncidentRequest get;
  get.set_number(mine.number());
  v1::Incident out;
  CHECK(f.Call(CallerFor(kBeto), &Stub::GetIncident, get, &out).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  grpc::Status s;
  Comment(f, kBeto, mine.number(), "hola", v1::PUBLIC, &s);
  CHECK(s.error_code() == grpc::StatusCode::NOT_FOUND);
  Bodies(f, kBeto, mine.number(), &s);
  CHECK(s.error_code() == grpc::StatusCode::NOT_FOUND);
  v1::CancelIncidentRequest cancel;
  cancel.set_number(mine.number());
  cancel.set_version(99);  // a wrong version must not reveal that the incident exists
  cancel.set_reason("no");
  CHECK(f.Call(CallerFor(kBeto), &Stub::CancelIncident, cancel, &out).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  CHECK(Listed(f, kBeto).empty());
  CHECK(Listed(f, kAna) == std::set<std::string>{mine.number()});
}

TEST_CASE("internal notes and their attachments never reach requesters", "[incident][visibility]") {
  IncidentFixture f;
  const v1::Incident i = f.Create(kAna, "No puedo entrar al SIMAT");
  Comment(f, kAgent, i.number(), "¿Ya intentó restablecer la contraseña?", v1::PUBLIC);
  const v1::WorkLogEntry note =
      Comment(f, kAgent, i.number(), "usuario bloqueado en LDAP", v1::INTERNAL);
  Comment(f, kAna, i.number(), "Sí, y sigue igual", v1::PUBLIC);

  CHECK(Bodies(f, kAna, i.number()) ==
        std::vector<std::string>{"¿Ya intentó restablecer la contraseña?", "Sí, y sigue igual"});
  CHECK(Bodies(f, kAgent, i.number()).size() == 3);

  v1::GetAttachmentRequest download;
  download.set_number(i.number());
  download.set_attachment_id(note.attachments(0).id());
  v1::Attachment file;
  CHECK(f.Call(CallerFor(kAna), &Stub::GetAttachment, download, &file).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  REQUIRE(f.Call(CallerFor(kAgent), &Stub::GetAttachment, download, &file).ok());
  CHECK(file.content() == "stack trace");

  grpc::Status s;
  Comment(f, kAna, i.number(), "nota interna", v1::INTERNAL, &s);
  CHECK(s.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(Reason(s) == "INTERNAL_NOTE_NOT_ALLOWED");
  // The agent's public reply was the first response.
  CHECK(f.Get(kAgent, i.number()).has_first_response_at());
}

TEST_CASE("a retried comment with the same idempotency key is stored once",
          "[incident][visibility]") {
  IncidentFixture f;
  const v1::Incident i = f.Create(kAna, "Falla la red");
  v1::AddCommentRequest request;
  request.set_number(i.number());
  request.set_body("Adjunto foto del switch");
  request.set_idempotency_key("mail-42");
  request.set_source_message_id("<42@colegio.edu.co>");
  v1::WorkLogEntry first, second;
  REQUIRE(f.Call(CallerFor(kAna), &Stub::AddComment, request, &first).ok());
  REQUIRE(f.Call(CallerFor(kAna), &Stub::AddComment, request, &second).ok());
  CHECK(first.id() == second.id());
  CHECK(second.source_message_id() == "<42@colegio.edu.co>");
  CHECK(f.Count("SELECT count(*) FROM work_log") == 1);
  CHECK(f.OutboxCounts()["incident.incident.commented"] == 1);
}

TEST_CASE("possible security incidents are seen by security officers and their reporter only",
          "[incident][visibility]") {
  IncidentFixture f;
  const v1::Incident phishing = f.Create(kAna, "Correo sospechoso pidiendo clave", kPhishing);
  CHECK(phishing.possible_security());
  CHECK(phishing.security_reason() == "category: Seguridad > Phishing");
  const v1::Incident normal = f.Create(kAna, "Impresora sin tóner");
  v1::GetIncidentRequest get;
  get.set_number(phishing.number());
  v1::Incident out;
  CHECK(f.Call(CallerFor(kAgent), &Stub::GetIncident, get, &out).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  CHECK(f.Call(CallerFor(kCoordinator), &Stub::GetIncident, get, &out).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  CHECK(f.Call(CallerFor(kSecurity), &Stub::GetIncident, get, &out).ok());
  CHECK(f.Call(CallerFor(kAna), &Stub::GetIncident, get, &out).ok());
  CHECK(Listed(f, kAgent) == std::set<std::string>{normal.number()});
  CHECK(Listed(f, kSecurity) == std::set<std::string>{normal.number(), phishing.number()});

  v1::CountIncidentsByStateRequest count;
  v1::CountIncidentsByStateResponse counts;
  REQUIRE(f.Call(CallerFor(kAgent), &Stub::CountIncidentsByState, count, &counts).ok());
  CHECK(counts.total() == 1);
  REQUIRE(f.Call(CallerFor(kSecurity), &Stub::CountIncidentsByState, count, &counts).ok());
  CHECK(counts.total() == 2);
  CHECK(counts.counts(v1::ASSIGNED - 1).count() == 2);
}

TEST_CASE("providers see only the incidents assigned to their groups", "[incident][visibility]") {
  IncidentFixture f;
  v1::Incident escalated = f.Create(kAna, "Servidor de matrículas caído");
  const v1::Incident local = f.Create(kAna, "Monitor parpadea");
  v1::EscalateIncidentRequest escalate;
  escalate.set_number(escalated.number());
  escalate.set_version(escalated.version());
  escalate.set_kind(v1::FUNCTIONAL);
  escalate.set_group_id(kVendorGroup);
  escalate.set_reason("contrato de soporte del proveedor");
  REQUIRE(f.Call(CallerFor(kAgent), &Stub::EscalateIncident, escalate, &escalated).ok());
  CHECK(escalated.level() == v1::L3);
  CHECK(Listed(f, kVendor) == std::set<std::string>{escalated.number()});
  v1::GetIncidentRequest get;
  get.set_number(local.number());
  v1::Incident out;
  CHECK(f.Call(CallerFor(kVendor), &Stub::GetIncident, get, &out).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  v1::StartWorkRequest start;
  start.set_number(escalated.number());
  start.set_version(escalated.version());
  REQUIRE(f.Call(CallerFor(kVendor), &Stub::StartWork, start, &out).ok());
  CHECK(out.assignee_id() == kVendor);
}

TEST_CASE("my queue and my group's queue follow the caller", "[incident][visibility]") {
  IncidentFixture f;
  v1::Incident mine = f.Create(kAna, "Cámara del aula sin señal");
  const v1::Incident queued = f.Create(kBeto, "Parlantes sin sonido");
  f.Create(kAna, "Sin categoría", kOther);
  v1::AssignIncidentRequest assign;
  assign.set_number(mine.number());
  assign.set_version(mine.version());
  assign.set_assignee_id(kAgent);
  REQUIRE(f.Call(CallerFor(kAgent), &Stub::AssignIncident, assign, &mine).ok());
  v1::IncidentFilter my_queue;
  my_queue.set_my_queue(true);
  CHECK(Listed(f, kAgent, my_queue) == std::set<std::string>{mine.number()});
  v1::IncidentFilter group_queue;
  group_queue.set_my_groups_queue(true);
  CHECK(Listed(f, kAgent2, group_queue) == std::set<std::string>{mine.number(), queued.number()});
  CHECK(Listed(f, kSpecialist, group_queue).empty());
}

TEST_CASE("only support and integrations open incidents for someone else",
          "[incident][visibility]") {
  IncidentFixture f;
  v1::CreateIncidentRequest create;
  create.set_title("Alerta: disco lleno en el servidor de archivos");
  create.set_channel(v1::MONITORING);
  create.set_requester_id(kAna);
  Caller monitoring;
  monitoring.set_system("intake");
  monitoring.add_roles("integration");
  v1::Incident out;
  grpc::Status s = f.Call(monitoring, &Stub::CreateIncident, create, &out);
  INFO(s.error_message());
  REQUIRE(s.ok());
  CHECK(out.requester_id() == kAna);
  CHECK(f.Get(kAna, out.number()).title() == create.title());
  CHECK(f.Count("SELECT count(*) FROM audit_trail WHERE actor_id = 'system:intake'") > 0);

  create.set_requester_id(kAna);
  grpc::Status mismatch = f.Call(CallerFor(kBeto), &Stub::CreateIncident, create, &out);
  CHECK(mismatch.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(Reason(mismatch) == "REQUESTER_MISMATCH");
  create.set_requester_id("a0000000-0000-4000-8000-00000000beef");
  CHECK(Reason(f.Call(CallerFor(kAgent), &Stub::CreateIncident, create, &out)) == "UNKNOWN_PERSON");
}
