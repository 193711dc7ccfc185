// Sectors of the simulated symbols: the second layer of common factors beside the market.
#pragma once

#include <cstdint>
#include <string_view>

namespace tickshm::feed {

inline constexpr std::uint32_t kSectorCount = 8;

// The sector of a ticker: GICS-like sectors for the default universe's names (so a recording of real
// data with those tickers is grouped the same way), a hash of the name for any other: the same name
// always lands in the same sector, in the feed and in the facts report.
std::uint32_t sector_of(std::string_view name) noexcept;
const char* sector_name(std::uint32_t sector) noexcept;

}  // namespace tickshm::feed
