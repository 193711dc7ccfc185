// tickshm-bench's command line: see bench_options.hpp.
#include "bench_options.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "tickshm/cli_checks.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/trust_cli.hpp"

namespace tickshm::bench {

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
         "--wake-rate", o.config.wake_rate,
         "Writer cost with N block readers asleep (the --readers series, fan-out and wake-all): ticks "
         "per second, slow enough for every reader to fall asleep between two")
      ->check(checks::range(std::uint64_t{1}, std::uint64_t{1'000'000}))
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
  app.add_option("--bridge-batch", o.bridge_batches,
                 "--bridge: out's batch sizes in ticks, each run flat out and paced (e.g. 64,256,1024)")
      ->delimiter(',')
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option("--bridge-linger", o.bridge_linger_us, "--bridge: out's --linger, microseconds")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  app.add_option("--bridge-rate", o.bridge_rate, "--bridge: ticks/s of the paced (latency) runs")
      ->check(CLI::Range(1'000, 10'000'000))
      ->capture_default_str();
  app.add_option("--bridge-seconds", o.bridge_seconds, "--bridge: seconds of each paced run")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_option("--bridge-ticks", o.bridge_ticks, "--bridge: ticks of each flat-out run")
      ->check(CLI::Range(1'000, 1'000'000'000))
      ->capture_default_str();
  app.add_flag("--bridge-no-jetstream", o.bridge_no_jetstream, "--bridge: skip the two JetStream runs");
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

}  // namespace tickshm::bench
