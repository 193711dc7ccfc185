// The trading core: fills against the quote, slippage, commissions, flips, risk refusals, the kill
// switch, symbol filters, feed restarts, and the status segment written and read back.
#include <gtest/gtest.h>

#include <cstdio>

#include <cmath>
#include <deque>

#include "engine.hpp"
#include "test_support.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"

namespace tickshm::algo {
namespace {

constexpr std::int64_t kUnit = 10'000;

// Plays back a script of signals, one per call, then kNone.
class Scripted final : public Strategy {
 public:
  explicit Scripted(std::deque<Signal>* script) : script_(script) {}
  void reset(std::uint32_t) override { ++resets_; }
  Signal on_price(std::uint32_t, std::int64_t price) noexcept override {
    last_price_ = price;
    if (script_->empty()) return Signal::kNone;
    const Signal s = script_->front();
    script_->pop_front();
    return s;
  }
  void explain(std::uint32_t, char* out, std::size_t cap) const noexcept override {
    std::snprintf(out, cap, "scripted at %lld", static_cast<long long>(last_price_));
  }
  int resets_ = 0;
  std::int64_t last_price_ = 0;

 private:
  std::deque<Signal>* script_;
};

EngineConfig config(std::int64_t order_size, std::uint32_t slippage_ticks = 0,
                    Money commission_per_share = 0) {
  EngineConfig c;
  c.order_size = order_size;
  c.slippage_ticks = slippage_ticks;
  c.commission_per_share = commission_per_share;
  return c;
}

TickRecord quote(std::uint32_t sym, double bid, double ask) {
  TickRecord t{};
  t.symbol = sym;
  t.kind = static_cast<std::uint8_t>(TickKind::kQuote);
  t.bid = static_cast<std::uint32_t>(std::llround(bid * 10'000));
  t.ask = static_cast<std::uint32_t>(std::llround(ask * 10'000));
  t.event_ns = 1'700'000'000'000'000'000ULL;
  return t;
}

struct Rig {
  explicit Rig(EngineConfig c = {}, std::vector<SymbolInfo> dir = {{"AAA", 100}, {"BBB", 100}}) {
    auto s = std::make_unique<Scripted>(&script);
    strategy = s.get();
    engine = std::make_unique<Engine>(std::move(c), std::move(s));
    engine->attach(dir);
  }
  // Sends one tick with the given signal scripted for it.
  void tick(const TickRecord& t, Signal s, std::uint64_t now = 0) {
    script.push_back(s);
    const std::uint64_t s_now = now ? now : (seq + 1) * kNsPerSec;
    engine->on_tick(t, seq++, s_now);
  }
  std::deque<Signal> script;
  Scripted* strategy = nullptr;
  std::unique_ptr<Engine> engine;
  std::uint64_t seq = 0;
};

constexpr Signal N = Signal::kNone, L = Signal::kLong, S = Signal::kShort, F = Signal::kFlat;

}  // namespace

TEST(Engine, shouldBuyAtAskPlusSlippageWhenStrategyGoesLong) {
  Rig r(config(100, 2, 50));
  r.tick(quote(0, 10.00, 10.02), L);
  const auto& b = *r.engine->find_book("AAA");
  EXPECT_EQ(b.book.position(), 100);
  EXPECT_EQ(b.book.avg_cost(), 100'200 + 2 * 100);  // ask 10.02 + 2 ticks of 0.01
  EXPECT_EQ(r.engine->commissions(), 100 * 50);
  EXPECT_EQ(r.engine->realized(), -5'000);
  EXPECT_EQ(r.engine->counters().orders, 1u);
  EXPECT_EQ(r.engine->counters().fills, 1u);
  // Marked to the mid 10.01: unrealized = 100 x (10.01 - 10.04).
  EXPECT_EQ(r.engine->unrealized(), 100 * (100'100 - 100'400));
  std::vector<FillRecord> fills;
  r.engine->recent_fills(fills);
  ASSERT_EQ(fills.size(), 1u);
  EXPECT_EQ(fills[0].fill_id, 1u);
  EXPECT_EQ(fills[0].side, 1);
  EXPECT_EQ(fills[0].quantity, 100);
  EXPECT_EQ(fills[0].price, 100'400);
  EXPECT_EQ(fills[0].commission, 5'000);
  EXPECT_EQ(fills[0].tick_seq, 0u);
  // The log entry names the symbol, the position and P&L it left, and why it was sent.
  EXPECT_STREQ(fills[0].symbol, "AAA");
  EXPECT_EQ(fills[0].position_after, 100);
  EXPECT_EQ(fills[0].pnl_after, r.engine->total_pnl());
  EXPECT_STREQ(fills[0].reason, "long: scripted at 100100");
  AlgoRiskRecord risk{};
  r.engine->fill_risk(risk, 0);
  EXPECT_EQ(risk.gross_shares, 100);
  EXPECT_EQ(risk.largest_position, 100);
  EXPECT_EQ(risk.order_size, 100);
}

TEST(Engine, shouldFlipWithOneOrderAndRealizeWhenLongTurnsShort) {
  Rig r(config(100));
  r.tick(quote(0, 10.00, 10.02), L);  // buy 100 @ 10.02
  r.tick(quote(0, 10.50, 10.52), S);  // sell 200 @ 10.50: +48.00 realized, short 100 @ 10.50
  const auto& b = *r.engine->find_book("AAA");
  EXPECT_EQ(b.book.position(), -100);
  EXPECT_EQ(b.book.avg_cost(), 105'000);
  EXPECT_EQ(r.engine->realized(), 100 * (105'000 - 100'200));
  EXPECT_EQ(r.engine->unrealized(), -100 * (105'100 - 105'000));
  EXPECT_EQ(r.engine->counters().orders, 2u);
  std::vector<FillRecord> fills;
  r.engine->recent_fills(fills);
  ASSERT_EQ(fills.size(), 2u);
  EXPECT_EQ(fills[1].side, -1);
  EXPECT_EQ(fills[1].quantity, 200);
  EXPECT_EQ(fills[1].price, 105'000);
  EXPECT_EQ(fills[1].realized, 48 * kUnit);
  r.tick(quote(0, 10.10, 10.12), F);  // buy 100 @ 10.12 to close: +38.00
  EXPECT_EQ(b.book.position(), 0);
  EXPECT_EQ(r.engine->realized(), 48 * kUnit + 38 * kUnit);
  EXPECT_EQ(r.engine->unrealized(), 0);
  EXPECT_EQ(r.engine->gross_exposure(), 0);
}

TEST(Engine, shouldSellAtBidMinusSlippageWhenStrategyGoesShort) {
  Rig r(config(10, 1));
  r.tick(quote(1, 20.00, 20.05), S);
  const auto& b = *r.engine->find_book("BBB");
  EXPECT_EQ(b.book.position(), -10);
  EXPECT_EQ(b.book.avg_cost(), 199'900);
}

TEST(Engine, shouldActOnceWhenTheSameStanceRepeats) {
  Rig r(config(100));
  for (int i = 0; i < 5; ++i) r.tick(quote(0, 10.00, 10.02), L);
  r.tick(quote(0, 10.00, 10.02), N);
  EXPECT_EQ(r.engine->counters().orders, 1u);
  EXPECT_EQ(r.engine->counters().signals, 1u);
  EXPECT_EQ(r.engine->find_book("AAA")->book.position(), 100);
}

TEST(Engine, shouldKeepTotalsEqualToTheSumOfBooksWhenTradingSeveralSymbols) {
  Rig r(config(7));
  r.tick(quote(0, 10.00, 10.02), L);
  r.tick(quote(1, 30.00, 30.04), S);
  r.tick(quote(0, 10.40, 10.44), N);
  r.tick(quote(1, 29.00, 29.02), N);
  Money u = 0, g = 0, n = 0, real = 0;
  for (const auto& b : r.engine->books()) {
    u += b.book.unrealized();
    g += b.book.gross_exposure();
    n += b.book.net_exposure();
    real += b.book.realized();
  }
  EXPECT_EQ(r.engine->unrealized(), u);
  EXPECT_EQ(r.engine->gross_exposure(), g);
  EXPECT_EQ(r.engine->net_exposure(), n);
  EXPECT_EQ(r.engine->realized(), real);
  EXPECT_EQ(g, 7 * 104'200 + 7 * 290'100);
  EXPECT_EQ(n, 7 * 104'200 - 7 * 290'100);
}

TEST(Engine, shouldRejectAndCountWhenPositionLimitIsHit) {
  EngineConfig c = config(100);
  c.limits.max_position = 50;
  Rig r(c);
  r.tick(quote(0, 10.00, 10.02), L);
  r.tick(quote(0, 10.00, 10.02), L);  // same stance: a refused order is not retried
  EXPECT_EQ(r.engine->counters().orders, 0u);
  EXPECT_EQ(r.engine->counters().rejects, 1u);
  EXPECT_EQ(r.engine->counters().rejects_by[static_cast<std::size_t>(Reject::kPosition)], 1u);
  EXPECT_EQ(r.engine->find_book("AAA")->book.position(), 0);
}

TEST(Engine, shouldRejectWhenGrossNotionalLimitIsHit) {
  EngineConfig c = config(100);
  c.limits.max_gross_notional = 1'500 * kUnit;  // one 100-share position at ~10 fits, a second does not
  Rig r(c);
  r.tick(quote(0, 10.00, 10.02), L);
  r.tick(quote(1, 10.00, 10.02), L);
  EXPECT_EQ(r.engine->counters().orders, 1u);
  EXPECT_EQ(r.engine->counters().rejects_by[static_cast<std::size_t>(Reject::kNotional)], 1u);
  EXPECT_EQ(r.engine->find_book("BBB")->book.position(), 0);
  // Going flat reduces exposure and passes.
  r.tick(quote(0, 10.00, 10.02), F);
  EXPECT_EQ(r.engine->counters().orders, 2u);
}

TEST(Engine, shouldRejectWhenOrderRateLimitIsHit) {
  EngineConfig c = config(1);
  c.limits.max_orders_per_sec = 2;
  Rig r(c);
  const std::uint64_t t0 = 100 * kNsPerSec;
  r.tick(quote(0, 10.00, 10.02), L, t0);
  r.tick(quote(0, 10.00, 10.02), S, t0 + 1);
  r.tick(quote(0, 10.00, 10.02), L, t0 + 2);              // third in the same second
  r.tick(quote(0, 10.00, 10.02), L, t0 + kNsPerSec + 3);  // the refused stance is not retried
  EXPECT_EQ(r.engine->counters().orders, 2u);
  EXPECT_EQ(r.engine->counters().rejects, 1u);
  EXPECT_EQ(r.engine->counters().rejects_by[static_cast<std::size_t>(Reject::kRate)], 1u);
  EXPECT_EQ(r.engine->find_book("AAA")->book.position(), -1);
  r.tick(quote(0, 10.00, 10.02), F, t0 + kNsPerSec + 5);  // a new stance, a second later: passes
  EXPECT_EQ(r.engine->counters().orders, 3u);
  EXPECT_EQ(r.engine->find_book("AAA")->book.position(), 0);
}

TEST(Engine, shouldHaltNewOrdersWhenDrawdownReachesLimit) {
  EngineConfig c = config(100);
  c.limits.max_drawdown = 50 * kUnit;
  Rig r(c);
  r.tick(quote(0, 10.00, 10.00), L);  // long 100 @ 10
  EXPECT_FALSE(r.engine->take_halt_event());
  r.tick(quote(0, 9.60, 9.60), N);  // -40
  EXPECT_FALSE(r.engine->halted());
  r.tick(quote(0, 9.50, 9.50), N);  // -50: fires
  EXPECT_TRUE(r.engine->halted());
  EXPECT_TRUE(r.engine->take_halt_event());
  EXPECT_FALSE(r.engine->take_halt_event());  // reported once
  r.tick(quote(0, 9.50, 9.50), S);
  EXPECT_EQ(r.engine->counters().rejects_by[static_cast<std::size_t>(Reject::kHalted)], 1u);
  EXPECT_EQ(r.engine->find_book("AAA")->book.position(), 100);  // halting does not trade
  EXPECT_EQ(r.engine->risk().max_drawdown(), 50 * kUnit);
}

TEST(Engine, shouldSkipTicksWhenSymbolIsFilteredOrOutOfRange) {
  EngineConfig c = config(1);
  c.symbols = {"BBB", "ZZZ"};
  Rig r(c);
  EXPECT_EQ(r.engine->books().size(), 1u);
  r.tick(quote(0, 10.00, 10.02), L);  // AAA: filtered out
  r.tick(quote(7, 10.00, 10.02), L);  // index beyond the directory
  EXPECT_EQ(r.engine->counters().skipped, 2u);
  EXPECT_EQ(r.engine->counters().orders, 0u);
  EXPECT_EQ(r.script.size(), 2u);  // the strategy never saw them
  r.script.clear();
  r.tick(quote(1, 10.00, 10.02), L);
  EXPECT_EQ(r.engine->counters().orders, 1u);
}

TEST(Engine, shouldReportMissingFilterSymbolsWhenAttaching) {
  std::deque<Signal> script;
  EngineConfig c = config(1);
  c.symbols = {"AAA", "ZZZ"};
  Engine e(c, std::make_unique<Scripted>(&script));
  EXPECT_EQ(e.attach({{"AAA", 100}, {"BBB", 100}}), std::vector<std::string>{"ZZZ"});
}

TEST(Engine, shouldUseTradePriceWhenTickHasNoQuoteAndNotFillWithoutOne) {
  Rig r(config(1));
  TickRecord t{};
  t.symbol = 0;
  t.kind = static_cast<std::uint8_t>(TickKind::kTrade);
  t.price = 123'400;
  r.tick(t, L);
  EXPECT_EQ(r.strategy->last_price_, 123'400);
  EXPECT_EQ(r.engine->counters().orders, 0u);  // no quote yet to fill against
  r.tick(quote(0, 12.00, 12.02), L);           // the stance is still pending: now it fills
  EXPECT_EQ(r.engine->counters().orders, 1u);
}

TEST(Engine, shouldKeepPositionsByNameWhenFeedRestartsWithAnotherDirectory) {
  Rig r(config(5));
  r.tick(quote(1, 10.00, 10.02), L);  // BBB long 5
  r.engine->attach({{"CCC", 100}, {"BBB", 100}, {"AAA", 100}});
  EXPECT_EQ(r.strategy->resets_, 2);
  EXPECT_EQ(r.engine->books().size(), 3u);
  r.tick(quote(1, 11.00, 11.00), S);  // index 1 is BBB again: sell 10
  const auto& b = *r.engine->find_book("BBB");
  EXPECT_EQ(b.book.position(), -5);
  EXPECT_EQ(b.book.realized(), 5 * (110'000 - 100'200));
}

TEST(Engine, shouldKeepTheNewest64FillsOldestFirstWhenManyFills) {
  Rig r(config(1));
  for (int i = 0; i < 100; ++i) r.tick(quote(0, 10.00, 10.02), i % 2 ? S : L);
  std::vector<FillRecord> fills;
  r.engine->recent_fills(fills);
  ASSERT_EQ(fills.size(), kAlgoFillCapacity);
  EXPECT_EQ(fills.front().fill_id, 37u);
  EXPECT_EQ(fills.back().fill_id, 100u);
  for (std::size_t i = 1; i < fills.size(); ++i) EXPECT_EQ(fills[i].fill_id, fills[i - 1].fill_id + 1);
}

TEST(Engine, shouldReadBackTheStatusSegmentWhenWrittenFromTheEngine) {
  const std::string feed = test::unique_segment("algo-status");
  test::ShmGuard guard(feed);
  Rig r(config(3, 0, 10));
  r.tick(quote(0, 10.00, 10.02), L);
  r.tick(quote(1, 20.00, 20.02), S);
  r.tick(quote(0, 10.10, 10.12), N);

  AlgoIdentity id;
  id.feed = feed;
  id.name = "unit";
  id.strategy = "scripted";
  id.params = "p=1";
  id.position_capacity = 8;
  auto w = AlgoStatusWriter::create(id);
  ASSERT_TRUE(w) << w.error().message;
  AlgoTotals totals{};
  std::vector<PositionRecord> positions;
  std::vector<FillRecord> fills;
  r.engine->fill_status(totals, positions);
  r.engine->recent_fills(fills);
  totals.ticks = 3;
  w->update(totals, positions, fills);

  auto snap = read_algo_status(algo_segment_path(feed, "unit"));
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->name, "unit");
  EXPECT_EQ(snap->strategy, "scripted");
  EXPECT_EQ(snap->params, "p=1");
  EXPECT_TRUE(snap->alive);
  EXPECT_EQ(snap->totals.ticks, 3u);
  EXPECT_EQ(snap->totals.orders, 2u);
  EXPECT_EQ(snap->totals.fills, 2u);
  EXPECT_EQ(snap->totals.realized, r.engine->realized());
  EXPECT_EQ(snap->totals.unrealized, r.engine->unrealized());
  EXPECT_EQ(snap->totals.total_pnl, r.engine->total_pnl());
  EXPECT_EQ(snap->totals.commissions, 60);
  EXPECT_EQ(snap->totals.positions_held, 2u);
  ASSERT_EQ(snap->positions.size(), 2u);
  EXPECT_STREQ(snap->positions[0].symbol, "AAA");
  EXPECT_EQ(snap->positions[0].position, 3);
  EXPECT_EQ(snap->positions[0].mark, 101'100);
  EXPECT_STREQ(snap->positions[1].symbol, "BBB");
  EXPECT_EQ(snap->positions[1].position, -3);
  ASSERT_EQ(snap->fills.size(), 2u);
  EXPECT_EQ(snap->fills[1].side, -1);
  EXPECT_EQ(snap->fills[1].price, 200'000);
}

}  // namespace tickshm::algo
