// tickshm-bench --bridge: end to end feed -> bridge out -> nats-server -> bridge in -> local reader on
// this machine, beside plain NATS publishing one 64-byte message per tick, in the same run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tickshm::bench {

struct BridgeBenchOptions {
  std::uint64_t throughput_ticks = 2'000'000;  // flat-out runs
  std::uint64_t latency_rate = 100'000;        // paced runs, ticks/s
  double latency_s = 2.0;
  std::vector<std::uint32_t> batches{64};  // one flat-out and one paced bridge run per size
  std::uint32_t linger_us = 20;
  bool jetstream = true;  // also the two JetStream runs (at the first batch size)
  std::string json;       // also write the figures here
};

// Runs everything, prints a table; 0 when every run completed, 1 otherwise, 2 without nats-server.
int run_bridge_bench(const BridgeBenchOptions& o);

}  // namespace tickshm::bench
