// Fuzz target: tickshm-feed's --config FILE loader (CLI11 TOML/INI) over the feed's real Options.
// Any file must parse or be refused with a CLI::ParseError (the program's exit code 2); any other
// exception would escape tickshm-feed's main and abort it.
#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tickshm::fuzz::MemFile file(data, size);
  tickshm::feed::Options opts;
  CLI::App app{"tickshm-feed", "tickshm-feed"};
  tickshm::feed::setup_cli(app, opts);
  std::string config = file.path();
  try {
    app.parse(std::vector<std::string>{config, "--config"});  // CLI11 takes the vector reversed
  } catch (const CLI::ParseError&) {
    return 0;
  }
  // What run_feed relies on: the typed values are in range whatever the file said (0 means "max").
  if (!(opts.rate >= 0 && opts.rate <= 1e9) || !(opts.speed >= 0 && opts.speed <= 1e6)) __builtin_trap();
  if ((opts.mode & 0600) != 0600 || opts.mode > 0777) __builtin_trap();
  if (!(opts.duration_s >= 0) || !(opts.market_weight >= 0 && opts.market_weight <= 1)) __builtin_trap();
  return 0;
}
