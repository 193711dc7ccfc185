// tickshm-feed's command line: flags, their validators and how they exclude each other.
#include "options.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "market_options.hpp"
#include "tickshm/cli_checks.hpp"
#include "tickshm/layout.hpp"
#include "universe.hpp"

namespace tickshm::feed {

namespace {

// "max" or a number in (0, hi]; "max" becomes 0, so the option stores a plain double.
CLI::Validator number_or_max(const char* flag, double lo, double hi, const char* what) {
  return CLI::Validator(
      [=](std::string& v) -> std::string {
        if (v == "max") {
          v = "0";
          return {};
        }
        double r = 0;
        if (!checks::parse_number(v, r) || r < lo || r > hi)
          return fmt::format("{} must be 'max' or {} in [{:g}, {:g}], got '{}'", flag, what, lo, hi, v);
        return {};
      },
      "");
}

const CLI::Validator kRateValidator = number_or_max("--rate", 1e-3, 1e9, "a number of ticks/s");
const CLI::Validator kSpeedValidator = number_or_max("--speed", 1e-3, 1e6, "a factor");

const CLI::Validator kPowerOfTwo(
    [](std::string& v) -> std::string {
      std::uint64_t c = 0;
      if (!checks::parse_number(v, c)) return fmt::format("--ring-capacity must be a number, got '{}'", v);
      if (!is_power_of_two(c) || c < kMinRingCapacity || c > kMaxRingCapacity) {
        return fmt::format("--ring-capacity must be a power of two in [{}, {}], got {}", kMinRingCapacity,
                           kMaxRingCapacity, v);
      }
      return {};
    },
    "", "power of two");

const CLI::Validator kSymbolList(
    [](std::string& v) -> std::string {
      auto r = parse_symbol_list(v);
      return r ? std::string() : r.error().message;
    },
    "", "symbol list");

}  // namespace

int parse_command_line(int argc, char** argv, Options& opts) {
  CLI::App app{"tickshm-feed: simulates (or replays) a stock market into shared memory", "tickshm-feed"};
  setup_cli(app, opts);
  return parse_cli(app, argc, argv);
}

void setup_cli(CLI::App& app, Options& o) {
  add_common_options(app, o.common);

  auto* symbols = app.add_option("--symbols", o.symbols,
                                 "Comma-separated symbols to simulate (default: 20 US large caps)")
                      ->type_name("SYM,SYM,...")
                      ->check(kSymbolList)
                      ->group("Symbols");
  auto* symbols_file =
      app.add_option("--symbols-file", o.symbols_file, "File with one NAME[,PRICE[,VOL[,ACTIVITY]]] per line")
          ->type_name("FILE")
          ->check(checks::regular_file(kMaxSymbolsFileBytes))
          ->group("Symbols");
  auto* num =
      app.add_option("--num-symbols", o.num_symbols, "Simulate N symbols with generated names SYM0001...")
          ->type_name("N")
          ->check(checks::range(1u, kMaxSymbols))
          ->group("Symbols");
  symbols->excludes(symbols_file)->excludes(num);
  symbols_file->excludes(num);

  auto* rate = app.add_option("--rate", o.rate, "Ticks per second, or 'max' for flat out")
                   ->type_name("N|max")
                   ->transform(kRateValidator)
                   ->default_str("1000")
                   ->group("Pacing");
  app.add_option("--duration", o.duration_s, "Stop after this many seconds (default: run until stopped)")
      ->type_name("SECONDS")
      ->check(checks::range(0.001, 1e9))
      ->group("Pacing");
  app.add_option("--count", o.count, "Stop after publishing N ticks")
      ->type_name("N")
      ->check(checks::range(std::uint64_t{1}, std::uint64_t{1} << 62))
      ->group("Pacing");

  app.add_option("--ring-capacity", o.ring_capacity, "Ticks the ring holds (power of two)")
      ->type_name("POW2")
      ->check(kPowerOfTwo)
      ->capture_default_str()
      ->group("Segment");
  app.add_option("--mode", o.mode, "Permission bits of the segments, octal (0660 shares with the group)")
      ->type_name("OCTAL")
      ->transform(checks::mode())
      ->default_str("0600")
      ->group("Segment");
  app.add_flag("--keep", o.keep, "Leave the segments in /dev/shm at exit (state 'closed')")->group("Segment");
  app.add_flag("--verify", o.verify, "Put a checksum in every tick (readers with --verify check it)")
      ->group("Segment");

  auto* replay =
      app.add_option("--replay", o.replay, "Replay a CSV file instead of simulating (see docs/FEED.md)")
          ->type_name("CSV")
          ->check(checks::regular_file(kMaxReplayFileBytes))
          ->group("Replay");
  auto* speed =
      app.add_option("--speed", o.speed, "Replay speed: 1 = real time, 10 = ten times faster, 'max'")
          ->type_name("X|max")
          ->transform(kSpeedValidator)
          ->default_str("1")
          ->group("Replay");
  auto* bad =
      app.add_option("--on-bad-row", o.on_bad_row, "What a bad CSV row does: fail (exit 2) or skip (warn)")
          ->type_name("fail|skip")
          ->check(CLI::IsMember({"fail", "skip"}).description(""))
          ->capture_default_str()
          ->group("Replay");
  (void)speed;  // --speed needs --replay or --itch: checked in add_itch_options
  bad->needs(replay);
  replay->excludes(symbols)->excludes(symbols_file)->excludes(num)->excludes(rate);

  app.add_option("--record", o.record, "Also write every published tick to this CSV file (replay format)")
      ->type_name("CSV")
      ->check(checks::output_file())
      ->group("Replay");

  auto* seed = app.add_option("--seed", o.seed, "Random seed: the same seed gives the same ticks")
                   ->type_name("N")
                   ->check(checks::range(std::uint64_t{0}, UINT64_MAX))
                   ->capture_default_str()
                   ->group("Model");
  auto* mw = app.add_option("--market-weight", o.market_weight,
                            "Loading on the common market factor; pairwise correlation = weight^2")
                 ->check(checks::range(0.0, 1.0))
                 ->capture_default_str()
                 ->group("Model");
  auto* tr = app.add_option("--trade-ratio", o.trade_ratio, "Share of ticks that are trades")
                 ->check(checks::range(0.0, 1.0))
                 ->capture_default_str()
                 ->group("Model");
  auto* jp = app.add_option("--jumps-per-session", o.jumps_per_session, "Price jumps per symbol per session")
                 ->check(checks::range(0.0, 1000.0))
                 ->capture_default_str()
                 ->group("Model");
  auto* js = app.add_option("--jump-size", o.jump_size, "Standard deviation of a jump's log size")
                 ->check(checks::range(0.0, 0.5))
                 ->capture_default_str()
                 ->group("Model");
  auto* st =
      app.add_option("--session-ticks", o.session_ticks,
                     "Ticks per simulated 6.5-hour session (all symbols); sets simulated time per tick")
          ->check(checks::range(std::uint64_t{1000}, std::uint64_t{1'000'000'000'000}))
          ->capture_default_str()
          ->group("Model");
  for (auto* opt : {seed, mw, tr, jp, js, st}) replay->excludes(opt);
  for (auto* opt : add_market_options(app, o.model, o.market)) replay->excludes(opt);

  auto* facts = app.add_option("--facts", o.facts,
                               "Print the stylized facts of a recorded CSV session (see --record) and exit")
                    ->type_name("CSV")
                    ->check(checks::regular_file(kMaxReplayFileBytes))
                    ->group("Facts");
  app.add_flag("--json", o.facts_json, "With --facts: print JSON instead of a table")
      ->needs(facts)
      ->group("Facts");
  facts->excludes(replay)->excludes(symbols)->excludes(symbols_file)->excludes(num);
  add_itch_options(app, o);  // last: it looks up the flags above by name
}

}  // namespace tickshm::feed
