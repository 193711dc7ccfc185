// Each strategy's signals on crafted price series, and against a naive reference on a random walk.
#include <gtest/gtest.h>
#include <CLI/CLI.hpp>

#include <cmath>
#include <random>

#include "strategy.hpp"

namespace tickshm::algo {
namespace {

constexpr std::int64_t kUnit = 10'000;

// Builds a strategy through its factory and command-line parameters, as the binary does.
std::unique_ptr<Strategy> make(const std::string& name, const std::string& args, std::uint32_t symbols = 1) {
  for (auto& f : make_strategy_factories()) {
    if (f->name() != name) continue;
    CLI::App app;
    f->add_options(app);
    app.parse(args, false);
    EXPECT_FALSE(f->validate().has_value()) << *f->validate();
    auto s = f->make();
    s->reset(symbols);
    return s;
  }
  ADD_FAILURE() << "no strategy " << name;
  return nullptr;
}

std::vector<Signal> run(Strategy& s, const std::vector<std::int64_t>& prices, std::uint32_t sym = 0) {
  std::vector<Signal> out;
  for (const auto p : prices) out.push_back(s.on_price(sym, p));
  return out;
}

std::vector<std::int64_t> units(std::initializer_list<double> v) {
  std::vector<std::int64_t> out;
  for (const double d : v) out.push_back(std::llround(d * static_cast<double>(kUnit)));
  return out;
}

std::vector<std::int64_t> random_walk(std::uint64_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> step(-300, 300);
  std::vector<std::int64_t> p{100 * kUnit};
  while (p.size() < n) p.push_back(std::max<std::int64_t>(kUnit, p.back() + step(rng)));
  return p;
}

constexpr Signal N = Signal::kNone, L = Signal::kLong, S = Signal::kShort, F = Signal::kFlat;

}  // namespace

TEST(Strategies, shouldListEveryStrategyWhenRegistryIsAsked) {
  EXPECT_EQ(strategy_names(), (std::vector<std::string>{"sma-cross", "mean-revert", "momentum"}));
}

TEST(SmaCross, shouldSignalOnlyOnCrossingsWhenFastCrossesSlow) {
  auto s = make("sma-cross", "--fast 2 --slow 4");
  // idx 0-3 warm-up (equal averages at 3); 4: below, first side, no signal; 6: crosses above; 8: below.
  const auto sig = run(*s, units({10, 10, 10, 10, 9, 9, 12, 12, 8, 8}));
  EXPECT_EQ(sig, (std::vector<Signal>{N, N, N, N, N, N, L, N, S, N}));
}

TEST(SmaCross, shouldNotSignalWhenAveragesOnlyTouch) {
  auto s = make("sma-cross", "--fast 1 --slow 2");
  // 1-tick fast vs 2-tick slow: above, equal (touch), above again: no crossing.
  const auto sig = run(*s, units({10, 11, 11, 12}));
  EXPECT_EQ(sig, (std::vector<Signal>{N, N, N, N}));
}

TEST(SmaCross, shouldKeepSymbolsApartWhenSeriesInterleave) {
  auto s = make("sma-cross", "--fast 2 --slow 4", 2);
  const auto a = units({10, 10, 10, 10, 9, 9, 12});
  const auto b = units({50, 50, 50, 50, 51, 52, 53});  // rising from the start: never crosses
  std::vector<Signal> sa, sb;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sa.push_back(s->on_price(0, a[i]));
    sb.push_back(s->on_price(1, b[i]));
  }
  EXPECT_EQ(sa, (std::vector<Signal>{N, N, N, N, N, N, L}));
  EXPECT_EQ(sb, std::vector<Signal>(b.size(), N));
}

TEST(SmaCross, shouldForgetHistoryWhenReset) {
  auto s = make("sma-cross", "--fast 2 --slow 4");
  run(*s, units({10, 10, 10, 10, 9, 9}));
  s->reset(1);
  // Without the reset, 12 would cross above; after it, the window is warming up again.
  EXPECT_EQ(s->on_price(0, 12 * kUnit), N);
}

TEST(SmaCross, shouldMatchNaiveAveragesWhenRunOnRandomWalk) {
  const std::uint32_t fast = 5, slow = 17;
  auto s = make("sma-cross", "--fast 5 --slow 17");
  const auto p = random_walk(7, 20'000);
  int relation = 0, crossings = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const Signal got = s->on_price(0, p[i]);
    Signal want = N;
    if (i + 1 >= slow) {
      std::int64_t fs = 0, ss = 0;
      for (std::size_t k = 0; k < slow; ++k) ss += p[i - k];
      for (std::size_t k = 0; k < fast; ++k) fs += p[i - k];
      const int now = fs * slow > ss * fast ? 1 : (fs * slow < ss * fast ? -1 : 0);
      if (now != 0) {
        if (relation != 0 && relation != now) want = now > 0 ? L : S;
        relation = now;
      }
    }
    ASSERT_EQ(got, want) << "at price " << i;
    crossings += want != N;
  }
  EXPECT_GT(crossings, 100);  // the walk really exercised the crossings
}

TEST(MeanRevert, shouldGoLongShortAndFlatWhenZScoreCrossesBands) {
  auto s = make("mean-revert", "--z-window 4 --z-entry 1.5 --z-exit 0.5");
  // Window {100,101,100,101}: mean 100.5, sd 0.5. 98 -> z = -5: long.
  // Window {101,100,101,98}: mean 100, sd 1.2247. 100 -> z = 0: flat.
  // Window {100,101,98,100}: mean 99.75, sd 1.0897. 102 -> z = 2.06: short.
  // Window {101,98,100,102}: mean 100.25, sd 1.479. 101 -> z = 0.51: inside the bands, no opinion.
  const auto sig = run(*s, units({100, 101, 100, 101, 98, 100, 102, 101}));
  EXPECT_EQ(sig, (std::vector<Signal>{N, N, N, N, L, F, S, N}));
}

TEST(MeanRevert, shouldStayQuietWhenPricesAreConstant) {
  auto s = make("mean-revert", "--z-window 3");
  EXPECT_EQ(run(*s, units({5, 5, 5, 5, 5})), std::vector<Signal>(5, N));  // zero deviation: z undefined
}

TEST(MeanRevert, shouldMatchNaiveZScoreWhenRunOnRandomWalk) {
  const std::size_t w = 12;
  const double entry = 1.8, exit = 0.3;
  auto s = make("mean-revert", "--z-window 12 --z-entry 1.8 --z-exit 0.3");
  const auto p = random_walk(11, 20'000);
  int longs = 0, shorts = 0, flats = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const Signal got = s->on_price(0, p[i]);
    Signal want = N;
    if (i >= w) {
      double mean = 0;
      for (std::size_t k = 1; k <= w; ++k) mean += static_cast<double>(p[i - k]);
      mean /= static_cast<double>(w);
      double var = 0;
      for (std::size_t k = 1; k <= w; ++k)
        var += (static_cast<double>(p[i - k]) - mean) * (static_cast<double>(p[i - k]) - mean);
      const double sd = std::sqrt(var / static_cast<double>(w));
      if (sd > 0) {
        const double z = (static_cast<double>(p[i]) - mean) / sd;
        want = z <= -entry ? L : z >= entry ? S : std::fabs(z) <= exit ? F : N;
      }
    }
    ASSERT_EQ(got, want) << "at price " << i;
    longs += want == L;
    shorts += want == S;
    flats += want == F;
  }
  EXPECT_GT(longs, 100);
  EXPECT_GT(shorts, 100);
  EXPECT_GT(flats, 100);
}

TEST(Momentum, shouldSignalWhenReturnOverLookbackReachesThreshold) {
  auto s = make("momentum", "--lookback 3 --threshold-bps 100");
  // 101 vs 100 three ticks back: exactly +1% = 100 bps -> long. 100.5 vs 100: +0.5% -> no opinion.
  // 99.4 vs 101: -1.58% -> short. 99.9 vs 100.5: -0.597% -> no opinion.
  const auto sig = run(*s, units({100, 100, 100, 101, 100.5, 100.5, 99.4, 99.9}));
  EXPECT_EQ(sig, (std::vector<Signal>{N, N, N, L, N, N, S, N}));
}

// Each strategy explains its last signal with its own figures: the reason in the fill log.
TEST(Strategies, shouldExplainTheLastSignalWithTheirFiguresWhenAsked) {
  char why[32];
  auto m = make("momentum", "--lookback 3 --threshold-bps 100");
  run(*m, units({100, 100, 100, 101}));
  m->explain(0, why, sizeof why);
  EXPECT_STREQ(why, "+100.0bps/3 ticks (bar 100)");
  auto x = make("sma-cross", "--fast 2 --slow 4");
  run(*x, units({10, 10, 10, 10, 9, 9, 12}));
  x->explain(0, why, sizeof why);
  EXPECT_STREQ(why, "sma2>sma4 by 0.5000");  // (9 + 12) / 2 = 10.5 vs (10 + 9 + 9 + 12) / 4 = 10
  auto z = make("mean-revert", "--z-window 4 --z-entry 1.5 --z-exit 0.5");
  run(*z, units({10, 11, 10, 11, 20}));
  z->explain(0, why, sizeof why);
  EXPECT_EQ(std::string(why).rfind("z +", 0), 0u) << why;
  EXPECT_NE(std::string(why).find("(in 1.50 out 0.50)"), std::string::npos) << why;
}

TEST(Momentum, shouldMatchNaiveReturnWhenRunOnRandomWalk) {
  const std::size_t lb = 20;
  const std::int64_t bps = 5;  // the walk moves ~8 bps over 20 ticks (1 sd)
  auto s = make("momentum", "--lookback 20 --threshold-bps 5");
  const auto p = random_walk(3, 20'000);
  int signals = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const Signal got = s->on_price(0, p[i]);
    Signal want = N;
    if (i >= lb) {
      const std::int64_t move = (p[i] - p[i - lb]) * 10'000;
      want = move >= bps * p[i - lb] ? L : move <= -bps * p[i - lb] ? S : N;
    }
    ASSERT_EQ(got, want) << "at price " << i;
    signals += want != N;
  }
  EXPECT_GT(signals, 100);
}

TEST(Strategies, shouldRefuseParametersWhenTheyContradictEachOther) {
  for (auto& f : make_strategy_factories()) {
    CLI::App app;
    f->add_options(app);
    if (f->name() == "sma-cross") {
      app.parse("--fast 30 --slow 30", false);
      EXPECT_TRUE(f->validate().has_value());
    } else if (f->name() == "mean-revert") {
      app.parse("--z-entry 1 --z-exit 1", false);
      EXPECT_TRUE(f->validate().has_value());
    }
    EXPECT_FALSE(f->params().empty());
  }
}

}  // namespace tickshm::algo
