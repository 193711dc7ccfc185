// The market model's parameters in one struct (flags and config keys: market_options.cpp).
#pragma once

#include "order_flow.hpp"
#include "simulator.hpp"
#include "volatility.hpp"

namespace tickshm::feed {

struct MarketConfig {
  SimConfig sim;                // seed, market weight, trade ratio, jump rate, session ticks, start
  double sector_weight = 0.45;  // loading on the symbol's sector factor
  VolConfig vol;
  double tail_nu = 4.0;                   // Student-t degrees of freedom of every innovation; 0 = normal
  double jump_sigmas = 10.0;              // sd of a symbol's jump, in its current one-minute sigmas
  double market_jumps_per_session = 0.1;  // market-wide jumps (every symbol, by its market loading)
  double market_jump_sigmas = 8.0;        // their sd, in one-minute sigmas of the market factor
  double overnight_share = 0.25;          // share of a day's variance in the overnight gap
  OrderFlowConfig flow;
};

}  // namespace tickshm::feed
