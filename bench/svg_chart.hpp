// A small SVG chart writer for tickshm-bench's --plot: a titled frame with two axes (linear, or log in
// decades), poly-line series, bars, and a legend. Each series' marks sit in <g class="series"
// data-name="NAME">, so a test can count them.
#pragma once

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace tickshm::bench {

inline constexpr double kWidth = 820, kHeight = 440;
inline constexpr double kLeft = 80, kRight = 190, kTop = 40, kBottom = 60;
inline constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                                           "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"};

std::string svg_escape(const std::string& s);
std::string svg_num(double v);         // "12.3": one decimal, for coordinates
std::string ns_label(double ns);       // "500 ns", "2 us", "10 ms", "1 s"
std::string rate_label(double per_s);  // "2 M/s", "500 k/s"

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
  // Chart coordinates are in axis units (log10 units on a log axis).
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
         << R"(<text x=")" << kWidth / 2 << R"(" y="22" text-anchor="middle" font-size="15">)"
         << svg_escape(title) << "</text>\n";
    frame();
  }
  double px(double v) const { return kLeft + (v - x_.lo) / (x_.hi - x_.lo) * plot_w(); }
  double py(double v) const { return kTop + plot_h() - (v - y_.lo) / (y_.hi - y_.lo) * plot_h(); }
  static double plot_w() { return kWidth - kLeft - kRight; }
  static double plot_h() { return kHeight - kTop - kBottom; }

  void line(const Series& s, std::size_t index) {
    const char* colour = kColours[index % std::size(kColours)];
    out_ << R"(<g class="series" data-name=")" << svg_escape(s.name) << R"(">)"
         << "\n<polyline fill=\"none\" stroke=\"" << colour << R"(" stroke-width="2" points=")";
    for (const auto& [x, y] : s.points) out_ << svg_num(px(x)) << ',' << svg_num(py(y)) << ' ';
    out_ << "\"/>\n";
    for (const auto& [x, y] : s.points) {
      out_ << R"(<circle r="2.5" fill=")" << colour << R"(" cx=")" << svg_num(px(x)) << R"(" cy=")"
           << svg_num(py(y)) << "\"/>\n";
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
    out_ << R"(<g class="series" data-name=")" << svg_escape(name) << R"(">)"
         << "\n"
         << R"(<rect fill=")" << colour << R"(" x=")" << svg_num(x) << R"(" y=")" << svg_num(top)
         << R"(" width=")" << svg_num(slot * 0.7) << R"(" height=")" << svg_num(kTop + plot_h() - top)
         << "\"/>\n"
         << R"(<text text-anchor="middle" font-size="10" x=")" << svg_num(x + slot * 0.35) << R"(" y=")"
         << svg_num(top - 4) << "\">" << svg_escape(note) << "</text>\n</g>\n";
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
      out_ << R"(<line stroke="#ddd" x1=")" << svg_num(px(v)) << R"(" x2=")" << svg_num(px(v)) << R"(" y1=")"
           << kTop << R"(" y2=")" << bottom << "\"/>\n"
           << R"(<text text-anchor="middle" x=")" << svg_num(px(v)) << R"(" y=")" << bottom + 16 << "\">"
           << svg_escape(text) << "</text>\n";
    }
    for (const auto& [v, text] : y_.ticks) {
      out_ << R"(<line stroke="#ddd" x1=")" << kLeft << R"(" x2=")" << kLeft + plot_w() << R"(" y1=")"
           << svg_num(py(v)) << R"(" y2=")" << svg_num(py(v)) << "\"/>\n"
           << R"(<text text-anchor="end" x=")" << kLeft - 6 << R"(" y=")" << svg_num(py(v) + 4) << "\">"
           << svg_escape(text) << "</text>\n";
    }
    out_ << R"(<text text-anchor="middle" x=")" << kLeft + plot_w() / 2 << R"(" y=")" << kHeight - 18 << "\">"
         << svg_escape(x_.label) << "</text>\n"
         << R"svg(<text text-anchor="middle" transform="rotate(-90)" x=")svg" << -(kTop + plot_h() / 2)
         << R"(" y="18">)" << svg_escape(y_.label) << "</text>\n";
  }
  void legend(const std::string& name, std::size_t index) {
    const double y = kTop + 10 + 18 * static_cast<double>(index);
    const double x = kWidth - kRight + 14;
    out_ << R"(<g class="legend"><rect width="12" height="12" fill=")"
         << kColours[index % std::size(kColours)] << R"(" x=")" << x << R"(" y=")" << y - 10
         << R"("/><text x=")" << x + 18 << R"(" y=")" << y << "\">" << svg_escape(name) << "</text></g>\n";
  }

  Axis x_, y_;
  std::ostringstream out_;
};

}  // namespace tickshm::bench
