// The terminal report's sections after the runs: lossless throughput, idle readers, the writer's cost,
// symbol scaling, the feed, and the TARGETS.md lines.
#pragma once

#include <vector>

#include "report.hpp"

namespace tickshm::bench {

void print_lossless(const Report& r);
void print_idle_and_writer_cost(const Report& r);
void print_symbols_and_feed(const Report& r);
void print_targets(const std::vector<Ratio>& ratios);

}  // namespace tickshm::bench
