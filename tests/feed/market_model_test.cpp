// The market model in process: reproducibility, batches against single ticks, grid and quote
// invariants, auction prints and the overnight gap, the Student-t table, and mechanisms switched off.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "market_model.hpp"
#include "student_t.hpp"
#include "universe.hpp"

namespace tickshm::feed {
namespace {

MarketConfig small_sessions(std::uint64_t seed, std::uint64_t session_ticks) {
  MarketConfig c;
  c.sim.seed = seed;
  c.sim.session_ticks = session_ticks;
  c.sim.jumps_per_session = 20;  // exercise the rare paths
  c.market_jumps_per_session = 20;
  return c;
}

TEST(MarketModel, shouldProduceSameTicksByteForByteWhenSeedIsSame) {
  const MarketConfig c = small_sessions(99, 50'000);
  MarketModel a(default_universe(), c), b(default_universe(), c);
  MarketConfig other_cfg = c;
  other_cfg.sim.seed = 100;
  MarketModel other(default_universe(), other_cfg);
  TickRecord ta{}, tb{}, tc{};
  std::uint64_t differ = 0;
  for (int k = 0; k < 200'000; ++k) {
    a.next(ta);
    b.next(tb);
    other.next(tc);
    ASSERT_EQ(std::memcmp(&ta, &tb, sizeof ta), 0) << "runs diverged at tick " << k;
    differ += std::memcmp(&ta, &tc, sizeof ta) != 0 ? 1 : 0;
  }
  EXPECT_GE(a.session(), 2u) << "the run should have crossed sessions (auctions, gaps)";
  EXPECT_GT(differ, 190'000u) << "a different seed should give different ticks";
}

TEST(MarketModel, shouldGiveTheSameTicksInBatchesAsOneAtATime) {
  // Batch sizes that straddle the passes' 64-tick chunks, minute boundaries (where a pass is cut),
  // the auctions and the overnight gap.
  const MarketConfig c = small_sessions(7, 20'000);
  MarketModel single(default_universe(), c), batched(default_universe(), c);
  const std::uint32_t sizes[] = {1, 63, 64, 65, 200, 7};
  std::vector<TickRecord> batch(200);
  TickRecord t{};
  std::uint64_t k = 0;
  for (int round = 0; round < 600; ++round) {
    const std::uint32_t n = sizes[static_cast<std::size_t>(round) % std::size(sizes)];
    ASSERT_EQ(batched.next_batch(batch.data(), n), n);
    for (std::uint32_t b = 0; b < n; ++b, ++k) {
      single.next(t);
      ASSERT_EQ(std::memcmp(&t, &batch[b], sizeof t), 0) << "tick " << k << " (batch of " << n << ")";
    }
  }
  EXPECT_GE(batched.session(), 1u);
}

TEST(MarketModel, shouldGiveTheSameTicksInBatchesAsOneAtATimeWhenUniverseIsLarge) {
  // 2,000 symbols and 4,000 ticks a session (~10 a minute): most ticks are a symbol's first of its
  // minute, so a batch defers many once-a-minute updates (some symbols twice in one batch) and pass 1
  // prefetches; one at a time, each update runs on its own tick. Both must draw the same numbers.
  MarketConfig c = small_sessions(21, 4'000);
  const auto universe = generated_universe(2'000);
  MarketModel single(universe, c), batched(universe, c);
  std::vector<TickRecord> batch(64);
  TickRecord t{};
  for (int round = 0; round < 400; ++round) {
    ASSERT_EQ(batched.next_batch(batch.data(), 64), 64u);
    for (std::uint32_t b = 0; b < 64; ++b) {
      single.next(t);
      ASSERT_EQ(std::memcmp(&t, &batch[b], sizeof t), 0) << "round " << round << ", tick " << b;
    }
  }
  EXPECT_GE(batched.session(), 3u) << "the run should have crossed sessions (overnight gaps)";
}

TEST(MarketModel, shouldKeepQuotesOnGridAndTradesInsideTheQuoteWhenSimulating) {
  MarketModel sim(default_universe(), small_sessions(3, 200'000));
  TickRecord t{};
  std::uint64_t prev_event = 0, trades = 0, odd = 0, quotes = 0;
  for (int k = 0; k < 600'000; ++k) {
    sim.next(t);
    ASSERT_LT(t.symbol, sim.symbol_count());
    const std::uint32_t tick = sim.symbols()[t.symbol].tick_size;
    ASSERT_EQ(t.bid % tick, 0u) << "tick " << k;
    ASSERT_EQ(t.ask % tick, 0u) << "tick " << k;
    ASSERT_GE(t.ask, t.bid + tick) << "spread under one tick at tick " << k;
    ASSERT_GT(t.bid, 0u);
    ASSERT_GE(t.event_ns, prev_event) << "event time went back at tick " << k;
    prev_event = t.event_ns;
    if (t.kind == static_cast<std::uint8_t>(TickKind::kTrade)) {
      ++trades;
      ASSERT_EQ(t.price % tick, 0u);
      ASSERT_GE(t.price, t.bid) << "trade below the bid at tick " << k;
      ASSERT_LE(t.price, t.ask) << "trade above the ask at tick " << k;
      ASSERT_GT(t.size, 0u);
      odd += t.size < 100 ? 1 : 0;
    } else {
      ++quotes;
      ASSERT_EQ(t.price, 0u);
      ASSERT_EQ(t.size, 0u);
      ASSERT_EQ(t.bid_size % 100, 0u);
    }
  }
  // The excitation keeps the configured mean trade share (0.2) within a few points.
  EXPECT_NEAR(static_cast<double>(trades) / 600'000.0, 0.2, 0.05);
  EXPECT_GT(odd, trades / 10) << "odd lots should be a sizeable share of trades";
  EXPECT_GT(quotes, 0u);
}

TEST(MarketModel, shouldPrintOpeningAndClosingAuctionPerSymbolWhenSessionsRoll) {
  const auto universe = default_universe();
  const auto n = static_cast<std::uint32_t>(universe.size());
  MarketModel sim(universe, small_sessions(5, 20'000));
  TickRecord t{};
  // The first n ticks are the opening cross of session 0, one per symbol, at 09:30 exactly.
  for (std::uint32_t i = 0; i < n; ++i) {
    sim.next(t);
    EXPECT_EQ(t.symbol, i);
    EXPECT_EQ(t.kind, static_cast<std::uint8_t>(TickKind::kTrade));
    EXPECT_EQ(t.event_ns, kDefaultOpenUnixNs);
    EXPECT_GE(t.size, 100u);
  }
  // Then, at the close: every symbol's closing cross at 16:00, then every opening cross next day.
  std::vector<TickRecord> closes, opens;
  const std::uint64_t close_ns = kDefaultOpenUnixNs + kSessionNs;
  const std::uint64_t next_open = next_session_open(kDefaultOpenUnixNs);
  for (int k = 0; k < 100'000 && opens.size() < n; ++k) {
    sim.next(t);
    if (t.event_ns == close_ns) closes.push_back(t);
    if (t.event_ns == next_open) opens.push_back(t);
  }
  ASSERT_EQ(closes.size(), n);
  ASSERT_EQ(opens.size(), n);
  double close_volume = 0, open_volume = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    EXPECT_EQ(closes[i].symbol, i);
    EXPECT_EQ(closes[i].kind, static_cast<std::uint8_t>(TickKind::kTrade));
    EXPECT_GE(closes[i].price, closes[i].bid);
    EXPECT_LE(closes[i].price, closes[i].ask);
    close_volume += closes[i].size;
    open_volume += opens[i].size;
  }
  EXPECT_GT(close_volume, open_volume) << "the closing cross is the bigger one";
}

TEST(MarketModel, shouldHaveUnitVarianceAndFatTailsWhenStudentTableIsBuilt) {
  const QuantileTable t4 = make_student_t_table(4.0);
  const NormalTable& z = normal_table();
  double s2 = 0, s4 = 0, n4 = 0;
  for (std::uint64_t bits = 0; bits < (1u << kNormalBits); bits += 3) {
    const double x = t4(bits), y = z(bits);
    s2 += x * x;
    s4 += x * x * x * x;
    n4 += y * y * y * y;
  }
  const double count = static_cast<double>((1u << kNormalBits) / 3 + 1);
  EXPECT_NEAR(s2 / count, 1.0, 0.01);
  EXPECT_GT(s4 / count, 4.5) << "t(4) draws should be fat-tailed";
  EXPECT_NEAR(n4 / count, 3.0, 0.15) << "the normal table's kurtosis";
  EXPECT_GT(t4.knots[0], -20.0f);
  EXPECT_LT(t4.knots[0], -5.0f);
  // nu = 0 (off) is the normal table itself.
  const QuantileTable off = make_student_t_table(0.0);
  EXPECT_EQ(std::memcmp(&off, &z, sizeof z), 0);
}

TEST(MarketModel, shouldKeepVolatilityRatioAtTheIntradayProfileWhenStochasticVolIsOff) {
  MarketConfig c = small_sessions(11, 100'000);
  c.vol.fast_sd = 0;
  c.vol.slow_sd = 0;
  c.vol.intraday_open = 0;
  c.vol.intraday_close = 0;
  MarketModel sim(default_universe(), c);
  TickRecord t{};
  for (int k = 0; k < 50'000; ++k) {
    sim.next(t);
    ASSERT_NEAR(sim.vol_ratio(t.symbol), 1.0, 1e-12) << "tick " << k;
  }
  MarketModel sv(default_universe(), small_sessions(11, 100'000));
  double lo = 1e9, hi = 0;
  for (int k = 0; k < 50'000; ++k) {
    sv.next(t);
    lo = std::min(lo, sv.vol_ratio(t.symbol));
    hi = std::max(hi, sv.vol_ratio(t.symbol));
  }
  EXPECT_GT(hi / lo, 2.0) << "stochastic volatility should move the ratio";
}

}  // namespace
}  // namespace tickshm::feed
