// One symbol's books: position, cost basis, realized and unrealized P&L, exact in integer money.
#pragma once

#include <cstdint>

#include "tickshm/money.hpp"

namespace tickshm::algo {

enum class Side : std::int32_t { kBuy = 1, kSell = -1 };

// The cost basis is kept as a total (open_cost = sum of price x shares of the open position), not as
// an average price, so nothing is lost to rounding while a position is built. Closing part of a
// position releases the matching share of the basis, rounded toward zero; the remainder stays in the
// basis, so realized + unrealized always equals cash flow + position x mark to the unit.
class Book {
 public:
  // Applies a fill; returns the P&L it realized, commission included (commission >= 0 is a cost).
  // A fill larger than the position closes it and opens the rest the other way at the fill price.
  Money apply_fill(Side side, std::int64_t quantity, std::int64_t price, Money commission) noexcept;

  // Marks the open position to `mark` (price units, normally the mid); unrealized follows.
  void mark(std::int64_t mark) noexcept { mark_ = mark; }

  std::int64_t position() const noexcept { return position_; }
  Money open_cost() const noexcept { return open_cost_; }  // signed: negative for a short
  // Average cost per share of the open position, rounded to nearest; 0 when flat.
  std::int64_t avg_cost() const noexcept;
  Money realized() const noexcept { return realized_; }  // commissions already taken out
  Money commissions() const noexcept { return commissions_; }
  std::int64_t last_mark() const noexcept { return mark_; }
  // position x mark - open cost; 0 when flat or never marked.
  Money unrealized() const noexcept { return mark_ == 0 ? 0 : position_ * mark_ - open_cost_; }
  Money net_exposure() const noexcept { return position_ * mark_; }
  Money gross_exposure() const noexcept {
    const Money n = net_exposure();
    return n < 0 ? -n : n;
  }

 private:
  std::int64_t position_ = 0;
  Money open_cost_ = 0;
  Money realized_ = 0;
  Money commissions_ = 0;
  std::int64_t mark_ = 0;
};

}  // namespace tickshm::algo
