// A line chart in text: values over time in Unicode braille (two points per cell across, four dots
// down) or ASCII, with the value scale on the left and a time axis underneath. Pure: lines of text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "frame.hpp"

namespace tickshm::dash {

struct ChartOptions {
  std::size_t width = 80;  // cells, labels included
  std::size_t height = 8;  // rows of plot (the time axis is one more)
  bool unicode = true;
  std::uint64_t period_ns = 500'000'000ULL;  // time between two points
  std::int64_t min_range = 0;  // the plot's height stands for at least this much (a flat line stays flat)
  bool zero_line = false;      // include 0 in the range (P&L): above and below zero read at a glance
  std::string (*label)(std::int64_t) = nullptr;  // formats a scale value; nullptr: the integer
  Role role = Role::kSpark;
};

// The newest points that fit (oldest first in `values`); `height + 1` lines. No points: a note.
std::vector<Line> line_chart(std::span<const std::int64_t> values, const ChartOptions& opt);

// "-2m00s" style: a time ago for the axis.
std::string ago(std::uint64_t ns);

}  // namespace tickshm::dash
