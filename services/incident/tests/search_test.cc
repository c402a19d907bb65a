// Queries: Spanish full-text search, filters, sort orders and keyset pagination.
#include <catch2/catch.hpp>

#include "services/incident/tests/fixture.h"

using namespace tiquete::incident;           // NOLINT: test
using namespace tiquete::incident::testing;  // NOLINT: test
using Stub = v1::IncidentService::Stub;

namespace {

std::vector<std::string> Titles(IncidentFixture& f, const v1::ListIncidentsRequest& request,
                                std::string* next = nullptr) {
  v1::ListIncidentsResponse response;
  grpc::Status s = f.Call(CallerFor(kAgent), &Stub::ListIncidents, request, &response);
  INFO(s.error_message());
  REQUIRE(s.ok());
  if (next) *next = response.next_page_token();
  std::vector<std::string> titles;
  for (const auto& i : response.incidents()) titles.push_back(i.title());
  return titles;
}

std::vector<std::string> Search(IncidentFixture& f, const std::string& text) {
  v1::ListIncidentsRequest request;
  request.mutable_filter()->set_query(text);
  return Titles(f, request);
}

}  // namespace

TEST_CASE("Spanish search ignores accents and matches word forms", "[incident][search]") {
  IncidentFixture f;
  f.Create(kAna, "La impresora del aula 3 no imprime");
  f.Create(kAna, "Olvidé mi contraseña del SIMAT");
  f.Create(kBeto, "Sin conexión a internet en la sede rural");
  using Strings = std::vector<std::string>;
  CHECK(Search(f, "impresoras") == Strings{"La impresora del aula 3 no imprime"});
  CHECK(Search(f, "contrasena") == Strings{"Olvidé mi contraseña del SIMAT"});
  CHECK(Search(f, "CONTRASEÑAS") == Strings{"Olvidé mi contraseña del SIMAT"});
  CHECK(Search(f, "conexion internet") == Strings{"Sin conexión a internet en la sede rural"});
  CHECK(Search(f, "olvide") == Strings{"Olvidé mi contraseña del SIMAT"});
  CHECK(Search(f, "impresora internet").empty());  // all words must match
  CHECK(Search(f, "impresora OR simat").size() == 2);
  CHECK(Search(f, "el de la").empty());  // only stop words: nothing, not everything
}

TEST_CASE("a ticket number in the search box finds that ticket", "[incident][search]") {
  IncidentFixture f;
  f.Create(kAna, "La impresora del aula 3 no imprime");
  const v1::Incident second = f.Create(kAna, "Olvidé mi contraseña del SIMAT");
  using Strings = std::vector<std::string>;
  CHECK(Search(f, second.number()) == Strings{"Olvidé mi contraseña del SIMAT"});
  std::string lower = second.number();
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(Search(f, " " + lower + " ") == Strings{"Olvidé mi contraseña del SIMAT"});
  CHECK(Search(f, "INC-2020-999999").empty());
}

TEST_CASE("pages follow priority then age with no row lost or repeated", "[incident][search]") {
  IncidentFixture f;
  const v1::Level levels[] = {v1::LOW, v1::HIGH,   v1::MEDIUM, v1::HIGH,
                              v1::LOW, v1::MEDIUM, v1::HIGH};
  for (int k = 0; k < 7; ++k) {
    v1::CreateIncidentRequest create;
    create.set_title("Caso " + std::to_string(k));
    create.set_channel(v1::PHONE);
    create.set_requester_id(kAna);
    create.set_category_id(kPrinters);
    create.set_impact(levels[k]);
    create.set_urgency(levels[k]);
    v1::Incident out;
    REQUIRE(f.Call(CallerFor(kAgent), &Stub::CreateIncident, create, &out).ok());
    f.clock.Advance(absl::Minutes(1));
  }
  v1::ListIncidentsRequest request;
  request.mutable_filter()->set_group_id(kDesk);
  request.mutable_filter()->add_states(v1::ASSIGNED);
  request.mutable_filter()->add_states(v1::IN_PROGRESS);
  request.mutable_page()->set_page_size(3);
  std::vector<std::string> all;
  std::string token;
  int pages = 0;
  do {
    request.mutable_page()->set_page_token(token);
    auto page = Titles(f, request, &token);
    all.insert(all.end(), page.begin(), page.end());
    ++pages;
  } while (!token.empty() && pages < 10);
  CHECK(pages == 3);
  // P1 (oldest first), P3, P5.
  CHECK(all == std::vector<std::string>{"Caso 1", "Caso 3", "Caso 6", "Caso 2", "Caso 5", "Caso 0",
                                        "Caso 4"});

  request.set_sort(v1::SORT_CREATED_DESC);
  request.mutable_page()->set_page_token("");
  request.mutable_page()->set_page_size(4);
  auto first = Titles(f, request, &token);
  CHECK(first == std::vector<std::string>{"Caso 6", "Caso 5", "Caso 4", "Caso 3"});
  request.mutable_page()->set_page_token(token);
  CHECK(Titles(f, request, &token) == std::vector<std::string>{"Caso 2", "Caso 1", "Caso 0"});
  CHECK(token.empty());
}

TEST_CASE("filters narrow the list", "[incident][search]") {
  IncidentFixture f;
  v1::CreateIncidentRequest create;
  create.set_title("Servidor SIMAT lento");
  create.set_channel(v1::MONITORING);
  create.set_requester_id(kBeto);
  create.set_service_id(kSimat);
  create.add_ci_ids(kServer);
  create.set_impact(v1::HIGH);
  create.set_urgency(v1::HIGH);
  v1::Incident server;
  REQUIRE(f.Call(CallerFor(kAgent), &Stub::CreateIncident, create, &server).ok());
  CHECK(server.state() == v1::NEW);
  CHECK(server.priority() == v1::P1);
  f.clock.Advance(absl::Hours(2));
  f.Create(kAna, "Impresora");

  using Strings = std::vector<std::string>;
  v1::ListIncidentsRequest by_ci;
  by_ci.mutable_filter()->set_ci_id(kServer);
  CHECK(Titles(f, by_ci) == Strings{"Servidor SIMAT lento"});
  v1::ListIncidentsRequest by_priority;
  by_priority.mutable_filter()->add_priorities(v1::P3);
  CHECK(Titles(f, by_priority) == Strings{"Impresora"});
  v1::ListIncidentsRequest by_requester;
  by_requester.mutable_filter()->set_requester_id(kBeto);
  CHECK(Titles(f, by_requester) == Strings{"Servidor SIMAT lento"});
  v1::ListIncidentsRequest by_state;
  by_state.mutable_filter()->add_states(v1::NEW);
  CHECK(Titles(f, by_state) == Strings{"Servidor SIMAT lento"});
  v1::ListIncidentsRequest by_level;
  by_level.mutable_filter()->set_level(v1::L1);
  CHECK(Titles(f, by_level) == Strings{"Impresora"});
  v1::ListIncidentsRequest recent;
  recent.mutable_filter()->mutable_created_from()->set_seconds(
      absl::ToUnixSeconds(f.clock.Now() - absl::Hours(1)));
  CHECK(Titles(f, recent) == Strings{"Impresora"});
  v1::ListIncidentsRequest major;
  major.mutable_filter()->set_major(true);
  CHECK(Titles(f, major).empty());
  v1::ListIncidentsRequest requests;
  requests.mutable_filter()->set_type(v1::SERVICE_REQUEST);
  CHECK(Titles(f, requests).empty());

  // "Sin asignar": nobody has taken it yet, whatever its group.
  v1::AssignIncidentRequest take;
  take.set_number(server.number());
  take.set_version(server.version());
  take.set_group_id(kDesk);
  take.set_assignee_id(kAgent);
  v1::Incident taken;
  REQUIRE(f.Call(CallerFor(kAgent), &Stub::AssignIncident, take, &taken).ok());
  v1::ListIncidentsRequest unassigned;
  unassigned.mutable_filter()->set_unassigned(true);
  CHECK(Titles(f, unassigned) == Strings{"Impresora"});
  unassigned.mutable_filter()->set_my_queue(true);
  v1::ListIncidentsResponse ignored;
  CHECK(f.Call(CallerFor(kAgent), &Stub::ListIncidents, unassigned, &ignored).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("a major incident keeps a public communication log", "[incident][search]") {
  IncidentFixture f;
  v1::Incident i = f.Create(kAna, "Caída del SIMAT en todo el departamento");
  v1::AddCommentRequest communication;
  communication.set_number(i.number());
  communication.set_body("Estamos trabajando en la caída");
  communication.set_communication(true);
  v1::WorkLogEntry entry;
  grpc::Status not_major = f.Call(CallerFor(kAgent), &Stub::AddComment, communication, &entry);
  CHECK(Reason(not_major) == "NOT_MAJOR");

  v1::SetMajorIncidentRequest major;
  major.set_number(i.number());
  major.set_version(i.version());
  major.set_major(true);
  major.set_owner_id(kCoordinator);
  major.set_reason("afecta a todas las sedes");
  CHECK(f.Call(CallerFor(kAgent), &Stub::SetMajorIncident, major, &i).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  REQUIRE(f.Call(CallerFor(kCoordinator), &Stub::SetMajorIncident, major, &i).ok());
  CHECK(i.major());
  CHECK(i.major_owner_id() == kCoordinator);
  REQUIRE(f.Call(CallerFor(kCoordinator), &Stub::AddComment, communication, &entry).ok());
  CHECK(entry.kind() == v1::COMMUNICATION);
  v1::ListWorkLogRequest log;
  log.set_number(i.number());
  log.set_communications_only(true);
  v1::ListWorkLogResponse response;
  REQUIRE(f.Call(CallerFor(kAna), &Stub::ListWorkLog, log, &response).ok());
  REQUIRE(response.entries_size() == 1);
  CHECK(response.entries(0).body() == "Estamos trabajando en la caída");
}

TEST_CASE("search results page by priority then age like any list", "[incident][search]") {
  IncidentFixture f;
  const v1::Level levels[] = {v1::LOW, v1::HIGH, v1::MEDIUM};
  for (int k = 0; k < 3; ++k) {
    v1::CreateIncidentRequest create;
    create.set_title("Impresora " + std::to_string(k) + " sin papel");
    create.set_channel(v1::PORTAL);
    create.set_impact(levels[k]);
    create.set_urgency(levels[k]);
    v1::Incident out;
    REQUIRE(f.Call(CallerFor(kAna), &Stub::CreateIncident, create, &out).ok());
  }
  f.Create(kAna, "Proyector dañado");
  v1::ListIncidentsRequest request;
  request.mutable_filter()->set_query("impresoras");
  request.mutable_page()->set_page_size(1);
  std::vector<std::string> all;
  std::string token;
  do {
    request.mutable_page()->set_page_token(token);
    auto page = Titles(f, request, &token);
    all.insert(all.end(), page.begin(), page.end());
  } while (!token.empty() && all.size() < 10);
  CHECK(all == std::vector<std::string>{"Impresora 1 sin papel", "Impresora 2 sin papel",
                                        "Impresora 0 sin papel"});
}
