#include <cmath>

#include <catch2/catch.hpp>

#include "services/reporting/domain/projection.h"
#include "services/reporting/domain/report.h"

using namespace tiquete::reporting;

TEST_CASE("damped trend matches the hand-computed Holt recursion") {
  // level0 10, trend0 2; t1: level 11.9, trend 1.83; t2: level 13.7735, trend 1.71495.
  Forecast f = ProjectMonthly({10, 12, 14}, 1, 2);
  CHECK(f.method == "damped_trend");
  REQUIRE(f.values.size() == 2);
  CHECK(f.values[0] == Approx(13.7735 + 0.9 * 1.71495));
  CHECK(f.values[1] == Approx(13.7735 + 1.71 * 1.71495));
}

TEST_CASE("with two years of history a log-linear trend is continued exactly") {
  std::vector<double> y;
  for (int t = 0; t < 24; ++t) y.push_back(std::expm1(1.0 + 0.05 * t));
  Forecast f = ProjectMonthly(y, 1, 6);
  CHECK(f.method == "seasonal_log_linear");
  for (int h = 1; h <= 6; ++h) CHECK(f.values[h - 1] == Approx(std::expm1(1.0 + 0.05 * (23 + h))));
}

TEST_CASE("seasonal indices carry a December peak into the projection") {
  std::vector<double> y;
  for (int t = 0; t < 36; ++t) y.push_back(t % 12 == 11 ? 200 : 100);  // January start
  Forecast f = ProjectMonthly(y, 1, 12);
  // Next June is h = 6, next December h = 12.
  CHECK(f.values[11] > 1.8 * f.values[5]);
  CHECK(f.values[5] == Approx(100).epsilon(0.1));  // 108: the spikes tilt the line a little
}

TEST_CASE("under three months the projection is the mean") {
  Forecast f = ProjectMonthly({10, 20}, 5, 3);
  CHECK(f.method == "mean");
  CHECK(f.values == std::vector<double>{15, 15, 15});
}

TEST_CASE("a flat history backtests with zero error over the last twelve months") {
  Backtest b = RollingOriginBacktest(std::vector<double>(20, 100.0), 1);
  CHECK(b.points == 12);
  CHECK(b.mape == Approx(0.0).margin(1e-9));
}

TEST_CASE("backtest skips months without tickets and scores the rest") {
  // Origins k = 3, 4: history {50,50,50} predicts 50 for actual 0 (skipped) ...
  std::vector<double> y = {50, 50, 50, 0, 100};
  Backtest b = RollingOriginBacktest(y, 1);
  CHECK(b.points == 1);
  // ... then {50,50,50,0}: damped trend gives level/trend by hand.
  // t1: level 50, trend 0; t2: same; t3: level 25, trend -7.5; forecast 25 - 0.9*7.5 = 18.25.
  CHECK(b.mape == Approx(100.0 * (100 - 18.25) / 100));
}

TEST_CASE("a desk in its first month shows its count and no projection") {
  tiquete::reporting::v1::TicketTrend trend;
  BuildTrend({{absl::CivilMonth(2026, 11), 5}}, absl::CivilMonth(2026, 11), true, 6, &trend);
  REQUIRE(trend.months_size() == 1);
  CHECK(trend.months(0).count() == 5);
  CHECK(trend.months(0).partial());
  CHECK(trend.method() == "insufficient_history");
  // One complete month before it: the running month and six more are projected.
  tiquete::reporting::v1::TicketTrend next;
  BuildTrend({{absl::CivilMonth(2026, 10), 8}, {absl::CivilMonth(2026, 11), 5}},
             absl::CivilMonth(2026, 11), true, 6, &next);
  CHECK(next.months_size() == 2 + 7);
  CHECK(next.months(2).projected());
}
