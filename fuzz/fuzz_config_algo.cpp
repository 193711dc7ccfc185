// Fuzz target: tickshm-algo's --config FILE loader (CLI11 TOML/INI) and the checks that follow parsing.
// Any file must parse or be refused with a CLI::ParseError or resolve_options' error (exit code 2).
#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>

#include "algo_options.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tickshm::fuzz::MemFile file(data, size);
  auto strategies = tickshm::algo::make_strategy_factories();
  tickshm::algo::Options opts;
  CLI::App app{"tickshm-algo"};
  tickshm::algo::setup_cli(app, opts, strategies);
  std::string config = file.path();
  try {
    app.parse(std::vector<std::string>{config, "--config"});  // CLI11 takes the vector reversed
  } catch (const CLI::ParseError&) {
    return 0;
  }
  auto resolved = tickshm::algo::resolve_options(opts, strategies);
  if (!resolved && resolved.error().message.empty()) __builtin_trap();
  return 0;
}
