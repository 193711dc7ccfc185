// The latency histogram the algo records into: percentiles against exact ones on skewed samples.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tickshm/histogram.hpp"

namespace tickshm {

TEST(AlgoLatencyHistogram, shouldStayWithinTwoPercentOfExactPercentilesWhenSamplesAreSkewed) {
  std::mt19937_64 rng(1234);
  // Latency-like: a lognormal body around a few microseconds and a heavy tail up to milliseconds.
  std::lognormal_distribution<double> body(std::log(2'000.0), 0.5);
  std::uniform_int_distribution<std::uint64_t> tail(50'000, 5'000'000);
  LatencyHistogram h;
  std::vector<std::uint64_t> exact;
  for (int i = 0; i < 200'000; ++i) {
    const std::uint64_t v = i % 500 == 0 ? tail(rng) : static_cast<std::uint64_t>(body(rng));
    h.record(v);
    exact.push_back(v);
  }
  std::sort(exact.begin(), exact.end());
  for (const double q : {0.5, 0.9, 0.99, 0.999, 0.9999}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(exact.size())));
    const double want = static_cast<double>(exact[rank - 1]);
    const double got = static_cast<double>(h.percentile(q));
    EXPECT_LE(std::fabs(got - want) / want, 0.02) << "q=" << q << " want " << want << " got " << got;
  }
  EXPECT_EQ(h.max(), exact.back());
  EXPECT_EQ(h.count(), exact.size());
  const LatencySummary s = summarize(h);
  EXPECT_LE(s.p50_ns, s.p99_ns);
  EXPECT_LE(s.p99_ns, s.p999_ns);
  EXPECT_LE(s.p999_ns, s.max_ns);
}

}  // namespace tickshm
