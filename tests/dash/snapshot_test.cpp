// Unit tests of the dashboard's Snapshot logic: changes, sorting, filtering, sparklines and text
// cells (classification and number formatting are common's: tests/common). No terminal, no shm.
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

TEST(SnapshotTest, shouldFitUtf8TextToCellsWhenPaddingOrCutting) {
  EXPECT_EQ(fit("ab", 4), "ab  ");
  EXPECT_EQ(fit("ab", 4, true), "  ab");
  EXPECT_EQ(fit("abcdef", 3), "abc");
  EXPECT_EQ(fit("\u2581\u2582\u2583", 2), "\u2581\u2582");  // never cuts inside a code point
  EXPECT_EQ(display_width("\u2581x"), 2u);
}

}  // namespace
}  // namespace tickshm::dash
