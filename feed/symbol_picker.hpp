// Which symbol ticks next: a weighted choice by activity in O(1), shared by both price models.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "branchless.hpp"
#include "universe.hpp"

namespace tickshm::feed {

// A symbol's weight: its activity, kept above zero so every symbol can tick.
inline double activity_weight(const SymbolParams& p) noexcept {
  return std::max(p.activity, 1e-9);
}

// Vose's alias method: one 64-bit draw picks a column uniformly (Lemire's multiply instead of a
// modulo) and keeps it or takes its alias by a 32-bit coin, a select rather than a branch.
class SymbolPicker {
 public:
  struct Entry {
    std::uint64_t threshold = 1ULL << 32;  // keep the column when the low 32 random bits are below it
    std::uint32_t alias = 0;               // else take this one
  };

  // What the per-tick loop holds in registers: copied once a batch, so the stores into the records
  // (which the compiler cannot tell from these words) do not force a reload per tick.
  struct View {
    const Entry* entries;
    std::uint64_t n;
    std::uint32_t pick(std::uint64_t r) const noexcept {
      const auto j = static_cast<std::uint32_t>(((r >> 32) * n) >> 32);
      const Entry& e = entries[j];
      return select(mask_if<std::uint32_t>((r & 0xFFFF'FFFFu) < e.threshold), j, e.alias);
    }
  };

  explicit SymbolPicker(const std::vector<SymbolParams>& symbols);

  View view() const noexcept { return View{entries_.data(), entries_.size()}; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace tickshm::feed
