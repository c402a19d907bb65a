#include "services/reporting/domain/stats.h"

#include <algorithm>
#include <cmath>

namespace tiquete::reporting {
namespace {

constexpr double kYearMinutes = 525600.0;
// r^62 = one year.
const double kLogRatio = std::log(kYearMinutes) / 62.0;

}  // namespace

int HistogramBin(double minutes) {
  if (!(minutes >= 1.0)) return 0;  // also catches NaN and negatives
  const int bin = 1 + static_cast<int>(std::floor(std::log(minutes) / kLogRatio));
  // Floating-point rounding at an exact bin edge may land one bin low or high; fix by bounds.
  int b = std::clamp(bin, 1, kHistogramBins - 1);
  while (b > 1 && minutes < BinLowerMinutes(b)) --b;
  while (b < kHistogramBins - 1 && minutes >= BinUpperMinutes(b)) ++b;
  return b;
}

double BinLowerMinutes(int bin) {
  if (bin <= 0) return 0.0;
  return std::exp(kLogRatio * (bin - 1));
}

double BinUpperMinutes(int bin) {
  if (bin <= 0) return 1.0;
  if (bin >= kHistogramBins - 1) return 2.0 * BinLowerMinutes(kHistogramBins - 1);
  return std::exp(kLogRatio * bin);
}

int64_t NearestRank(double p, int64_t n) {
  if (n <= 0) return 0;
  const int64_t rank = static_cast<int64_t>(std::ceil(p * static_cast<double>(n) - 1e-9));
  return std::clamp<int64_t>(rank, 1, n);
}

double ExactPercentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  return values[NearestRank(p, static_cast<int64_t>(values.size())) - 1];
}

double HistogramPercentile(const Histogram& histogram, double p) {
  int64_t total = 0;
  for (int64_t c : histogram) total += c;
  if (total <= 0) return 0.0;
  const int64_t rank = NearestRank(p, total);
  int64_t before = 0;
  for (int bin = 0; bin < kHistogramBins; ++bin) {
    const int64_t in_bin = histogram[bin];
    if (in_bin <= 0) continue;
    if (before + in_bin >= rank) {
      // Ranks before+1..before+in_bin spread evenly over the bin; take the middle of the
      // rank's slice so the estimate stays strictly inside [lower, upper).
      const double fraction = (static_cast<double>(rank - before) - 0.5) / in_bin;
      const double lo = BinLowerMinutes(bin), hi = BinUpperMinutes(bin);
      return lo + (hi - lo) * fraction;
    }
    before += in_bin;
  }
  return BinLowerMinutes(kHistogramBins - 1);
}

double Percent(int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return 0.0;
  return 100.0 * static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace tiquete::reporting
