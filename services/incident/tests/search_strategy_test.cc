// IncidentStore::List answers a text search by one of two paths (a window in sort order, or
// fetching every match through the full-text index and sorting); tuned down to a few rows,
// both must give the same exact page.
#include <catch2/catch.hpp>

#include "services/incident/store.h"
#include "services/incident/tests/fixture.h"

using namespace tiquete::incident;           // NOLINT: test
using namespace tiquete::incident::testing;  // NOLINT: test

namespace {

std::vector<std::string> Page(IncidentFixture& f, SearchTuning tuning, const std::string& text,
                              int limit) {
  IncidentStore store(*f.pool, &f.clock);
  store.set_search_tuning(tuning);
  IncidentQuery q;
  q.scope.everything = true;
  q.text = text;
  q.limit = limit;
  auto rows = store.List(q);
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  std::vector<std::string> titles;
  for (const auto& row : *rows) titles.push_back(row.incident.title());
  return titles;
}

}  // namespace

TEST_CASE("a text search gives the same exact page by both paths", "[incident][search]") {
  IncidentFixture f;
  for (int k = 0; k < 6; ++k) f.Create(kAna, "Impresora " + std::to_string(k) + " sin tóner");
  f.Create(kAna, "Proyector del aula sin wifi");
  for (int k = 0; k < 4; ++k) f.Create(kBeto, "Teclado " + std::to_string(k) + " dañado");
  f.Create(kBeto, "Proyector y wifi caídos");
  using Strings = std::vector<std::string>;

  // Common words: 6 matches; a page of 2 is read as 3 rows (one more tells that another page
  // follows).
  const Strings printers = {"Impresora 0 sin tóner", "Impresora 1 sin tóner",
                            "Impresora 2 sin tóner"};
  CHECK(Page(f, {100}, "impresoras toner", 2) == printers);  // found in the window
  CHECK(Page(f, {2}, "impresoras toner", 2) == printers);    // window short → fetch and sort

  // Rare words.
  const Strings projectors = {"Proyector del aula sin wifi", "Proyector y wifi caídos"};
  CHECK(Page(f, {100}, "proyector wifi", 2) == projectors);
  CHECK(Page(f, {1}, "proyector wifi", 2) == projectors);
  CHECK(Page(f, {1}, "proyector wifi teclado", 2).empty());

  // The window holds only printers: the keyboards come from the fetch.
  CHECK(Page(f, {100}, "teclados", 1) == Strings{"Teclado 0 dañado", "Teclado 1 dañado"});
  CHECK(Page(f, {3}, "teclados", 1) == Strings{"Teclado 0 dañado", "Teclado 1 dañado"});
}
