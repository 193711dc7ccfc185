// Process harness of tickshm-bench: a shared result block, forked workers pinned to CPUs, pacing,
// and clean-up (children killed, segments unlinked) on every way out, signals included.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tickshm/clock.hpp"
#include "tickshm/histogram.hpp"

namespace tickshm::bench {

inline constexpr std::size_t kMaxReaders = 64;

// Spin-wait hint: lets the sibling hyper-thread (if any) run and saves power while polling.
inline void cpu_relax() noexcept {
  __builtin_ia32_pause();
}

// One reader's figures, written by that reader process, read by the parent once it has exited.
struct alignas(128) ReaderReport {
  LatencyHistogram hist;            // latency runs: reader's clock - the writer's stamp
  LatencyHistogram hist_corrected;  // latency runs: reader's clock - the tick's scheduled send time
  std::uint64_t received = 0;
  std::uint64_t lost = 0;
  std::uint64_t mismatches = 0;    // ticks whose payload did not match their sequence number
  std::uint64_t first_ns = 0;      // CLOCK_MONOTONIC of the first tick received
  std::uint64_t last_ns = 0;       // CLOCK_MONOTONIC by which the last tick had been received
  std::uint64_t cpu_ns = 0;        // idle run: process CPU time spent while waiting
  std::uint64_t wall_ns = 0;       // idle run: wall time of that wait
  std::uint64_t minor_faults = 0;  // page faults taken while reading (first touch of each ring page)
  // Floor run, the CPU gap probe: time probed, time away in gaps of kGapNs or more, their count, the longest.
  std::uint64_t probe_ns = 0, away_ns = 0, gaps = 0, longest_gap_ns = 0;
  std::int32_t done = 0;
  char error[160] = {};
};

struct alignas(128) WriterReport {
  std::uint64_t start_ns = 0;  // first tick published
  std::uint64_t end_ns = 0;    // last tick published
  std::uint64_t published = 0;
  std::uint64_t minor_faults = 0;  // page faults taken while publishing
  std::uint64_t busy_ns = 0;       // the wake-cost loop: time in publish + wake_sleepers, summed
  std::uint64_t asleep = 0;        // the wake-cost loop: readers asleep at each tick, summed
  std::int32_t done = 0;
  char error[160] = {};
};

// The handshake of one run, shared by the parent, the writer and the readers. Each flag has its own
// lines: readers poll them while the writer stores to its own.
struct RunControl {
  alignas(128) std::atomic<std::uint32_t> writer_ready{0};   // segment created / descriptors ready
  alignas(128) std::atomic<std::uint32_t> readers_ready{0};  // readers attached and waiting
  alignas(128) std::atomic<std::uint32_t> readers_done{0};   // readers finished; the writer may close
  alignas(128) std::atomic<bool> writer_done{false};         // no more ticks; `published` is final
  alignas(128) std::atomic<std::uint64_t> published{0};
  alignas(128) std::atomic<bool> abort{false};  // the parent gave up (timeout, signal): stop now
};
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

// The ping-pong floor's two lines, each alone on 128 bytes so only the intended line moves.
struct PingPongLines {
  alignas(128) std::atomic<std::uint64_t> ping{0};
  alignas(128) std::atomic<std::uint64_t> pong{0};
  alignas(128) std::uint8_t pad[128] = {};
};

struct SharedBlock {
  RunControl control;
  PingPongLines lines;
  WriterReport writer;
  ReaderReport readers[kMaxReaders];
};

// A SharedBlock in anonymous MAP_SHARED memory: forked children see the same bytes, nothing to unlink.
class SharedRegion {
 public:
  SharedRegion();
  ~SharedRegion();
  SharedRegion(const SharedRegion&) = delete;
  SharedRegion& operator=(const SharedRegion&) = delete;
  SharedBlock& block() const noexcept { return *block_; }
  void reset();  // fresh block for the next run

 private:
  SharedBlock* block_ = nullptr;
};

// Writes a NUL-terminated message into a fixed report field.
void set_error(char (&field)[160], const std::string& message) noexcept;

// CPU plan: the writer on cpus[0], readers spread over the others (all on cpus[0] with one CPU).
struct CpuPlan {
  std::vector<int> cpus;  // empty: no pinning
  int writer() const noexcept { return cpus.empty() ? -1 : cpus[0]; }
  int reader(std::size_t i) const noexcept {
    if (cpus.empty()) return -1;
    if (cpus.size() == 1) return cpus[0];
    return cpus[1 + i % (cpus.size() - 1)];
  }
};
std::vector<int> allowed_cpus();  // this process's affinity mask, in order
bool pin_to_cpu(int cpu) noexcept;

// --realtime: workers run SCHED_RR (round robin, so two spinning readers sharing a CPU still take
// turns) above every normal process, so a shared machine's builds cannot preempt a measurement.
// The kernel's RT throttling (sched_rt_runtime_us) still leaves the other processes 5%.
void set_realtime(bool on) noexcept;
bool realtime() noexcept;

// Forked workers of one run. Each child dies with the parent (PR_SET_PDEATHSIG), takes the default
// action on SIGINT/SIGTERM, is pinned, runs fn and _exits with its value. Whatever still runs when
// the Workers object goes away is SIGKILLed and reaped.
class Workers {
 public:
  Workers() = default;
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  pid_t spawn(int cpu, const std::function<int()>& fn);

  // Waits until every child exited or timeout_ns passed or a stop signal arrived. On timeout or
  // signal sets `abort`, gives the children 200 ms to leave, then SIGKILLs them. True if all exited.
  bool wait_all(std::uint64_t timeout_ns, std::atomic<bool>* abort);
  void kill_all() noexcept;
  int exit_code(pid_t pid) const noexcept;  // 0..255, 128+signal, -1 unknown

 private:
  struct Proc {
    pid_t pid;
    int code;
    bool running;
  };
  void reap(bool block) noexcept;
  std::vector<Proc> procs_;
};

// SIGINT/SIGTERM in the parent: the first sets a flag the harness polls (clean stop: children killed,
// segments unlinked); the second kills the children it knows and exits at once.
void install_signal_handlers();
bool interrupted() noexcept;  // a stop signal arrived

// Segment names created by this run, unlinked at exit even if a writer was killed.
std::string unique_segment(const std::string& prefix, const std::string& tag);
void remove_segment(const std::string& name) noexcept;
void remove_all_segments() noexcept;

// Busy-waits until now_ns() >= t (pacing without a system call; sleeping would add wake-up jitter).
inline std::uint64_t spin_until(std::uint64_t t) noexcept {
  std::uint64_t now = now_ns();
  while (now < t) {
    cpu_relax();
    now = now_ns();
  }
  return now;
}

std::uint64_t process_cpu_ns() noexcept;  // CLOCK_PROCESS_CPUTIME_ID
std::uint64_t minor_faults() noexcept;    // getrusage: page faults served without I/O so far

// One read per page maps [base, base + bytes) into this process now, as a first pass over it would
// (a shared mapping is filled in page by page, one fault each): --prefault, and the bare ring.
void touch_pages(const void* base, std::uint64_t bytes) noexcept;

}  // namespace tickshm::bench
