// tickshm-feed's market-model flags (--model and the parameters of each mechanism).
#pragma once

#include <string>

#include "market_config.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace tickshm::feed {

// Adds --model and the "Market model" group; every option is also a --config key. Returns the
// options that make no sense with --replay (the caller makes --replay exclude them).
std::vector<CLI::Option*> add_market_options(CLI::App& app, std::string& model, MarketConfig& market);

}  // namespace tickshm::feed
