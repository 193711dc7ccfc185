// Unit tests of the dashboard's Snapshot logic: changes, classification, sorting, filtering,
// sparklines and number formatting. No terminal, no shared memory.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "snapshot.hpp"

namespace tickshm::dash {
namespace {

SymbolRow row(std::string sym, std::int64_t ref, std::int64_t last, std::int64_t bid = 0,
              std::int64_t ask = 0, std::uint64_t volume = 0, std::uint32_t index = 0) {
  SymbolRow r;
  r.symbol = std::move(sym);
  r.reference = ref;
  r.last = last;
  r.bid = bid;
  r.ask = ask;
  r.volume = volume;
  r.index = index;
  return r;
}

std::vector<std::string> names(const std::vector<SymbolRow>& rows, const std::vector<std::size_t>& idx) {
  std::vector<std::string> out;
  for (auto i : idx) out.push_back(rows[i].symbol);
  return out;
}

TEST(SnapshotTest, shouldMeasureChangeAgainstReferenceWhenTraded) {
  const SymbolRow r = row("AAPL", 1'000'000, 1'012'500, 1'012'400, 1'012'600);
  EXPECT_EQ(r.price(), 1'012'500);
  EXPECT_EQ(r.change(), 12'500);
  EXPECT_DOUBLE_EQ(r.change_pct(), 1.25);
  EXPECT_EQ(r.spread(), 200);
  EXPECT_EQ(r.mid(), 1'012'500);
}

TEST(SnapshotTest, shouldUseMidWhenNoTradeYet) {
  const SymbolRow r = row("MSFT", 2'000'000, 0, 1'990'000, 1'990'200);
  EXPECT_EQ(r.price(), 1'990'100);
  EXPECT_EQ(r.change(), -9'900);
  EXPECT_LT(r.change_pct(), 0.0);
}

TEST(SnapshotTest, shouldReportNoChangeWhenNoPriceOrReference) {
  EXPECT_EQ(row("X", 1'000'000, 0).change(), 0);
  EXPECT_FALSE(row("X", 1'000'000, 0).has_price());
  EXPECT_EQ(row("X", 0, 5'000).change(), 0);
  EXPECT_DOUBLE_EQ(row("X", 0, 5'000).change_pct(), 0.0);
  EXPECT_EQ(row("X", 1, 0, 0, 5).spread(), 0);  // one side only: no spread
}

TEST(SnapshotTest, shouldClassifyFeedInPriorityOrder) {
  FeedFacts f;
  EXPECT_EQ(classify_feed(f), FeedState::kWaiting);
  f.segment_valid = true;
  EXPECT_EQ(classify_feed(f), FeedState::kLive);
  f.heartbeat_age_ns = kFeedStaleNs + 1;
  EXPECT_EQ(classify_feed(f), FeedState::kStale);
  f.writer_alive = false;
  EXPECT_EQ(classify_feed(f), FeedState::kDead);
  f.closed = true;  // a clean shutdown is CLOSED even though its writer is gone
  EXPECT_EQ(classify_feed(f), FeedState::kClosed);
  EXPECT_STREQ(feed_state_name(FeedState::kWaiting), "WAITING");
  EXPECT_STREQ(feed_state_name(FeedState::kDead), "DEAD");
}

TEST(SnapshotTest, shouldClassifyReaderByLivenessAndHeartbeat) {
  const std::uint64_t now = 100'000'000'000ULL;
  EXPECT_EQ(classify_reader(true, now - 1'000'000, now), ReaderState::kAlive);
  EXPECT_EQ(classify_reader(true, now - kReaderStaleNs - 1, now), ReaderState::kStale);
  EXPECT_EQ(classify_reader(false, now, now), ReaderState::kDead);
  EXPECT_EQ(classify_reader(true, now + 5, now), ReaderState::kAlive);  // sampled a moment apart
}

TEST(SnapshotTest, shouldComputeLagAndNeverUnderflow) {
  EXPECT_EQ(reader_lag(100, 90), 10u);
  EXPECT_EQ(reader_lag(100, 100), 0u);
  EXPECT_EQ(reader_lag(100, 150), 0u);
}

TEST(SnapshotTest, shouldMatchPrefixCaseInsensitivelyWhenFiltering) {
  EXPECT_TRUE(matches_prefix("MSFT", "ms"));
  EXPECT_TRUE(matches_prefix("MSFT", ""));
  EXPECT_TRUE(matches_prefix("MSFT", "MSFT"));
  EXPECT_FALSE(matches_prefix("MSFT", "MSFTX"));
  EXPECT_FALSE(matches_prefix("AAPL", "M"));
}

TEST(SnapshotTest, shouldSortByEachColumnAndBreakTiesBySymbol) {
  std::vector<SymbolRow> rows = {
      row("MSFT", 1'000'000, 1'100'000, 0, 0, 50, 0), row("AAPL", 1'000'000, 900'000, 0, 0, 70, 1),
      row("GOOG", 1'000'000, 1'000'000, 0, 0, 50, 2), row("AMZN", 2'000'000, 2'100'000, 0, 0, 10, 3)};
  EXPECT_EQ(names(rows, visible_rows(rows, SortColumn::kSymbol, false, "")),
            (std::vector<std::string>{"AAPL", "AMZN", "GOOG", "MSFT"}));
  EXPECT_EQ(names(rows, visible_rows(rows, SortColumn::kLast, false, "")),
            (std::vector<std::string>{"AAPL", "GOOG", "MSFT", "AMZN"}));
  // chg: AMZN +100000 and MSFT +100000 tie -> by symbol
  EXPECT_EQ(names(rows, visible_rows(rows, SortColumn::kChange, true, "")),
            (std::vector<std::string>{"MSFT", "AMZN", "GOOG", "AAPL"}));
  EXPECT_EQ(names(rows, visible_rows(rows, SortColumn::kChange, false, "")),
            (std::vector<std::string>{"AAPL", "GOOG", "AMZN", "MSFT"}));
  // chg%: MSFT +10% beats AMZN +5%
  EXPECT_EQ(names(rows, visible_rows(rows, SortColumn::kChangePct, true, "")),
            (std::vector<std::string>{"MSFT", "AMZN", "GOOG", "AAPL"}));
  EXPECT_EQ(names(rows, visible_rows(rows, SortColumn::kVolume, false, "")),
            (std::vector<std::string>{"AMZN", "GOOG", "MSFT", "AAPL"}));
}

TEST(SnapshotTest, shouldFilterThenSortWhenPrefixGiven) {
  std::vector<SymbolRow> rows = {row("AMZN", 1, 3), row("AAPL", 1, 5), row("MSFT", 1, 4), row("AMD", 1, 1)};
  EXPECT_EQ(names(rows, visible_rows(rows, SortColumn::kLast, true, "am")),
            (std::vector<std::string>{"AMZN", "AMD"}));
  EXPECT_TRUE(visible_rows(rows, SortColumn::kSymbol, false, "ZZ").empty());
}

TEST(SnapshotTest, shouldCycleSortColumnsAndWrap) {
  SortColumn c = SortColumn::kSymbol;
  for (std::size_t i = 0; i < kSortColumnCount; ++i) c = next_sort_column(c);
  EXPECT_EQ(c, SortColumn::kSymbol);
  EXPECT_EQ(next_sort_column(SortColumn::kSymbol), SortColumn::kLast);
  EXPECT_STREQ(sort_column_name(SortColumn::kChangePct), "chg%");
}

TEST(SnapshotTest, shouldScaleSparkLevelsBetweenMinAndMax) {
  EXPECT_EQ(spark_level(10, 10, 20, 8), 0);
  EXPECT_EQ(spark_level(20, 10, 20, 8), 7);
  EXPECT_EQ(spark_level(15, 10, 20, 8), 4);  // 3.5 rounds up
  EXPECT_EQ(spark_level(5, 10, 20, 8), 0);   // clamped
  EXPECT_EQ(spark_level(99, 10, 20, 8), 7);
  EXPECT_EQ(spark_level(7, 7, 7, 8), 3);  // flat series sits in the middle
}

TEST(SnapshotTest, shouldDrawUnicodeBlocksWhenUnicode) {
  const std::vector<std::int64_t> pts = {100, 200, 300, 400, 500, 600, 700, 800};
  EXPECT_EQ(sparkline(pts, 8, true), "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588");
  EXPECT_EQ(display_width(sparkline(pts, 8, true)), 8u);
}

TEST(SnapshotTest, shouldFallBackToAsciiWhenNotUnicode) {
  const std::vector<std::int64_t> pts = {100, 200, 300, 400, 500, 600, 700, 800};
  EXPECT_EQ(sparkline(pts, 8, false), "_.-:=+*#");
}

TEST(SnapshotTest, shouldPadShortSeriesAndKeepNewestWhenLong) {
  EXPECT_EQ(sparkline(std::vector<std::int64_t>{5, 10}, 5, false), "   _#");
  EXPECT_EQ(sparkline(std::vector<std::int64_t>{}, 3, true), "   ");
  // Only the last 3 points count, scaled among themselves.
  EXPECT_EQ(sparkline(std::vector<std::int64_t>{1000, 1, 2, 3}, 3, false), "_=#");
  // Zero means "no price yet" and is skipped rather than drawn as a crash to the floor.
  EXPECT_EQ(sparkline(std::vector<std::int64_t>{0, 0, 50, 50}, 4, false), "  ::");
}

TEST(SnapshotTest, shouldFormatPricesInFixedPoint) {
  EXPECT_EQ(format_price(1'872'500), "187.25");
  EXPECT_EQ(format_price(1'872'512), "187.2512");
  EXPECT_EQ(format_price(0), "-");
  EXPECT_EQ(format_change(12'500), "+1.25");
  EXPECT_EQ(format_change(-50), "-0.0050");
  EXPECT_EQ(format_change(0), "0.00");
  EXPECT_EQ(format_pct(1.234), "+1.23%");
  EXPECT_EQ(format_pct(-0.5), "-0.50%");
  EXPECT_EQ(format_pct(0.001), "0.00%");
}

TEST(SnapshotTest, shouldFormatMoneyCountsAndDurations) {
  EXPECT_EQ(format_money(12'345'678'900), "+1,234,567.89");
  EXPECT_EQ(format_money(-120'000), "-12.00");
  EXPECT_EQ(format_money(0), "0.00");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(12'345), "12.3k");
  EXPECT_EQ(format_count(4'560'000), "4.56M");
  EXPECT_EQ(format_ns(0), "-");
  EXPECT_EQ(format_ns(850), "850ns");
  EXPECT_EQ(format_ns(12'300), "12.3us");
  EXPECT_EQ(format_ns(1'200'000), "1.20ms");
  EXPECT_EQ(format_duration(45'000'000'000ULL), "45s");
  EXPECT_EQ(format_duration(723'000'000'000ULL), "12m03s");
  EXPECT_EQ(format_duration(11'045'000'000'000ULL), "3h04m05s");
  EXPECT_EQ(format_rate(0.2), "0");
  EXPECT_EQ(format_rate(1'250'000), "1.25M");
}

TEST(SnapshotTest, shouldFitUtf8TextToCellsWhenPaddingOrCutting) {
  EXPECT_EQ(fit("ab", 4), "ab  ");
  EXPECT_EQ(fit("ab", 4, true), "  ab");
  EXPECT_EQ(fit("abcdef", 3), "abc");
  EXPECT_EQ(fit("\u2581\u2582\u2583", 2), "\u2581\u2582");  // never cuts inside a code point
  EXPECT_EQ(display_width("\u2581x"), 2u);
}

}  // namespace
}  // namespace tickshm::dash
