// Fixed-point money parsing and printing.
#include <gtest/gtest.h>

#include "money.hpp"

namespace tickshm::algo {

TEST(Money, shouldParseExactUnitsWhenAmountHasUpToFourDecimals) {
  EXPECT_EQ(parse_money("0"), 0);
  EXPECT_EQ(parse_money("12"), 120'000);
  EXPECT_EQ(parse_money("12.5"), 125'000);
  EXPECT_EQ(parse_money("0.005"), 50);
  EXPECT_EQ(parse_money("0.0001"), 1);
  EXPECT_EQ(parse_money("-3.25"), -32'500);
  EXPECT_EQ(parse_money(".5"), 5'000);
}

TEST(Money, shouldRefuseWhenAmountIsNotRepresentable) {
  EXPECT_FALSE(parse_money(""));
  EXPECT_FALSE(parse_money("-"));
  EXPECT_FALSE(parse_money("."));
  EXPECT_FALSE(parse_money("0.00001"));
  EXPECT_FALSE(parse_money("1e3"));
  EXPECT_FALSE(parse_money("12a"));
  EXPECT_FALSE(parse_money("1.2.3"));
  EXPECT_FALSE(parse_money("99999999999999999999"));
  EXPECT_FALSE(parse_money("922337203685477.9999"));  // one step past INT64_MAX units
  EXPECT_EQ(parse_money("922337203685477.5807"), INT64_MAX);
}

TEST(Money, shouldPrintFourDecimalsWhenFormatting) {
  EXPECT_EQ(format_money(0), "0.0000");
  EXPECT_EQ(format_money(125'000), "12.5000");
  EXPECT_EQ(format_money(-1), "-0.0001");
  EXPECT_EQ(format_money(INT64_MIN), "-922337203685477.5808");
}

}  // namespace tickshm::algo
