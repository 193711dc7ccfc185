// The measured runs of tickshm-bench: the tickshm bus per wait strategy, Unix sockets, pipes, the
// cache-line ping-pong floor, an idle blocked reader, and the writer's cost per tick.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness.hpp"
#include "tickshm/control_layout.hpp"
#include "tickshm/histogram.hpp"
#include "tickshm/publisher.hpp"

namespace tickshm::bench {

// The peers carry the same 64-byte ticks: iceoryx 2.0 (spinning subscriber, WaitSet subscriber, a
// publisher that blocks instead of dropping) and ZeroMQ ipc:// PUB/SUB (default high-water mark, which
// drops, and ZMQ_XPUB_NODROP, which blocks).
enum class Transport {
  kTickshm,
  kUnixSocket,
  kPipe,
  kIceoryxSpin,
  kIceoryxWaitSet,
  kIceoryxBlocking,
  kZmq,
  kZmqNoDrop
};
enum class Mode { kLatency, kThroughput };

const char* transport_name(Transport t) noexcept;   // "tickshm", "unix-socket", "pipe", "iceoryx", "zeromq"
const char* mode_name(Mode m) noexcept;             // "latency", "throughput"
std::string run_name(Transport t, WaitStrategy w);  // "tickshm-spin", "unix-socket", "iceoryx-waitset", ...
// Readers that poll without sleeping: N of them on one CPU take turns by the scheduler's time slice.
bool spins(Transport t, WaitStrategy w) noexcept;

struct Config {
  std::vector<std::size_t> reader_counts{1, 2};
  std::uint64_t rate = 100'000;  // latency runs: ticks per second, busy-wait paced
  double duration_s = 1.0;       // latency runs: count = rate * duration unless count is set
  std::uint64_t count = 0;
  double throughput_s = 1.0;   // flat-out runs last this long
  double idle_s = 1.0;         // idle blocked reader run
  double writer_cost_s = 0.5;  // each writer-cost run
  // The writer's cost with N block readers asleep: ticks this far apart, so that every reader falls
  // asleep between two (a flat-out stream keeps block readers napping unannounced: nobody to wake).
  std::uint64_t wake_rate = 1'000;
  WakeMode wake = WakeMode::kFanOut;     // how the bus's writer wakes sleepers (the scaling series runs both)
  std::uint32_t writer_cost_rounds = 3;  // rounds of the four writer-cost runs, interleaved
  CpuPlan cpus;
  std::string prefix = "bench";  // segment names: PREFIX-<pid>-<tag>-<n>
  // 16 MiB: 4-6 ms of a flat-out writer (40-60 M ticks/s). A reader on a shared VM stalls for 1-5 ms
  // several times a second (docs/BENCHMARKS.md); the ring must hold that much, or a reader that keeps
  // up on average is lapped. Rarer, longer stalls still lap it: no ring covers every one.
  std::uint64_t ring_capacity = 1ULL << 18;
  std::uint32_t symbols = 64;
  std::vector<WaitStrategy> waits{WaitStrategy::kSpin, WaitStrategy::kAdaptive, WaitStrategy::kBlock};
  bool baselines = true;  // Unix sockets and pipes
  bool iceoryx = true;    // the iceoryx rows (a RouDi of the bench's own)
  bool zmq = true;        // the ZeroMQ rows
  // Spinning readers (tickshm-spin, iceoryx-spin, iceoryx-blocking) run only at reader counts up to
  // this: more spinners than reader CPUs measure the scheduler's time slice, not the transport.
  std::size_t max_spinners = 2;
  std::vector<std::uint32_t> symbol_counts;  // symbol scaling: feed, dashboard and stat at each count
  std::string plot_dir;                      // --plot: SVG charts written here
  bool latency = true;
  bool throughput = true;
  bool extras = true;         // floor, idle, writer cost
  std::uint64_t spin_ns = 0;  // adaptive readers' spin budget; 0 = the library's default
  bool prefault = false;      // map every ring page in every process before timing
  // Lossless throughput (RFC 2544): trials of a paced writer searching for the highest rate one spin
  // reader takes with nothing lost. 0 = only the flat-out run.
  std::uint32_t lossless_trials = 6;

  std::uint64_t latency_count() const noexcept;
  // A run's wall-clock allowance. With many readers a writer that writes to each (pipes, sockets) or
  // wakes each falls behind its pace, and the run lasts longer than its schedule: more readers, more time.
  std::uint64_t timeout_ns(double seconds, std::size_t readers = 1) const noexcept;
};

struct ReaderFigures {
  std::uint64_t received = 0, lost = 0, mismatches = 0;
  std::uint64_t minor_faults = 0;    // page faults while reading
  LatencySummary latency;            // from the writer's stamp
  LatencySummary latency_corrected;  // from the scheduled send time (LatencyRecorder)
  double rate_per_s = 0;  // throughput runs: received / (last tick received - first tick published)
};

struct RunOutcome {
  std::string name;  // "tickshm-spin", "unix-socket", "pipe"
  Transport transport = Transport::kTickshm;
  WaitStrategy wait = WaitStrategy::kSpin;
  Mode mode = Mode::kLatency;
  std::size_t readers = 1;
  bool ok = false;
  bool skipped = false;  // the transport is not available here: `error` says why
  std::string error;
  std::uint64_t published = 0;
  double writer_seconds = 0;
  double writer_rate_per_s = 0;
  LatencySummary latency;  // all readers merged, from the writer's stamp
  // The same ticks timed from their scheduled send time: corrected for coordinated omission (a writer
  // behind its pace or blocked by its transport stamps late; see LatencyRecorder).
  LatencySummary latency_corrected;
  // The merged histogram at percentiles 0, 50, 75, 90, 99, 99.9, ... up to the largest one the count
  // resolves, then 100: what an HdrHistogram percentile plot draws.
  std::vector<std::pair<double, std::uint64_t>> percentiles;
  double slowest_rate_per_s = 0;
  std::uint64_t lost_total = 0;
  std::uint64_t writer_minor_faults = 0;
  std::vector<ReaderFigures> per_reader;
};

// Throughput as RFC 2544 defines it: the highest offered rate at which nothing is lost. One spin
// reader; the writer publishes bursts of 64 ticks on a schedule of `offered` ticks per second, each
// trial as long as a flat-out run. Found by halving the interval between the best rate that lost
// nothing and the lowest that lost something, starting from the flat-out writer's own rate.
struct LosslessTrial {
  double offered_per_s = 0;  // the schedule asked for
  RunOutcome run;            // what happened: published, writer and delivered rates, lost
};
struct LosslessOutcome {
  bool ok = false;  // every trial ran (a lossy trial is a result, not a failure)
  std::string error;
  bool flat_out_lossless = false;  // the flat-out run lost nothing: its rate is the answer, no search
  double rate_per_s = 0;           // delivered by the best trial that lost nothing (0: none did)
  std::vector<LosslessTrial> trials;
};

struct FloorOutcome {
  bool ok = false;
  std::string error;
  LatencySummary one_way;  // half of each round trip
  // The bare ring: the latency run's pacing and stamps through a ring of 64-byte slots as large as
  // the bus's, each with a sequence word, and no library. Every tick is timed (reader's clock minus
  // writer's stamp), so its tail is what this machine gives any shared-memory ring: the vCPU's
  // absences and the cost of walking the ring's pages included.
  LatencySummary bare_ring;
  std::uint64_t bare_ring_lost = 0;  // ticks overwritten before the reader saw them
  // The reader's CPU, read back to back from its own clock for kGapProbeNs: how much of the time the
  // process was not running (gaps of 1 µs or more: the VM's vCPU taken away, interrupts). A tick that
  // arrives in such a gap waits for its end, whatever carries it.
  double cpu_away_percent = 0;
  std::uint64_t cpu_gaps = 0;
  std::uint64_t cpu_longest_gap_ns = 0;
};
inline constexpr std::uint64_t kGapProbeNs = 500'000'000;

// The floor measured right before and right after the spin reader's latency run. The host moves a
// guest's two vCPUs between its cores from one second to the next, and the floor with them (65-75 ns
// on cores that share a cache, 230-300 ns on cores that do not, minutes or seconds apart): a floor
// measured at another moment than the run it divides is not that run's floor. When the two disagree
// by more than kFloorAgreement, the floor, the run and the floor again are repeated, at most
// kFloorAttempts times; the ratio divides by the mean of the last pair.
struct FloorBracket {
  std::uint64_t before_p50_ns = 0;
  std::uint64_t after_p50_ns = 0;
  std::uint32_t attempts = 0;
  bool agreed = false;  // max / min of the two <= kFloorAgreement
  std::uint64_t floor_p50_ns() const { return (before_p50_ns + after_p50_ns) / 2; }
};
inline constexpr double kFloorAgreement = 1.5;
inline constexpr std::uint32_t kFloorAttempts = 3;
bool floors_agree(std::uint64_t a_ns, std::uint64_t b_ns);
inline constexpr std::uint64_t kGapNs = 1'000;

struct IdleOutcome {
  bool ok = false;
  std::string error;
  double seconds = 0;
  double block_cpu_percent = 0;     // a `block` reader with nothing to read
  double adaptive_cpu_percent = 0;  // an `adaptive` reader with nothing to read
};

// kSleepingMany: kManySleepers `block` readers, for what waking many costs the writer.
enum class CostReaders { kNone, kSpinning, kSleeping, kDead, kSleepingMany };
inline constexpr std::size_t kManySleepers = 16;
const char* cost_readers_name(
    CostReaders r) noexcept;  // "none", "spinning", "sleeping", "dead", "sleeping16"

struct WriterCostOutcome {
  CostReaders readers = CostReaders::kNone;
  std::size_t count = 1;  // readers of that kind (none: 0)
  bool ok = false;
  std::string error;
  std::uint64_t published = 0;
  // publish + wake_sleepers per tick (median of the rounds): flat out, or, in the scaling series, paced
  // at wake_rate with the readers asleep between ticks
  double ns_per_tick = 0;
  std::vector<double> round_ns;  // each round's figure, in the order run
  std::uint64_t reader_lost = 0, reader_received = 0;
  // The scaling series only: how the writer woke them, how many were asleep at a tick on average, and
  // the readers' latency (each the median of the rounds).
  WakeMode wake = WakeMode::kFanOut;
  double asleep_per_tick = 0;
  std::uint64_t reader_p50_ns = 0, reader_p99_ns = 0;
  std::vector<double> round_asleep, round_p50, round_p99;
};
const char* wake_mode_name(WakeMode m) noexcept;  // "fan-out", "wake-all"

// Folds one round's run into the outcome for its kind of reader; the figure becomes the median of the
// rounds so far. A failed round fails the outcome.
void add_writer_cost_round(WriterCostOutcome& acc, const WriterCostOutcome& round);

struct FeedOutcome {
  bool ran = false;
  bool ok = false;
  std::string error;
  std::string binary;
  std::uint64_t count = 0;
  double rate_per_s = 0;          // the median of the runs' rates, as the feed printed them
  std::vector<double> run_rates;  // every run's rate, in the order run
  std::string summary;            // the last run's last lines, for the report
};

RunOutcome run_transport(const Config& c, SharedRegion& region, Transport t, WaitStrategy w, Mode m,
                         std::size_t readers);
// ping_pong_only: the floor alone (a few tens of milliseconds), without the bare ring and the CPU probe.
FloorOutcome run_floor(const Config& c, SharedRegion& region, bool ping_pong_only = false);
// flat_out: the 1-reader flat-out spin run of this invocation (its writer rate bounds the search).
LosslessOutcome run_lossless(const Config& c, SharedRegion& region, const RunOutcome& flat_out);
// The search itself: `trial` runs one paced trial at the rate it is given. A failed trial ends it.
LosslessOutcome search_lossless(const RunOutcome& flat_out, std::uint32_t trials,
                                const std::function<RunOutcome(double offered_per_s)>& trial);
IdleOutcome run_idle(const Config& c, SharedRegion& region);
// `count` readers of kind r (kSpinning, kSleeping; 1 for the others).
WriterCostOutcome run_writer_cost(const Config& c, SharedRegion& region, CostReaders r,
                                  std::size_t count = 1);
// The scaling series' run: `count` block readers, the writer paced at c.wake_rate for c.writer_cost_s
// and waking them the way `mode` says; its cost per tick in publish + wake, the readers asleep at a
// tick, and the readers' latency.
WriterCostOutcome run_wake_cost(const Config& c, SharedRegion& region, std::size_t count, WakeMode mode);
// Runs BINARY --segment NAME --rate max --count N `runs` times, one after the other, and reads the
// achieved rate from each run's output; the figure is the median (one run on a shared machine can land
// on a noisy second).
// extra: more arguments for the feed (e.g. --num-symbols N).
FeedOutcome run_feed(const Config& c, const std::string& binary, std::uint64_t count, std::uint32_t runs,
                     const std::vector<std::string>& extra = {});

}  // namespace tickshm::bench
