// tickshm-bench: one writer and N reader processes over the tickshm bus, Unix sockets, pipes, iceoryx and
// ZeroMQ, the cache-line floor beside them; tables on stdout, --json, --plot, and the TARGETS.md ratios.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <thread>

#include "bench_options.hpp"
#include "peers.hpp"
#include "plot.hpp"
#include "report.hpp"
#ifdef TICKSHM_BENCH_BRIDGE
#include "bridge_runs.hpp"
#endif
#include "scenarios.hpp"
#include "tickshm/segment.hpp"

namespace {

using namespace tickshm;
using namespace tickshm::bench;

constexpr double kRealtimeMaxRunS = 0.8;

void progress(const std::string& what) {
  std::fprintf(stderr, "tickshm-bench: %s\n", what.c_str());
  std::fflush(stderr);
}

// The options in the Config the runs read; false (and a message) when the CPU list is not usable.
bool configure(Options& o) {
  Config& c = o.config;
  std::string error;
  if (!parse_cpus(o.cpus, c.cpus.cpus, error)) {
    std::fprintf(stderr, "tickshm-bench: %s\n", error.c_str());
    return false;
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
  return true;
}

// One invocation's runs, in order, and whether every one of them worked.
class Session {
 public:
  explicit Session(const Options& o) : o_(o), c_(o.config) {
    report_.config = c_;
    report_.machine = describe_machine();
  }
  Report& report() { return report_; }
  bool all_ok() const { return all_ok_; }

  void run_floor_first() {
    if (!c_.extras || interrupted()) return;
    progress("floor: cache-line ping-pong");
    report_.floor = run_floor(c_, region_);
    all_ok_ &= report_.floor->ok;
  }

  // Every transport at every reader count, latency then throughput.
  void run_transports() {
    std::vector<Mode> modes;
    if (c_.latency) modes.push_back(Mode::kLatency);
    if (c_.throughput) modes.push_back(Mode::kThroughput);
    for (const std::size_t readers : c_.reader_counts) {
      for (const Mode m : modes) {
        for (const auto& [t, w] : plan()) {
          if (interrupted()) return;
          if (spins(t, w) && readers > c_.max_spinners) continue;
          progress(run_name(t, w) + " " + mode_name(m) + ", " + std::to_string(readers) + " reader(s)");
          gap();
          const bool bracketed = c_.extras && t == Transport::kTickshm && w == WaitStrategy::kSpin &&
                                 m == Mode::kLatency && readers == 1;
          report_.runs.push_back(bracketed ? run_bracketed() : run_transport(c_, region_, t, w, m, readers));
          if (report_.runs.back().skipped) {
            progress("  SKIPPED: " + report_.runs.back().error);
          } else if (!report_.runs.back().ok) {
            all_ok_ = false;
            progress("  FAILED: " + report_.runs.back().error);
          }
        }
      }
    }
  }

  void run_lossless_search() {
    if (c_.lossless_trials == 0 || interrupted()) return;
    const auto& runs = report_.runs;
    const auto flat = std::find_if(runs.begin(), runs.end(), [](const RunOutcome& run) {
      return run.ok && run.transport == Transport::kTickshm && run.wait == WaitStrategy::kSpin &&
             run.mode == Mode::kThroughput && run.readers == 1;
    });
    if (flat == runs.end()) return;
    progress(flat->lost_total == 0 ? "lossless throughput: the flat-out run lost nothing"
                                   : "lossless throughput: searching the highest rate with 0 lost");
    report_.lossless = run_lossless(c_, region_, *flat);
    all_ok_ &= report_.lossless->ok;
  }

  // Idle readers, the writer's cost, the feed and symbol scaling.
  void run_extras() {
    if (!c_.extras || interrupted()) return;
    progress("idle readers");
    report_.idle = run_idle(c_, region_);
    all_ok_ &= report_.idle->ok;
    run_writer_costs();
    const std::string feed = find_feed(o_.feed);
    if (!feed.empty() && !interrupted()) {
      progress("feed flat out: " + feed);
      report_.feed = run_feed(c_, feed, o_.feed_count, o_.feed_runs);
      all_ok_ &= report_.feed->ok;
    }
    // --feed none skips the target 5 run only: symbol scaling still finds the feed beside the bench.
    const ScaleBinaries bins = find_scale_binaries(o_.feed == "none" ? find_feed("auto") : feed);
    for (const std::uint32_t n : c_.symbol_counts) {
      if (interrupted()) break;
      progress("symbols: " + std::to_string(n) + " (feed, dashboard, stat)");
      report_.symbol_scaling.push_back(
          run_symbol_scale(c_, bins, n, o_.symbol_feed_count, o_.feed_runs, o_.symbol_dash_s));
      if (!report_.symbol_scaling.back().ok) {
        all_ok_ = false;
        progress("  FAILED: " + report_.symbol_scaling.back().error);
      }
    }
  }

 private:
  void gap() const {
    if (o_.realtime) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }

  std::vector<std::pair<Transport, WaitStrategy>> plan() const {
    std::vector<std::pair<Transport, WaitStrategy>> p;
    for (const WaitStrategy w : c_.waits) p.emplace_back(Transport::kTickshm, w);
    if (c_.baselines) {
      p.emplace_back(Transport::kUnixSocket, WaitStrategy::kBlock);
      p.emplace_back(Transport::kPipe, WaitStrategy::kBlock);
    }
    if (c_.iceoryx) {
      for (const Transport t :
           {Transport::kIceoryxSpin, Transport::kIceoryxWaitSet, Transport::kIceoryxBlocking})
        p.emplace_back(t, WaitStrategy::kBlock);
    }
    if (c_.zmq) {
      p.emplace_back(Transport::kZmq, WaitStrategy::kBlock);
      p.emplace_back(Transport::kZmqNoDrop, WaitStrategy::kBlock);
    }
    return p;
  }

  // The spin reader's latency run between two measurements of the floor (TARGETS.md 1 divides the one
  // by the other), repeated while the two floors disagree: see FloorBracket.
  RunOutcome run_bracketed() {
    FloorBracket bracket;
    RunOutcome run;
    for (bracket.attempts = 1;; ++bracket.attempts) {
      const FloorOutcome before = run_floor(c_, region_, true);
      run = run_transport(c_, region_, Transport::kTickshm, WaitStrategy::kSpin, Mode::kLatency, 1);
      const FloorOutcome after = run_floor(c_, region_, true);
      if (!before.ok || !after.ok) {
        all_ok_ = false;
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
    report_.floor_bracket = bracket;
    return run;
  }

  void run_writer_costs() {
    // The kinds of reader in turn, round after round: a shared machine's slow spells then fall on every
    // kind alike instead of on whichever ran during one.
    constexpr CostReaders kKinds[] = {CostReaders::kNone, CostReaders::kSpinning, CostReaders::kSleeping,
                                      CostReaders::kDead, CostReaders::kSleepingMany};
    report_.writer_cost.assign(std::size(kKinds), WriterCostOutcome{});
    for (std::uint32_t round = 0; round < c_.writer_cost_rounds && !interrupted(); ++round) {
      for (std::size_t i = 0; i < std::size(kKinds) && !interrupted(); ++i) {
        progress(std::string("writer cost, reader ") + cost_readers_name(kKinds[i]) + ", round " +
                 std::to_string(round + 1) + " of " + std::to_string(c_.writer_cost_rounds));
        gap();
        add_writer_cost_round(report_.writer_cost[i], run_writer_cost(c_, region_, kKinds[i]));
      }
    }
    for (const auto& wc : report_.writer_cost) all_ok_ &= wc.ok;
    progress("writer cost with N sleeping readers: " + std::to_string(c_.reader_counts.size()) + " counts, " +
             std::to_string(c_.writer_cost_rounds) + " rounds");
    report_.writer_cost_scaling = run_writer_cost_scaling(c_, region_, c_.reader_counts);
    for (const auto& wc : report_.writer_cost_scaling) all_ok_ &= wc.ok;
  }

  const Options& o_;
  const Config& c_;
  Report report_;
  SharedRegion region_;
  bool all_ok_ = true;
};

// Tables on stdout, then --json and --plot; the exit status.
int write_results(const Options& o, const Report& report, bool all_ok) {
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
  if (!o.config.plot_dir.empty()) {
    std::string plot_error;
    for (const auto& file : write_plots(report, o.config.plot_dir, plot_error)) progress("wrote " + file);
    if (!plot_error.empty()) {
      std::fprintf(stderr, "tickshm-bench: --plot: %s\n", plot_error.c_str());
      return kExitFailure;
    }
  }
  return all_ok ? kExitOk : kExitFailure;
}

int run(Options& o) {
  if (!configure(o)) return kExitUsage;
  install_signal_handlers();
  set_realtime(o.realtime);
  Session s(o);
  s.run_floor_first();
  s.run_transports();
  s.run_lossless_search();
  s.run_extras();
  remove_all_segments();
  stop_iceoryx_daemon();
  if (interrupted()) {
    progress("interrupted: children stopped, segments removed");
    return 130;
  }
  return write_results(o, s.report(), s.all_ok());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "tickshm-bench: latency and throughput of the tickshm bus against Unix sockets, pipes, iceoryx, "
      "ZeroMQ and the cache-line floor, one writer and N reader processes",
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
      b.batches = o.bridge_batches;
      b.linger_us = o.bridge_linger_us;
      b.latency_rate = o.bridge_rate;
      b.latency_s = o.bridge_seconds;
      b.throughput_ticks = o.bridge_ticks;
      b.jetstream = !o.bridge_no_jetstream;
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
