// The alias table behind SymbolPicker.
#include "symbol_picker.hpp"

namespace tickshm::feed {

SymbolPicker::SymbolPicker(const std::vector<SymbolParams>& symbols) : entries_(symbols.size()) {
  const std::size_t n = symbols.size();
  double total = 0;
  for (const auto& p : symbols) total += activity_weight(p);
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t k = 0; k < n; ++k) {
    scaled[k] = activity_weight(symbols[k]) * static_cast<double>(n) / total;
    (scaled[k] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(k));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back();
    small.pop_back();
    const std::uint32_t l = large.back();
    entries_[s].threshold = static_cast<std::uint64_t>(scaled[s] * 4294967296.0);
    entries_[s].alias = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding: they always pick themselves (threshold 2^32 by default).
}

}  // namespace tickshm::feed
