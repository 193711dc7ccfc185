// The RFC 2544 search of tickshm-bench's lossless throughput, driven with made-up trials: which rates
// it offers, what it reports, when it stops. (bench_cli_test runs it for real, with a lapped reader.)
#include <gtest/gtest.h>

#include <vector>

#include "scenarios.hpp"

namespace tickshm::bench {
namespace {

RunOutcome flat_out(double writer_rate, std::uint64_t lost) {
  RunOutcome r;
  r.ok = true;
  r.readers = 1;
  r.writer_rate_per_s = writer_rate;
  r.slowest_rate_per_s = writer_rate * 0.9;
  r.lost_total = lost;
  return r;
}

// A reader that takes every rate up to `limit` and loses above it; it receives 99% of what is offered.
struct FakeReader {
  double limit;
  std::vector<double> offered;
  RunOutcome operator()(double rate) {
    offered.push_back(rate);
    RunOutcome r;
    r.ok = true;
    r.slowest_rate_per_s = rate * 0.99;
    r.lost_total = rate > limit ? 1000 : 0;
    return r;
  }
};

TEST(LosslessSearch, shouldReportTheFlatOutRateWithoutTrialsWhenTheFlatOutRunLostNothing) {
  FakeReader reader{30e6, {}};
  const LosslessOutcome out = search_lossless(flat_out(100e6, 0), 6, std::ref(reader));
  EXPECT_TRUE(out.ok);
  EXPECT_TRUE(out.flat_out_lossless);
  EXPECT_DOUBLE_EQ(out.rate_per_s, 90e6);
  EXPECT_TRUE(out.trials.empty());
  EXPECT_TRUE(reader.offered.empty());
}

TEST(LosslessSearch, shouldHalveTowardsTheHighestRateThatLosesNothing) {
  FakeReader reader{30e6, {}};
  const LosslessOutcome out = search_lossless(flat_out(100e6, 5), 6, std::ref(reader));
  EXPECT_TRUE(out.ok);
  EXPECT_FALSE(out.flat_out_lossless);
  // 50 loses, 25 holds, 37.5 loses, 31.25 loses, 28.125 holds, 29.6875 holds.
  EXPECT_EQ(reader.offered, (std::vector<double>{50e6, 25e6, 37.5e6, 31.25e6, 28.125e6, 29.6875e6}));
  ASSERT_EQ(out.trials.size(), 6u);
  EXPECT_EQ(out.trials[0].run.lost_total, 1000u);
  EXPECT_EQ(out.trials[1].run.lost_total, 0u);
  EXPECT_DOUBLE_EQ(out.rate_per_s, 29.6875e6 * 0.99);  // delivered, not offered
}

TEST(LosslessSearch, shouldReportZeroWhenEveryTrialLoses) {
  FakeReader reader{1e3, {}};
  const LosslessOutcome out = search_lossless(flat_out(64e6, 5), 4, std::ref(reader));
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(reader.offered, (std::vector<double>{32e6, 16e6, 8e6, 4e6}));
  EXPECT_DOUBLE_EQ(out.rate_per_s, 0.0);
}

TEST(LosslessSearch, shouldStopAndFailWhenATrialFails) {
  int calls = 0;
  const LosslessOutcome out = search_lossless(flat_out(64e6, 5), 6, [&](double) {
    ++calls;
    RunOutcome r;
    r.ok = calls < 2;
    r.error = r.ok ? "" : "reader 0: cannot attach";
    return r;
  });
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(calls, 2);
  ASSERT_EQ(out.trials.size(), 2u);
  EXPECT_EQ(out.error, "reader 0: cannot attach");
}

}  // namespace
// Two floors agree when the larger is at most 1.5 times the smaller; a missing one (0) never agrees.
TEST(FloorBracket, shouldAgreeOnlyWithinOneAndAHalfTimes) {
  EXPECT_TRUE(floors_agree(100, 150));
  EXPECT_TRUE(floors_agree(150, 100));
  EXPECT_TRUE(floors_agree(70, 70));
  EXPECT_FALSE(floors_agree(100, 151));
  EXPECT_FALSE(floors_agree(240, 70));
  EXPECT_FALSE(floors_agree(0, 100));
  EXPECT_FALSE(floors_agree(100, 0));
}

}  // namespace tickshm::bench
