// The simulator's model: grid and spread invariants, determinism, volatility, correlation, jumps,
// the intraday smile, activity weights, trade mix and sizes, the calendar; and the symbol universe.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <vector>

#include "rng.hpp"
#include "simulator.hpp"
#include "universe.hpp"

namespace tickshm::feed {
namespace {

constexpr std::uint64_t kFiveMinNs = 300 * kNs;

// Samples every symbol's quoted mid at each simulated 5-minute boundary and returns log returns
// per symbol (Simulator::next is the only input: this is what readers see).
std::vector<std::vector<double>> five_minute_returns(Simulator& sim, std::uint64_t periods) {
  const std::uint32_t n = sim.symbol_count();
  if (n == 0) return {};
  std::vector<double> mid(n, 0.0);
  std::vector<std::vector<double>> marks(n);
  TickRecord t{};
  std::uint64_t next_mark = kFiveMinNs;
  std::uint64_t samples = 0;
  while (samples < periods + 1) {
    sim.next(t);
    if (sim.trading_ns() >= next_mark) {
      if (std::all_of(mid.begin(), mid.end(), [](double m) { return m > 0; })) {
        for (std::uint32_t i = 0; i < n; ++i) marks[i].push_back(mid[i]);
        ++samples;
      }
      next_mark += kFiveMinNs;
    }
    mid[t.symbol] = (static_cast<double>(t.bid) + static_cast<double>(t.ask)) / 2.0;
  }
  std::vector<std::vector<double>> rets(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::size_t k = 1; k < marks[i].size(); ++k)
      rets[i].push_back(std::log(marks[i][k] / marks[i][k - 1]));
  }
  return rets;
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double stdev(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double ma = mean(a), mb = mean(b);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    sab += (a[k] - ma) * (b[k] - mb);
    saa += (a[k] - ma) * (a[k] - ma);
    sbb += (b[k] - mb) * (b[k] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

double kurtosis(const std::vector<double>& v) {
  const double m = mean(v);
  double s2 = 0, s4 = 0;
  for (double x : v) {
    s2 += (x - m) * (x - m);
    s4 += std::pow(x - m, 4);
  }
  const double n = static_cast<double>(v.size());
  return (s4 / n) / std::pow(s2 / n, 2);
}

double mean_pairwise_correlation(const std::vector<std::vector<double>>& rets) {
  double sum = 0;
  int pairs = 0;
  for (std::size_t i = 0; i < rets.size(); ++i) {
    for (std::size_t j = i + 1; j < rets.size(); ++j) {
      sum += correlation(rets[i], rets[j]);
      ++pairs;
    }
  }
  return sum / pairs;
}

// Ten ticks per simulated second: plenty of updates per symbol per 5 minutes, few ticks in all.
SimConfig stats_config(double weight, double jumps) {
  SimConfig c;
  c.seed = 1234;
  c.session_ticks = 234'000;
  c.market_weight = weight;
  c.jumps_per_session = jumps;
  return c;
}

TEST(FeedModel, shouldKeepPricesOnTickGridAndSpreadAtLeastOneTickWhenSimulating) {
  Simulator sim(default_universe(), SimConfig{});
  TickRecord t{};
  std::uint64_t prev_event = 0;
  std::uint64_t trades = 0, inside = 0;
  for (int k = 0; k < 1'000'000; ++k) {
    sim.next(t);
    ASSERT_LT(t.symbol, sim.symbol_count());
    const std::uint32_t tick = sim.symbols()[t.symbol].tick_size;
    ASSERT_EQ(t.bid % tick, 0u) << "bid off the grid at tick " << k;
    ASSERT_EQ(t.ask % tick, 0u) << "ask off the grid at tick " << k;
    ASSERT_GE(t.ask, t.bid + tick) << "spread under one tick at tick " << k;
    ASSERT_GT(t.bid, 0u);
    ASSERT_GE(t.event_ns, prev_event) << "event time went back at tick " << k;
    prev_event = t.event_ns;
    ASSERT_EQ(t.bid_size % 100, 0u);
    ASSERT_EQ(t.ask_size % 100, 0u);
    ASSERT_GT(t.bid_size, 0u);
    if (t.kind == static_cast<std::uint8_t>(TickKind::kTrade)) {
      ++trades;
      ASSERT_EQ(t.price % tick, 0u);
      ASSERT_GE(t.price, t.bid) << "trade below the bid at tick " << k;
      ASSERT_LE(t.price, t.ask) << "trade above the ask at tick " << k;
      if (t.price > t.bid && t.price < t.ask) ++inside;
      ASSERT_GT(t.size, 0u);
      ASSERT_EQ(t.size % 100, 0u) << "trade size not in round lots";
    } else {
      ASSERT_EQ(t.kind, static_cast<std::uint8_t>(TickKind::kQuote));
      ASSERT_EQ(t.price, 0u);
      ASSERT_EQ(t.size, 0u);
    }
    ASSERT_EQ(t.seq, 0u);
    ASSERT_EQ(t.publish_ns, 0u);
    ASSERT_EQ(t.checksum, 0u);
  }
  EXPECT_NEAR(static_cast<double>(trades) / 1e6, 0.2, 0.005);
  EXPECT_GT(inside, 0u) << "no trade ever inside a wide spread";
}

TEST(FeedModel, shouldProduceSameTicksByteForByteWhenSeedIsSame) {
  SimConfig c;
  c.seed = 99;
  c.jumps_per_session = 50;  // exercise the rare paths too
  Simulator a(default_universe(), c), b(default_universe(), c);
  c.seed = 100;
  Simulator other(default_universe(), c);
  TickRecord ta{}, tb{}, tc{};
  std::uint64_t differ = 0;
  for (int k = 0; k < 300'000; ++k) {
    a.next(ta);
    b.next(tb);
    other.next(tc);
    ASSERT_EQ(std::memcmp(&ta, &tb, sizeof ta), 0) << "runs diverged at tick " << k;
    differ += std::memcmp(&ta, &tc, sizeof ta) != 0 ? 1 : 0;
  }
  EXPECT_GT(differ, 290'000u) << "a different seed should give different ticks";
}

TEST(FeedModel, shouldGiveTheSameTicksInBatchesAsOneAtATime) {
  // The flat-out loop asks for batches (Simulator::next_batch, three passes per batch); paced modes
  // ask for one tick at a time. Both must give the same stream: batch sizes that straddle the passes'
  // 64-tick chunks, with jumps, minute boundaries and a session change along the way.
  SimConfig c;
  c.seed = 7;
  c.jumps_per_session = 50;
  c.session_ticks = 20'000;  // a simulated session every 20,000 ticks
  Simulator single(default_universe(), c), batched(default_universe(), c);
  const std::uint32_t sizes[] = {1, 63, 64, 65, 200, 7};
  std::vector<TickRecord> batch(200);
  TickRecord t{};
  std::uint64_t k = 0;
  for (int round = 0; round < 400; ++round) {  // ~26,700 ticks
    const std::uint32_t n = sizes[static_cast<std::size_t>(round) % std::size(sizes)];
    ASSERT_EQ(batched.next_batch(batch.data(), n), n);
    for (std::uint32_t b = 0; b < n; ++b, ++k) {
      single.next(t);
      ASSERT_EQ(std::memcmp(&t, &batch[b], sizeof t), 0) << "tick " << k << " (batch of " << n << ")";
    }
  }
  EXPECT_GE(batched.session(), 1u) << "the run should have crossed a session";
}

TEST(FeedModel, shouldMatchConfiguredVolatilityWhenJumpsAreOff) {
  Simulator sim(default_universe(), stats_config(0.6, 0.0));
  const auto rets = five_minute_returns(sim, 3000);
  const double periods_per_year = 252.0 * 78.0;  // 78 five-minute periods per 6.5-hour session
  for (std::uint32_t i = 0; i < sim.symbol_count(); ++i) {
    const double vol = stdev(rets[i]) * std::sqrt(periods_per_year);
    const double want = sim.symbols()[i].vol;
    // 3000 returns: the estimate's standard error is ~1.3%; 6% is ~4.5 sigma.
    EXPECT_NEAR(vol / want, 1.0, 0.06) << sim.symbols()[i].name << " vol " << vol << " configured " << want;
  }
}

TEST(FeedModel, shouldMatchConfiguredCorrelationWhenMarketWeightIsSet) {
  for (const double w : {0.0, 0.6, 0.9}) {
    Simulator sim(default_universe(), stats_config(w, 0.0));
    const auto rets = five_minute_returns(sim, 2000);
    const double rho = mean_pairwise_correlation(rets);
    // Asynchronous updates lower measured correlation a little (the Epps effect): ~2% here.
    EXPECT_NEAR(rho, w * w, 0.05) << "market weight " << w;
  }
}

TEST(FeedModel, shouldFattenTailsWhenJumpsAreOn) {
  Simulator calm(default_universe(), stats_config(0.6, 0.0));
  SimConfig jumpy_cfg = stats_config(0.6, 20.0);
  jumpy_cfg.jump_size = 0.01;
  Simulator jumpy(default_universe(), jumpy_cfg);
  const auto calm_rets = five_minute_returns(calm, 2000);
  const auto jumpy_rets = five_minute_returns(jumpy, 2000);
  double calm_k = 0, jumpy_k = 0;
  for (std::size_t i = 0; i < calm_rets.size(); ++i) {
    calm_k += kurtosis(calm_rets[i]);
    jumpy_k += kurtosis(jumpy_rets[i]);
  }
  calm_k /= static_cast<double>(calm_rets.size());
  jumpy_k /= static_cast<double>(jumpy_rets.size());
  EXPECT_NEAR(calm_k, 3.0, 0.35) << "Gaussian returns have kurtosis 3";
  EXPECT_GT(jumpy_k, 4.0) << "jumps should fatten the tails";
}

TEST(FeedModel, shouldTradeMoreVolumeNearOpenAndCloseWhenSessionRuns) {
  SimConfig c;
  c.session_ticks = 390'000;
  Simulator sim(default_universe(), c);
  std::vector<double> volume(kSessionBuckets, 0.0);
  TickRecord t{};
  while (sim.session() < 5) {
    sim.next(t);
    if (t.kind == static_cast<std::uint8_t>(TickKind::kTrade)) {
      volume[(sim.trading_ns() % kSessionNs) / kBucketNs] += t.size;
    }
  }
  auto avg = [&](std::size_t from, std::size_t to) {
    return std::accumulate(volume.begin() + static_cast<long>(from), volume.begin() + static_cast<long>(to),
                           0.0) /
           static_cast<double>(to - from);
  };
  const double open = avg(0, 10), lunch = avg(150, 240), close = avg(380, 390);
  EXPECT_GT(open, 2.0 * lunch) << "open " << open << " lunch " << lunch;
  EXPECT_GT(close, 1.5 * lunch) << "close " << close << " lunch " << lunch;
  EXPECT_GT(open, close) << "the open is the busier end of the smile";
}

TEST(FeedModel, shouldWidenSpreadWhenVolatilityIsHigher) {
  std::vector<SymbolParams> u = {{"CALM", 400.0, 0.10, 0.0, 1.0, 100}, {"WILD", 400.0, 0.80, 0.0, 1.0, 100}};
  SimConfig c;
  c.jumps_per_session = 0;
  Simulator sim(u, c);
  double spread[2] = {0, 0};
  double n[2] = {0, 0};
  TickRecord t{};
  for (int k = 0; k < 400'000; ++k) {
    sim.next(t);
    spread[t.symbol] += t.ask - t.bid;
    n[t.symbol] += 1;
  }
  const double calm = spread[0] / n[0] / 100.0, wild = spread[1] / n[1] / 100.0;  // in ticks
  EXPECT_GE(calm, 1.0);
  EXPECT_GT(wild, 4.0 * calm) << "calm " << calm << " ticks, wild " << wild << " ticks";
}

TEST(FeedModel, shouldWidenSpreadAfterJumpWhenJumpHappens) {
  std::vector<SymbolParams> u = {{"JMP", 400.0, 0.30, 0.0, 1.0, 100}};
  SimConfig quiet, busy;
  quiet.jumps_per_session = 0;
  busy.jumps_per_session = 200;  // a jump every ~2 simulated minutes: spreads stay excited
  Simulator a(u, quiet), b(u, busy);
  double sa = 0, sb = 0;
  TickRecord t{};
  for (int k = 0; k < 300'000; ++k) {
    a.next(t);
    sa += t.ask - t.bid;
    b.next(t);
    sb += t.ask - t.bid;
  }
  EXPECT_GT(sb, 1.3 * sa);
}

TEST(FeedModel, shouldPickSymbolsInProportionToActivityWhenSimulating) {
  std::vector<SymbolParams> u = {{"ONE", 50.0, 0.2, 0.0, 1.0, 100},
                                 {"THREE", 50.0, 0.2, 0.0, 3.0, 100},
                                 {"SIX", 50.0, 0.2, 0.0, 6.0, 100}};
  Simulator sim(u, SimConfig{});
  double counts[3] = {0, 0, 0};
  TickRecord t{};
  for (int k = 0; k < 1'000'000; ++k) {
    sim.next(t);
    counts[t.symbol] += 1;
  }
  EXPECT_NEAR(counts[0] / 1e6, 0.1, 0.003);
  EXPECT_NEAR(counts[1] / 1e6, 0.3, 0.003);
  EXPECT_NEAR(counts[2] / 1e6, 0.6, 0.003);
}

TEST(FeedModel, shouldDrawHeavyTailedRoundLotsWhenTrading) {
  Simulator sim(default_universe(), SimConfig{});
  std::vector<std::uint32_t> sizes;
  TickRecord t{};
  while (sizes.size() < 200'000) {
    sim.next(t);
    if (t.kind == static_cast<std::uint8_t>(TickKind::kTrade)) sizes.push_back(t.size);
  }
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes.front(), 100u);
  EXPECT_LE(sizes[sizes.size() / 2], 200u) << "the median trade is a lot or two";
  EXPECT_GE(sizes.back(), 10'000u) << "the tail reaches block sizes";
}

TEST(FeedModel, shouldDrawUnitVarianceNormalsWhenUsingTable) {
  const NormalTable& z = normal_table();
  WyRand rng(7);
  double s = 0, s2 = 0;
  const int n = 2'000'000;
  for (int k = 0; k < n; ++k) {
    const double v = z(rng.next());
    s += v;
    s2 += v * v;
  }
  EXPECT_NEAR(s / n, 0.0, 0.003);
  EXPECT_NEAR(s2 / n, 1.0, 0.005);
  EXPECT_NEAR(inverse_normal_cdf(0.975), 1.959963984540054, 1e-12);
}

TEST(FeedModel, shouldMoveCalendarToNextWeekdayWhenSessionEnds) {
  // 2024-01-05 is a Friday: the next open is Monday 2024-01-08 14:30 UTC.
  const std::uint64_t friday = (1'704'205'800ULL + 3 * 86'400) * kNs;
  EXPECT_EQ(next_session_open(friday), friday + 3 * 86'400 * kNs);
  EXPECT_EQ(next_session_open(kDefaultOpenUnixNs), kDefaultOpenUnixNs + 86'400 * kNs);

  SimConfig c;
  c.session_ticks = 10'000;
  Simulator sim(default_universe(), c);
  TickRecord t{};
  std::uint64_t last_event = 0;
  while (sim.session() < 1) {
    sim.next(t);
    last_event = t.event_ns;
  }
  EXPECT_GE(last_event, kDefaultOpenUnixNs + 86'400 * kNs) << "the first tick of day two is on day two";
  EXPECT_LT(last_event, kDefaultOpenUnixNs + 86'400 * kNs + kSessionNs);
}

TEST(FeedUniverse, shouldOfferTwentyWellKnownSymbolsWhenNoneAreGiven) {
  const auto u = default_universe();
  EXPECT_GE(u.size(), 20u);
  EXPECT_EQ(u.front().name, "AAPL");
  for (const auto& p : u) {
    EXPECT_TRUE(validate_symbol(p.name).ok()) << p.name;
    EXPECT_GT(p.price, 1.0);
    EXPECT_GT(p.vol, 0.05);
  }
}

TEST(FeedUniverse, shouldRefuseBadNamesWhenParsingSymbolList) {
  EXPECT_TRUE(parse_symbol_list("AAPL,ZZZZ,BRK.B").ok());
  EXPECT_EQ(parse_symbol_list("AAPL,ZZZZ")->at(1).name, "ZZZZ");
  EXPECT_EQ(parse_symbol_list("ZZZZ")->at(0).price, parse_symbol_list("ZZZZ")->at(0).price);
  for (const char* bad :
       {"", "AAPL,,MSFT", "AAPL,", "A B", "THIS_NAME_IS_TOO_LONG", "AAPL,AAPL", "caf\xc3\xa9"}) {
    const auto r = parse_symbol_list(bad);
    EXPECT_FALSE(r.ok()) << "'" << bad << "' accepted";
  }
  EXPECT_NE(parse_symbol_list("AAPL,AAPL").error().message.find("twice"), std::string::npos);
}

TEST(FeedUniverse, shouldReportLineAndColumnWhenSymbolsFileIsBad) {
  auto ok = parse_symbols_text("# comment\nAAPL\n\nFOO, 12.5, 0.3\nBAR,,,2\n", "syms.txt");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(ok->size(), 3u);
  EXPECT_DOUBLE_EQ(ok->at(1).price, 12.5);
  EXPECT_DOUBLE_EQ(ok->at(1).vol, 0.3);
  EXPECT_DOUBLE_EQ(ok->at(2).activity, 2.0);
  EXPECT_EQ(parse_symbols_text("AAPL\nFOO,abc\n", "s.txt").error().message,
            "s.txt:2:5: price 'abc' is not a number in [0.01, 400000]");
  EXPECT_EQ(parse_symbols_text("AAPL\n  AAPL\n", "s.txt").error().message,
            "s.txt:2:3: symbol 'AAPL' is listed twice");
  EXPECT_EQ(parse_symbols_text("A,1,9\n", "s.txt").error().message,
            "s.txt:1:5: volatility '9' is not a number in [0, 5] (0.25 = 25%/year)");
  EXPECT_EQ(parse_symbols_text("# only a comment\n", "s.txt").error().message,
            "s.txt:1:1: no symbols in the file");
}

TEST(FeedUniverse, shouldGenerateZeroPaddedNamesWhenNumSymbolsIsGiven) {
  const auto u = generated_universe(12);
  ASSERT_EQ(u.size(), 12u);
  EXPECT_EQ(u.front().name, "SYM0001");
  EXPECT_EQ(u.back().name, "SYM0012");
  EXPECT_EQ(generated_universe(65'536).back().name, "SYM65536");
}

}  // namespace
}  // namespace tickshm::feed
