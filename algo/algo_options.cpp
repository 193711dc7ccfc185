// tickshm-algo's command line (see algo_options.hpp).
#include "algo_options.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cmath>

#include <map>

#include "tickshm/cli_checks.hpp"
#include "tickshm/money.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"
#include "tickshm/trust_cli.hpp"

namespace tickshm::algo {
namespace {

// An amount such as 0.005 (at most 4 decimals, not negative), handed to CLI11 as units so that the
// option stores a Money directly.
CLI::Validator money_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        Money v = 0;
        if (const MoneyError e = parse_money(s, v); e != MoneyError::kNone)
          return fmt::format("'{}' {} (an amount such as 0.005)", s, money_error_text(e));
        if (v < 0) return fmt::format("'{}' must not be negative", s);
        s = fmt::format("{}", v);
        return {};
      },
      "");
}

CLI::Validator symbol_validator() {
  return CLI::Validator(
      [](std::string& list) -> std::string {
        for (std::size_t start = 0;;) {
          const std::size_t end = list.find(',', start);
          const std::string s = list.substr(start, end - start);
          if (s.empty() || s.size() >= kSymbolNameLength)
            return fmt::format("symbol '{}' must have 1 to {} characters", s, kSymbolNameLength - 1);
          if (end == std::string::npos) return {};
          start = end + 1;
        }
      },
      "");
}

}  // namespace

int parse_command_line(int argc, char** argv, Options& opts,
                       std::vector<std::unique_ptr<StrategyFactory>>& strategies,
                       std::optional<ResolvedOptions>& resolved) {
  CLI::App app{"tickshm-algo: a trading algorithm on the tickshm market-data bus (paper trading)", "tickshm-algo"};
  setup_cli(app, opts, strategies);
  if (const int rc = parse_cli(app, argc, argv); rc >= 0) return rc;
  auto r = resolve_options(opts, strategies);
  if (!r) {
    fmt::print(stderr, "tickshm-algo: {}\n", r.error().message);
    return kExitUsage;
  }
  resolved = std::move(r.value());
  return -1;
}

void setup_cli(CLI::App& app, Options& o, std::vector<std::unique_ptr<StrategyFactory>>& strategies) {
  add_common_options(app, o.common);
  add_trust_option(app);
  std::vector<std::string> names;
  std::string strategy_help = "trading strategy:";
  for (const auto& f : strategies) {
    names.emplace_back(f->name());
    strategy_help += "\n  " + std::string(f->name()) + ": " + std::string(f->summary());
  }
  app.add_option("--strategy", o.strategy, strategy_help)
      ->type_name("NAME")
      ->check(CLI::IsMember(names).description(""))
      ->capture_default_str();
  app.add_option("--name", o.name,
                 "this algo's ID: registry name and status segment /tickshm.SEGMENT.algo.ID "
                 "(default: the strategy's name)")
      ->type_name("ID")
      ->check(checks::name("algo name"));
  app.add_option("--symbols", o.symbols, "trade only these symbols, comma separated (default: all)")
      ->type_name("SYM,SYM,...")
      ->check(checks::comma_list())
      ->check(symbol_validator());
  app.add_option("--wait", o.wait,
                 "how to wait for ticks: spin (lowest latency, a busy core), block "
                 "(sleeps), adaptive (spins briefly, then sleeps)")
      ->type_name("spin|block|adaptive")
      ->transform(CLI::CheckedTransformer(std::map<std::string, WaitStrategy>{{"spin", WaitStrategy::kSpin},
                                                                               {"block", WaitStrategy::kBlock},
                                                                               {"adaptive", WaitStrategy::kAdaptive}})
                      .description(""))
      ->default_str("adaptive");
  app.add_option("--order-size", o.order_size, "shares per position: a long holds +N, a short -N")
      ->check(checks::range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->capture_default_str();
  app.add_option("--slippage-ticks", o.slippage_ticks,
                 "fills this many of the symbol's ticks worse than the quote")
      ->check(checks::range(0u, 1'000'000u))
      ->capture_default_str();
  app.add_option("--commission-per-share", o.commission_per_share,
                 "commission per share traded, in currency (e.g. 0.005)")
      ->type_name("AMOUNT")
      ->transform(money_validator())
      ->default_str("0");

  auto* risk = app.add_option_group("Risk limits", "0 turns a limit off");
  risk->add_option("--max-position", o.max_position, "largest |position| per symbol, in shares")
      ->check(checks::range(std::int64_t{0}, std::int64_t{1'000'000'000}))
      ->capture_default_str();
  risk->add_option("--max-gross-notional", o.max_gross_notional,
                   "largest sum of |position x mid| over all symbols, in currency")
      ->type_name("AMOUNT")
      ->transform(money_validator())
      ->default_str("0");
  risk->add_option("--max-orders-per-sec", o.max_orders_per_sec, "orders sent in any one-second window")
      ->check(checks::range(0u, 10'000'000u))
      ->capture_default_str();
  risk->add_option("--max-drawdown", o.max_drawdown,
                   "kill switch: halt new orders once total P&L falls this far from its peak, in currency")
      ->type_name("AMOUNT")
      ->transform(money_validator())
      ->default_str("0");

  risk->add_option("--max-tick-move", o.max_tick_move,
                   "a tick whose price moved more than this fraction from the symbol's last accepted price "
                   "is refused as nonsense (0.2 = 20 %; 0: no bound)")
      ->check(checks::range(0.0, 100.0))
      ->capture_default_str();
  risk->add_option(
          "--max-spread", o.max_spread,
          "a quote whose spread exceeds this fraction of its mid is refused as nonsense (0: no bound)")
      ->check(checks::range(0.0, 100.0))
      ->capture_default_str();
  risk->add_option(
          "--max-bad-ticks-per-sec", o.max_bad_ticks_per_sec,
          "kill switch: halt new orders when this many ticks are refused as nonsense or fail --verify "
          "within one second (0: never)")
      ->check(checks::range(0u, 10'000'000u))
      ->capture_default_str();

  app.add_option("--duration", o.duration_s, "stop after this many seconds (0: run until SIGINT/SIGTERM)")
      ->check(checks::range(0.0, 31'536'000.0))
      ->capture_default_str();
  app.add_option("--report", o.report, "write the summary as JSON to this file at exit")
      ->type_name("FILE")
      ->check(checks::output_file());
  app.add_flag("--verify", o.verify,
               "check every tick's checksum (the feed must run with --verify); any "
               "mismatch makes the exit status 1");
  app.add_option("--mode", o.mode, "permissions of the status segment, octal")
      ->type_name("OCTAL")
      ->transform(checks::mode())
      ->default_str("0600");
  app.add_option("--status-interval-ms", o.status_interval_ms, "how often the status segment is rewritten")
      ->check(checks::range(10u, 10'000u))
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
  e.commission_per_share = o.commission_per_share;
  e.limits.max_position = o.max_position;
  e.limits.max_gross_notional = o.max_gross_notional;
  e.limits.max_orders_per_sec = o.max_orders_per_sec;
  e.limits.max_drawdown = o.max_drawdown;
  e.limits.sanity.max_move_ppm = static_cast<std::uint32_t>(std::llround(o.max_tick_move * 1e6));
  e.limits.sanity.max_spread_ppm = static_cast<std::uint32_t>(std::llround(o.max_spread * 1e6));
  e.limits.max_bad_ticks_per_sec = o.max_bad_ticks_per_sec;
  // Split here rather than with CLI11's delimiter, which drops empty items ("A,,B" must be an error).
  for (std::size_t start = 0; !o.symbols.empty();) {
    const std::size_t end = o.symbols.find(',', start);
    e.symbols.push_back(o.symbols.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  r.mode = o.mode;
  r.duration_ns = static_cast<std::uint64_t>(o.duration_s * 1e9);
  return r;
}

}  // namespace tickshm::algo
