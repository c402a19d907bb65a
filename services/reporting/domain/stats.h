// KPI arithmetic: the logarithmic duration histogram kept in rollups, percentile estimates from
// it, exact nearest-rank percentiles (the reference the histogram is tested against) and rates.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace tiquete::reporting {

// 64 bins over minutes: bin 0 holds [0, 1) minute; bin i (1..62) holds [r^(i-1), r^i) with
// r = 525600^(1/62) ≈ 1.236 (so bin 62 ends at one year); bin 63 holds a year and more. Rollups
// keep one count per bin, which is what lets percentiles be summed across rollup rows.
inline constexpr int kHistogramBins = 64;
using Histogram = std::array<int64_t, kHistogramBins>;

int HistogramBin(double minutes);
double BinLowerMinutes(int bin);
double BinUpperMinutes(int bin);  // the last bin reports its lower bound doubled

// Nearest-rank percentile (p in (0, 1]): the value at rank ceil(p·n) of the sorted values.
// The definition both the exact and the histogram estimates follow.
int64_t NearestRank(double p, int64_t n);
double ExactPercentile(std::vector<double> values, double p);  // 0 when empty
// Finds the bin holding the nearest-rank value and interpolates linearly inside it, so the
// estimate always lies in the same bin as the exact percentile. 0 when the histogram is empty.
double HistogramPercentile(const Histogram& histogram, double p);

// 100·numerator/denominator, 0 when the denominator is 0.
double Percent(int64_t numerator, int64_t denominator);

}  // namespace tiquete::reporting
