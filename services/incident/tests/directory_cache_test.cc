// The directory cache: found records are reused for the TTL, everything else is asked again.
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "services/incident/cached_directory_client.h"

using namespace tiquete;            // NOLINT: test
using namespace tiquete::incident;  // NOLINT: test
namespace dir = tiquete::directory::v1;

namespace {

// Answers from a map and counts the calls; `down` makes every call UNAVAILABLE.
class CountingDirectory final : public DirectoryClient {
 public:
  absl::StatusOr<dir::Person> GetPerson(const std::string& id) override {
    ++calls;
    if (down) return absl::UnavailableError("directory down");
    auto it = people.find(id);
    if (it == people.end()) return absl::NotFoundError("no such person");
    return it->second;
  }
  absl::StatusOr<dir::Group> GetGroup(const std::string&) override {
    ++calls;
    dir::Group g;
    g.set_active(true);
    return g;
  }
  absl::StatusOr<dir::Category> GetCategory(const std::string&) override {
    ++calls;
    return dir::Category();
  }
  absl::StatusOr<dir::ItService> GetItService(const std::string&) override {
    ++calls;
    return dir::ItService();
  }
  absl::StatusOr<dir::ConfigurationItem> GetConfigurationItem(const std::string&) override {
    ++calls;
    return dir::ConfigurationItem();
  }
  std::map<std::string, dir::Person> people;
  int calls = 0;
  bool down = false;
};

dir::Person Person(const std::string& id, bool active) {
  dir::Person p;
  p.set_id(id);
  p.set_active(active);
  return p;
}

}  // namespace

TEST_CASE("a record the directory found is reused until the TTL ends", "[directory_cache]") {
  FakeClock clock;
  CountingDirectory remote;
  remote.people["ana"] = Person("ana", true);
  CachedDirectoryClient cache(&remote, &clock, absl::Seconds(10));
  REQUIRE(cache.GetPerson("ana").ok());
  REQUIRE(cache.GetPerson("ana").ok());
  CHECK(remote.calls == 1);
  // Kinds are cached apart: a group with the same id is another record.
  REQUIRE(cache.GetGroup("ana").ok());
  CHECK(remote.calls == 2);
  // A deactivation in the directory is seen once the TTL has passed.
  remote.people["ana"] = Person("ana", false);
  clock.Advance(absl::Seconds(9));
  CHECK(cache.GetPerson("ana")->active());
  clock.Advance(absl::Seconds(1));
  CHECK_FALSE(cache.GetPerson("ana")->active());
  CHECK(remote.calls == 3);
}

TEST_CASE("unknown ids and directory errors are never cached", "[directory_cache]") {
  FakeClock clock;
  CountingDirectory remote;
  CachedDirectoryClient cache(&remote, &clock, absl::Seconds(10));
  CHECK(cache.GetPerson("new").status().code() == absl::StatusCode::kNotFound);
  remote.people["new"] = Person("new", true);  // created a moment later
  CHECK(cache.GetPerson("new").ok());
  CHECK(remote.calls == 2);
  remote.down = true;
  clock.Advance(absl::Seconds(11));
  CHECK(cache.GetPerson("new").status().code() == absl::StatusCode::kUnavailable);
  remote.down = false;
  CHECK(cache.GetPerson("new").ok());
  CHECK(remote.calls == 4);
}

TEST_CASE("a full cache makes room instead of growing", "[directory_cache]") {
  FakeClock clock;
  CountingDirectory remote;
  for (int i = 0; i < 10; ++i) remote.people[std::to_string(i)] = Person(std::to_string(i), true);
  CachedDirectoryClient cache(&remote, &clock, absl::Seconds(10), /*max_entries=*/4);
  for (int i = 0; i < 10; ++i) REQUIRE(cache.GetPerson(std::to_string(i)).ok());
  CHECK(remote.calls == 10);
  // The last ones are still there, whatever was dropped to make room.
  REQUIRE(cache.GetPerson("9").ok());
  CHECK(remote.calls == 10);
}
