// The market model's state: per symbol, the fields the per-tick passes touch (grouped by pass) and
// the ones touched once a minute or less, and each sector's factor.
#pragma once

#include <cstdint>

#include "volatility.hpp"

namespace tickshm::feed {

struct alignas(64) MarketSymbol {
  // Pass 1.
  std::uint64_t last_ns = 0;
  double market_mark = 0;    // market factor at this symbol's last tick
  double sector_mark = 0;    // its sector's factor then
  std::uint64_t minute = 0;  // the minute serial its per-minute fields belong to
  std::uint32_t sector = 0;
  std::uint32_t tick_size = 100;
  // Pass 2.
  double drift = 0;  // (mu - sigma^2/2) per trading ns
  double sig = 0;    // current sigma per sqrt(trading ns)
  // Passes 3 and 4.
  double fair = 0;         // fair value in ticks, without the transient impact
  double impact = 0;       // transient impact: the quote's mid is fair x (1 + impact)
  double spread_coef = 0;  // spread ticks per tick of price, now
  double excite = 0;
  double hawkes = 0;            // excess trade intensity (relative)
  double trade_p = 0;           // trade probability x 65536 before the excitation
  double hawkes_alpha = 0;      // excitation per trade
  double decay_h = 1;           // the excitation's decay per tick of the symbol
  double decay_i = 1;           // the impact's decay per tick of the symbol
  double kappa = 0;             // one trade's impact (log)
  double inv_price = 0;         // shares per currency unit
  double acc = 0;               // log return this minute (the leverage input)
  double fair_cap = 0;          // top of the fair value: 90% of the u32 price range, in ticks
  std::uint32_t meta_left = 0;  // trades left in the current split order
  std::uint32_t meta_buy = 0;   // its side (1 = buy)
  std::uint32_t bid_size = 100;
  std::uint32_t ask_size = 100;
};

// Per-symbol values touched once a minute or less.
struct MarketSymbolCold {
  double base_sig = 0;      // configured sigma per sqrt(trading ns)
  double base_spread = 0;   // spread coefficient at volatility ratio 1
  double base_trade_p = 0;  // trade probability x 65536 at intensity 1, without excitation
  double sv_ratio = 1;      // stochastic part of the volatility ratio
  double trades_per_session = 0;
  double share = 1;           // its share of the ticks
  double max_fair = 0;        // top of the u32 price range, in ticks
  std::uint64_t session = 0;  // the session whose overnight gap it has had
  LogVolState own;
};

struct SectorState {
  double value = 0;      // unit Brownian motion in trading ns
  double step_sqrt = 0;  // sqrt(trading ns between ticks of its symbols), this minute
  double share = 0;      // its symbols' share of the ticks
  double gap = 0;        // tonight's standard normal gap draw
};

}  // namespace tickshm::feed
