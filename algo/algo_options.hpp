// tickshm-algo's command line: Options, setup_cli, and the checks that need every option parsed.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine.hpp"
#include "strategy.hpp"
#include "tickshm/cli.hpp"
#include "tickshm/control_layout.hpp"
#include "tickshm/money.hpp"
#include "tickshm/result.hpp"

namespace tickshm::algo {

struct Options {
  CommonOptions common;
  std::string strategy = "sma-cross";
  std::string name;     // default: the strategy's name
  std::string symbols;  // comma separated; empty: all
  WaitStrategy wait = WaitStrategy::kAdaptive;
  std::int64_t order_size = 100;
  std::uint32_t slippage_ticks = 0;
  Money commission_per_share = 0;
  std::int64_t max_position = 10'000;
  Money max_gross_notional = 0;
  std::uint32_t max_orders_per_sec = 100;
  Money max_drawdown = 0;
  double max_tick_move = 0.2;  // relative move per tick beyond which a tick is nonsense (0: off)
  double max_spread = 0.5;     // relative spread beyond which a quote is nonsense (0: off)
  std::uint32_t max_bad_ticks_per_sec = 20;  // kill switch on a burst of bad ticks (0: off)
  double duration_s = 0;                     // 0: until stopped
  std::string report;
  std::string report_svg;
  bool verify = false;
  mode_t mode = 0600;
  std::uint32_t status_interval_ms = 100;
};

// Everything resolved from Options after parsing: the engine's configuration and the chosen strategy.
struct ResolvedOptions {
  std::string name;
  const StrategyFactory* strategy = nullptr;
  EngineConfig engine;
  mode_t mode = 0600;
  std::uint64_t duration_ns = 0;
};

// Adds every option to app, the strategies' parameters each in an option group of their own.
void setup_cli(CLI::App& app, Options& opts, std::vector<std::unique_ptr<StrategyFactory>>& strategies);

// The program's command line: setup_cli, parse_cli, then resolve_options while the parsed command line
// (which the factories' options() point into) still exists. -1 with `resolved` set to go on, else the
// exit code to return now (a resolution error is one line on stderr, exit 2).
int parse_command_line(int argc, char** argv, Options& opts,
                       std::vector<std::unique_ptr<StrategyFactory>>& strategies,
                       std::optional<ResolvedOptions>& resolved);

// The checks CLI11 cannot do one option at a time: the strategy's own checks, parameters of another
// strategy given, --name validity, money amounts. An error is one line for stderr (exit code 2).
Result<ResolvedOptions> resolve_options(const Options& opts,
                                        const std::vector<std::unique_ptr<StrategyFactory>>& strategies);

}  // namespace tickshm::algo
