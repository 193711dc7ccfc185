// Order flow for the market model: metaorder lengths, trade notionals and the flow's parameters.
#pragma once

#include <array>
#include <cstdint>

#include "rng.hpp"

namespace tickshm::feed {

struct OrderFlowConfig {
  // Self-exciting trades (Hawkes): each trade raises the symbol's trade intensity, the excess decaying
  // exponentially; the branching ratio is the mean number of trades one trade triggers (< 1).
  double hawkes_branching = 0.7;
  double hawkes_decay_s = 60;
  // Trade signs: large orders split into runs of child trades (Lillo, Mike and Farmer 2005): run
  // lengths P(L >= n) = n^-alpha, alpha 1.5 gives a sign autocorrelation decaying like lag^-0.5; a
  // child trade follows its run's side with probability (1 + follow)/2.
  double sign_follow = 0.75;
  double meta_alpha = 1.5;
  // Trade impact: each trade moves the mid by impact x half the current relative spread in its
  // direction; the displacement decays with impact_decay_s (a transient, propagator-like impact).
  double impact = 0.3;
  double impact_decay_s = 30;
  // Trade sizes by notional: lognormal dollars (median, log-sd), shares = notional / price; of the
  // trades of 100 shares or more, round_lot_share are rounded down to whole lots.
  double notional_median = 20'000;
  double notional_sigma = 1.2;
  double round_lot_share = 0.7;
  // Auctions: the opening and closing cross of every symbol, as shares of its expected daily volume.
  double open_auction_share = 0.015;
  double close_auction_share = 0.07;
};

// 1,024-entry tables: with the Student-t table (16 KB) the per-tick tables stay inside L1; larger ones
// spill the working set (docs/BENCHMARKS.md, the market model's section).
inline constexpr unsigned kFlowTableBits = 10;
inline constexpr std::size_t kFlowTableSize = std::size_t{1} << kFlowTableBits;

// Run lengths (trades) of a split order: 1,024 quantiles of the discrete Pareto P(L >= n) = n^-alpha,
// capped at 65,535.
using MetaLengthTable = std::array<std::uint16_t, kFlowTableSize>;
MetaLengthTable make_meta_length_table(double alpha) noexcept;

// Trade notionals in currency units: 1,024 quantiles of the lognormal, capped at 10 million.
using NotionalTable = std::array<float, kFlowTableSize>;
NotionalTable make_notional_table(double median, double sigma) noexcept;

// Quoted sizes in shares: 1,024 quantiles of round lots with a Pareto tail, P(lots >= n) = n^-alpha.
using QuoteSizeTable = std::array<std::uint32_t, kFlowTableSize>;
QuoteSizeTable make_quote_size_table(double alpha, std::uint32_t max_lots) noexcept;

}  // namespace tickshm::feed
