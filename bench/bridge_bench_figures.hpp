// tickshm-bench --bridge: what one run sends and measures (a row of the table), and the tick it sends.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tickshm/layout.hpp"

namespace tickshm::bench::bridge_bench {

struct Figures {
  std::string name;
  std::string transport;  // "bridge", "bridge JetStream" or "plain NATS"
  bool paced = false;
  std::uint32_t batch = 0, linger_us = 0;  // the bridge's; 0 for plain NATS
  bool ok = false;
  // received + lost + unaccounted == sent: unaccounted is what neither the reader saw nor any side
  // counted lost by the time the reader gave up waiting (a run that did not settle says so).
  std::uint64_t sent = 0, received = 0, lost = 0, unaccounted = 0;
  double seconds = 0, ticks_per_s = 0;
  std::uint64_t p50 = 0, p99 = 0, p999 = 0, max = 0;
  // CPU each process used over the run, per tick sent: what the run's throughput is bounded by when the
  // processes outnumber the CPUs. The bench's own process holds the writer and the reader.
  struct Cpu {
    std::string who;
    double ns_per_tick = 0;
  };
  std::vector<Cpu> cpu;
};

// What of `sent` is neither received nor counted lost.
constexpr std::uint64_t unaccounted_ticks(std::uint64_t sent, std::uint64_t received, std::uint64_t lost) {
  return received + lost >= sent ? 0 : sent - received - lost;
}

// Flat out, the writer keeps at most kWindowTicks sent and not yet read (end to end, as a sender with
// flow control would): the runs measure the rate each path sustains, not a race in which the writer
// laps a slower stage. A window that stays shut for kWindowStallNs (ticks lost on the way) is passed.
inline constexpr std::uint64_t kWindowTicks = 1u << 18;
inline constexpr std::uint64_t kWindowStallNs = 200'000'000;

// Before sending tick s (from 1): waits while the window is full.
void wait_for_window(std::uint64_t s, const std::atomic<std::uint64_t>& received);

// Tick s of a run: a quote on one of 20 symbols.
TickRecord bench_tick(std::uint64_t s);

// The table on stdout, then each flat-out bridge run's throughput over plain NATS's; true when every run
// completed.
bool print_rows(const std::vector<Figures>& all);

// CPU per tick of each process in `pids` (who, pid) from the CPU times `before` taken at the start.
std::vector<Figures::Cpu> cpu_per_tick(const std::vector<std::pair<std::string, int>>& pids,
                                       const std::vector<std::uint64_t>& before, std::uint64_t ticks);
// The CPU times now of every process in pids, in order.
std::vector<std::uint64_t> cpu_now(const std::vector<std::pair<std::string, int>>& pids);

// {"bridge_runs":[...]} to path.
void write_json(const std::vector<Figures>& all, const std::string& path);

}  // namespace tickshm::bench::bridge_bench
