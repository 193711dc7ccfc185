// tickshm-bench --bridge: the baseline, plain NATS publishing one 64-byte message per tick.
#pragma once

#include <string>

#include "bridge_bench_figures.hpp"
#include "bridge_runs.hpp"

namespace tickshm::bench::bridge_bench {

// One publisher connection, one subscriber connection on url; paced or flat out as bridge_run.
Figures plain_run(const std::string& url, int server_pid, const BridgeBenchOptions& o, bool paced);

}  // namespace tickshm::bench::bridge_bench
