// tickshm-algo's command line (see algo_options.hpp).
#include "algo_options.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "money.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"

namespace tickshm::algo {
namespace {

CLI::Validator money_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        const auto v = parse_money(s);
        if (!v) return "'" + s + "' is not an amount (digits, at most 4 decimals, e.g. 0.005)";
        if (*v < 0) return "'" + s + "' must not be negative";
        return {};
      },
      "AMOUNT");
}

CLI::Validator mode_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.empty() || s.size() > 4 || s.find_first_not_of("01234567") != std::string::npos)
          return "'" + s + "' is not an octal mode such as 0600 or 0640";
        return {};
      },
      "MODE");
}

CLI::Validator symbol_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.empty() || s.size() >= kSymbolNameLength)
          return "symbol '" + s + "' must have 1 to " + std::to_string(kSymbolNameLength - 1) + " characters";
        return {};
      },
      "SYMBOL");
}

}  // namespace

int parse_command_line(int argc, char** argv, Options& opts,
                       std::vector<std::unique_ptr<StrategyFactory>>& strategies,
                       std::optional<ResolvedOptions>& resolved) {
  CLI::App app{"tickshm-algo: a trading algorithm on the tickshm market-data bus (paper trading)"};
  setup_cli(app, opts, strategies);
  if (const int rc = parse_cli(app, argc, argv); rc >= 0) return rc;
  auto r = resolve_options(opts, strategies);
  if (!r) {
    std::fprintf(stderr, "tickshm-algo: %s\n", r.error().message.c_str());
    return kExitUsage;
  }
  resolved = std::move(r.value());
  return -1;
}

void setup_cli(CLI::App& app, Options& o, std::vector<std::unique_ptr<StrategyFactory>>& strategies) {
  add_common_options(app, o.common);
  std::vector<std::string> names;
  std::string strategy_help = "trading strategy:";
  for (const auto& f : strategies) {
    names.emplace_back(f->name());
    strategy_help += "\n  " + std::string(f->name()) + ": " + std::string(f->summary());
  }
  app.add_option("--strategy", o.strategy, strategy_help)->check(CLI::IsMember(names))->capture_default_str();
  app.add_option("--name", o.name,
                 "this algo's ID: registry name and status segment /tickshm.SEGMENT.algo.ID "
                 "(default: the strategy's name)")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            const Status st = validate_name(s, "algo name");
            return st ? std::string{} : st.error().message;
          },
          "ID"));
  app.add_option("--symbols", o.symbols, "trade only these symbols, comma separated (default: all)")
      ->delimiter(',')
      ->check(symbol_validator());
  app.add_option("--wait", o.wait,
                 "how to wait for ticks: spin (lowest latency, a busy core), block "
                 "(sleeps), adaptive (spins briefly, then sleeps)")
      ->check(CLI::IsMember({"spin", "block", "adaptive"}))
      ->capture_default_str();
  app.add_option("--order-size", o.order_size, "shares per position: a long holds +N, a short -N")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->capture_default_str();
  app.add_option("--slippage-ticks", o.slippage_ticks,
                 "fills this many of the symbol's ticks worse than the quote")
      ->check(CLI::Range(0u, 1'000'000u))
      ->capture_default_str();
  app.add_option("--commission-per-share", o.commission_per_share,
                 "commission per share traded, in currency (e.g. 0.005)")
      ->check(money_validator())
      ->capture_default_str();

  auto* risk = app.add_option_group("Risk limits", "0 turns a limit off");
  risk->add_option("--max-position", o.max_position, "largest |position| per symbol, in shares")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}))
      ->capture_default_str();
  risk->add_option("--max-gross-notional", o.max_gross_notional,
                   "largest sum of |position x mid| over all symbols, in currency")
      ->check(money_validator())
      ->capture_default_str();
  risk->add_option("--max-orders-per-sec", o.max_orders_per_sec, "orders sent in any one-second window")
      ->check(CLI::Range(0u, 10'000'000u))
      ->capture_default_str();
  risk->add_option("--max-drawdown", o.max_drawdown,
                   "kill switch: halt new orders once total P&L falls this far from its peak, in currency")
      ->check(money_validator())
      ->capture_default_str();

  app.add_option("--duration", o.duration_s, "stop after this many seconds (0: run until SIGINT/SIGTERM)")
      ->check(CLI::Range(0.0, 31'536'000.0))
      ->capture_default_str();
  app.add_option("--report", o.report, "write the summary as JSON to this file at exit");
  app.add_option("--report-svg", o.report_svg,
                 "write the run's total P&L and gross position over time as an SVG chart to this file at exit");
  app.add_flag("--verify", o.verify,
               "check every tick's checksum (the feed must run with --verify); any "
               "mismatch makes the exit status 1");
  app.add_option("--mode", o.mode, "permissions of the status segment, octal")
      ->check(mode_validator())
      ->capture_default_str();
  app.add_option("--status-interval-ms", o.status_interval_ms, "how often the status segment is rewritten")
      ->check(CLI::Range(10u, 10'000u))
      ->capture_default_str();

  for (auto& f : strategies) {
    auto* g = app.add_option_group(std::string(f->name()) + " parameters", std::string(f->summary()));
    f->add_options(*g);
  }
}

Result<ResolvedOptions> resolve_options(const Options& o,
                                        const std::vector<std::unique_ptr<StrategyFactory>>& strategies) {
  ResolvedOptions r;
  for (const auto& f : strategies) {
    if (f->name() == o.strategy) {
      r.strategy = f.get();
      continue;
    }
    // Another strategy's parameter is a mistake worth stopping for: it would silently do nothing.
    for (const CLI::Option* opt : f->options())
      if (opt->count() > 0)
        return make_error(Errc::kInvalidArgument, opt->get_name() + " is a parameter of " +
                                                      std::string(f->name()) + ", not of --strategy " +
                                                      o.strategy);
  }
  if (r.strategy == nullptr)
    return make_error(Errc::kInvalidArgument, "unknown strategy '" + o.strategy + "'");
  if (auto msg = r.strategy->validate()) return make_error(Errc::kInvalidArgument, *msg);

  r.name = o.name.empty() ? std::string(r.strategy->name()) : o.name;
  if (Status st = validate_name(r.name, "algo name"); !st) return st.error();

  EngineConfig& e = r.engine;
  e.order_size = o.order_size;
  e.slippage_ticks = o.slippage_ticks;
  e.commission_per_share = parse_money(o.commission_per_share).value_or(0);
  e.limits.max_position = o.max_position;
  e.limits.max_gross_notional = parse_money(o.max_gross_notional).value_or(0);
  e.limits.max_orders_per_sec = o.max_orders_per_sec;
  e.limits.max_drawdown = parse_money(o.max_drawdown).value_or(0);
  e.symbols = o.symbols;
  r.mode = static_cast<mode_t>(std::stoul(o.mode, nullptr, 8));
  r.duration_ns = static_cast<std::uint64_t>(o.duration_s * 1e9);
  return r;
}

}  // namespace tickshm::algo
