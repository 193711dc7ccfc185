// The facts report's one pass over a CSV recording: per symbol, per session, one-minute bars, trade
// signs (Lee-Ready) and the impact accumulator, then the within-day minute series the measures use.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "facts.hpp"
#include "sample_stats.hpp"
#include "tickshm/result.hpp"

namespace tickshm::feed {

inline constexpr std::size_t kImpactLag = 10;  // a trade's impact: the mid this many updates later

struct FactsBar {
  double mid_end = stats::kNaN;
  double spread_sum = 0;
  std::uint32_t spread_n = 0;
  std::uint32_t trades = 0;
  double volume = 0;
};

struct FactsDay {
  std::uint64_t day = 0;
  std::array<FactsBar, kFactsMinutes> bars{};
  double first_mid = stats::kNaN, last_mid = stats::kNaN;
  double first_trade = stats::kNaN, last_trade = stats::kNaN;
};

struct FactsSymbol {
  std::string name;
  std::vector<FactsDay> days;
  std::vector<std::int8_t> signs;
  std::array<double, kImpactLag> mids{};
  std::array<std::int8_t, kImpactLag> ring_signs{};
  std::uint64_t updates = 0;
  double impact_sum = 0;
  std::uint64_t impact_n = 0;
  std::uint32_t last_trade_price = 0;
  std::int8_t last_sign = 0;
  double price_sum = 0, size_sum = 0;
  std::uint64_t trades = 0, odd = 0;
  // Per-minute series, within-day, built after the pass.
  std::vector<double> r, abs_r, spread, trades_per_min, volume;
  std::vector<std::uint32_t> minute_of_day;
  std::vector<std::uint32_t> day_index;
};

struct FactsSeries {
  std::vector<FactsSymbol> symbols;
  std::size_t sessions = 0;  // UTC days seen
  std::uint64_t rows = 0, trades = 0;
};

// Reads the whole file (the first bad row is the error) and builds every symbol's minute series.
[[nodiscard]] Result<FactsSeries> read_facts_series(const std::string& path);

}  // namespace tickshm::feed
