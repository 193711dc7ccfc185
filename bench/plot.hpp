// --plot DIR: SVG charts of a tickshm-bench run, written directly (no plotting program needed):
// latency percentile curves per transport (HdrHistogram style, log scales), flat-out throughput bars,
// and the scaling curves (p99 and the writer's cost against the reader count).
#pragma once

#include <string>
#include <vector>

#include "report.hpp"

namespace tickshm::bench {

// Each chart groups one transport's marks in <g class="series" data-name="NAME">. Returns the files
// written; on failure `error` names the file.
std::vector<std::string> write_plots(const Report& r, const std::string& dir, std::string& error);

}  // namespace tickshm::bench
