// One stock's limit order book for ITCH replay: the shares resting at each price on each side, with
// the best level at the back of a sorted vector (most book activity is near the top, where inserting
// and erasing move few elements). Orders themselves live in the OrderMap; this holds only levels.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tickshm::feed {

struct PriceLevel {
  std::uint32_t price;
  std::uint64_t shares;
};

// One side. Bids sort ascending and asks descending, so back() is the best price on both.
template <bool kBid>
class PriceLadder {
 public:
  void add(std::uint32_t price, std::uint64_t shares) {
    auto it = lower(price);
    if (it != levels_.end() && it->price == price) {
      it->shares += shares;
    } else {
      levels_.insert(it, PriceLevel{price, shares});  // grows only past the deepest book seen so far
    }
  }

  // Takes shares off a price (an execution, cancel or delete); the level goes when it is empty.
  void remove(std::uint32_t price, std::uint64_t shares) noexcept {
    auto it = lower(price);
    if (it == levels_.end() || it->price != price) return;  // the map and the ladder always agree
    if (it->shares <= shares) {
      levels_.erase(it);
    } else {
      it->shares -= shares;
    }
  }

  bool empty() const noexcept { return levels_.empty(); }
  std::uint32_t best_price() const noexcept { return levels_.empty() ? 0 : levels_.back().price; }
  std::uint64_t best_shares() const noexcept { return levels_.empty() ? 0 : levels_.back().shares; }
  const std::vector<PriceLevel>& levels() const noexcept { return levels_; }
  void reserve(std::size_t n) { levels_.reserve(n); }

 private:
  // Where `price` is, or would be inserted, in the side's sort order.
  std::vector<PriceLevel>::iterator lower(std::uint32_t price) noexcept {
    // Near the top first: most messages touch the best few levels.
    auto it = levels_.end();
    for (int k = 0; k < 4 && it != levels_.begin(); ++k) {
      const auto prev = it - 1;
      if (kBid ? prev->price < price : prev->price > price) return it;
      if (prev->price == price) return prev;
      it = prev;
    }
    return std::lower_bound(levels_.begin(), it, price, [](const PriceLevel& l, std::uint32_t p) {
      return kBid ? l.price < p : l.price > p;
    });
  }

  std::vector<PriceLevel> levels_;
};

struct BookTop {
  std::uint32_t bid = 0, ask = 0;  // 0: that side is empty
  std::uint32_t bid_size = 0, ask_size = 0;
  bool operator==(const BookTop&) const = default;
};

class OrderBook {
 public:
  OrderBook() {
    bids_.reserve(64);
    asks_.reserve(64);
  }
  void add(bool bid, std::uint32_t price, std::uint64_t shares) {
    bid ? bids_.add(price, shares) : asks_.add(price, shares);
  }
  void remove(bool bid, std::uint32_t price, std::uint64_t shares) noexcept {
    bid ? bids_.remove(price, shares) : asks_.remove(price, shares);
  }
  // True when `price` on that side is at or better than the side's best: a change there moves the top.
  bool at_top(bool bid, std::uint32_t price) const noexcept {
    if (bid) return bids_.empty() || price >= bids_.best_price();
    return asks_.empty() || price <= asks_.best_price();
  }
  BookTop top() const noexcept {
    return BookTop{bids_.best_price(), asks_.best_price(), clamp32(bids_.best_shares()),
                   clamp32(asks_.best_shares())};
  }
  bool crossed() const noexcept {
    return !bids_.empty() && !asks_.empty() && bids_.best_price() >= asks_.best_price();
  }
  const PriceLadder<true>& bids() const noexcept { return bids_; }
  const PriceLadder<false>& asks() const noexcept { return asks_; }

 private:
  static std::uint32_t clamp32(std::uint64_t v) noexcept {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(v, UINT32_MAX));
  }
  PriceLadder<true> bids_;
  PriceLadder<false> asks_;
};

}  // namespace tickshm::feed
