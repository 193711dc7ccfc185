// SVG charts of a tickshm-bench run: see plot.hpp.
#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "svg_chart.hpp"

namespace tickshm::bench {

namespace {

// x of a percentile on an HdrHistogram plot: log10(1 / (1 - q)), so 90 %, 99 %, 99.9 % are evenly
// spaced; 100 % (the maximum) sits half a decade past the last finite one.
double percentile_x(double pct, double last_finite) {
  if (pct >= 100.0) return last_finite + 0.5;
  return std::log10(1.0 / (1.0 - pct / 100.0));
}

std::string latency_chart(const Report& r, std::size_t readers) {
  std::vector<Series> series;
  double ymin = 1e300, ymax = 0, xmax = 1;
  for (const auto& o : r.runs) {
    if (!o.ok || o.mode != Mode::kLatency || o.readers != readers || o.percentiles.empty()) continue;
    Series s{o.name, {}};
    double last = 0;
    for (const auto& [pct, ns] : o.percentiles) {
      if (pct < 100.0) last = percentile_x(pct, 0);
      const double y = std::log10(static_cast<double>(std::max<std::uint64_t>(ns, 1)));
      s.points.emplace_back(percentile_x(pct, last), y);
      ymin = std::min(ymin, y);
      ymax = std::max(ymax, y);
      xmax = std::max(xmax, s.points.back().first);
    }
    series.push_back(std::move(s));
  }
  if (series.empty()) return {};
  Axis x;
  x.label = "percentile (the last point of each curve is its maximum)";
  x.lo = 0;
  x.hi = std::ceil(xmax);
  const char* names[] = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%", "99.99999%"};
  for (int d = 0; d <= static_cast<int>(x.hi) && d < static_cast<int>(std::size(names)); ++d)
    x.ticks.emplace_back(d, names[d]);
  Svg svg("one-way latency percentiles, " + std::to_string(readers) + " reader" + (readers == 1 ? "" : "s") +
              ", paced at " + std::to_string(r.config.rate) + " ticks/s",
          x, log_axis("latency (log scale)", ymin, ymax, ns_label));
  for (std::size_t i = 0; i < series.size(); ++i) svg.line(series[i], i);
  return svg.finish();
}

std::string throughput_chart(const Report& r, std::size_t readers) {
  std::vector<const RunOutcome*> runs;
  for (const auto& o : r.runs) {
    if (o.ok && o.mode == Mode::kThroughput && o.readers == readers && o.slowest_rate_per_s > 0)
      runs.push_back(&o);
  }
  if (runs.empty()) return {};
  double lo = 1e300, hi = 0;
  for (const auto* o : runs) {
    lo = std::min(lo, std::log10(o->slowest_rate_per_s));
    hi = std::max(hi, std::log10(o->slowest_rate_per_s));
  }
  Axis x;
  x.label = "transport";
  Axis y = log_axis("ticks/s delivered to the slowest reader (log scale)", lo - 0.5, hi + 0.3, rate_label);
  Svg svg("flat-out throughput, " + std::to_string(readers) + " reader" + (readers == 1 ? "" : "s") +
              " (label: ticks lost)",
          x, y);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    svg.bar(runs[i]->name, i, runs.size(), std::log10(runs[i]->slowest_rate_per_s),
            std::to_string(runs[i]->lost_total) + " lost");
  }
  return svg.finish();
}

Axis readers_axis(const std::vector<std::size_t>& counts) {
  Axis x;
  x.label = "readers (log scale)";
  const std::size_t hi = counts.empty() ? 2 : *std::max_element(counts.begin(), counts.end());
  x.lo = 0;
  x.hi = std::max(1.0, std::log2(static_cast<double>(hi)));
  for (std::size_t n = 1; n <= hi; n *= 2)
    x.ticks.emplace_back(std::log2(static_cast<double>(n)), std::to_string(n));
  return x;
}

std::string scaling_p99_chart(const Report& r) {
  std::map<std::string, Series> by_name;
  std::vector<std::string> order;
  std::vector<std::size_t> counts;
  double ymin = 1e300, ymax = 0;
  for (const auto& o : r.runs) {
    if (!o.ok || o.mode != Mode::kLatency || o.latency.count == 0) continue;
    if (!by_name.count(o.name)) order.push_back(o.name);
    Series& s = by_name[o.name];
    s.name = o.name;
    const double y = std::log10(static_cast<double>(std::max<std::uint64_t>(o.latency.p99_ns, 1)));
    s.points.emplace_back(std::log2(static_cast<double>(o.readers)), y);
    counts.push_back(o.readers);
    ymin = std::min(ymin, y);
    ymax = std::max(ymax, y);
  }
  if (std::set<std::size_t>(counts.begin(), counts.end()).size() < 2) return {};
  Svg svg("p99 latency against the number of readers, paced at " + std::to_string(r.config.rate) + " ticks/s",
          readers_axis(counts), log_axis("p99 (log scale)", ymin, ymax, ns_label));
  for (std::size_t i = 0; i < order.size(); ++i) svg.line(by_name[order[i]], i);
  return svg.finish();
}

std::string writer_cost_chart(const Report& r) {
  std::vector<Series> series;
  std::vector<std::size_t> counts;
  double ymax = 0;
  for (const WakeMode mode : {WakeMode::kFanOut, WakeMode::kAll}) {
    Series s{std::string("tickshm-block ") + wake_mode_name(mode), {}};
    for (const auto& wc : r.writer_cost_scaling) {
      if (!wc.ok || wc.wake != mode) continue;
      s.points.emplace_back(std::log2(static_cast<double>(wc.count)), wc.ns_per_tick);
      counts.push_back(wc.count);
      ymax = std::max(ymax, wc.ns_per_tick);
    }
    if (s.points.size() >= 2) series.push_back(std::move(s));
  }
  if (series.empty() || ymax <= 0) return {};
  Axis y;
  y.label = "writer ns per tick, publish + wake";
  y.lo = 0;
  const double step = std::max(1.0, std::pow(10.0, std::floor(std::log10(ymax))) / 2);
  y.hi = std::ceil(ymax * 1.1 / step) * step;
  for (double v = 0; v <= y.hi + 1e-9; v += step) y.ticks.emplace_back(v, svg_num(v));
  Svg svg("writer's cost per tick with N block readers asleep (paced at " +
              std::to_string(r.config.wake_rate) + " ticks/s)",
          readers_axis(counts), y);
  for (std::size_t i = 0; i < series.size(); ++i) svg.line(series[i], i);
  return svg.finish();
}

}  // namespace

std::vector<std::string> write_plots(const Report& r, const std::string& dir, std::string& error) {
  std::vector<std::string> written;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    error = "cannot create " + dir + ": " + ec.message();
    return written;
  }
  std::size_t most = 1;
  for (const auto& o : r.runs) most = std::max(most, o.readers);
  std::vector<std::pair<std::string, std::string>> charts{
      {"latency-percentiles-1.svg", latency_chart(r, 1)},
      {"throughput-1.svg", throughput_chart(r, 1)},
      {"scaling-p99.svg", scaling_p99_chart(r)},
      {"scaling-writer-cost.svg", writer_cost_chart(r)},
  };
  if (most > 1)
    charts.emplace_back("latency-percentiles-" + std::to_string(most) + ".svg", latency_chart(r, most));
  for (const auto& [name, text] : charts) {
    if (text.empty()) continue;  // the run measured nothing this chart shows
    const std::string path = (std::filesystem::path(dir) / name).string();
    std::ofstream f(path);
    f << text;
    if (!f) {
      error = "cannot write " + path;
      return written;
    }
    written.push_back(path);
  }
  return written;
}

}  // namespace tickshm::bench