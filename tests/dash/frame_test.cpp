// Unit tests of the dashboard's layout: what a frame shows, at 120x40, at 80x24, and as --snapshot.
#include <gtest/gtest.h>

#include <string>

#include "frame.hpp"

namespace tickshm::dash {
namespace {

Snapshot sample_snapshot(std::size_t symbols, std::size_t readers, std::size_t algos) {
  Snapshot s;
  s.feed.name = "market";
  s.feed.state = FeedState::kLive;
  s.feed.epoch = 0xabcdef0123456789ULL;
  s.feed.writer_pid = 4242;
  s.feed.published = 1'234'567;
  s.feed.ticks_per_sec = 250'000;
  s.feed.uptime_ns = 75'000'000'000ULL;
  const char* names[] = {"AAPL", "MSFT", "GOOG", "AMZN", "META", "NVDA", "TSLA", "AMD"};
  for (std::size_t i = 0; i < symbols; ++i) {
    SymbolRow r;
    r.symbol = i < 8 ? names[i] : "S" + std::to_string(i);
    r.index = static_cast<std::uint32_t>(i);
    r.reference = 1'000'000;
    r.last = 1'000'000 + (i % 2 == 0 ? 1 : -1) * static_cast<std::int64_t>(100 * (i + 1));
    r.bid = r.last - 100;
    r.ask = r.last + 100;
    r.volume = 1000 * i;
    r.ticks = 10 * i;
    r.spark = {r.last - 300, r.last - 100, r.last};
    s.symbols.push_back(r);
  }
  for (std::size_t i = 0; i < readers; ++i) {
    ReaderRow r;
    r.name = "reader-" + std::to_string(i);
    r.role = "algo";
    r.wait = "adaptive";
    r.pid = 1000 + static_cast<std::int32_t>(i);
    r.received = 5000;
    r.lost = i == 1 ? 7 : 0;
    r.lag = 3;
    r.p50_ns = 450;
    r.p99_ns = 2'100;
    r.p999_ns = 9'000;
    r.state = i == 2 ? ReaderState::kDead : ReaderState::kAlive;
    s.readers.push_back(r);
  }
  for (std::size_t i = 0; i < algos; ++i) {
    AlgoRow a;
    a.name = "algo-" + std::to_string(i);
    a.strategy = "sma-cross";
    a.alive = true;
    a.halted = i == 0;
    a.positions_held = 2;
    a.realized = 1'250'000;
    a.unrealized = -250'000;
    a.total = 1'000'000;
    a.orders = 40;
    a.fills = 38;
    s.algos.push_back(a);
  }
  return s;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(FrameTest, shouldShowHeaderTableReadersAndAlgosWhenRoomy) {
  const Snapshot s = sample_snapshot(8, 3, 2);
  const Frame f = build_frame(s, ViewState{}, {120, 40, true});
  const std::string t = f.text();
  EXPECT_EQ(f.lines.size(), 40u);
  EXPECT_TRUE(contains(t, "feed market")) << t;
  EXPECT_TRUE(contains(t, "[LIVE]"));
  EXPECT_TRUE(contains(t, "abcdef0123456789"));
  EXPECT_TRUE(contains(t, "pid 4242"));
  EXPECT_TRUE(contains(t, "250.0k ticks/s"));
  EXPECT_TRUE(contains(t, "up 1m15s"));
  EXPECT_TRUE(contains(t, "SYMBOL"));
  EXPECT_TRUE(contains(t, "CHG%"));
  EXPECT_TRUE(contains(t, "TREND"));
  EXPECT_TRUE(contains(t, "AAPL"));
  EXPECT_TRUE(contains(t, "100.01"));  // AAPL last = 1,000,100 units
  EXPECT_TRUE(contains(t, "+0.01%"));
  EXPECT_TRUE(contains(t, "reader-2"));
  EXPECT_TRUE(contains(t, "dead"));
  EXPECT_TRUE(contains(t, "HALTED"));
  EXPECT_TRUE(contains(t, "+100.00"));  // an algo's total P&L
  EXPECT_TRUE(contains(t, "q quit"));
  EXPECT_FALSE(f.readers_collapsed);
  EXPECT_FALSE(f.algos_collapsed);
}

TEST(FrameTest, shouldFitEightyByTwentyFourWhenSmallTerminal) {
  const Snapshot s = sample_snapshot(40, 3, 2);
  const Frame f = build_frame(s, ViewState{}, {80, 24, true});
  ASSERT_EQ(f.lines.size(), 24u);
  for (const auto& l : f.lines) EXPECT_LE(display_width(l.text()), 80u) << l.text();
  const std::string t = f.text();
  EXPECT_TRUE(contains(t, "AAPL"));
  EXPECT_TRUE(contains(t, "reader-0"));
  EXPECT_TRUE(contains(t, "algo-1"));
  EXPECT_GE(f.market_rows, kMinMarketRows);
  EXPECT_TRUE(contains(t, "rows 1-"));  // 40 symbols do not fit: the title says which are shown
}

TEST(FrameTest, shouldCollapseAlgosBeforeReadersWhenShort) {
  const Snapshot s = sample_snapshot(40, 6, 6);
  const Frame f = build_frame(s, ViewState{}, {80, 20, true});
  EXPECT_TRUE(f.algos_collapsed);
  EXPECT_FALSE(f.readers_collapsed);
  EXPECT_GE(f.market_rows, kMinMarketRows);
  const Frame tiny = build_frame(s, ViewState{}, {80, 12, true});
  EXPECT_TRUE(tiny.algos_collapsed);
  EXPECT_TRUE(tiny.readers_collapsed);
  EXPECT_EQ(tiny.lines.size(), 12u);
}

TEST(FrameTest, shouldPlanLayoutInCollapseOrder) {
  const Layout roomy = plan_layout(60, 100, 3, 3);
  EXPECT_TRUE(roomy.show_readers && roomy.show_algos);
  EXPECT_EQ(roomy.reader_rows, 3u);
  EXPECT_EQ(roomy.algo_rows, 3u);
  const Layout tight = plan_layout(18, 100, 3, 3);  // body 16: market 7, readers 5, algos squeezed
  EXPECT_EQ(tight.reader_rows, 3u);
  EXPECT_LT(tight.algo_rows + (tight.show_algos ? 0u : 3u), 3u + 3u);
  EXPECT_GE(tight.market_rows, kMinMarketRows);
  const Layout all = plan_layout(0, 100, 3, 3);
  EXPECT_EQ(all.market_rows, 100u);
}

TEST(FrameTest, shouldShowEveryRowWithoutFooterWhenSnapshot) {
  const Snapshot s = sample_snapshot(30, 1, 1);
  const Frame f = build_frame(s, ViewState{}, {120, 0, false});
  const std::string t = f.text();
  EXPECT_TRUE(contains(t, "S29"));
  EXPECT_FALSE(contains(t, "q quit"));
  for (const auto& l : f.lines) EXPECT_FALSE(l.selected);
  for (const char c : t) EXPECT_LT(static_cast<unsigned char>(c), 0x80u) << "ASCII mode must not print UTF-8";
}

TEST(FrameTest, shouldShowOnlyMatchingSymbolsWhenFiltered) {
  const Snapshot s = sample_snapshot(8, 0, 0);
  ViewState v;
  v.filter = "am";
  const Frame f = build_frame(s, v, {120, 40, true});
  const std::string t = f.text();
  EXPECT_EQ(f.visible_count, 2u);
  EXPECT_TRUE(contains(t, "AMZN"));
  EXPECT_TRUE(contains(t, "AMD"));
  EXPECT_FALSE(contains(t, "MSFT"));
  EXPECT_TRUE(contains(t, "2 match 'am'"));
}

TEST(FrameTest, shouldMarkSortColumnAndSelectedRow) {
  const Snapshot s = sample_snapshot(8, 0, 0);
  ViewState v;
  v.sort = SortColumn::kLast;
  v.reverse = true;
  v.selected = 1;
  const Frame f = build_frame(s, v, {120, 30, false});
  const std::string t = f.text();
  EXPECT_TRUE(contains(t, "LASTv")) << t;
  EXPECT_TRUE(contains(t, "sort last desc"));
  std::size_t selected = 0;
  for (const auto& l : f.lines) {
    if (!l.selected) continue;
    ++selected;
    // Highest last first: TSLA (+700), then META (+500) on the second row.
    EXPECT_NE(l.text().find("META"), std::string::npos) << l.text();
  }
  EXPECT_EQ(selected, 1u);
}

TEST(FrameTest, shouldSayWaitingWhenNoFeed) {
  Snapshot s;
  s.feed.name = "nofeed";
  s.feed.state = FeedState::kWaiting;
  s.feed.detail = "no data segment /tickshm.nofeed (retrying)";
  const std::string t = build_frame(s, ViewState{}, {100, 24, true}).text();
  EXPECT_TRUE(contains(t, "[WAITING]"));
  EXPECT_TRUE(contains(t, "/tickshm.nofeed"));
  EXPECT_TRUE(contains(t, "no symbols yet"));
}

TEST(FrameTest, shouldShowPromptAndPausedWhenEditingAndPaused) {
  const Snapshot s = sample_snapshot(3, 0, 0);
  ViewState v;
  v.editing = true;
  v.edit_buffer = "MS";
  v.paused = true;
  const std::string t = build_frame(s, v, {100, 24, true}).text();
  EXPECT_TRUE(contains(t, "filter symbols containing: MS_"));
  EXPECT_TRUE(contains(t, "PAUSED"));
}

TEST(FrameTest, shouldShowHelpWhenAsked) {
  ViewState v;
  v.help = true;
  const std::string t = build_frame(sample_snapshot(3, 0, 0), v, {100, 40, true}).text();
  EXPECT_TRUE(contains(t, "sort by SYMBOL LAST"));
  EXPECT_TRUE(contains(t, "Why the algos lose money"));
  EXPECT_FALSE(contains(t, "AAPL"));
}

TEST(FrameTest, shouldColourBySignAndBoldFreshChanges) {
  Snapshot s = sample_snapshot(2, 0, 0);
  s.symbols[0].fresh = true;
  const Frame f = build_frame(s, ViewState{}, {120, 20, true});
  bool up = false, down = false, bold_up = false;
  for (const auto& l : f.lines) {
    for (const auto& sp : l.spans) {
      up = up || sp.role == Role::kUp;
      down = down || sp.role == Role::kDown;
      bold_up = bold_up || (sp.role == Role::kUp && sp.bold);
    }
  }
  EXPECT_TRUE(up);
  EXPECT_TRUE(down);
  EXPECT_TRUE(bold_up);
}

}  // namespace
}  // namespace tickshm::dash
