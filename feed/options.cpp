// tickshm-feed's command line: flags, their validators and how they exclude each other.
#include "options.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>

#include "tickshm/layout.hpp"
#include "universe.hpp"

namespace tickshm::feed {

namespace {

bool to_double(const std::string& s, double& out) {
  const char* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, out);
  return r.ec == std::errc{} && r.ptr == end && std::isfinite(out);
}

const CLI::Validator kRateValidator(
    [](std::string& v) -> std::string {
      double r = 0;
      if (v == "max") return {};
      if (!to_double(v, r) || r <= 0 || r > 1e9)
        return "--rate must be 'max' or a number of ticks/s in (0, 1e9], got '" + v + "'";
      return {};
    },
    "max|TICKS_PER_S", "rate");

const CLI::Validator kSpeedValidator(
    [](std::string& v) -> std::string {
      double r = 0;
      if (v == "max") return {};
      if (!to_double(v, r) || r < 1e-3 || r > 1e6)
        return "--speed must be 'max' or a factor in [0.001, 1e6], got '" + v + "'";
      return {};
    },
    "max|X", "speed");

const CLI::Validator kModeValidator(
    [](std::string& v) -> std::string {
      unsigned m = 0;
      const auto r = std::from_chars(v.data(), v.data() + v.size(), m, 8);
      if (v.empty() || r.ec != std::errc{} || r.ptr != v.data() + v.size() || m > 0777) {
        return "--mode must be octal permission bits like 0600 or 0660, got '" + v + "'";
      }
      if ((m & 0600) != 0600) return "--mode " + v + " must keep the owner's read and write bits (0600)";
      return {};
    },
    "OCTAL", "mode");

const CLI::Validator kPowerOfTwo(
    [](std::string& v) -> std::string {
      std::uint64_t c = 0;
      const auto r = std::from_chars(v.data(), v.data() + v.size(), c);
      if (r.ec != std::errc{} || r.ptr != v.data() + v.size())
        return "--ring-capacity must be a number, got '" + v + "'";
      if (!is_power_of_two(c) || c < kMinRingCapacity || c > kMaxRingCapacity) {
        return "--ring-capacity must be a power of two in [" + std::to_string(kMinRingCapacity) + ", " +
               std::to_string(kMaxRingCapacity) + "], got " + v;
      }
      return {};
    },
    "POW2", "power of two");

const CLI::Validator kSymbolList(
    [](std::string& v) -> std::string {
      auto r = parse_symbol_list(v);
      return r ? std::string() : r.error().message;
    },
    "SYM,SYM,...", "symbol list");

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
                      ->check(kSymbolList)
                      ->group("Symbols");
  auto* symbols_file =
      app.add_option("--symbols-file", o.symbols_file, "File with one NAME[,PRICE[,VOL[,ACTIVITY]]] per line")
          ->check(CLI::ExistingFile)
          ->group("Symbols");
  auto* num =
      app.add_option("--num-symbols", o.num_symbols, "Simulate N symbols with generated names SYM0001...")
          ->check(CLI::Range(1u, kMaxSymbols))
          ->group("Symbols");
  symbols->excludes(symbols_file)->excludes(num);
  symbols_file->excludes(num);

  auto* rate = app.add_option("--rate", o.rate, "Ticks per second, or 'max' for flat out")
                   ->check(kRateValidator)
                   ->capture_default_str()
                   ->group("Pacing");
  app.add_option("--duration", o.duration_s, "Stop after this many seconds (default: run until stopped)")
      ->check(CLI::Range(0.001, 1e9))
      ->group("Pacing");
  app.add_option("--count", o.count, "Stop after publishing N ticks")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62))
      ->group("Pacing");

  app.add_option("--ring-capacity", o.ring_capacity, "Ticks the ring holds (power of two)")
      ->check(kPowerOfTwo)
      ->capture_default_str()
      ->group("Segment");
  app.add_option("--mode", o.mode, "Permission bits of the segments, octal (0660 shares with the group)")
      ->check(kModeValidator)
      ->capture_default_str()
      ->group("Segment");
  app.add_flag("--keep", o.keep, "Leave the segments in /dev/shm at exit (state 'closed')")->group("Segment");
  app.add_flag("--verify", o.verify, "Put a checksum in every tick (readers with --verify check it)")
      ->group("Segment");

  auto* replay =
      app.add_option("--replay", o.replay, "Replay a CSV file instead of simulating (see docs/FEED.md)")
          ->check(CLI::ExistingFile)
          ->group("Replay");
  auto* speed =
      app.add_option("--speed", o.speed, "Replay speed: 1 = real time, 10 = ten times faster, 'max'")
          ->check(kSpeedValidator)
          ->capture_default_str()
          ->group("Replay");
  auto* bad =
      app.add_option("--on-bad-row", o.on_bad_row, "What a bad CSV row does: fail (exit 2) or skip (warn)")
          ->check(CLI::IsMember({"fail", "skip"}))
          ->capture_default_str()
          ->group("Replay");
  (void)speed;  // --speed needs --replay or --itch: checked in add_itch_options
  bad->needs(replay);
  replay->excludes(symbols)->excludes(symbols_file)->excludes(num)->excludes(rate);

  app.add_option("--record", o.record, "Also write every published tick to this CSV file (replay format)")
      ->check(CLI::NonexistentPath | CLI::ExistingFile)
      ->group("Replay");

  auto* seed = app.add_option("--seed", o.seed, "Random seed: the same seed gives the same ticks")
                   ->check(CLI::Range(std::uint64_t{0}, UINT64_MAX))
                   ->capture_default_str()
                   ->group("Model");
  auto* mw = app.add_option("--market-weight", o.market_weight,
                            "Loading on the common market factor; pairwise correlation = weight^2")
                 ->check(CLI::Range(0.0, 1.0))
                 ->capture_default_str()
                 ->group("Model");
  auto* tr = app.add_option("--trade-ratio", o.trade_ratio, "Share of ticks that are trades")
                 ->check(CLI::Range(0.0, 1.0))
                 ->capture_default_str()
                 ->group("Model");
  auto* jp = app.add_option("--jumps-per-session", o.jumps_per_session, "Price jumps per symbol per session")
                 ->check(CLI::Range(0.0, 1000.0))
                 ->capture_default_str()
                 ->group("Model");
  auto* js = app.add_option("--jump-size", o.jump_size, "Standard deviation of a jump's log size")
                 ->check(CLI::Range(0.0, 0.5))
                 ->capture_default_str()
                 ->group("Model");
  auto* st =
      app.add_option("--session-ticks", o.session_ticks,
                     "Ticks per simulated 6.5-hour session (all symbols); sets simulated time per tick")
          ->check(CLI::Range(std::uint64_t{1000}, std::uint64_t{1'000'000'000'000}))
          ->capture_default_str()
          ->group("Model");
  for (auto* opt : {seed, mw, tr, jp, js, st}) replay->excludes(opt);
  add_itch_options(app, o);
}

bool rate_is_max(const std::string& rate) {
  return rate == "max";
}

double rate_value(const std::string& rate) {
  double r = 0;
  return to_double(rate, r) ? r : 0;
}

mode_t mode_value(const std::string& mode) {
  unsigned m = 0600;
  (void)std::from_chars(mode.data(), mode.data() + mode.size(), m, 8);
  return static_cast<mode_t>(m);
}

double speed_value(const std::string& speed) {
  double r = 0;
  return speed == "max" ? 0 : (to_double(speed, r) ? r : 1);
}

}  // namespace tickshm::feed
