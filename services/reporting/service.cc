#include "services/reporting/service.h"

#include "common/errors.h"
#include "common/log.h"
#include "common/server.h"

namespace tiquete::reporting {

bool MayReadReports(const Caller& caller) {
  for (const char* role : {"coordinator", "incident_manager", "reporting_viewer", "admin"}) {
    if (HasRole(caller, role)) return true;
  }
  return false;
}

template <typename Response, typename Fn>
grpc::Status ReportingServiceImpl::Handle(grpc::ServerContext* context, Response* response, Fn fn) {
  log::RequestScope scope(RequestIdOf(*context));
  auto caller = signer_.Verify(*context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (!MayReadReports(*caller)) {
    return ToGrpcStatus(Error(absl::StatusCode::kPermissionDenied, "REPORTS_FORBIDDEN",
                              "reports need the coordinator, incident_manager, "
                              "reporting_viewer or admin role"));
  }
  auto result = fn();
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status ReportingServiceImpl::GetDashboard(grpc::ServerContext* c,
                                                const v1::GetDashboardRequest* r,
                                                v1::Dashboard* out) {
  return Handle(c, out, [&] { return reports_.Dashboard(r->filter()); });
}

grpc::Status ReportingServiceImpl::GetKpis(grpc::ServerContext* c, const v1::GetKpisRequest* r,
                                           v1::KpiReport* out) {
  return Handle(c, out, [&] { return reports_.Kpis(r->filter()); });
}

grpc::Status ReportingServiceImpl::GetTicketTrend(grpc::ServerContext* c,
                                                  const v1::GetTicketTrendRequest* r,
                                                  v1::TicketTrend* out) {
  return Handle(c, out, [&] { return reports_.Trend(r->filter()); });
}

grpc::Status ReportingServiceImpl::GetBacklog(grpc::ServerContext* c,
                                              const v1::GetBacklogRequest* r, v1::Backlog* out) {
  return Handle(c, out, [&] { return reports_.Backlog(r->filter()); });
}

grpc::Status ReportingServiceImpl::ExportReport(grpc::ServerContext* c,
                                                const v1::ExportReportRequest* r,
                                                v1::CsvFile* out) {
  return Handle(c, out, [&] { return reports_.Export(r->filter(), r->table()); });
}

}  // namespace tiquete::reporting
