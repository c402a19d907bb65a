// The monthly ticket projection and its honesty check.
//
// Method by history length (complete months only):
// - ≥ 24 months, "seasonal_log_linear": least squares line on log(1 + count) against the month
//   index, plus one seasonal index per calendar month (the mean residual of that month, centred
//   so the twelve indices sum to zero); forecast = exp(line + index) − 1.
// - 3..23 months, "damped_trend": Holt's linear trend with damping (α 0.5, β 0.3, φ 0.9): the
//   trend fades instead of running away on short, noisy history.
// - fewer, "mean": the mean of what there is.
// The error shown is the MAPE of one-month-ahead forecasts over a rolling origin: for each of
// the last ≤ 12 months, fit on the months before it (the method that history length picks) and
// compare with what happened; months with zero tickets are skipped (no percentage error).
#pragma once

#include <string>
#include <vector>

namespace tiquete::reporting {

struct Forecast {
  std::string method;
  std::vector<double> values;  // horizon values, the month after the history first
};

// first_month: calendar month (1..12) of history[0]; used for seasonal indices.
Forecast ProjectMonthly(const std::vector<double>& history, int first_month, int horizon);

struct Backtest {
  double mape = 0.0;  // percent
  int points = 0;
};
Backtest RollingOriginBacktest(const std::vector<double>& history, int first_month,
                               int max_points = 12);

}  // namespace tiquete::reporting
