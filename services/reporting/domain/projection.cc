#include "services/reporting/domain/projection.h"

#include <algorithm>
#include <cmath>

namespace tiquete::reporting {
namespace {

constexpr double kAlpha = 0.5, kBeta = 0.3, kPhi = 0.9;

Forecast SeasonalLogLinear(const std::vector<double>& y, int first_month, int horizon) {
  const size_t n = y.size();
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  std::vector<double> ly(n);
  for (size_t t = 0; t < n; ++t) {
    ly[t] = std::log1p(std::max(0.0, y[t]));
    sx += t;
    sy += ly[t];
    sxx += static_cast<double>(t) * t;
    sxy += t * ly[t];
  }
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double intercept = (sy - slope * sx) / n;
  double sum[12] = {0}, count[12] = {0};
  for (size_t t = 0; t < n; ++t) {
    const int m = (first_month - 1 + static_cast<int>(t)) % 12;
    sum[m] += ly[t] - (intercept + slope * t);
    count[m] += 1;
  }
  double index[12], mean = 0;
  for (int m = 0; m < 12; ++m) {
    index[m] = count[m] > 0 ? sum[m] / count[m] : 0.0;
    mean += index[m] / 12.0;
  }
  Forecast f{"seasonal_log_linear", {}};
  for (int h = 1; h <= horizon; ++h) {
    const size_t t = n - 1 + h;
    const int m = (first_month - 1 + static_cast<int>(t)) % 12;
    f.values.push_back(std::max(0.0, std::expm1(intercept + slope * t + index[m] - mean)));
  }
  return f;
}

Forecast DampedTrend(const std::vector<double>& y, int horizon) {
  double level = y[0], trend = y[1] - y[0];
  for (size_t t = 1; t < y.size(); ++t) {
    const double previous_level = level;
    level = kAlpha * y[t] + (1 - kAlpha) * (level + kPhi * trend);
    trend = kBeta * (level - previous_level) + (1 - kBeta) * kPhi * trend;
  }
  Forecast f{"damped_trend", {}};
  double damp = 0, phi_h = 1;
  for (int h = 1; h <= horizon; ++h) {
    phi_h *= kPhi;
    damp += phi_h;
    f.values.push_back(std::max(0.0, level + damp * trend));
  }
  return f;
}

}  // namespace

Forecast ProjectMonthly(const std::vector<double>& history, int first_month, int horizon) {
  if (history.size() >= 24) return SeasonalLogLinear(history, first_month, horizon);
  if (history.size() >= 3) return DampedTrend(history, horizon);
  double mean = 0;
  for (double v : history) mean += v / static_cast<double>(history.size());
  return {"mean", std::vector<double>(horizon, history.empty() ? 0.0 : mean)};
}

Backtest RollingOriginBacktest(const std::vector<double>& history, int first_month,
                               int max_points) {
  Backtest b;
  const int n = static_cast<int>(history.size());
  double total = 0;
  // Origins need at least 3 months behind them, so every method is a real model.
  for (int k = std::max(3, n - max_points); k < n; ++k) {
    const double actual = history[k];
    if (actual <= 0) continue;
    std::vector<double> train(history.begin(), history.begin() + k);
    const double predicted = ProjectMonthly(train, first_month, 1).values[0];
    total += std::fabs(actual - predicted) / actual;
    ++b.points;
  }
  b.mape = b.points > 0 ? 100.0 * total / b.points : 0.0;
  return b;
}

}  // namespace tiquete::reporting
