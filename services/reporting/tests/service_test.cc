// The gRPC surface over a real server: roles, errors and the CSV export.
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>

#include "common/caller.h"
#include "common/errors.h"
#include "common/server.h"
#include "services/reporting/service.h"
#include "services/reporting/tests/reporting_fixture.h"

using namespace tiquete::reporting;
using namespace tiquete::reporting::testing;

namespace {

struct Server {
  explicit Server(ReportingFixture& fx)
      : signer(std::string(32, 'k'), &fx.clock),
        service(*fx.reports, signer),
        runner({"tiquete.reporting.v1.ReportingService", "127.0.0.1:0", absl::Seconds(1),
                absl::Milliseconds(50)},
               nullptr) {
    runner.AddService(&service);
    REQUIRE(runner.Start().ok());
    stub = v1::ReportingService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(runner.port()), grpc::InsecureChannelCredentials()));
  }
  ~Server() { runner.Shutdown(); }

  void As(grpc::ClientContext* ctx, const std::string& role) {
    tiquete::Caller caller;
    caller.set_person_id("p1");
    caller.add_roles(role);
    signer.Attach(ctx, caller);
  }

  tiquete::CallerSigner signer;
  ReportingServiceImpl service;
  tiquete::ServiceRunner runner;
  std::unique_ptr<v1::ReportingService::Stub> stub;
};

v1::ReportFilter Month() {
  v1::ReportFilter f;
  f.set_from_date("2026-01-01");
  f.set_to_date("2026-01-31");
  return f;
}

}  // namespace

TEST_CASE("the reporting roles read the dashboard and others are refused") {
  ReportingFixture fx;
  HistoryOptions o = fx.DefaultOptions();
  o.first_month = absl::CivilMonth(2025, 12);
  o.months = 3;
  fx.LoadHistory(o);
  Server server(fx);

  for (const char* role : {"reporting_viewer", "coordinator", "incident_manager", "admin"}) {
    grpc::ClientContext ctx;
    server.As(&ctx, role);
    v1::GetDashboardRequest req;
    *req.mutable_filter() = Month();
    v1::Dashboard out;
    INFO(role);
    REQUIRE(server.stub->GetDashboard(&ctx, req, &out).ok());
    CHECK(out.kpis().states().opened() > 0);
    CHECK(out.trend().months_size() > 0);
    CHECK(out.backlog().max_wait_hours() == 72);
  }
  {
    grpc::ClientContext ctx;
    server.As(&ctx, "agent_l1");
    v1::Dashboard out;
    grpc::Status s = server.stub->GetDashboard(&ctx, v1::GetDashboardRequest(), &out);
    CHECK(s.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK(tiquete::ErrorReason(tiquete::FromGrpcStatus(s)) == "REPORTS_FORBIDDEN");
  }
  {
    grpc::ClientContext ctx;  // no signed caller at all
    v1::KpiReport out;
    CHECK(server.stub->GetKpis(&ctx, v1::GetKpisRequest(), &out).error_code() ==
          grpc::StatusCode::UNAUTHENTICATED);
  }
}

TEST_CASE("a malformed or reversed period is an invalid argument naming the field") {
  ReportingFixture fx;
  Server server(fx);
  for (auto [from, to, field, reason] :
       {std::tuple{"2026-02-30", "2026-03-01", "filter.from_date", "INVALID_DATE"},
        std::tuple{"2026-03-01", "01/03/2026", "filter.to_date", "INVALID_DATE"},
        std::tuple{"2026-03-02", "2026-03-01", "filter.to_date", "INVALID_DATE_RANGE"}}) {
    grpc::ClientContext ctx;
    server.As(&ctx, "reporting_viewer");
    v1::GetKpisRequest req;
    req.mutable_filter()->set_from_date(from);
    req.mutable_filter()->set_to_date(to);
    v1::KpiReport out;
    grpc::Status s = server.stub->GetKpis(&ctx, req, &out);
    CHECK(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(tiquete::ErrorField(tiquete::FromGrpcStatus(s)) == field);
    CHECK(tiquete::ErrorReason(tiquete::FromGrpcStatus(s)) == reason);
  }
}

TEST_CASE("every table exports as CSV with a header and the period in its file name") {
  ReportingFixture fx;
  HistoryOptions o = fx.DefaultOptions();
  o.first_month = absl::CivilMonth(2025, 12);
  o.months = 3;
  fx.LoadHistory(o);
  Server server(fx);
  for (int t = v1::STATES; t <= v1::WORKLOAD; ++t) {
    grpc::ClientContext ctx;
    server.As(&ctx, "reporting_viewer");
    v1::ExportReportRequest req;
    *req.mutable_filter() = Month();
    req.set_table(static_cast<v1::ReportTable>(t));
    v1::CsvFile out;
    INFO(v1::ReportTable_Name(static_cast<v1::ReportTable>(t)));
    REQUIRE(server.stub->ExportReport(&ctx, req, &out).ok());
    CHECK(out.content_type() == "text/csv; charset=utf-8");
    CHECK(out.filename().find("_2026-01-01_2026-01-31.csv") != std::string::npos);
    const auto lines = std::count(out.content().begin(), out.content().end(), '\n');
    CHECK(lines >= 2);  // header plus at least one row
  }
  grpc::ClientContext ctx;
  server.As(&ctx, "reporting_viewer");
  v1::CsvFile out;
  CHECK(server.stub->ExportReport(&ctx, v1::ExportReportRequest(), &out).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
}
