// Nonsense ticks: what TickSanity refuses, how a real gap is still accepted, the bad-tick burst that
// trips the kill switch, and the engine never trading on a refused tick.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "engine.hpp"
#include "tick_sanity.hpp"
#include "tickshm/clock.hpp"

namespace tickshm::algo {
namespace {

TickRecord quote(std::uint32_t sym, double bid, double ask) {
  TickRecord t{};
  t.symbol = sym;
  t.kind = static_cast<std::uint8_t>(TickKind::kQuote);
  t.bid = static_cast<std::uint32_t>(std::llround(bid * 10'000));
  t.ask = static_cast<std::uint32_t>(std::llround(ask * 10'000));
  return t;
}

TickRecord trade(std::uint32_t sym, double price) {
  TickRecord t{};
  t.symbol = sym;
  t.kind = static_cast<std::uint8_t>(TickKind::kTrade);
  t.price = static_cast<std::uint32_t>(std::llround(price * 10'000));
  t.size = 100;
  return t;
}

std::int64_t mid(const TickRecord& t) {
  if (t.bid > 0 && t.ask >= t.bid) return (std::int64_t{t.bid} + t.ask) / 2;
  return t.kind == static_cast<std::uint8_t>(TickKind::kTrade) ? t.price : 0;
}

TickSanity sanity(double move = 0.2, double spread = 0.5) {
  TickSanity s(
      SanityLimits{static_cast<std::uint32_t>(move * 1e6), static_cast<std::uint32_t>(spread * 1e6)});
  s.reset(2);
  return s;
}

BadTick judge(TickSanity& s, const TickRecord& t) {
  return s.check(t, mid(t));
}

TEST(TickSanity, shouldRefuseZeroCrossedWideAndMalformedTicksWhenJudgedAlone) {
  TickSanity s = sanity();
  EXPECT_EQ(judge(s, quote(0, 0, 0)), BadTick::kZeroPrice);
  EXPECT_EQ(judge(s, trade(0, 0)), BadTick::kZeroPrice);
  EXPECT_EQ(judge(s, quote(0, 101, 100)), BadTick::kCrossed);
  EXPECT_EQ(judge(s, quote(0, 1, 1000)), BadTick::kWideSpread);
  TickRecord odd = quote(0, 100, 100.01);
  odd.kind = 9;
  EXPECT_EQ(judge(s, odd), BadTick::kMalformed);
  EXPECT_EQ(judge(s, quote(0, 100, 100.01)), BadTick::kNone);
  EXPECT_EQ(judge(s, quote(0, 100, 100)), BadTick::kNone) << "a locked quote is a market, not nonsense";
  EXPECT_EQ(judge(s, quote(1, 0, 100.01)), BadTick::kNone) << "a one-sided quote has no price, but is no lie";
}

TEST(TickSanity, shouldRefuseAMoveBeyondTheBoundFromTheLastAcceptedPrice) {
  TickSanity s = sanity(0.2);
  EXPECT_EQ(judge(s, quote(0, 100, 100.02)), BadTick::kNone);
  EXPECT_EQ(judge(s, quote(0, 119, 119.02)), BadTick::kNone) << "19 % is within 20 %";
  EXPECT_EQ(judge(s, quote(0, 1000, 1000.02)), BadTick::kJump);
  EXPECT_EQ(judge(s, quote(0, 50, 50.02)), BadTick::kJump);
  EXPECT_EQ(s.reference(0), mid(quote(0, 119, 119.02))) << "a refused tick never moves the reference";
  EXPECT_EQ(judge(s, trade(0, 120)), BadTick::kNone);
  EXPECT_EQ(judge(s, quote(1, 5000, 5000.5)), BadTick::kNone) << "each symbol has its own reference";
}

TEST(TickSanity, shouldAcceptANewLevelWhenSeveralJumpsInARowAgreeOnIt) {
  TickSanity s = sanity(0.2);
  EXPECT_EQ(judge(s, quote(0, 100, 100.02)), BadTick::kNone);
  for (std::uint32_t k = 1; k < TickSanity::kRebaseAfter; ++k)
    EXPECT_EQ(judge(s, quote(0, 200 + k, 200.02 + k)), BadTick::kJump) << k;
  EXPECT_EQ(judge(s, quote(0, 205, 205.02)), BadTick::kNone) << "a real gap is not a lock-out";
  EXPECT_EQ(judge(s, quote(0, 206, 206.02)), BadTick::kNone);
  // Jumps that disagree with each other never add up to a level.
  for (int k = 0; k < 10; ++k)
    EXPECT_EQ(judge(s, quote(0, k % 2 ? 1 : 9000, k % 2 ? 1.0002 : 9000.2)), BadTick::kJump) << k;
}

TEST(TickSanity, shouldCheckNothingButZeroCrossedAndKindWhenTheBoundsAreOff) {
  TickSanity s = sanity(0, 0);
  EXPECT_EQ(judge(s, quote(0, 100, 100.02)), BadTick::kNone);
  EXPECT_EQ(judge(s, quote(0, 100000, 100000.02)), BadTick::kNone);
  EXPECT_EQ(judge(s, quote(0, 1, 100000)), BadTick::kNone);
  EXPECT_EQ(judge(s, quote(0, 2, 1)), BadTick::kCrossed);
}

TEST(BadTickBurst, shouldTripOnlyWhenTheBurstArrivesWithinOneSecond) {
  BadTickBurst b(3);
  EXPECT_FALSE(b.record(0));
  EXPECT_FALSE(b.record(kNsPerSec / 2));
  EXPECT_FALSE(b.record(kNsPerSec + 1)) << "the first is over a second old";
  EXPECT_TRUE(b.record(kNsPerSec + 2));
  BadTickBurst off(0);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(off.record(1));
  BadTickBurst many(5);
  EXPECT_TRUE(many.record(7, 5)) << "n at once count n times";
}

TEST(RiskGate, shouldHaltWithTheBadTickCauseWhenTheBurstIsReached) {
  RiskLimits l;
  l.max_bad_ticks_per_sec = 2;
  RiskGate g(l);
  EXPECT_FALSE(g.observe_bad_ticks(10));
  EXPECT_TRUE(g.observe_bad_ticks(20));
  EXPECT_TRUE(g.halted());
  EXPECT_EQ(g.halt_cause(), HaltCause::kBadTicks);
  EXPECT_FALSE(g.observe_bad_ticks(30)) << "fires once";
  EXPECT_EQ(g.check(100, 0, 40), Reject::kHalted);
}

// Goes long on every price it sees: any tick that reaches the strategy becomes an order.
class AlwaysLong final : public Strategy {
 public:
  void reset(std::uint32_t) override {}
  Signal on_price(std::uint32_t, std::int64_t price) noexcept override {
    last = price;
    ++seen;
    return Signal::kLong;
  }
  std::int64_t last = 0;
  int seen = 0;
};

TEST(EngineSanity, shouldNeverTradeOrMarkOnARefusedTickAndHaltOnABurst) {
  EngineConfig c;
  c.order_size = 10;
  c.limits.sanity = SanityLimits{200'000, 500'000};
  c.limits.max_bad_ticks_per_sec = 4;
  auto strat = std::make_unique<AlwaysLong>();
  AlwaysLong* s = strat.get();
  Engine e(c, std::move(strat));
  e.attach({{"AAA", 100}});
  std::uint64_t now = 1'000'000;
  e.on_tick(quote(0, 100, 100.02), 0, now);
  ASSERT_EQ(e.counters().fills, 1u);
  const Money pnl = e.total_pnl();
  const TickRecord nonsense[] = {quote(0, 0, 0), quote(0, 100, 1), quote(0, 0.0001, 9000),
                                 quote(0, 1, 1.0001)};
  for (std::size_t k = 0; k < std::size(nonsense); ++k) e.on_tick(nonsense[k], k + 1, now += 1000);
  EXPECT_EQ(s->seen, 1) << "no refused tick reaches the strategy";
  EXPECT_EQ(e.counters().fills, 1u);
  EXPECT_EQ(e.total_pnl(), pnl) << "no refused tick marks the book";
  EXPECT_EQ(e.counters().bad_ticks, 4u);
  EXPECT_EQ(e.counters().bad_by[static_cast<std::size_t>(BadTick::kZeroPrice)], 1u);
  EXPECT_EQ(e.counters().bad_by[static_cast<std::size_t>(BadTick::kCrossed)], 1u);
  EXPECT_EQ(e.counters().bad_by[static_cast<std::size_t>(BadTick::kWideSpread)], 1u);
  EXPECT_EQ(e.counters().bad_by[static_cast<std::size_t>(BadTick::kJump)], 1u);
  EXPECT_EQ(e.last_bad_tick().kind, BadTick::kJump);
  EXPECT_EQ(e.last_bad_tick().seq, 4u);
  EXPECT_TRUE(e.halted());
  EXPECT_TRUE(e.take_halt_event());
  EXPECT_EQ(e.risk().halt_cause(), HaltCause::kBadTicks);

  AlgoTotals t{};
  std::vector<PositionRecord> pos;
  e.fill_status(t, pos);
  EXPECT_EQ(t.bad_ticks, 4u);
  EXPECT_EQ(t.bad_crossed, 1u);
  EXPECT_EQ(t.bad_jump, 1u);
  EXPECT_EQ(t.halt_cause, 2u);
  EXPECT_EQ(t.halted, 1u);
}

TEST(EngineSanity, shouldCountUnverifiedTicksTowardsTheBurst) {
  EngineConfig c;
  c.limits.max_bad_ticks_per_sec = 3;
  Engine e(c, std::make_unique<AlwaysLong>());
  e.attach({{"AAA", 100}});
  e.on_unverified(2, 1000);
  EXPECT_FALSE(e.halted());
  e.on_unverified(1, 2000);
  EXPECT_TRUE(e.halted());
  EXPECT_TRUE(e.take_halt_event());
}

}  // namespace
}  // namespace tickshm::algo
