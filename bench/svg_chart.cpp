// The SVG chart writer of tickshm-bench: see svg_chart.hpp.
#include "svg_chart.hpp"

#include <fmt/format.h>

#include "tickshm/text.hpp"

namespace tickshm::bench {

std::string svg_escape(const std::string& s) {
  return xml_escape(s);
}

std::string svg_num(double v) {
  return fmt::format("{:.1f}", v);
}

std::string ns_label(double ns) {
  if (ns < 1e3) return fmt::format("{:g} ns", ns);
  if (ns < 1e6) return fmt::format("{:g} us", ns / 1e3);
  if (ns < 1e9) return fmt::format("{:g} ms", ns / 1e6);
  return fmt::format("{:g} s", ns / 1e9);
}

std::string rate_label(double v) {
  return v >= 1e6 ? fmt::format("{:g} M/s", v / 1e6) : fmt::format("{:g} k/s", v / 1e3);
}

}  // namespace tickshm::bench
