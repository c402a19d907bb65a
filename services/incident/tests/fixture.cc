#include "services/incident/tests/fixture.h"

#include <chrono>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "common/migrations.h"
#include "services/incident/migrations.h"

namespace tiquete::incident::testing {

void FakeDirectory::AddPerson(const std::string& id, std::vector<std::string> roles,
                              std::vector<std::string> groups, bool active) {
  std::lock_guard lock(mu_);
  dir::Person p;
  p.set_id(id);
  p.set_display_name(absl::StrCat("person ", id.substr(id.size() - 4)));
  p.set_active(active);
  for (auto& r : roles) p.add_roles(r);
  for (auto& g : groups) p.add_groups()->set_id(g);
  people_[id] = p;
}

void FakeDirectory::AddGroup(const std::string& id, const std::string& code,
                             const std::string& level, bool active) {
  std::lock_guard lock(mu_);
  dir::Group g;
  g.set_id(id);
  g.set_code(code);
  g.set_level(level);
  g.set_kind("support");
  g.set_active(active);
  groups_[id] = g;
}

void FakeDirectory::AddCategory(const std::string& id, const std::string& path,
                                const std::string& default_group, bool security) {
  std::lock_guard lock(mu_);
  dir::Category c;
  c.set_id(id);
  c.set_full_path(path);
  c.set_default_group_id(default_group);
  c.set_security(security);
  c.set_active(true);
  categories_[id] = c;
}

void FakeDirectory::AddService(const std::string& id, bool active) {
  std::lock_guard lock(mu_);
  services_[id].set_id(id);
  services_[id].set_code("SIMAT");
  services_[id].set_active(active);
}

void FakeDirectory::AddCi(const std::string& id, bool active) {
  std::lock_guard lock(mu_);
  cis_[id].set_id(id);
  cis_[id].set_code("SRV-01");
  cis_[id].set_active(active);
}

void FakeDirectory::SetDown(bool down) {
  std::lock_guard lock(mu_);
  down_ = down;
}

template <typename T>
absl::StatusOr<T> FakeDirectory::Find(const std::map<std::string, T>& table,
                                      const std::string& what, const std::string& id) {
  std::lock_guard lock(mu_);
  if (down_) return absl::UnavailableError("directory is down");
  auto it = table.find(id);
  if (it == table.end()) return NotFound(what, id);
  return it->second;
}

absl::StatusOr<dir::Person> FakeDirectory::GetPerson(const std::string& id) {
  return Find(people_, "person", id);
}
absl::StatusOr<dir::Group> FakeDirectory::GetGroup(const std::string& id) {
  return Find(groups_, "group", id);
}
absl::StatusOr<dir::Category> FakeDirectory::GetCategory(const std::string& id) {
  return Find(categories_, "category", id);
}
absl::StatusOr<dir::ItService> FakeDirectory::GetItService(const std::string& id) {
  return Find(services_, "service", id);
}
absl::StatusOr<dir::ConfigurationItem> FakeDirectory::GetConfigurationItem(const std::string& id) {
  return Find(cis_, "configuration item", id);
}

namespace {

struct Seed {
  const char* id;
  std::vector<std::string> roles;
  std::vector<std::string> groups;
};

const std::vector<Seed>& People() {
  static const std::vector<Seed> kPeople = {
      {kAna, {"requester"}, {}},
      {kBeto, {"requester"}, {}},
      {kAgent, {"agent_l1"}, {kDesk}},
      {kAgent2, {"agent_l1"}, {kDesk}},
      {kSpecialist, {"specialist_l2"}, {kSpecialists}},
      {kVendor, {"provider"}, {kVendorGroup}},
      {kCoordinator, {"coordinator"}, {}},
      {kSecurity, {"security_officer"}, {}},
      {kGone, {"agent_l1"}, {kDesk}},
  };
  return kPeople;
}

}  // namespace

Caller CallerFor(const std::string& person_id) {
  Caller c;
  c.set_person_id(person_id);
  for (const Seed& s : People()) {
    if (person_id != s.id) continue;
    for (const auto& r : s.roles) c.add_roles(r);
    for (const auto& g : s.groups) c.add_group_ids(g);
  }
  return c;
}

std::string Reason(const grpc::Status& status) { return ErrorReason(FromGrpcStatus(status)); }

IncidentFixture::IncidentFixture(IncidentOptions options)
    : signer(std::string(32, 'k'), SystemClock::Get()) {
  for (const Seed& s : People()) directory.AddPerson(s.id, s.roles, s.groups, s.id != kGone);
  directory.AddGroup(kDesk, "MESA", "L1");
  directory.AddGroup(kSpecialists, "ESPECIALISTAS", "L2");
  directory.AddGroup(kVendorGroup, "PROVEEDOR", "L3");
  directory.AddGroup(kClosedGroup, "CERRADO", "L2", false);
  directory.AddCategory(kPrinters, "Hardware > Impresoras", kDesk);
  directory.AddCategory(kPhishing, "Seguridad > Phishing", kDesk, true);
  directory.AddCategory(kOther, "Otros", "");
  directory.AddService(kSimat);
  directory.AddCi(kServer);

  auto conn = ConnectPg(db.UrlFor("incident"), "incident");
  auto migrated = ApplyMigrations(*conn, "incident",
                                  {{"common", &CommonMigrations()}, {"incident", &Migrations()}});
  INFO(migrated.ToString());
  REQUIRE(migrated.ok());
  pool = db.PoolFor("incident", 8);
  store_ = std::make_unique<IncidentStore>(*pool, &clock);
  management_ = std::make_unique<IncidentManagement>(*store_, directory, &clock, options);
  service_ = std::make_unique<IncidentServiceImpl>(*management_, signer);
  runner_ = std::make_unique<ServiceRunner>(
      ServerOptions{"tiquete.incident.v1.IncidentService", "127.0.0.1:0", absl::Seconds(1)},
      &metrics_);
  runner_->AddService(service_.get());
  REQUIRE(runner_->Start().ok());
  stub_ = NewStub();
}

IncidentFixture::~IncidentFixture() {
  stub_.reset();
  runner_->Shutdown();
}

void IncidentFixture::WaitForReady(grpc::ClientContext* context) {
  context->set_wait_for_ready(true);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
}

std::unique_ptr<v1::IncidentService::Stub> IncidentFixture::NewStub() const {
  // A channel of its own per stub, so concurrent clients really are separate connections.
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);
  return v1::IncidentService::NewStub(grpc::CreateCustomChannel(
      absl::StrCat("127.0.0.1:", runner_->port()), grpc::InsecureChannelCredentials(), args));
}

v1::Incident IncidentFixture::Create(const std::string& who, const std::string& title,
                                     const std::string& category, const std::string& key) {
  v1::CreateIncidentRequest request;
  request.set_title(title);
  request.set_description(absl::StrCat("Descripción: ", title));
  request.set_channel(v1::PORTAL);
  request.set_category_id(category);
  request.set_idempotency_key(key);
  v1::Incident incident;
  grpc::Status status =
      Call(CallerFor(who), &v1::IncidentService::Stub::CreateIncident, request, &incident);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return incident;
}

v1::Incident IncidentFixture::Get(const std::string& who, const std::string& number) {
  v1::GetIncidentRequest request;
  request.set_number(number);
  v1::Incident incident;
  grpc::Status status =
      Call(CallerFor(who), &v1::IncidentService::Stub::GetIncident, request, &incident);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return incident;
}

long IncidentFixture::Count(const std::string& sql) {
  long n = -1;
  REQUIRE(pool->Read([&](pqxx::work& tx) {
                n = tx.exec(sql)[0][0].as<long>();
                return absl::OkStatus();
              })
              .ok());
  return n;
}

std::map<std::string, long> IncidentFixture::OutboxCounts() {
  std::map<std::string, long> counts;
  REQUIRE(pool->Read([&](pqxx::work& tx) {
                for (const auto& row : tx.exec("SELECT type, count(*) FROM outbox GROUP BY type")) {
                  counts[row[0].as<std::string>()] = row[1].as<long>();
                }
                return absl::OkStatus();
              })
              .ok());
  return counts;
}

}  // namespace tiquete::incident::testing
