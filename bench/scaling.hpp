// Scaling runs of tickshm-bench: the writer's cost per tick with N sleeping readers, and the feed, the
// dashboard and tickshm-stat at 20, 1,000 and 65,536 symbols.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios.hpp"

namespace tickshm::bench {

// Two WriterCostOutcomes per reader count, fan-out then wake-all (run_wake_cost: block readers asleep
// between paced ticks), the counts and modes in turn, round after round, so a slow spell of a shared
// machine falls on all alike.
std::vector<WriterCostOutcome> run_writer_cost_scaling(const Config& c, SharedRegion& region,
                                                       const std::vector<std::size_t>& counts);

struct SymbolScale {
  std::uint32_t symbols = 0;
  bool ok = false;
  std::string error;
  FeedOutcome feed;  // tickshm-feed --num-symbols N --rate max: generation + publish
  // With that feed running flat out: tickshm-dash --snapshot sampling every 100 ms (the UI's default
  // refresh) for dash_seconds, its CPU time over its wall time; and tickshm-stat --json, CPU time
  // per invocation (the median of kStatRuns).
  double dash_seconds = 0;
  double dash_cpu_percent = 0;
  double stat_cpu_ms = 0;
  double stat_wall_ms = 0;
};
inline constexpr int kStatRuns = 3;

struct ScaleBinaries {
  std::string feed, dash, stat;  // empty: not found beside the bench
};
ScaleBinaries find_scale_binaries(const std::string& feed);

// dash_s: how long the dashboard samples.
SymbolScale run_symbol_scale(const Config& c, const ScaleBinaries& bins, std::uint32_t symbols,
                             std::uint64_t feed_count, std::uint32_t feed_runs, double dash_s);

}  // namespace tickshm::bench
