// tickshm-microbench: Google Benchmark figures for the bus's hot paths (microbench_bus.cpp), a
// reference publish with no library (microbench_raw.cpp), and the feed's generators and ITCH replay
// (microbench_feed.cpp).
#include <benchmark/benchmark.h>

#include "harness.hpp"

int main(int argc, char** argv) {
  tickshm::bench::install_signal_handlers();
  // The publisher on the first CPU, peer readers on the next: the same plan as tickshm-bench.
  if (const auto cpus = tickshm::bench::allowed_cpus(); cpus.size() >= 2) tickshm::bench::pin_to_cpu(cpus[0]);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  tickshm::bench::remove_all_segments();
  return 0;
}
