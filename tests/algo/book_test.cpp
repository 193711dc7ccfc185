// Position and P&L on crafted fills: partial closes, flips both ways, commissions, exactness.
#include <gtest/gtest.h>

#include <random>

#include "book.hpp"

namespace tickshm::algo {
namespace {
constexpr std::int64_t kUnit = 10'000;  // one currency unit in price units
}

TEST(Book, shouldRealizeDifferenceWhenLongIsClosedHigher) {
  Book b;
  EXPECT_EQ(b.apply_fill(Side::kBuy, 100, 10 * kUnit, 0), 0);
  EXPECT_EQ(b.position(), 100);
  EXPECT_EQ(b.avg_cost(), 10 * kUnit);
  EXPECT_EQ(b.apply_fill(Side::kSell, 100, 12 * kUnit, 0), 200 * kUnit);
  EXPECT_EQ(b.position(), 0);
  EXPECT_EQ(b.open_cost(), 0);
  EXPECT_EQ(b.realized(), 200 * kUnit);
}

TEST(Book, shouldReleaseProportionalBasisWhenPartiallyClosed) {
  Book b;
  b.apply_fill(Side::kBuy, 100, 10 * kUnit, 0);
  b.apply_fill(Side::kBuy, 50, 13 * kUnit, 0);  // basis 1650, avg 11
  EXPECT_EQ(b.avg_cost(), 11 * kUnit);
  // Sell 60 @ 12: releases 60/150 of the basis (660), realizes 720 - 660 = 60.
  EXPECT_EQ(b.apply_fill(Side::kSell, 60, 12 * kUnit, 0), 60 * kUnit);
  EXPECT_EQ(b.position(), 90);
  EXPECT_EQ(b.open_cost(), 990 * kUnit);
  EXPECT_EQ(b.avg_cost(), 11 * kUnit);
  b.mark(10 * kUnit);
  EXPECT_EQ(b.unrealized(), -90 * kUnit);
  // Close the rest at 11: exactly the remaining basis, nothing realized.
  EXPECT_EQ(b.apply_fill(Side::kSell, 90, 11 * kUnit, 0), 0);
  EXPECT_EQ(b.realized(), 60 * kUnit);
}

TEST(Book, shouldProfitWhenShortIsCoveredLower) {
  Book b;
  b.apply_fill(Side::kSell, 100, 10 * kUnit, 0);
  EXPECT_EQ(b.position(), -100);
  EXPECT_EQ(b.avg_cost(), 10 * kUnit);
  b.mark(9 * kUnit);
  EXPECT_EQ(b.unrealized(), 100 * kUnit);
  EXPECT_EQ(b.net_exposure(), -900 * kUnit);
  EXPECT_EQ(b.gross_exposure(), 900 * kUnit);
  EXPECT_EQ(b.apply_fill(Side::kBuy, 30, 8 * kUnit, 0), 60 * kUnit);  // partial cover
  EXPECT_EQ(b.position(), -70);
  EXPECT_EQ(b.apply_fill(Side::kBuy, 70, 11 * kUnit, 0), -70 * kUnit);
  EXPECT_EQ(b.realized(), -10 * kUnit);
}

TEST(Book, shouldOpenShortAtFillPriceWhenSellFlipsLong) {
  Book b;
  b.apply_fill(Side::kBuy, 100, 10 * kUnit, 0);
  // Sell 250 @ 12: closes 100 (+200), opens -150 at 12.
  EXPECT_EQ(b.apply_fill(Side::kSell, 250, 12 * kUnit, 0), 200 * kUnit);
  EXPECT_EQ(b.position(), -150);
  EXPECT_EQ(b.avg_cost(), 12 * kUnit);
  EXPECT_EQ(b.open_cost(), -1800 * kUnit);
  b.mark(11 * kUnit);
  EXPECT_EQ(b.unrealized(), 150 * kUnit);
}

TEST(Book, shouldOpenLongAtFillPriceWhenBuyFlipsShort) {
  Book b;
  b.apply_fill(Side::kSell, 100, 10 * kUnit, 0);
  EXPECT_EQ(b.apply_fill(Side::kBuy, 200, 11 * kUnit, 0), -100 * kUnit);
  EXPECT_EQ(b.position(), 100);
  EXPECT_EQ(b.avg_cost(), 11 * kUnit);
  b.mark(13 * kUnit);
  EXPECT_EQ(b.unrealized(), 200 * kUnit);
}

TEST(Book, shouldTakeCommissionOutOfRealizedWhenFilling) {
  Book b;
  EXPECT_EQ(b.apply_fill(Side::kBuy, 100, 10 * kUnit, 50), -50);  // 0.005 per share x 100... as units
  EXPECT_EQ(b.apply_fill(Side::kSell, 100, 11 * kUnit, 50), 100 * kUnit - 50);
  EXPECT_EQ(b.realized(), 100 * kUnit - 100);
  EXPECT_EQ(b.commissions(), 100);
}

TEST(Book, shouldReportZeroUnrealizedWhenFlatOrUnmarked) {
  Book b;
  EXPECT_EQ(b.unrealized(), 0);
  b.apply_fill(Side::kBuy, 10, 5 * kUnit, 0);
  EXPECT_EQ(b.unrealized(), 0);  // never marked
  b.mark(6 * kUnit);
  EXPECT_EQ(b.unrealized(), 10 * kUnit);
  b.apply_fill(Side::kSell, 10, 6 * kUnit, 0);
  EXPECT_EQ(b.unrealized(), 0);
  EXPECT_EQ(b.avg_cost(), 0);
}

TEST(Book, shouldRoundAverageCostToNearestWhenBasisDoesNotDivide) {
  Book b;
  b.apply_fill(Side::kBuy, 2, 10, 0);
  b.apply_fill(Side::kBuy, 1, 11, 0);  // 31 / 3 = 10.33
  EXPECT_EQ(b.avg_cost(), 10);
  b.apply_fill(Side::kBuy, 1, 13, 0);  // 44 / 4 = 11
  EXPECT_EQ(b.avg_cost(), 11);
  b.apply_fill(Side::kBuy, 1, 12, 0);  // 56 / 5 = 11.2
  b.apply_fill(Side::kBuy, 1, 14, 0);  // 70 / 6 = 11.67
  EXPECT_EQ(b.avg_cost(), 12);
}

// Whatever the fills, realized + unrealized must equal the cash flow plus the position at the mark:
// a book that rounds must not create or lose a single unit.
TEST(Book, shouldConserveEveryUnitWhenManyRandomFillsAreApplied) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> qty(1, 997), px(9'000, 11'000), fee(0, 7);
  Book b;
  Money cash = 0;
  std::int64_t position = 0;
  for (int i = 0; i < 20'000; ++i) {
    const Side side = rng() % 2 ? Side::kBuy : Side::kSell;
    const std::int64_t q = qty(rng), p = px(rng), c = fee(rng) * q;
    b.apply_fill(side, q, p, c);
    const std::int64_t signed_q = side == Side::kBuy ? q : -q;
    cash -= signed_q * p + c;
    position += signed_q;
    const std::int64_t mark = px(rng);
    b.mark(mark);
    ASSERT_EQ(b.position(), position);
    ASSERT_EQ(b.realized() + (position == 0 ? 0 : b.unrealized()), cash + position * mark)
        << "after fill " << i;
  }
}

}  // namespace tickshm::algo
