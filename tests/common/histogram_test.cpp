// Histogram accuracy against exact percentiles of the same samples.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "tickshm/histogram.hpp"

namespace tickshm {

TEST(Histogram, shouldStayWithinTwoPercentOfExactPercentilesWhenSamplesAreHeavyTailed) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(6.0, 1.5);  // ~400 ns median, long tail
  std::vector<std::uint64_t> v;
  LatencyHistogram h;
  for (int i = 0; i < 200'000; ++i) {
    const auto x = static_cast<std::uint64_t>(dist(rng)) + 1;
    v.push_back(x);
    h.record(x);
  }
  std::sort(v.begin(), v.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
    const double exact = static_cast<double>(v[rank]);
    const double got = static_cast<double>(h.percentile(q));
    EXPECT_LE(std::abs(got - exact) / exact, 0.02) << "q=" << q << " exact=" << exact << " got=" << got;
  }
  EXPECT_EQ(h.max(), v.back());
  EXPECT_EQ(h.min(), v.front());
  EXPECT_EQ(h.count(), v.size());
}

TEST(Histogram, shouldMapEveryValueIntoABucketThatContainsItWhenValuesSpanAllMagnitudes) {
  for (std::uint64_t v :
       {0ULL, 1ULL, 63ULL, 64ULL, 65ULL, 127ULL, 128ULL, 1000ULL, 123456789ULL, 1ULL << 40, ~0ULL}) {
    const std::size_t b = LatencyHistogram::bucket_of(v);
    ASSERT_LT(b, LatencyHistogram::kBuckets);
    EXPECT_LE(LatencyHistogram::bucket_low(b), v);
    EXPECT_GE(LatencyHistogram::bucket_low(b) + (LatencyHistogram::bucket_width(b) - 1), v);
  }
}

TEST(Histogram, shouldReturnZeroWhenEmptyAndMergeCounts) {
  LatencyHistogram a, b;
  EXPECT_EQ(a.percentile(0.5), 0u);
  a.record(100);
  b.record(300);
  a.merge(b);
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(a.max(), 300u);
}

}  // namespace tickshm
