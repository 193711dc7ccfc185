// tickshm-feed's command line: struct Options and setup_cli (every flag also works in --config FILE).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "market_config.hpp"
#include "tickshm/cli.hpp"

namespace tickshm::feed {

struct Options {
  CommonOptions common;
  // Symbols (at most one of the three; none: the default universe).
  std::string symbols;
  std::string symbols_file;
  std::uint32_t num_symbols = 0;
  // How much and how fast.
  double rate = 1000;       // ticks/s; 0: "max", flat out
  double duration_s = 0;    // 0: until stopped
  std::uint64_t count = 0;  // 0: no limit
  // Segment.
  std::uint64_t ring_capacity = 1ULL << 16;
  mode_t mode = 0600;
  bool keep = false;
  bool verify = false;
  // Replay.
  std::string replay;
  double speed = 1;  // replay factor; 0: "max", as fast as possible
  std::string on_bad_row = "fail";
  // Recording.
  std::string record;
  // ITCH 5.0 (itch_options.cpp).
  std::string itch;         // replay this ITCH file (or FILE.gz)
  std::string itch_from;    // HH:MM:SS: publish from here (books are built from the start)
  std::string itch_to;      // HH:MM:SS: stop here
  std::string record_itch;  // also write the published ticks as ITCH 5.0
  // Model.
  std::uint64_t seed = 42;
  double market_weight = 0.6;
  double trade_ratio = 0.2;
  double jumps_per_session = 0.2;
  double jump_size = 0.01;
  std::uint64_t session_ticks = 2'340'000;
  std::string model = "market";  // or "gbm"
  MarketConfig market;           // the market model's own parameters (market_options.cpp)
  // Stylized-facts report of a recorded CSV instead of running a feed.
  std::string facts;
  bool facts_json = false;
};

void setup_cli(CLI::App& app, Options& opts);
// The ITCH flags (--itch, --from, --to, --record-itch), added by setup_cli after the others.
void add_itch_options(CLI::App& app, Options& opts);

// The program's command line: setup_cli + parse_cli. -1 to go on, else the exit code to return now.
int parse_command_line(int argc, char** argv, Options& opts);

// The largest --symbols-file and --replay file the feed reads (both are read line by line; the
// bound keeps a mistaken path from keeping the feed busy for ever).
inline constexpr std::uint64_t kMaxSymbolsFileBytes = 16ULL << 20;
inline constexpr std::uint64_t kMaxReplayFileBytes = 64ULL << 30;

}  // namespace tickshm::feed
