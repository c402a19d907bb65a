#include "services/directory/import.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "services/directory/domain/import_plan.h"

namespace tiquete::directory {
namespace {

// Progress lines only help on files that take a while; small files print just the summary.
ImportProgress ProgressPrinter(std::ostream& err, const char* verb) {
  return [&err, verb](int done, int total) {
    if (total > kProgressEvery) err << verb << ' ' << done << '/' << total << std::endl;
  };
}

}  // namespace

int RunImport(DirectoryStore& store, const std::string& kind_name, const std::string& path,
              std::ostream& out, std::ostream& err) {
  ImportKind kind;
  if (!ParseImportKind(kind_name, &kind)) {
    err << "usage: tiquete-directory import --kind=KIND FILE (KIND: " << ImportKindNames() << ")\n";
    return 2;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    err << "cannot read " << path << "\n";
    return 1;
  }
  std::ostringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();

  const ImportProgress validated = ProgressPrinter(err, "validated");
  auto outcome = store.Import(
      kind, [&](const ImportSnapshot& stored) { return PlanImport(kind, text, stored, validated); },
      ProgressPrinter(err, "imported"));
  if (!outcome.ok()) {
    err << "import failed, nothing was imported: " << outcome.status() << "\n";
    return 1;
  }
  std::vector<RowProblem> problems = outcome->plan.problems;
  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const RowProblem& a, const RowProblem& b) { return a.row < b.row; });
    for (const RowProblem& p : problems) err << FormatRowProblem(p) << "\n";
    err << "nothing imported: " << problems.size() << " problem"
        << (problems.size() == 1 ? "" : "s") << " in " << path << "\n";
    return 1;
  }
  out << "created " << outcome->created << ", updated " << outcome->updated << ", unchanged "
      << outcome->unchanged << "\n";
  return 0;
}

}  // namespace tiquete::directory
