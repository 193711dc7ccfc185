// What tickshm-feed publishes from: the simulator, the market model, a CSV replay or an ITCH replay,
// chosen by the options, with the symbol directory each one implies.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "csv_replay.hpp"
#include "itch_replay.hpp"
#include "market_model.hpp"
#include "options.hpp"
#include "simulator.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/result.hpp"
#include "universe.hpp"

namespace tickshm::feed {

// Exactly one of sim, market, replay and itch is set after open_sources() succeeds.
struct FeedSources {
  std::optional<Simulator> sim;
  std::optional<MarketModel> market;
  std::optional<ReplaySource> replay;
  std::optional<ItchScan> itch_scan;
  std::optional<ItchReplaySource> itch;
  std::vector<SymbolSpec> symbols;  // the Publisher's symbol directory
  std::vector<std::string> names;   // the same symbols' names, for the recorders
  bool replaying() const noexcept { return replay.has_value() || itch.has_value(); }
};

// Opens the source the options ask for. A replay file is checked whole (pass one) before this returns,
// so a bad file is refused before any segment exists. Errors are bad input (exit 2).
[[nodiscard]] Status open_sources(const Options& o, FeedSources& out);

// The simulated universe the options ask for (--symbols, --symbols-file, --num-symbols or default).
[[nodiscard]] Result<std::vector<SymbolParams>> universe_from(const Options& o);

// SymbolParams -> the Publisher's symbol directory entries (prices rounded to the tick).
std::vector<SymbolSpec> symbol_specs(const std::vector<SymbolParams>& params);

}  // namespace tickshm::feed
