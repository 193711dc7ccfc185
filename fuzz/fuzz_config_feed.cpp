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
  // What run_feed does next with the parsed strings.
  if (!tickshm::feed::rate_is_max(opts.rate) && tickshm::feed::rate_value(opts.rate) <= 0) __builtin_trap();
  (void)tickshm::feed::mode_value(opts.mode);
  (void)tickshm::feed::speed_value(opts.speed);
  return 0;
}
