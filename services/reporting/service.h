// The ReportingService gRPC surface: verifies the signed caller, checks the reporting roles and
// hands the call to Reports.
#pragma once

#include "common/caller.h"
#include "services/reporting/reports.h"
#include "tiquete/reporting/v1/reporting.grpc.pb.h"

namespace tiquete::reporting {

// coordinator, incident_manager, reporting_viewer and admin (the proto's access options say
// the same to the gateway; the service checks again so no other path gets around it).
bool MayReadReports(const Caller& caller);

class ReportingServiceImpl final : public v1::ReportingService::Service {
 public:
  ReportingServiceImpl(const Reports& reports, const CallerSigner& signer)
      : reports_(reports), signer_(signer) {}

  grpc::Status GetDashboard(grpc::ServerContext* c, const v1::GetDashboardRequest* r,
                            v1::Dashboard* out) override;
  grpc::Status GetKpis(grpc::ServerContext* c, const v1::GetKpisRequest* r,
                       v1::KpiReport* out) override;
  grpc::Status GetTicketTrend(grpc::ServerContext* c, const v1::GetTicketTrendRequest* r,
                              v1::TicketTrend* out) override;
  grpc::Status GetBacklog(grpc::ServerContext* c, const v1::GetBacklogRequest* r,
                          v1::Backlog* out) override;
  grpc::Status ExportReport(grpc::ServerContext* c, const v1::ExportReportRequest* r,
                            v1::CsvFile* out) override;

 private:
  template <typename Response, typename Fn>
  grpc::Status Handle(grpc::ServerContext* context, Response* response, Fn fn);

  const Reports& reports_;
  const CallerSigner& signer_;
};

}  // namespace tiquete::reporting
