// Drawing values as a text line chart (see chart.hpp).
#include "chart.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "snapshot.hpp"

namespace tickshm::dash {
namespace {

constexpr std::size_t kLabelWidth = 11;  // scale labels plus one space

// Braille dot bits, [column][row from the top] of a 2x4 cell (U+2800 + bits).
constexpr unsigned kDot[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};

std::string braille(unsigned bits) {
  const unsigned cp = 0x2800 + bits;
  std::string s;
  s += static_cast<char>(0xE0 | (cp >> 12));
  s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  s += static_cast<char>(0x80 | (cp & 0x3F));
  return s;
}

std::string label_of(const ChartOptions& opt, std::int64_t v) {
  return opt.label ? opt.label(v) : fmt::format("{}", v);
}

}  // namespace

std::string ago(std::uint64_t ns) {
  return ns == 0 ? "now" : "-" + format_duration(ns);
}

std::vector<Line> line_chart(std::span<const std::int64_t> values, const ChartOptions& opt) {
  std::vector<Line> out;
  const std::size_t plot_w = opt.width > kLabelWidth + 4 ? opt.width - kLabelWidth : 4;
  const std::size_t h = std::max<std::size_t>(opt.height, 2);
  const std::size_t per_cell = opt.unicode ? 2 : 1;
  const std::size_t dots_y = opt.unicode ? 4 * h : h;
  const std::size_t n = std::min(values.size(), plot_w * per_cell);
  if (n == 0) {
    Line l;
    l.spans.push_back({"  (no points yet)", Role::kDim, false});
    out.push_back(std::move(l));
    return out;
  }
  // Values come from another process (an algo's P&L ring): bounded so the range arithmetic cannot overflow.
  constexpr std::int64_t kBound = std::int64_t{1} << 60;
  std::vector<std::int64_t> pts(values.end() - static_cast<std::ptrdiff_t>(n), values.end());
  for (auto& p : pts) p = std::clamp(p, -kBound, kBound);
  auto [lo_it, hi_it] = std::minmax_element(pts.begin(), pts.end());
  std::int64_t lo = *lo_it, hi = *hi_it;
  if (opt.zero_line) {
    lo = std::min<std::int64_t>(lo, 0);
    hi = std::max<std::int64_t>(hi, 0);
  }
  if (hi - lo < std::min(opt.min_range, kBound)) {
    const std::int64_t range = std::min(opt.min_range, kBound);
    lo -= (range - (hi - lo)) / 2;
    hi = lo + range;
  }
  if (hi == lo) hi = lo + 1;
  auto level = [&](std::int64_t v) {
    return static_cast<std::size_t>(spark_level(v, lo, hi, static_cast<int>(dots_y)));
  };

  // The grid of cells: braille bits, or one ASCII character.
  std::vector<unsigned> bits(plot_w * h, 0);
  std::vector<char> ascii(plot_w * h, ' ');
  // Points are right-aligned: the newest sits at the right edge.
  const std::size_t first_dot = plot_w * per_cell - n;
  std::size_t prev = level(pts[0]);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t x = first_dot + i;
    const std::size_t y = level(pts[i]);
    // A vertical run from the previous level joins the points into a line.
    const std::size_t y0 = std::min(prev, y), y1 = std::max(prev, y);
    for (std::size_t yy = (i == 0 ? y : y0); yy <= (i == 0 ? y : y1); ++yy) {
      const std::size_t row_from_top = dots_y - 1 - yy;
      if (opt.unicode) {
        const std::size_t cell = (row_from_top / 4) * plot_w + x / 2;
        bits[cell] |= kDot[x % 2][row_from_top % 4];
      } else {
        ascii[row_from_top * plot_w + x] = yy == y ? '*' : '|';
      }
    }
    prev = y;
  }
  for (std::size_t r = 0; r < h; ++r) {
    Line l;
    std::string lab;
    if (r == 0) lab = label_of(opt, hi);
    if (r == h - 1) lab = label_of(opt, lo);
    if (r == h / 2 && h >= 5) lab = label_of(opt, lo + (hi - lo) / 2);
    l.spans.push_back({fit(lab, kLabelWidth - 2, true) + " \u2502", Role::kDim, false});
    if (!opt.unicode) l.spans.back().text = fit(lab, kLabelWidth - 2, true) + " |";
    std::string row;
    for (std::size_t c = 0; c < plot_w; ++c) {
      if (opt.unicode) {
        const unsigned b = bits[r * plot_w + c];
        row += b == 0 ? std::string(" ") : braille(b);
      } else {
        row += ascii[r * plot_w + c];
      }
    }
    l.spans.push_back({std::move(row), opt.role, false});
    out.push_back(std::move(l));
  }
  // Time axis: the span of the points drawn, in the unit they were taken at.
  const std::uint64_t span = static_cast<std::uint64_t>(n > 0 ? n - 1 : 0) * opt.period_ns;
  std::string axis(kLabelWidth, ' ');
  const std::string left = ago(span), mid = ago(span / 2), right = "now";
  std::string plot(plot_w, ' ');
  const std::size_t start_cell = first_dot / per_cell;
  auto put = [&](std::size_t at, const std::string& t) {
    for (std::size_t k = 0; k < t.size() && at + k < plot.size(); ++k) plot[at + k] = t[k];
  };
  put(start_cell, left);
  const std::size_t mid_at = start_cell + (plot_w - start_cell) / 2;
  if (mid_at > start_cell + left.size() + 1 && mid_at + mid.size() + 1 < plot_w - right.size())
    put(mid_at, mid);
  if (plot_w >= right.size()) put(plot_w - right.size(), right);
  Line l;
  l.spans.push_back({axis + plot, Role::kDim, false});
  out.push_back(std::move(l));
  return out;
}

}  // namespace tickshm::dash
