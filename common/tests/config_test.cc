#include <catch2/catch.hpp>

#include "common/config.h"

using tiquete::Config;

namespace {

std::vector<tiquete::Setting> Settings() {
  return tiquete::ServiceSettings("127.0.0.1:8481", "127.0.0.1:9481", "directory");
}

absl::StatusOr<Config> LoadWith(std::vector<const char*> env, std::vector<const char*> argv = {}) {
  env.push_back(nullptr);
  argv.insert(argv.begin(), "tiquete-test");
  return Config::Load(Settings(), static_cast<int>(argv.size()), argv.data(), env.data());
}

}  // namespace

TEST_CASE("a missing required setting is an error naming it") {
  auto config = LoadWith({"PATH=/usr/bin"});
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().message().find("TIQUETE_DB_URL") != std::string::npos);
}

TEST_CASE("an unknown TIQUETE_ variable is an error naming it") {
  auto config = LoadWith({"TIQUETE_DB_URL=postgresql://a@b/c", "TIQUETE_DB_ULR=x"});
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().message().find("unknown setting TIQUETE_DB_ULR") != std::string::npos);
}

TEST_CASE("test-harness variables are not settings and are ignored") {
  auto config = LoadWith({"TIQUETE_DB_URL=postgresql://a@b/c", "TIQUETE_TEST_PG_ADMIN_URL=x"});
  REQUIRE(config.ok());
}

TEST_CASE("defaults apply and flags override the environment") {
  auto config = LoadWith({"TIQUETE_DB_URL=postgresql://a@b/c", "TIQUETE_DB_POOL_SIZE=4"},
                         {"--db-pool-size=12", "import", "--kind=people"});
  REQUIRE(config.ok());
  CHECK(config->Get("TIQUETE_GRPC_ADDR") == "127.0.0.1:8481");
  CHECK(config->GetInt("TIQUETE_DB_POOL_SIZE") == 12);
  CHECK(config->GetMillis("TIQUETE_DB_POOL_TIMEOUT_MS") == absl::Seconds(2));
  REQUIRE(config->args().size() == 2);
  CHECK(config->args()[0] == "import");
  CHECK(config->args()[1] == "--kind=people");
}

TEST_CASE("invalid values are rejected with the reason") {
  auto config = LoadWith({"TIQUETE_DB_URL=mysql://x", "TIQUETE_GRPC_ADDR=nonsense",
                          "TIQUETE_DB_POOL_SIZE=0", "TIQUETE_LOG_LEVEL=verbose"});
  REQUIRE_FALSE(config.ok());
  const std::string msg(config.status().message());
  CHECK(msg.find("TIQUETE_DB_URL") != std::string::npos);
  CHECK(msg.find("TIQUETE_GRPC_ADDR") != std::string::npos);
  CHECK(msg.find("TIQUETE_DB_POOL_SIZE") != std::string::npos);
  CHECK(msg.find("must be one of: debug, info, warning, error") != std::string::npos);
}

TEST_CASE("a whole-number setting takes 0 and up, and nothing else") {
  CHECK(tiquete::ValidateNonNegativeInt("0").empty());
  CHECK(tiquete::ValidateNonNegativeInt("50000").empty());
  CHECK(tiquete::ValidateNonNegativeInt("-5") == "must be a whole number (0 or more)");
  CHECK_FALSE(tiquete::ValidateNonNegativeInt("").empty());
  CHECK_FALSE(tiquete::ValidateNonNegativeInt("12k").empty());
  CHECK_FALSE(tiquete::ValidateNonNegativeInt("1.5").empty());
}
