// Fixed-point money for the algo: parsing and printing amounts in 1/10,000 currency units.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tickshm::algo {

// Money and prices share one scale (tickshm::kPriceScale): 1 unit = 1/10,000 of a currency unit, so
// price units x shares = money units with no rescaling.
using Money = std::int64_t;

// "12", "12.5", "-0.0035" -> units. No exponent, at most 4 decimals (finer would need rounding),
// and nothing that overflows. nullopt on anything else.
std::optional<Money> parse_money(std::string_view text);

// Units -> "-12.3456" (always 4 decimals, exact).
std::string format_money(Money units);

}  // namespace tickshm::algo
