// The simulated symbols: the default universe, --symbols, --symbols-file and --num-symbols.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tickshm/layout.hpp"
#include "tickshm/result.hpp"

namespace tickshm::feed {

// Longest symbol the directory holds (SymbolEntry::name keeps one NUL).
inline constexpr std::size_t kMaxSymbolLength = kSymbolNameLength - 1;

struct SymbolParams {
  std::string name;
  double price = 100.0;           // reference (previous close), currency units
  double vol = 0.25;              // annualised volatility of log returns
  double drift = 0.07;            // annualised drift
  double activity = 1.0;          // relative share of the ticks (liquid names tick more)
  std::uint32_t tick_size = 100;  // price units: $0.01
};

// About 20 well-known US large caps with plausible prices, volatilities and activity.
std::vector<SymbolParams> default_universe();

// Parameters for a name: the default universe's if it is there, otherwise derived from a hash of
// the name (price 10..500, vol 15%..60%), so the same name always gets the same parameters.
SymbolParams params_for(std::string_view name);

// [A-Za-z0-9./_-]{1,15}; the message names the bad value.
[[nodiscard]] Status validate_symbol(std::string_view name);

// "AAPL,MSFT,..." -> parameters. Empty items, bad or duplicate names are errors.
[[nodiscard]] Result<std::vector<SymbolParams>> parse_symbol_list(std::string_view list);

// One symbol a line: NAME[,PRICE[,VOL[,ACTIVITY]]]; blank lines and '#' comments are skipped.
// Errors read "FILE:LINE:COLUMN: reason".
[[nodiscard]] Result<std::vector<SymbolParams>> load_symbols_file(const std::string& path);
[[nodiscard]] Result<std::vector<SymbolParams>> parse_symbols_text(std::string_view text,
                                                                   const std::string& file_label);

// n generated names SYM0001.. (zero-padded to the width of n) with hashed parameters.
std::vector<SymbolParams> generated_universe(std::uint32_t n);

}  // namespace tickshm::feed
