// Fixed-point prices and money: exact parsing, the formatters, and round trips at the edges.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "tickshm/money.hpp"

namespace tickshm {
namespace {

TEST(Money, shouldParseExactUnitsWhenAmountHasUpToFourDecimals) {
  EXPECT_EQ(parse_money("0"), 0);
  EXPECT_EQ(parse_money("12"), 120'000);
  EXPECT_EQ(parse_money("12.5"), 125'000);
  EXPECT_EQ(parse_money("0.005"), 50);
  EXPECT_EQ(parse_money("0.0001"), 1);
  EXPECT_EQ(parse_money("-3.25"), -32'500);
  EXPECT_EQ(parse_money("+3.25"), 32'500);
  EXPECT_EQ(parse_money(".5"), 5'000);
  EXPECT_EQ(parse_money("185.230000"), 1'852'300);  // zeros beyond 4 decimals are exact
  EXPECT_EQ(parse_money("-0"), 0);
}

TEST(Money, shouldRefuseWhenAmountIsNotRepresentable) {
  Money v = 0;
  EXPECT_EQ(parse_money("", v), MoneyError::kEmpty);
  EXPECT_EQ(parse_money("-", v), MoneyError::kEmpty);
  EXPECT_EQ(parse_money(".", v), MoneyError::kNotDecimal);
  EXPECT_EQ(parse_money("5.", v), MoneyError::kNotDecimal);
  EXPECT_EQ(parse_money("0.00001", v), MoneyError::kTooManyDecimals);
  EXPECT_EQ(parse_money("1e3", v), MoneyError::kNotDecimal);
  EXPECT_EQ(parse_money("nan", v), MoneyError::kNotDecimal);
  EXPECT_EQ(parse_money("inf", v), MoneyError::kNotDecimal);
  EXPECT_EQ(parse_money("12a", v), MoneyError::kNotDecimal);
  EXPECT_EQ(parse_money("1.2.3", v), MoneyError::kNotDecimal);
  EXPECT_EQ(parse_money("--1", v), MoneyError::kNotDecimal);
  EXPECT_EQ(parse_money(" 1", v), MoneyError::kNotDecimal);
  EXPECT_EQ(parse_money("99999999999999999999", v), MoneyError::kOutOfRange);
  EXPECT_EQ(parse_money("922337203685477.5808", v), MoneyError::kOutOfRange);  // INT64_MAX + 1 units
  EXPECT_FALSE(parse_money("-922337203685477.5809"));                          // INT64_MIN - 1 units
}

TEST(Money, shouldReachBothEndsOfInt64WhenParsingTheExtremes) {
  EXPECT_EQ(parse_money("922337203685477.5807"), INT64_MAX);
  EXPECT_EQ(parse_money("-922337203685477.5808"), INT64_MIN);
}

TEST(Money, shouldPrintFourDecimalsWhenFormattingAnAmount) {
  EXPECT_EQ(format_amount(0), "0.0000");
  EXPECT_EQ(format_amount(125'000), "12.5000");
  EXPECT_EQ(format_amount(-1), "-0.0001");
  EXPECT_EQ(format_amount(INT64_MAX), "922337203685477.5807");
  EXPECT_EQ(format_amount(INT64_MIN), "-922337203685477.5808");
}

TEST(Money, shouldRoundTripEveryAmountThroughFormatAndParse) {
  for (const Money v :
       {Money{0}, Money{1}, Money{-1}, Money{99}, Money{100}, Money{-50}, Money{1'872'512}, Money{-1'872'500},
        std::numeric_limits<Money>::max(), std::numeric_limits<Money>::min()}) {
    EXPECT_EQ(parse_money(format_amount(v)), v) << v;
    EXPECT_EQ(parse_money(format_decimal(v)), v) << v;
  }
}

TEST(Money, shouldShowCentsUnlessSubPennyWhenFormattingPrices) {
  EXPECT_EQ(format_decimal(0), "0.00");
  EXPECT_EQ(format_decimal(1'852'300), "185.23");
  EXPECT_EQ(format_decimal(1'852'345), "185.2345");
  EXPECT_EQ(format_decimal(-50), "-0.0050");
  EXPECT_EQ(format_price(0), "-");
  EXPECT_EQ(format_price(1'872'500), "187.25");
  EXPECT_EQ(format_change(12'500), "+1.25");
  EXPECT_EQ(format_change(-50), "-0.0050");
  EXPECT_EQ(format_change(0), "0.00");
  EXPECT_EQ(format_change(INT64_MIN), "-922337203685477.5808");
}

TEST(Money, shouldRoundToWholeCentsHalfAwayFromZeroWhenFormattingMoney) {
  EXPECT_EQ(format_money(12'345'678'900), "+1,234,567.89");
  EXPECT_EQ(format_money(-120'000), "-12.00");
  EXPECT_EQ(format_money(0), "0.00");
  EXPECT_EQ(format_money(49), "+0.00");  // under half a cent
  EXPECT_EQ(format_money(50), "+0.01");
  EXPECT_EQ(format_money(-50), "-0.01");
  EXPECT_EQ(format_money(-149), "-0.01");
  EXPECT_EQ(format_money(INT64_MAX), "+922,337,203,685,477.58");
  EXPECT_EQ(format_money(INT64_MIN), "-922,337,203,685,477.58");
}

}  // namespace
}  // namespace tickshm
