// Selects without branches, for hot paths whose conditions are coin tosses (trade or quote, which
// side): a random branch mispredicts often, and each misprediction discards the work the core had
// started on the next record.
#pragma once

#include <concepts>

namespace tickshm::feed {

// All ones when c holds, zero otherwise.
template <std::unsigned_integral T>
constexpr T mask_if(bool c) noexcept {
  return static_cast<T>(T{0} - static_cast<T>(c));
}

// mask ? a : b for a mask made by mask_if.
template <std::unsigned_integral T>
constexpr T select(T mask, T a, T b) noexcept {
  return static_cast<T>(b ^ ((a ^ b) & mask));
}

}  // namespace tickshm::feed
