// Unit tests of the drill-down views, the header, the algos table and the charts: build_frame from a
// plain Snapshot at 80x24, 120x40 and 200x60, no terminal.
#include <gtest/gtest.h>

#include <cstring>
#include <regex>
#include <sstream>
#include <string>

#include "chart.hpp"
#include "frame.hpp"

namespace tickshm::dash {
namespace {

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

Snapshot rich_snapshot() {
  Snapshot s;
  s.feed.name = "market";
  s.feed.state = FeedState::kLive;
  s.feed.epoch = 0xabcdef0123456789ULL;
  s.feed.writer_pid = 4242;
  s.feed.published = 1'234'567;
  s.feed.ticks_per_sec = 250'000;
  s.feed.uptime_ns = 75'000'000'000ULL;
  SymbolRow r;
  r.symbol = "AAPL";
  r.reference = 1'800'000;
  r.last = 1'812'500;
  r.bid = 1'812'400;
  r.ask = 1'812'600;
  r.bid_size = 300;
  r.ask_size = 200;
  r.open = 1'800'100;
  r.high = 1'820'000;
  r.low = 1'795'000;
  r.volume = 123'456;
  r.trades = 789;
  r.ticks = 4567;
  for (int i = 0; i < 200; ++i) r.spark.push_back(1'800'000 + (i % 40) * 500);
  s.symbols.push_back(r);
  TapeEntry t;
  t.seq = 99;
  t.trade = true;
  t.price = 1'812'500;
  t.size = 100;
  t.bid = r.bid;
  t.ask = r.ask;
  s.tape_symbol = "AAPL";
  s.tape.push_back(t);
  ReaderRow rd;
  rd.name = "fast";
  rd.role = "algo";
  rd.pid = 77;
  rd.p50_ns = 900;
  rd.p99_ns = 12'000;
  rd.p999_ns = 80'000;
  rd.max_ns = 400'000;
  rd.lag_history = {0, 5, 30, 2, 0};
  s.readers.push_back(rd);
  AlgoRow a;
  a.name = "fast";
  a.strategy = "sma-cross";
  a.params = "fast=5 slow=20";
  a.alive = true;
  a.throttled = true;
  a.positions_held = 2;
  a.gross_shares = 300;
  a.total = -1'234'500;
  a.orders = 40;
  a.fills = 40;
  a.rejects = 9;
  a.risk.rejects_by[4] = 9;
  a.risk.max_orders_per_sec = 5;
  a.risk.orders_last_sec = 5;
  a.risk.pnl_interval_ns = 500'000'000ULL;
  PositionRecord p{};
  std::strcpy(p.symbol, "AAPL");
  p.position = -200;
  p.avg_cost = 1'812'000;
  a.positions.push_back(p);
  FillRecord f{};
  f.fill_id = 40;
  f.side = -1;
  f.quantity = 200;
  f.price = 1'812'000;
  std::strcpy(f.symbol, "AAPL");
  std::strcpy(f.reason, "short: sma5<sma20 by 0.0123");
  f.position_after = -200;
  a.fills_log.push_back(f);
  for (std::uint64_t k = 1; k <= 50; ++k)
    a.pnl.push_back(PnlSample{k, k, -static_cast<std::int64_t>(k) * 20'000, 0, 0, 0, 0, 0});
  s.algos.push_back(a);
  return s;
}

std::size_t widest(const Frame& f) {
  std::size_t w = 0;
  for (const auto& l : f.lines) w = std::max(w, display_width(l.text()));
  return w;
}

struct Size {
  std::size_t w, h;
};
constexpr Size kSizes[] = {{80, 24}, {120, 40}, {200, 60}};

TEST(ViewsTest, shouldShowBookChartAndTapeWhenSymbolViewAtEverySize) {
  const Snapshot s = rich_snapshot();
  ViewState v;
  v.screen = Screen::kSymbol;
  v.detail = "AAPL";
  for (const Size z : kSizes) {
    const Frame f = build_frame(s, v, {z.w, z.h, true});
    const std::string t = f.text();
    EXPECT_EQ(f.lines.size(), z.h);
    EXPECT_LE(widest(f), z.w);
    EXPECT_TRUE(contains(t, "Symbol AAPL")) << t;
    EXPECT_TRUE(contains(t, "181.24 x 300")) << t;
    EXPECT_TRUE(contains(t, "high 182.00")) << t;
    EXPECT_TRUE(contains(t, "now")) << t;  // the time axis
    EXPECT_TRUE(contains(t, "Tape")) << t;
    EXPECT_TRUE(contains(t, "trade")) << t;
    EXPECT_TRUE(contains(t, "Esc back")) << t;
  }
}

TEST(ViewsTest, shouldShowPositionsFillsRiskAndPnlWhenAlgoViewAtEverySize) {
  const Snapshot s = rich_snapshot();
  ViewState v;
  v.screen = Screen::kAlgo;
  v.detail = "fast";
  for (const Size z : kSizes) {
    const Frame f = build_frame(s, v, {z.w, z.h, true});
    const std::string t = f.text();
    EXPECT_EQ(f.lines.size(), z.h);
    EXPECT_LE(widest(f), z.w);
    EXPECT_TRUE(contains(t, "Algo fast")) << t;
    EXPECT_TRUE(contains(t, "throttled")) << t;
    EXPECT_TRUE(contains(t, "max-orders-per-sec 9")) << t;
    EXPECT_TRUE(contains(t, "Total P&L over time")) << t;
    EXPECT_TRUE(contains(t, "-200")) << t;  // the AAPL position
    EXPECT_TRUE(contains(t, "SELL")) << t;
    if (z.w >= 120) {
      EXPECT_TRUE(contains(t, "short: sma5<sma20")) << t;
    }
  }
}

TEST(ViewsTest, shouldShowLatencyStripAndLagWhenReadersViewAtEverySize) {
  const Snapshot s = rich_snapshot();
  ViewState v;
  v.screen = Screen::kReaders;
  for (const Size z : kSizes) {
    const Frame f = build_frame(s, v, {z.w, z.h, true});
    const std::string t = f.text();
    EXPECT_LE(widest(f), z.w);
    EXPECT_TRUE(contains(t, "Readers: 1")) << t;
    EXPECT_TRUE(contains(t, "fast")) << t;
    EXPECT_TRUE(contains(t, "max 30")) << t;                        // the lag history's maximum
    EXPECT_TRUE(std::regex_search(t, std::regex("5-+9-*#"))) << t;  // p50 .. p99 .. p99.9 on the strip
  }
}

TEST(ViewsTest, shouldDropWholeHeaderFieldsWhenNarrowAndShowAllWhenWide) {
  const Snapshot s = rich_snapshot();
  const std::string narrow = build_frame(s, ViewState{}, {80, 24, true}).lines[0].text();
  EXPECT_LE(display_width(narrow), 80u);
  EXPECT_TRUE(contains(narrow, "250.0k ticks/s")) << narrow;
  EXPECT_FALSE(contains(narrow, "abcdef0123456789")) << narrow;  // dropped whole, not cut
  EXPECT_FALSE(contains(narrow, "epoch")) << narrow;
  // The footer drops whole hints too, keeping quit and help.
  const std::string footer = build_frame(s, ViewState{}, {80, 24, true}).lines.back().text();
  EXPECT_LE(display_width(footer), 80u);
  EXPECT_TRUE(contains(footer, "q quit")) << footer;
  EXPECT_TRUE(contains(footer, "? help")) << footer;
  const std::string wide = build_frame(s, ViewState{}, {200, 60, true}).lines[0].text();
  EXPECT_TRUE(contains(wide, "epoch abcdef0123456789")) << wide;
  EXPECT_TRUE(contains(wide, "up 1m15s")) << wide;
}

TEST(ViewsTest, shouldShowGrossSharesSymbolCountRejectsAndThrottledInTheAlgosTable) {
  const Snapshot s = rich_snapshot();
  const std::string t = build_frame(s, ViewState{}, {120, 40, true}).text();
  EXPECT_TRUE(contains(t, "SHARES")) << t;
  EXPECT_TRUE(contains(t, "SYMS")) << t;
  EXPECT_TRUE(contains(t, "REJECTS")) << t;
  EXPECT_TRUE(contains(t, "throttled")) << t;
  EXPECT_TRUE(std::regex_search(t, std::regex(R"(fast +sma-cross +300 +2 )"))) << t;
}

TEST(ViewsTest, shouldUseTheWidthForMoreColumnsWhenTwoHundredWide) {
  const Snapshot s = rich_snapshot();
  const std::string t = build_frame(s, ViewState{}, {200, 60, true}).text();
  EXPECT_TRUE(contains(t, "OPEN")) << t;
  EXPECT_TRUE(contains(t, "HIGH")) << t;
  EXPECT_TRUE(contains(t, "TRADES")) << t;
  EXPECT_TRUE(contains(t, "MAX DD")) << t;  // the algos table too
  EXPECT_TRUE(contains(t, "READ P99")) << t;
  EXPECT_FALSE(contains(build_frame(s, ViewState{}, {120, 40, true}).text(), "TRADES"));
  EXPECT_FALSE(contains(build_frame(s, ViewState{}, {120, 40, true}).text(), "MAX DD"));
  // The TREND heading says its span (0.5 s a point), and the sparkline is wider than at 120 columns.
  EXPECT_TRUE(std::regex_search(t, std::regex(R"(TREND [0-9]+s)"))) << t;
  EXPECT_TRUE(contains(t, "TREND 28s")) << t;
}

TEST(ViewsTest, shouldKeepAFewCentsFlatWhenSparklineHasAMinimumRange) {
  // 3 cents of wobble on a $180 price: with the 0.2% floor ($0.36) it stays within two levels.
  const std::vector<std::int64_t> pts = {1'800'000, 1'800'300, 1'800'000, 1'800'300};
  const std::string own = sparkline(pts, 4, false);
  EXPECT_EQ(own, "_#_#");  // the points' own range: full bars
  const std::string floored = sparkline(pts, 4, false, spark_min_range(1'800'000));
  EXPECT_EQ(spark_min_range(1'800'000), 3'600);
  EXPECT_EQ(floored.find('#'), std::string::npos) << floored;
  EXPECT_EQ(floored.find('_'), std::string::npos) << floored;
}

TEST(ViewsTest, shouldDrawALineWithItsTimeAxisWhenCharted) {
  std::vector<std::int64_t> v;
  for (int i = 0; i < 100; ++i) v.push_back(i);
  ChartOptions o;
  o.width = 40;
  o.height = 4;
  o.unicode = false;
  o.period_ns = 1'000'000'000ULL;
  const auto lines = line_chart(v, o);
  ASSERT_EQ(lines.size(), 5u);
  // A rising line: the top row's mark is right of the bottom row's.
  const std::string top = lines[0].text(), bottom = lines[3].text();
  EXPECT_GT(top.find('*'), bottom.find('*'));
  EXPECT_TRUE(contains(lines[4].text(), "now"));
  EXPECT_TRUE(contains(lines[4].text(), "-28s"));  // 29 points at 1 s
  EXPECT_TRUE(contains(lines[0].text(), "99"));    // the scale's top
}

// A status segment is another process's bytes: extreme values draw (saturated), they never overflow.
TEST(ViewsTest, shouldDrawExtremeValuesFromAHostileStatusSegmentWhenAlgoViewShown) {
  Snapshot s = rich_snapshot();
  AlgoRow& a = s.algos[0];
  a.positions[0].position = INT64_MIN;
  a.gross_shares = INT64_MAX;
  a.total = INT64_MIN;
  a.pnl = {PnlSample{1, 1, INT64_MIN, 0, 0, 0, 0, 0}, PnlSample{2, 2, INT64_MAX, 0, 0, 0, 0, 0}};
  a.risk.max_position = INT64_MAX;
  a.risk.largest_position = INT64_MIN;
  s.readers[0].lag_history = {UINT64_MAX, 0};
  ViewState v;
  v.screen = Screen::kAlgo;
  v.detail = "fast";
  EXPECT_TRUE(contains(build_frame(s, v, {120, 40, true}).text(), "Algo fast"));
  v.screen = Screen::kReaders;
  EXPECT_TRUE(contains(build_frame(s, v, {120, 40, true}).text(), "Readers: 1"));
  EXPECT_EQ(abs_sat(INT64_MIN), INT64_MAX);
  EXPECT_EQ(add_sat(INT64_MAX, 5), INT64_MAX);
}

// A fill's symbol and reason are another process's bytes: the algo view shows them escaped.
TEST(ViewsTest, shouldEscapeAFillsSymbolAndReasonWhenAlgoViewShown) {
  Snapshot s = rich_snapshot();
  AlgoRow& a = s.algos[0];
  ASSERT_FALSE(a.fills_log.empty());
  FillRecord& f = a.fills_log.back();
  std::memcpy(f.symbol, "\x1b[2JX", 6);
  std::memcpy(f.reason, "go\x1b]0;pwned\x07", 12);
  std::memcpy(a.positions[0].symbol, "\x1b[31mP", 7);
  ViewState v;
  v.screen = Screen::kAlgo;
  v.detail = "fast";
  const std::string text = build_frame(s, v, {160, 60, true}).text();
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
  EXPECT_TRUE(contains(text, "\\x1b")) << text;  // shown, as its escape
}

TEST(ViewsTest, shouldMatchSubstringsWhenFiltering) {
  EXPECT_TRUE(matches_filter("MSFT", "sf"));
  EXPECT_TRUE(matches_filter("MSFT", ""));
  EXPECT_FALSE(matches_filter("AAPL", "sf"));
}

}  // namespace
}  // namespace tickshm::dash
