// tickshm-bench: one writer and N reader processes over the tickshm bus, Unix sockets and pipes, the
// cache-line floor beside them; tables on stdout, --json, and the TARGETS.md ratios at the end.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "peers.hpp"
#include "plot.hpp"
#include "report.hpp"
#ifdef TICKSHM_BENCH_BRIDGE
#include "bridge_runs.hpp"
#endif
#include "scenarios.hpp"
#include "tickshm/cli.hpp"
#include "tickshm/cli_checks.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/trust_cli.hpp"

namespace {

using namespace tickshm;
using namespace tickshm::bench;

constexpr double kRealtimeMaxRunS = 0.8;

struct Options {
  CommonOptions common;
  Config config;
  std::string cpus = "auto";
  std::vector<std::string> waits{"spin", "adaptive", "block"};
  std::vector<std::string> peers{"iceoryx", "zeromq"};
  bool no_baselines = false, no_latency = false, no_throughput = false, no_extras = false;
  std::string feed = "auto";
  std::uint64_t feed_count = 20'000'000;
  std::uint32_t feed_runs = 3;
  std::string json;
  bool realtime = false;
  bool bridge = false;
  std::uint64_t symbol_feed_count = 5'000'000;
  double symbol_dash_s = 2.0;
};

void setup_cli(CLI::App& app, Options& o) {
  o.common.segment = "bench";
  add_common_options(app, o.common);
  add_trust_option(app);
  app.get_option("--segment")->description("Prefix of the segments this run creates: PREFIX-<pid>-<run>-<n>");
  app.add_option("--readers", o.config.reader_counts, "Reader counts to run, each a separate run (e.g. 1,2)")
      ->delimiter(',')
      ->check(checks::range(std::size_t{1}, kMaxReaders))
      ->capture_default_str();
  app.add_option("--rate", o.config.rate, "Latency runs: ticks per second, busy-wait paced")
      ->check(checks::range(std::uint64_t{1}, std::uint64_t{100'000'000}))
      ->capture_default_str();
  app.add_option("--duration", o.config.duration_s, "Latency runs: seconds each (count = rate x duration)")
      ->check(checks::range(0.0001, 3600.0))
      ->capture_default_str();
  app.add_option("--count", o.config.count, "Latency runs: ticks each (overrides --duration)")
      ->check(checks::range(std::uint64_t{1}, std::uint64_t{1'000'000'000}));
  app.add_option("--throughput-duration", o.config.throughput_s, "Flat-out runs: seconds each")
      ->check(checks::range(0.0001, 3600.0))
      ->capture_default_str();
  app.add_option("--idle-duration", o.config.idle_s, "Idle-reader run: seconds")
      ->check(checks::range(0.01, 3600.0))
      ->capture_default_str();
  app.add_option("--writer-cost-duration", o.config.writer_cost_s, "Writer-cost runs: seconds each")
      ->check(checks::range(0.0001, 3600.0))
      ->capture_default_str();
  app.add_option(
         "--lossless-trials", o.config.lossless_trials,
         "Lossless throughput (RFC 2544): paced trials searching for the highest rate one spin reader "
         "takes with nothing lost, when the flat-out run lost ticks (0 = skip)")
      ->check(checks::range(std::uint32_t{0}, std::uint32_t{20}))
      ->capture_default_str();
  app.add_option("--writer-cost-rounds", o.config.writer_cost_rounds,
                 "Rounds of the five writer-cost runs (none, spinning, sleeping, dead, 16 sleeping), "
                 "interleaved; each figure is the median of its rounds")
      ->check(checks::range(std::uint32_t{1}, std::uint32_t{20}))
      ->capture_default_str();
  app.add_option("--cpus", o.cpus,
                 "CPUs to pin to: the writer on the first, readers spread over the rest; 'auto' = this "
                 "process's CPUs, 'none' = no pinning")
      ->capture_default_str();
  app.add_option("--ring", o.config.ring_capacity, "Ring capacity in ticks (a power of two)")
      ->check(checks::range(kMinRingCapacity, kMaxRingCapacity))
      ->check([](const std::string& v) {
        const auto n = std::stoull(v);
        return is_power_of_two(n) ? std::string() : "ring capacity " + v + " is not a power of two";
      })
      ->capture_default_str();
  app.add_option("--symbols", o.config.symbols, "Symbols the ticks cycle through")
      ->check(checks::range(std::uint32_t{1}, kMaxSymbols))
      ->capture_default_str();
  app.add_option("--waits", o.waits, "tickshm wait strategies to run")
      ->delimiter(',')
      ->check(CLI::IsMember({"spin", "adaptive", "block"}))
      ->capture_default_str();
  app.add_flag("--no-baselines", o.no_baselines, "Skip the Unix-socket and pipe runs");
  app.add_option("--peers", o.peers,
                 "Middleware to run beside the bus: iceoryx (its own RouDi), zeromq (ipc:// PUB/SUB), none")
      ->delimiter(',')
      ->check(CLI::IsMember({"iceoryx", "zeromq", "none"}))
      ->capture_default_str();
  app.add_option("--max-spinners", o.config.max_spinners,
                 "Spinning readers (tickshm-spin, iceoryx-spin, iceoryx-blocking) run only at reader counts "
                 "up to this: more spinners than reader CPUs measure the scheduler, not the transport")
      ->check(checks::range(std::size_t{1}, kMaxReaders))
      ->capture_default_str();
  app.add_flag("--no-latency", o.no_latency, "Skip the paced latency runs");
  app.add_flag("--no-throughput", o.no_throughput, "Skip the flat-out throughput runs");
  app.add_flag("--no-extras", o.no_extras, "Skip the floor, idle, writer-cost and feed runs");
  app.add_option("--feed", o.feed,
                 "tickshm-feed binary to time flat out: a path, 'auto' (beside this program) or 'none'")
      ->capture_default_str();
  app.add_option("--feed-count", o.feed_count, "Ticks the feed publishes flat out")
      ->check(checks::range(std::uint64_t{1}, std::uint64_t{10'000'000'000}))
      ->capture_default_str();
  app.add_option("--feed-runs", o.feed_runs, "Times the feed is run; the figure is the median")
      ->check(checks::range(std::uint32_t{1}, std::uint32_t{20}))
      ->capture_default_str();
  app.add_flag("--realtime", o.realtime,
               "Run the writer and readers SCHED_RR so other processes on a shared machine cannot preempt "
               "them (needs root or CAP_SYS_NICE; RT throttling still leaves others 5%)");
  app.add_option("--spin-ns", o.config.spin_ns,
                 "Adaptive readers: spin this long before blocking (0 = the library's default)")
      ->check(checks::range(std::uint64_t{0}, std::uint64_t{10'000'000'000}));
  app.add_flag("--prefault", o.config.prefault,
               "Touch every ring page in the writer and each reader before timing: steady state, as after "
               "the first lap, without the first lap's page faults");
  app.add_option("--symbol-counts", o.config.symbol_counts,
                 "Symbol scaling: the feed flat out, the dashboard's and tickshm-stat's cost at each count "
                 "(e.g. 20,1000,65536; none by default)")
      ->delimiter(',')
      ->check(checks::range(std::uint32_t{1}, kMaxSymbols));
  app.add_option("--symbol-feed-count", o.symbol_feed_count,
                 "Symbol scaling: ticks of each flat-out feed run")
      ->check(checks::range(std::uint64_t{1}, std::uint64_t{10'000'000'000}))
      ->capture_default_str();
  app.add_option("--symbol-dash-duration", o.symbol_dash_s,
                 "Symbol scaling: seconds the dashboard samples (every 100 ms) with the feed flat out")
      ->check(checks::range(0.1, 600.0))
      ->capture_default_str();
  app.add_option("--plot", o.config.plot_dir,
                 "Also write SVG charts (latency percentiles, throughput, scaling) to DIR")
      ->type_name("DIR")
      ->check(checks::output_dir());
  app.add_option("--json", o.json, "Also write every figure as JSON to FILE")
      ->type_name("FILE")
      ->check(checks::output_file());
#ifdef TICKSHM_BENCH_BRIDGE
  app.add_flag("--bridge", o.bridge,
               "Only the bridge runs: feed -> bridge out -> nats-server -> bridge in -> reader, beside plain "
               "NATS one message per tick (docs/BRIDGE.md)");
#endif
}

// "0,1,3" -> {0,1,3}; every CPU must be one this process may run on.
bool parse_cpus(const std::string& text, std::vector<int>& out, std::string& error) {
  out.clear();
  if (text == "none") return true;
  const auto allowed = allowed_cpus();
  if (text == "auto") {
    out = allowed;
    return true;
  }
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    try {
      std::size_t used = 0;
      const int cpu = std::stoi(item, &used);
      if (used != item.size() || cpu < 0) throw std::invalid_argument(item);
      if (std::find(allowed.begin(), allowed.end(), cpu) == allowed.end()) {
        error = "--cpus: CPU " + item + " is not one this process may use";
        return false;
      }
      out.push_back(cpu);
    } catch (const std::exception&) {
      error = "--cpus: '" + item + "' is not a CPU number";
      return false;
    }
  }
  if (out.empty()) {
    error = "--cpus: no CPU given";
    return false;
  }
  return true;
}

std::string find_feed(const std::string& choice) {
  if (choice == "none") return {};
  if (choice != "auto") return choice;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const auto feed = self.parent_path() / "tickshm-feed";
  return access(feed.c_str(), X_OK) == 0 ? feed.string() : std::string();
}

void progress(const std::string& what) {
  std::fprintf(stderr, "tickshm-bench: %s\n", what.c_str());
  std::fflush(stderr);
}

// The spin reader's latency run between two measurements of the floor (TARGETS.md 1 divides the one
// by the other), repeated while the two floors disagree: see FloorBracket.
RunOutcome run_bracketed(const Config& c, SharedRegion& region, Report& report, bool& all_ok) {
  FloorBracket bracket;
  RunOutcome run;
  for (bracket.attempts = 1;; ++bracket.attempts) {
    const FloorOutcome before = run_floor(c, region, true);
    run = run_transport(c, region, Transport::kTickshm, WaitStrategy::kSpin, Mode::kLatency, 1);
    const FloorOutcome after = run_floor(c, region, true);
    if (!before.ok || !after.ok) {
      all_ok = false;
      progress("  FAILED: the floor around the run: " + (before.ok ? after.error : before.error));
      return run;
    }
    bracket.before_p50_ns = before.one_way.p50_ns;
    bracket.after_p50_ns = after.one_way.p50_ns;
    bracket.agreed = floors_agree(bracket.before_p50_ns, bracket.after_p50_ns);
    if (bracket.agreed || bracket.attempts == kFloorAttempts || !run.ok || interrupted()) break;
    progress("  the floor moved during the run (" + std::to_string(bracket.before_p50_ns) + " ns before, " +
             std::to_string(bracket.after_p50_ns) + " ns after): again");
  }
  report.floor_bracket = bracket;
  return run;
}

int run(Options& o) {
  Config& c = o.config;
  std::string error;
  if (!parse_cpus(o.cpus, c.cpus.cpus, error)) {
    std::fprintf(stderr, "tickshm-bench: %s\n", error.c_str());
    return kExitUsage;
  }
  c.prefix = o.common.segment;
  c.waits.clear();
  for (const auto& w : o.waits) c.waits.push_back(parse_wait(w).value());
  c.baselines = !o.no_baselines;
  c.iceoryx = std::find(o.peers.begin(), o.peers.end(), "iceoryx") != o.peers.end();
  c.zmq = std::find(o.peers.begin(), o.peers.end(), "zeromq") != o.peers.end();
  c.latency = !o.no_latency;
  c.throughput = !o.no_throughput;
  c.extras = !o.no_extras;

  install_signal_handlers();
  set_realtime(o.realtime);
  if (o.realtime) {
    // RT throttling stops every RT task for 50 ms once they used 950 ms of a 1 s period: a spinning
    // run longer than that would measure the throttle. Runs stay under 0.8 s with a gap between them.
    const double longest = std::max({static_cast<double>(c.latency_count()) / static_cast<double>(c.rate),
                                     c.throughput_s, c.writer_cost_s});
    if (longest > kRealtimeMaxRunS) {
      progress("--realtime: runs shortened to " + std::to_string(kRealtimeMaxRunS) + " s (RT throttling)");
      c.count = std::min(c.latency_count(),
                         static_cast<std::uint64_t>(kRealtimeMaxRunS * static_cast<double>(c.rate)));
      c.throughput_s = std::min(c.throughput_s, kRealtimeMaxRunS);
      c.writer_cost_s = std::min(c.writer_cost_s, kRealtimeMaxRunS);
    }
  }
  auto gap = [&] {
    if (o.realtime) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  };
  Report report;
  report.config = c;
  report.machine = describe_machine();
  SharedRegion region;
  bool all_ok = true;

  if (c.extras && !interrupted()) {
    progress("floor: cache-line ping-pong");
    report.floor = run_floor(c, region);
    all_ok &= report.floor->ok;
  }
  std::vector<Mode> modes;
  if (c.latency) modes.push_back(Mode::kLatency);
  if (c.throughput) modes.push_back(Mode::kThroughput);
  for (const std::size_t readers : c.reader_counts) {
    for (const Mode m : modes) {
      std::vector<std::pair<Transport, WaitStrategy>> plan;
      for (const WaitStrategy w : c.waits) plan.emplace_back(Transport::kTickshm, w);
      if (c.baselines) {
        plan.emplace_back(Transport::kUnixSocket, WaitStrategy::kBlock);
        plan.emplace_back(Transport::kPipe, WaitStrategy::kBlock);
      }
      if (c.iceoryx) {
        for (const Transport t :
             {Transport::kIceoryxSpin, Transport::kIceoryxWaitSet, Transport::kIceoryxBlocking})
          plan.emplace_back(t, WaitStrategy::kBlock);
      }
      if (c.zmq) {
        plan.emplace_back(Transport::kZmq, WaitStrategy::kBlock);
        plan.emplace_back(Transport::kZmqNoDrop, WaitStrategy::kBlock);
      }
      for (const auto& [t, w] : plan) {
        if (interrupted()) break;
        if (spins(t, w) && readers > c.max_spinners) continue;
        progress(run_name(t, w) + " " + mode_name(m) + ", " + std::to_string(readers) + " reader(s)");
        gap();
        const bool bracketed = c.extras && t == Transport::kTickshm && w == WaitStrategy::kSpin &&
                               m == Mode::kLatency && readers == 1;
        if (bracketed) {
          report.runs.push_back(run_bracketed(c, region, report, all_ok));
        } else {
          report.runs.push_back(run_transport(c, region, t, w, m, readers));
        }
        if (report.runs.back().skipped) {
          progress("  SKIPPED: " + report.runs.back().error);
        } else if (!report.runs.back().ok) {
          all_ok = false;
          progress("  FAILED: " + report.runs.back().error);
        }
      }
    }
  }
  if (c.lossless_trials > 0 && !interrupted()) {
    const auto flat = std::find_if(report.runs.begin(), report.runs.end(), [](const RunOutcome& run) {
      return run.ok && run.transport == Transport::kTickshm && run.wait == WaitStrategy::kSpin &&
             run.mode == Mode::kThroughput && run.readers == 1;
    });
    if (flat != report.runs.end()) {
      progress(flat->lost_total == 0 ? "lossless throughput: the flat-out run lost nothing"
                                     : "lossless throughput: searching the highest rate with 0 lost");
      report.lossless = run_lossless(c, region, *flat);
      all_ok &= report.lossless->ok;
    }
  }
  if (c.extras && !interrupted()) {
    progress("idle readers");
    report.idle = run_idle(c, region);
    all_ok &= report.idle->ok;
    // The four kinds of reader in turn, round after round: a shared machine's slow spells then fall
    // on every kind alike instead of on whichever ran during one.
    constexpr CostReaders kKinds[] = {CostReaders::kNone, CostReaders::kSpinning, CostReaders::kSleeping,
                                      CostReaders::kDead, CostReaders::kSleepingMany};
    report.writer_cost.assign(std::size(kKinds), WriterCostOutcome{});
    for (std::uint32_t round = 0; round < c.writer_cost_rounds && !interrupted(); ++round) {
      for (std::size_t i = 0; i < std::size(kKinds) && !interrupted(); ++i) {
        progress(std::string("writer cost, reader ") + cost_readers_name(kKinds[i]) + ", round " +
                 std::to_string(round + 1) + " of " + std::to_string(c.writer_cost_rounds));
        gap();
        add_writer_cost_round(report.writer_cost[i], run_writer_cost(c, region, kKinds[i]));
      }
    }
    for (const auto& wc : report.writer_cost) all_ok &= wc.ok;
    progress("writer cost with N sleeping readers: " + std::to_string(c.reader_counts.size()) + " counts, " +
             std::to_string(c.writer_cost_rounds) + " rounds");
    report.writer_cost_scaling = run_writer_cost_scaling(c, region, c.reader_counts);
    for (const auto& wc : report.writer_cost_scaling) all_ok &= wc.ok;
    const std::string feed = find_feed(o.feed);
    if (!feed.empty() && !interrupted()) {
      progress("feed flat out: " + feed);
      report.feed = run_feed(c, feed, o.feed_count, o.feed_runs);
      all_ok &= report.feed->ok;
    }
    // --feed none skips the target 5 run only: symbol scaling still finds the feed beside the bench.
    const ScaleBinaries bins = find_scale_binaries(o.feed == "none" ? find_feed("auto") : feed);
    for (const std::uint32_t n : c.symbol_counts) {
      if (interrupted()) break;
      progress("symbols: " + std::to_string(n) + " (feed, dashboard, stat)");
      report.symbol_scaling.push_back(
          run_symbol_scale(c, bins, n, o.symbol_feed_count, o.feed_runs, o.symbol_dash_s));
      if (!report.symbol_scaling.back().ok) {
        all_ok = false;
        progress("  FAILED: " + report.symbol_scaling.back().error);
      }
    }
  }
  remove_all_segments();
  stop_iceoryx_daemon();
  if (interrupted()) {
    progress("interrupted: children stopped, segments removed");
    return 130;
  }
  const auto ratios = compute_ratios(report);
  print_tables(report, ratios);
  if (!o.json.empty()) {
    std::ofstream f(o.json);
    f << to_json(report, ratios);
    if (!f) {
      std::fprintf(stderr, "tickshm-bench: cannot write %s\n", o.json.c_str());
      return kExitFailure;
    }
  }
  if (!c.plot_dir.empty()) {
    std::string plot_error;
    for (const auto& file : write_plots(report, c.plot_dir, plot_error)) progress("wrote " + file);
    if (!plot_error.empty()) {
      std::fprintf(stderr, "tickshm-bench: --plot: %s\n", plot_error.c_str());
      return kExitFailure;
    }
  }
  return all_ok ? kExitOk : kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "tickshm-bench: latency and throughput of the tickshm bus against Unix sockets, pipes and "
      "the cache-line floor, one writer and N reader processes",
      "tickshm-bench"};
  Options o;
  setup_cli(app, o);
  if (const int code = parse_cli(app, argc, argv); code >= 0) return code;
  setup_logging("tickshm-bench", o.common);
  try {
#ifdef TICKSHM_BENCH_BRIDGE
    if (o.bridge) {
      BridgeBenchOptions b;
      b.json = o.json;
      return run_bridge_bench(b);
    }
#endif
    return run(o);
  } catch (const std::exception& e) {
    remove_all_segments();
    stop_iceoryx_daemon();
    std::fprintf(stderr, "tickshm-bench: %s\n", e.what());
    return kExitFailure;
  }
}
