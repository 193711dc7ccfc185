// SVG charts of a tickshm-bench run: see plot.hpp.
#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace tickshm::bench {

namespace {

constexpr double kWidth = 820, kHeight = 440;
constexpr double kLeft = 80, kRight = 190, kTop = 40, kBottom = 60;
constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                                    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"};

std::string esc(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

std::string ns_label(double ns) {
  char b[32];
  if (ns < 1e3) {
    std::snprintf(b, sizeof b, "%g ns", ns);
  } else if (ns < 1e6) {
    std::snprintf(b, sizeof b, "%g us", ns / 1e3);
  } else if (ns < 1e9) {
    std::snprintf(b, sizeof b, "%g ms", ns / 1e6);
  } else {
    std::snprintf(b, sizeof b, "%g s", ns / 1e9);
  }
  return b;
}

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // in axis units (already log10 where the axis is)
};

struct Axis {
  std::string label;
  double lo = 0, hi = 1;
  std::vector<std::pair<double, std::string>> ticks;
};

// Decades from 10^floor(lo) to 10^ceil(hi), in log10 units, labelled by fmt.
template <class Fmt>
Axis log_axis(std::string label, double lo, double hi, Fmt fmt) {
  Axis a;
  a.label = std::move(label);
  a.lo = std::floor(lo);
  a.hi = std::max(std::ceil(hi), a.lo + 1);
  for (double d = a.lo; d <= a.hi + 1e-9; d += 1) a.ticks.emplace_back(d, fmt(std::pow(10.0, d)));
  return a;
}

class Svg {
 public:
  Svg(const std::string& title, const Axis& x, const Axis& y) : x_(x), y_(y) {
    out_ << R"(<?xml version="1.0" encoding="UTF-8"?>)"
         << "\n"
         << R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" << kWidth << R"(" height=")" << kHeight
         << R"(" viewBox="0 0 )" << kWidth << ' ' << kHeight
         << R"(" font-family="sans-serif" font-size="12">)"
         << "\n"
         << R"(<rect width="100%" height="100%" fill="white"/>)"
         << "\n"
         << R"(<text x=")" << kWidth / 2 << R"(" y="22" text-anchor="middle" font-size="15">)" << esc(title)
         << "</text>\n";
    frame();
  }
  double px(double v) const { return kLeft + (v - x_.lo) / (x_.hi - x_.lo) * plot_w(); }
  double py(double v) const { return kTop + plot_h() - (v - y_.lo) / (y_.hi - y_.lo) * plot_h(); }
  static double plot_w() { return kWidth - kLeft - kRight; }
  static double plot_h() { return kHeight - kTop - kBottom; }

  void line(const Series& s, std::size_t index) {
    const char* colour = kColours[index % std::size(kColours)];
    out_ << R"(<g class="series" data-name=")" << esc(s.name) << R"(">)"
         << "\n<polyline fill=\"none\" stroke=\"" << colour << R"(" stroke-width="2" points=")";
    for (const auto& [x, y] : s.points) out_ << num(px(x)) << ',' << num(py(y)) << ' ';
    out_ << "\"/>\n";
    for (const auto& [x, y] : s.points) {
      out_ << R"(<circle r="2.5" fill=")" << colour << R"(" cx=")" << num(px(x)) << R"(" cy=")" << num(py(y))
           << "\"/>\n";
    }
    out_ << "</g>\n";
    legend(s.name, index);
  }

  void bar(const std::string& name, std::size_t index, std::size_t count, double value,
           const std::string& note) {
    const char* colour = kColours[index % std::size(kColours)];
    const double slot = plot_w() / static_cast<double>(count);
    const double x = kLeft + slot * (static_cast<double>(index) + 0.15);
    const double top = py(std::clamp(value, y_.lo, y_.hi));
    out_ << R"(<g class="series" data-name=")" << esc(name) << R"(">)"
         << "\n"
         << R"(<rect fill=")" << colour << R"(" x=")" << num(x) << R"(" y=")" << num(top) << R"(" width=")"
         << num(slot * 0.7) << R"(" height=")" << num(kTop + plot_h() - top) << "\"/>\n"
         << R"(<text text-anchor="middle" font-size="10" x=")" << num(x + slot * 0.35) << R"(" y=")"
         << num(top - 4) << "\">" << esc(note) << "</text>\n</g>\n";
    legend(name, index);
  }

  std::string finish() {
    out_ << "</svg>\n";
    return out_.str();
  }

 private:
  void frame() {
    const double bottom = kTop + plot_h();
    out_ << R"(<g class="axes" stroke="#888" fill="none">)"
         << R"(<rect x=")" << kLeft << R"(" y=")" << kTop << R"(" width=")" << plot_w() << R"(" height=")"
         << plot_h() << "\"/></g>\n";
    for (const auto& [v, text] : x_.ticks) {
      out_ << R"(<line stroke="#ddd" x1=")" << num(px(v)) << R"(" x2=")" << num(px(v)) << R"(" y1=")" << kTop
           << R"(" y2=")" << bottom << "\"/>\n"
           << R"(<text text-anchor="middle" x=")" << num(px(v)) << R"(" y=")" << bottom + 16 << "\">"
           << esc(text) << "</text>\n";
    }
    for (const auto& [v, text] : y_.ticks) {
      out_ << R"(<line stroke="#ddd" x1=")" << kLeft << R"(" x2=")" << kLeft + plot_w() << R"(" y1=")"
           << num(py(v)) << R"(" y2=")" << num(py(v)) << "\"/>\n"
           << R"(<text text-anchor="end" x=")" << kLeft - 6 << R"(" y=")" << num(py(v) + 4) << "\">"
           << esc(text) << "</text>\n";
    }
    out_ << R"(<text text-anchor="middle" x=")" << kLeft + plot_w() / 2 << R"(" y=")" << kHeight - 18 << "\">"
         << esc(x_.label) << "</text>\n"
         << R"svg(<text text-anchor="middle" transform="rotate(-90)" x=")svg" << -(kTop + plot_h() / 2)
         << R"(" y="18">)" << esc(y_.label) << "</text>\n";
  }
  void legend(const std::string& name, std::size_t index) {
    const double y = kTop + 10 + 18 * static_cast<double>(index);
    const double x = kWidth - kRight + 14;
    out_ << R"(<g class="legend"><rect width="12" height="12" fill=")"
         << kColours[index % std::size(kColours)] << R"(" x=")" << x << R"(" y=")" << y - 10
         << R"("/><text x=")" << x + 18 << R"(" y=")" << y << "\">" << esc(name) << "</text></g>\n";
  }

  Axis x_, y_;
  std::ostringstream out_;
};

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
  Axis y = log_axis("ticks/s delivered to the slowest reader (log scale)", lo - 0.5, hi + 0.3, [](double v) {
    char b[32];
    if (v >= 1e6) {
      std::snprintf(b, sizeof b, "%g M/s", v / 1e6);
    } else {
      std::snprintf(b, sizeof b, "%g k/s", v / 1e3);
    }
    return std::string(b);
  });
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
  Series s{"tickshm-block", {}};
  std::vector<std::size_t> counts;
  double ymax = 0;
  for (const auto& wc : r.writer_cost_scaling) {
    if (!wc.ok) continue;
    s.points.emplace_back(std::log2(static_cast<double>(wc.count)), wc.ns_per_tick);
    counts.push_back(wc.count);
    ymax = std::max(ymax, wc.ns_per_tick);
  }
  if (counts.size() < 2) return {};
  Axis y;
  y.label = "writer ns per tick, publish + wake";
  y.lo = 0;
  const double step = std::max(1.0, std::pow(10.0, std::floor(std::log10(ymax))) / 2);
  y.hi = std::ceil(ymax * 1.1 / step) * step;
  for (double v = 0; v <= y.hi + 1e-9; v += step) y.ticks.emplace_back(v, num(v));
  Svg svg("writer's cost per tick with N block readers (flat out)", readers_axis(counts), y);
  svg.line(s, 0);
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
