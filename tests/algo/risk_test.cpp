// Every risk limit and the drawdown kill switch.
#include <gtest/gtest.h>

#include "risk.hpp"
#include "tickshm/clock.hpp"

namespace tickshm::algo {
namespace {
RiskLimits limits(std::int64_t position, Money notional, std::uint32_t rate, Money drawdown) {
  RiskLimits l;
  l.max_position = position;
  l.max_gross_notional = notional;
  l.max_orders_per_sec = rate;
  l.max_drawdown = drawdown;
  return l;
}
}  // namespace

TEST(Risk, shouldRejectWhenPositionWouldExceedMax) {
  RiskGate g(limits(100, 0, 0, 0));
  EXPECT_EQ(g.check(100, 0, 1), Reject::kNone);
  EXPECT_EQ(g.check(-100, 0, 2), Reject::kNone);
  EXPECT_EQ(g.check(101, 0, 3), Reject::kPosition);
  EXPECT_EQ(g.check(-101, 0, 4), Reject::kPosition);
}

TEST(Risk, shouldRejectWhenGrossNotionalWouldExceedMax) {
  RiskGate g(limits(0, 1'000'000, 0, 0));
  EXPECT_EQ(g.check(1, 1'000'000, 1), Reject::kNone);
  EXPECT_EQ(g.check(1, 1'000'001, 2), Reject::kNotional);
}

TEST(Risk, shouldRejectWhenMoreOrdersThanAllowedInOneSecond) {
  RiskGate g(limits(0, 0, 3, 0));
  const std::uint64_t t0 = 5 * kNsPerSec;
  EXPECT_EQ(g.check(1, 0, t0), Reject::kNone);
  EXPECT_EQ(g.check(1, 0, t0 + 100), Reject::kNone);
  EXPECT_EQ(g.check(1, 0, t0 + 200), Reject::kNone);
  EXPECT_EQ(g.check(1, 0, t0 + 300), Reject::kRate);
  EXPECT_EQ(g.check(1, 0, t0 + kNsPerSec - 1), Reject::kRate);
  // The first order leaves the window one second after it was sent; a refused order took no room.
  EXPECT_EQ(g.check(1, 0, t0 + kNsPerSec), Reject::kNone);
  EXPECT_EQ(g.check(1, 0, t0 + kNsPerSec + 1), Reject::kRate);
  EXPECT_EQ(g.check(1, 0, t0 + kNsPerSec + 100), Reject::kNone);
}

TEST(Risk, shouldNotCountRefusedOrdersWhenLimitingRate) {
  RiskGate g(limits(10, 0, 1, 0));
  EXPECT_EQ(g.check(11, 0, 1), Reject::kPosition);
  EXPECT_EQ(g.check(10, 0, 2), Reject::kNone);
}

TEST(Risk, shouldHaltOnceWhenDrawdownReachesLimit) {
  RiskGate g(limits(0, 0, 0, 500));
  EXPECT_FALSE(g.observe_pnl(1'000));  // new peak
  EXPECT_FALSE(g.observe_pnl(600));    // drawdown 400
  EXPECT_EQ(g.drawdown(), 400);
  EXPECT_FALSE(g.halted());
  EXPECT_EQ(g.check(1, 0, 1), Reject::kNone);
  EXPECT_TRUE(g.observe_pnl(500));  // drawdown 500: fires
  EXPECT_TRUE(g.halted());
  EXPECT_FALSE(g.observe_pnl(100));  // fires only once
  EXPECT_EQ(g.max_drawdown(), 900);
  EXPECT_FALSE(g.observe_pnl(5'000));  // a recovery does not lift the halt
  EXPECT_TRUE(g.halted());
  EXPECT_EQ(g.check(1, 0, 2), Reject::kHalted);
}

TEST(Risk, shouldMeasureDrawdownFromZeroWhenFirstPnlIsALoss) {
  RiskGate g(limits(0, 0, 0, 500));
  EXPECT_TRUE(g.observe_pnl(-500));
  EXPECT_EQ(g.peak(), 0);
}

TEST(Risk, shouldAllowEverythingWhenLimitsAreZero) {
  RiskGate g(limits(0, 0, 0, 0));
  for (std::uint64_t i = 0; i < 10'000; ++i) ASSERT_EQ(g.check(1'000'000'000, INT64_MAX, i), Reject::kNone);
  EXPECT_FALSE(g.observe_pnl(-1'000'000'000));
  EXPECT_FALSE(g.halted());
  EXPECT_EQ(g.max_drawdown(), 1'000'000'000);
}

}  // namespace tickshm::algo
