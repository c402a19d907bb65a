// tiquete-directory: serves DirectoryService and CredentialService (default), applies
// migrations (`migrate`), imports a CSV file (`import --kind=KIND FILE`) or sets a password
// (`set-password --email=E --password=P`).
#include <iostream>

#include "common/clock.h"
#include "common/config.h"
#include "common/log.h"
#include "common/pg.h"
#include "common/server.h"
#include "common/service_main.h"
#include "services/directory/credentials_service.h"
#include "services/directory/domain/import_plan.h"
#include "services/directory/import.h"
#include "services/directory/service.h"
#include "services/directory/store.h"

namespace {

using tiquete::Config;

int Serve(const Config& config) {
  auto process =
      tiquete::ServiceProcess::Create(config, "directory", "tiquete.directory.v1.DirectoryService");
  if (!process.ok()) {
    tiquete::log::Error("start-up failed", {{"error", process.status().ToString()}});
    return 1;
  }
  tiquete::directory::DirectoryStore store((*process)->pool(), *tiquete::SystemClock::Get());
  tiquete::directory::DirectoryServiceImpl service(store);
  auto signer = tiquete::CallerSigner::FromHex(config.Get("TIQUETE_CALLER_KEY"));
  if (!signer.ok()) {
    tiquete::log::Error("bad TIQUETE_CALLER_KEY", {{"error", signer.status().ToString()}});
    return 2;
  }
  tiquete::directory::CredentialsStore credentials_store((*process)->pool(),
                                                         *tiquete::SystemClock::Get());
  tiquete::directory::CredentialServiceImpl credentials(credentials_store, *signer);
  (*process)->runner().AddService(&service);
  (*process)->runner().AddService(&credentials);
  return (*process)->Run();
}

}  // namespace

int main(int argc, char** argv) {
  tiquete::PrepareProcess();
  std::vector<tiquete::Setting> settings =
      tiquete::ServiceSettings("127.0.0.1:8481", "127.0.0.1:9481", "directory");
  settings.push_back(tiquete::CallerKeySetting());
  const Config config = Config::LoadOrExit(settings, argc, argv);
  tiquete::InitLoggingFrom(config, "directory");

  // Subcommand and its own flags (Config leaves flags that are not settings in args()).
  std::vector<std::string> args;
  std::string kind;
  for (const std::string& arg : config.args()) {
    if (arg.rfind("--kind=", 0) == 0) {
      kind = arg.substr(7);
    } else {
      args.push_back(arg);
    }
  }
  const std::string command = args.empty() ? "serve" : args[0];
  const bool usage_ok = (command == "serve" && args.size() <= 1 && kind.empty()) ||
                        (command == "migrate" && args.size() == 1 && kind.empty()) ||
                        (command == "import" && args.size() == 2) ||
                        (command == "set-password" && kind.empty());
  if (!usage_ok) {
    std::cerr << "usage: tiquete-directory [serve | migrate | import --kind=KIND FILE |\n"
              << "                          set-password --email=EMAIL --password=PASSWORD]\n"
              << "  KIND: " << tiquete::directory::ImportKindNames() << "\n";
    return 2;
  }
  if (absl::Status s = tiquete::MigrateFrom(config, "directory", tiquete::directory::Migrations());
      !s.ok()) {
    tiquete::log::Error("migrations failed", {{"error", s.ToString()}});
    return 1;
  }
  if (command == "migrate") {
    tiquete::log::Info("migrations applied");
    return 0;
  }
  if (command == "import") {
    tiquete::PgPool pool(tiquete::PoolOptionsFrom(config));
    tiquete::directory::DirectoryStore store(pool, *tiquete::SystemClock::Get());
    return tiquete::directory::RunImport(store, kind, args[1], std::cout, std::cerr);
  }
  if (command == "set-password") {
    tiquete::PgPool pool(tiquete::PoolOptionsFrom(config));
    tiquete::directory::CredentialsStore store(pool, *tiquete::SystemClock::Get());
    return tiquete::directory::RunSetPassword(store, args, std::cout, std::cerr);
  }
  return Serve(config);
}
