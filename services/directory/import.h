// `tiquete-directory import --kind=KIND FILE`: checks every row of a CSV file and imports all
// of it in one transaction, or nothing when any row has a problem.
#pragma once

#include <ostream>
#include <string>

#include "services/directory/store.h"

namespace tiquete::directory {

// Returns the process exit code: 0 imported, 1 rejected or failed, 2 bad usage. Problems
// ("row N: field: ...") and progress go to `err`; the summary ("created X, updated Y,
// unchanged Z") to `out`.
int RunImport(DirectoryStore& store, const std::string& kind, const std::string& path,
              std::ostream& out, std::ostream& err);

}  // namespace tiquete::directory
