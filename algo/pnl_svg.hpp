// The run's P&L and position over time as a standalone SVG chart (no dependency: the markup is written
// directly), for tickshm-algo --report-svg.
#pragma once

#include <string>
#include <vector>

#include "tickshm/algo_status_layout.hpp"

namespace tickshm::algo {

struct SvgChartInfo {
  std::string title;  // "sma-cross (fast=10 slow=30) on feed market"
};

// Two panels over a shared time axis (seconds since the first sample): total P&L (money, a zero line)
// above, gross position (shares) below. The P&L polyline's points are in sample order and its last
// point is the last sample; each point also carries its exact value as data-pnl (money units) so a
// test or a script can read the curve back without undoing the scaling.
std::string pnl_svg(const std::vector<PnlSample>& samples, const SvgChartInfo& info);

}  // namespace tickshm::algo
