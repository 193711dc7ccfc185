// The readers view (r): each registered reader's latency percentiles on a log scale and its lag over
// time, from the registry's figures (the dashboard itself never registers).
#include <algorithm>

#include <fmt/format.h>
#include <cmath>

#include "frame.hpp"
#include "table.hpp"

namespace tickshm::dash {
namespace {

// The percentiles as marks on a log10 scale from 100 ns to 100 ms: '5' p50, '9' p99, '#' p99.9, 'M' max.
std::string latency_strip(const ReaderRow& r, std::size_t width, bool unicode) {
  std::string cells(width, '.');
  if (unicode) cells.assign(width, ' ');
  auto at = [&](std::uint64_t ns) -> std::size_t {
    const double lo = 2.0, hi = 8.0;  // log10(100 ns), log10(100 ms)
    const double x = (std::log10(static_cast<double>(std::max<std::uint64_t>(ns, 1))) - lo) / (hi - lo);
    return static_cast<std::size_t>(std::clamp(x, 0.0, 1.0) * static_cast<double>(width - 1) + 0.5);
  };
  std::string out;
  std::vector<char> marks(width, unicode ? ' ' : '.');
  // Between p50 and p99.9 the distribution's body: a run of '-'.
  if (r.p50_ns != 0 && r.p999_ns != 0)
    for (std::size_t k = at(r.p50_ns); k <= at(r.p999_ns) && k < width; ++k) marks[k] = '-';
  const std::pair<std::uint64_t, char> pts[] = {
      {r.max_ns, 'M'}, {r.p999_ns, '#'}, {r.p99_ns, '9'}, {r.p50_ns, '5'}};
  for (const auto& [ns, c] : pts)
    if (ns != 0) marks[at(ns)] = c;
  for (const char c : marks) {
    if (unicode && c == ' ')
      out += "\u00b7";
    else
      out += c;
  }
  return out;
}

}  // namespace

void add_readers_view(Frame& fr, const Snapshot& s, const FrameOptions& opt, std::size_t rows) {
  fr.lines.push_back(
      text_line(fmt::format("Readers: {} registered; latency = publish to read, lag = ticks not yet read",
                            s.readers.size()),
                Role::kTitle, true));
  if (s.readers.empty()) {
    fr.lines.push_back(text_line("  (no reader registered)", Role::kDim));
    return;
  }
  // Two lines per reader: the figures, then the latency strip and the lag sparkline.
  std::vector<Column> cols = {{"NAME", 16, false, 0},   {"PID", 7, true, 1},  {"ROLE", 6, false, 8},
                              {"RECEIVED", 9, true, 4}, {"LOST", 8, true, 3}, {"LAG", 8, true, 2},
                              {"P50", 8, true, 5},      {"P99", 8, true, 6},  {"P99.9", 8, true, 7},
                              {"MAX", 8, true, 9}};
  const auto keep = fit_columns(cols, opt.width, 0);
  fr.lines.push_back(heading_line(cols, keep));
  const std::size_t strip_w = std::clamp<std::size_t>(opt.width / 3, 20, 60);
  const std::size_t spark_w =
      opt.width > strip_w + 40 ? std::min<std::size_t>(opt.width - strip_w - 40, 120) : 10;
  fr.lines.push_back(text_line("  latency 100ns" + std::string(strip_w > 12 ? strip_w - 12 : 0, ' ') +
                                   "100ms   lag, " + format_duration(spark_w * s.spark_period_ns) +
                                   " span, own max scale",
                               Role::kDim));
  const std::size_t fit_rows =
      rows == 0 ? s.readers.size() : (rows > fr.lines.size() ? (rows - fr.lines.size()) / 2 : 0);
  for (std::size_t i = 0; i < std::min(fit_rows, s.readers.size()); ++i) {
    const ReaderRow& r = s.readers[i];
    fr.lines.push_back(
        table_line(cols, keep,
                   {{r.name, Role::kNormal, true},
                    {fmt::format("{}", r.pid), Role::kDim, false},
                    {r.role, Role::kNormal, false},
                    {format_count(r.received), Role::kNormal, false},
                    {format_count(r.lost), r.lost > 0 ? Role::kBad : Role::kNormal, r.lost > 0},
                    {format_count(r.lag), r.lag > 0 ? Role::kWarn : Role::kNormal, false},
                    {format_ns(r.p50_ns), Role::kNormal, false},
                    {format_ns(r.p99_ns), Role::kNormal, false},
                    {format_ns(r.p999_ns), Role::kNormal, false},
                    {format_ns(r.max_ns), Role::kNormal, false}}));
    std::vector<std::int64_t> lag;
    // +1: a 0 is "no point" to sparkline. Bounded: the lag comes from a cursor another process wrote.
    for (const auto l : r.lag_history)
      lag.push_back(static_cast<std::int64_t>(std::min<std::uint64_t>(l, 1ULL << 60)) + 1);
    Line l;
    l.spans.push_back({"  " + latency_strip(r, strip_w, opt.unicode) + "   ", Role::kSpark, false});
    std::uint64_t max_lag = 0;
    for (const auto x : r.lag_history) max_lag = std::max(max_lag, x);
    l.spans.push_back({sparkline(lag, spark_w, opt.unicode, 10), Role::kWarn, false});
    l.spans.push_back({" max " + format_count(max_lag), Role::kDim, false});
    fr.lines.push_back(std::move(l));
  }
  if (fit_rows < s.readers.size())
    fr.lines.push_back(
        text_line(fmt::format("  ({} more: enlarge the terminal)", s.readers.size() - fit_rows), Role::kDim));
}

}  // namespace tickshm::dash
