// Intake's category cache: a found category is reused for the TTL, unknown ids are asked again.
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "services/intake/clients.h"

using namespace tiquete;          // NOLINT: test
using namespace tiquete::intake;  // NOLINT: test

namespace {

class CountingCategories final : public DirectoryGateway {
 public:
  absl::StatusOr<CategoryInfo> GetCategory(const api::v1::Caller&, const std::string& id) override {
    ++calls;
    auto it = categories.find(id);
    if (it == categories.end()) return absl::NotFoundError("no such category");
    return it->second;
  }
  std::map<std::string, CategoryInfo> categories;
  int calls = 0;
};

}  // namespace

TEST_CASE("a category the directory found is reused until the TTL ends", "[directory_cache]") {
  FakeClock clock;
  CountingCategories remote;
  remote.categories["c1"] = CategoryInfo{"c1", "Hardware > Impresoras", false, true};
  CachedDirectoryGateway cache(&remote, &clock, absl::Seconds(10));
  const api::v1::Caller caller;
  CHECK(cache.GetCategory(caller, "c1")->full_path == "Hardware > Impresoras");
  CHECK(cache.GetCategory(caller, "c1").ok());
  CHECK(remote.calls == 1);
  remote.categories["c1"].security = true;  // flagged as a security category in the directory
  clock.Advance(absl::Seconds(10));
  CHECK(cache.GetCategory(caller, "c1")->security);
  CHECK(remote.calls == 2);
  CHECK(cache.GetCategory(caller, "nope").status().code() == absl::StatusCode::kNotFound);
  remote.categories["nope"] = CategoryInfo{"nope", "Nueva", false, true};
  CHECK(cache.GetCategory(caller, "nope").ok());  // created since: not remembered as missing
  CHECK(remote.calls == 4);
}
