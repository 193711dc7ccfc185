// tickshm-bench --bridge: what one run sends and measures (a row of the table), and the tick it sends.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tickshm/layout.hpp"

namespace tickshm::bench::bridge_bench {

struct Figures {
  std::string name;
  bool ok = false;
  // received + lost + unaccounted == sent: unaccounted is what neither the reader saw nor any side
  // counted lost by the time the reader gave up waiting (a run that did not settle says so).
  std::uint64_t sent = 0, received = 0, lost = 0, unaccounted = 0;
  double seconds = 0, ticks_per_s = 0;
  std::uint64_t p50 = 0, p99 = 0, p999 = 0, max = 0;
};

// What of `sent` is neither received nor counted lost.
constexpr std::uint64_t unaccounted_ticks(std::uint64_t sent, std::uint64_t received, std::uint64_t lost) {
  return received + lost >= sent ? 0 : sent - received - lost;
}

// Tick s of a run: a quote on one of 20 symbols.
TickRecord bench_tick(std::uint64_t s);

// The table on stdout, then the bridge / plain ratio; true when every run completed.
bool print_rows(const std::vector<Figures>& all);

// {"bridge_runs":[...]} to path.
void write_json(const std::vector<Figures>& all, const std::string& path);

}  // namespace tickshm::bench::bridge_bench
