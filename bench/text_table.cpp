// Plain-text tables of tickshm-bench: see text_table.hpp.
#include "text_table.hpp"

#include <fmt/format.h>

namespace tickshm::bench {

std::string TextTable::line(const std::vector<std::string>& cells) const {
  std::string out = " ";
  for (std::size_t i = 0; i < cells.size() && i < columns_.size(); ++i) {
    const Column& c = columns_[i];
    out += c.left ? fmt::format(" {:<{}}", cells[i], c.width) : fmt::format(" {:>{}}", cells[i], c.width);
  }
  return out;
}

std::string TextTable::render() const {
  std::vector<std::string> headers;
  for (const Column& c : columns_) headers.push_back(c.header);
  std::string out = line(headers) + "\n";
  for (const Row& r : rows_) out += line(r.cells) + (r.note.empty() ? "" : " " + r.note) + "\n";
  return out;
}

std::string fmt_ns(std::uint64_t ns) {
  if (ns < 10'000) return fmt::format("{} ns", ns);
  if (ns < 10'000'000) return fmt::format("{:.1f} us", static_cast<double>(ns) / 1e3);
  return fmt::format("{:.1f} ms", static_cast<double>(ns) / 1e6);
}

std::string fmt_rate(double r) {
  if (r >= 1e6) return fmt::format("{:.2f} M/s", r / 1e6);
  return fmt::format("{:.0f} k/s", r / 1e3);
}

}  // namespace tickshm::bench
