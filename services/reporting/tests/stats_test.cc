#include <catch2/catch.hpp>

#include "services/reporting/domain/stats.h"

using namespace tiquete::reporting;

TEST_CASE("histogram bins tile the minutes without gaps and end at one year") {
  CHECK(HistogramBin(0.0) == 0);
  CHECK(HistogramBin(0.99) == 0);
  CHECK(HistogramBin(1.0) == 1);
  CHECK(HistogramBin(-5) == 0);
  for (int b = 1; b < kHistogramBins - 1; ++b) {
    CHECK(BinUpperMinutes(b) == Approx(BinLowerMinutes(b + 1)));
    CHECK(HistogramBin(BinLowerMinutes(b)) == b);
    CHECK(HistogramBin(BinUpperMinutes(b) * 0.999) == b);
  }
  CHECK(BinUpperMinutes(62) == Approx(525600.0));
  CHECK(HistogramBin(2e6) == kHistogramBins - 1);
}

TEST_CASE("nearest-rank percentiles of ten values are the fifth and ninth") {
  std::vector<double> v = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
  CHECK(ExactPercentile(v, 0.5) == 5);
  CHECK(ExactPercentile(v, 0.9) == 9);
  CHECK(ExactPercentile(v, 1.0) == 10);
  CHECK(NearestRank(0.9, 10) == 9);
  CHECK(NearestRank(0.5, 3) == 2);
  CHECK(ExactPercentile({}, 0.5) == 0);
}

TEST_CASE("histogram percentile falls in the bin of the exact percentile") {
  const std::vector<double> values = {3, 10, 45, 100, 130, 600, 1000, 5000, 20000, 90000, 7};
  Histogram h{};
  for (double v : values) h[HistogramBin(v)]++;
  for (double p : {0.5, 0.9, 0.1, 1.0}) {
    const double exact = ExactPercentile(values, p);
    const double estimate = HistogramPercentile(h, p);
    const int bin = HistogramBin(exact);
    CHECK(estimate >= BinLowerMinutes(bin));
    CHECK(estimate < BinUpperMinutes(bin));
  }
  CHECK(HistogramPercentile(Histogram{}, 0.5) == 0);
}

TEST_CASE("percent of a zero denominator is zero") {
  CHECK(Percent(1, 4) == 25.0);
  CHECK(Percent(3, 0) == 0.0);
}
