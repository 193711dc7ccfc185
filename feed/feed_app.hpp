// tickshm-feed as a function: options in, exit code out (main.cpp only parses the command line).
#pragma once

#include "feed_sources.hpp"
#include "options.hpp"

namespace tickshm::feed {

// Runs the feed until stopped, the count, the duration or the end of the replay file.
// Returns kExitOk, kExitFailure or kExitUsage; every refusal is one line on stderr.
int run_feed(const Options& o);

}  // namespace tickshm::feed
