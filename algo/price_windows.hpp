// Per-symbol rolling windows of the last N prices in one flat, preallocated array.
#pragma once

#include <cstdint>
#include <vector>

namespace tickshm::algo {

class PriceWindows {
 public:
  // Allocates symbols x window slots, all empty. Not for the hot path.
  void reset(std::uint32_t symbols, std::uint32_t window) {
    window_ = window;
    prices_.assign(std::size_t{symbols} * window, 0);
    head_.assign(symbols, 0);
    count_.assign(symbols, 0);
  }

  std::uint32_t window() const noexcept { return window_; }
  std::uint32_t count(std::uint32_t sym) const noexcept { return count_[sym]; }
  bool full(std::uint32_t sym) const noexcept { return count_[sym] == window_; }

  // The k-th most recent price (0 = newest); k < count(sym).
  std::int64_t back(std::uint32_t sym, std::uint32_t k) const noexcept {
    const std::uint32_t newest = head_[sym] == 0 ? window_ - 1 : head_[sym] - 1;
    const std::uint32_t i = newest >= k ? newest - k : newest + window_ - k;
    return prices_[std::size_t{sym} * window_ + i];
  }

  // Appends a price; when the window was full, the oldest leaves and is returned in `evicted`.
  bool push(std::uint32_t sym, std::int64_t price, std::int64_t& evicted) noexcept {
    std::int64_t& slot = prices_[std::size_t{sym} * window_ + head_[sym]];
    const bool was_full = full(sym);
    evicted = slot;
    slot = price;
    head_[sym] = head_[sym] + 1 == window_ ? 0 : head_[sym] + 1;
    if (!was_full) ++count_[sym];
    return was_full;
  }

 private:
  std::uint32_t window_ = 0;
  std::vector<std::int64_t> prices_;
  std::vector<std::uint32_t> head_;  // next slot to write
  std::vector<std::uint32_t> count_;
};

}  // namespace tickshm::algo
