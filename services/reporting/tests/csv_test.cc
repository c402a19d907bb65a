#include <catch2/catch.hpp>

#include "services/reporting/domain/csv.h"

using namespace tiquete::reporting;
namespace v1 = tiquete::reporting::v1;

TEST_CASE("csv fields with commas or quotes are quoted and quotes doubled") {
  CHECK(CsvField("plain") == "plain");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvLine({"a", "b c"}) == "a,b c\r\n");
}

TEST_CASE("count tables export key, count and percent with a header") {
  v1::Dashboard d;
  auto* row = d.mutable_kpis()->add_by_service();
  row->set_key("svc,1");
  row->set_count(3);
  row->set_percent(75);
  CHECK(RenderCsv(v1::BY_SERVICE, d) == "service_id,count,percent\r\n\"svc,1\",3,75.00\r\n");
  CHECK(TableSlug(v1::BY_SERVICE) == "by_service");
}

TEST_CASE("the monthly export marks projected months") {
  v1::Dashboard d;
  d.mutable_trend()->set_method("damped_trend");
  auto* m = d.mutable_trend()->add_months();
  m->set_month("2026-07");
  m->set_count(12);
  m->set_projected(true);
  CHECK(RenderCsv(v1::MONTHLY, d) ==
        "month,count,partial,projected,method,backtest_mape\r\n"
        "2026-07,12,false,true,damped_trend,0.00\r\n");
}
