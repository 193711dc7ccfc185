// tickshm-bench --bridge: one run of the bridge pipeline, feed -> bridge out -> nats-server -> bridge in
// -> local reader, all on this machine.
#pragma once

#include <string>

#include "bridge_bench_figures.hpp"
#include "bridge_runs.hpp"

namespace tickshm::bench::bridge_bench {

// A Publisher on its own segment, bridge out and in as processes (from bin), a Subscriber on the bridged
// segment. paced: latency_rate ticks/s for latency_s, else throughput_ticks flat out; out batches up to
// `batch` ticks; server_pid is nats-server's, for the CPU figures. jetstream: both bridges with --jetstream
// (out's publishes acknowledged by the store).
Figures bridge_run(const std::string& bin, const std::string& url, int server_pid,
                   const BridgeBenchOptions& o, std::uint32_t batch, bool paced, const std::string& tag,
                   bool jetstream = false);

}  // namespace tickshm::bench::bridge_bench
