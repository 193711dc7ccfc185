// Stylized facts of a recorded session (the replay CSV format): the measures of Cont (2001) and the
// order-flow literature that tell a market from a random walk, computed from what any reader sees.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "tickshm/result.hpp"

namespace tickshm::feed {

inline constexpr std::uint32_t kFactsMinutes = 390;  // 09:30-16:00 in one-minute bars
inline constexpr std::uint32_t kFactsMaxSymbols = 4096;

// Everything NaN when the file does not hold enough data for that fact.
struct Facts {
  std::uint64_t rows = 0, trades = 0, symbols = 0, sessions = 0;
  std::array<double, 10> abs_acf{};      // autocorrelation of |r| (1-min), lags 1..10, mean over symbols
  double ret_acf1 = 0;                   // autocorrelation of r at lag 1
  double excess_kurtosis = 0;            // 1-min returns, median over symbols
  double open_vol_ratio = 0;             // mean |1-min return| 09:30-10:00 over 12:00-13:30
  double close_vol_ratio = 0;            // 15:30-16:00 over 12:00-13:30
  double spread_abs_corr = 0;            // corr(mean relative spread, |r|) per minute, median over symbols
  double leverage = 0;                   // corr(r_t, |r_t+k|), k = 1..10, mean
  double volume_vol_spearman = 0;        // Spearman(volume, |r|) per minute, mean over symbols
  double sign_acf1 = 0, sign_acf10 = 0;  // trade-sign autocorrelation (Lee-Ready signs)
  double impact_ticks = 0;               // sign x mid move over the symbol's next 10 updates, in $0.01
  double trades_var_mean = 0;            // variance / mean of trades per minute, mean over symbols
  double within_sector_corr = 0;         // 5-min returns, mean pairwise correlation in the same sector
  double between_sector_corr = 0;        // ... in different sectors
  double corr_1min = 0, corr_30min = 0;  // mean pairwise correlation (the Epps effect)
  double odd_lot_share = 0;              // trades of fewer than 100 shares
  double size_price_corr = 0;            // across symbols: corr(log price, log mean trade size)
  double overnight_share = 0;            // share of daily variance in close-to-open returns
  double close_open_auction = 0;         // volume of the day's last trade over its first, summed
};

// Reads a CSV recording (tickshm-feed --record, or any file in the replay format). Sessions are UTC
// days; a session's minutes count from its first row, floored to the minute; rows past 390 minutes
// count for the auction and overnight facts only. Sectors come from sector_of(name).
[[nodiscard]] Result<Facts> compute_facts(const std::string& path);

// One line per fact: name, measured, the real-market reference, the "done when" range and a verdict.
struct FactCheck {
  std::string key;   // JSON key
  std::string name;  // table row
  double value = 0;
  std::string real;         // what real markets show
  double min = 0, max = 0;  // the accepted range (issue 21's "done when")
  bool pass = false;
};
std::vector<FactCheck> fact_checks(const Facts& f);

std::string facts_table(const Facts& f);
std::string facts_json(const Facts& f);

}  // namespace tickshm::feed
