// tickshm-feed as a function: options in, exit code out (main.cpp only parses the command line).
#pragma once

#include <string>
#include <vector>

#include "options.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/result.hpp"
#include "universe.hpp"

namespace tickshm::feed {

// The simulated universe the options ask for (--symbols, --symbols-file, --num-symbols or default).
[[nodiscard]] Result<std::vector<SymbolParams>> universe_from(const Options& o);

// SymbolParams -> the Publisher's symbol directory entries (prices rounded to the tick).
std::vector<SymbolSpec> symbol_specs(const std::vector<SymbolParams>& params);

// Runs the feed until stopped, the count, the duration or the end of the replay file.
// Returns kExitOk, kExitFailure or kExitUsage; every refusal is one line on stderr.
int run_feed(const Options& o);

}  // namespace tickshm::feed
