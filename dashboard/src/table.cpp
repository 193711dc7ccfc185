// Table and line helpers (see table.hpp).
#include "table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <numeric>

namespace tickshm::dash {

std::vector<bool> fit_columns(const std::vector<Column>& cols, std::size_t width, std::size_t reserve) {
  std::vector<std::size_t> order(cols.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cols[a].priority < cols[b].priority; });
  std::vector<bool> keep(cols.size(), false);
  std::size_t used = reserve;
  for (const auto i : order) {
    const std::size_t need = cols[i].width + (used == 0 ? 0 : 1);
    if (used + need > width) continue;
    used += need;
    keep[i] = true;
  }
  return keep;
}

std::size_t used_width(const std::vector<Column>& cols, const std::vector<bool>& keep) {
  std::size_t w = 0, n = 0;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (keep[i]) {
      w += cols[i].width;
      ++n;
    }
  }
  return w + (n > 0 ? n - 1 : 0);
}

Line table_line(const std::vector<Column>& cols, const std::vector<bool>& keep, std::vector<Cell> cells) {
  Line line;
  bool first = true;
  for (std::size_t i = 0; i < cols.size() && i < cells.size(); ++i) {
    if (!keep[i]) continue;
    if (!first) line.spans.push_back({" ", Role::kNormal, false});
    first = false;
    line.spans.push_back({fit(cells[i].text, cols[i].width, cols[i].right), cells[i].role, cells[i].bold});
  }
  return line;
}

Line heading_line(const std::vector<Column>& cols, const std::vector<bool>& keep, int marked,
                  const char* mark) {
  std::vector<Cell> cells;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    std::string t = cols[i].title;
    if (static_cast<int>(i) == marked) t += mark;
    cells.push_back({t, Role::kHeading, true});
  }
  return table_line(cols, keep, std::move(cells));
}

Line text_line(std::string text, Role role, bool bold) {
  Line l;
  l.spans.push_back({std::move(text), role, bold});
  return l;
}

std::vector<Line> wrap_fields(const std::vector<std::string>& fields, std::size_t width,
                              const std::string& indent, Role role) {
  std::vector<Line> out;
  std::string cur = indent;
  bool empty = true;
  for (const auto& f : fields) {
    const std::size_t need = display_width(f) + (empty ? 0 : 2);
    if (!empty && display_width(cur) + need > width) {
      out.push_back(text_line(cur, role));
      cur = indent;
      empty = true;
    }
    cur += (empty ? "" : "  ") + f;
    empty = false;
  }
  if (!empty) out.push_back(text_line(cur, role));
  return out;
}

std::string clock_time(std::uint64_t unix_ns) {
  if (unix_ns == 0) return "-";
  const auto secs = static_cast<std::time_t>(unix_ns / 1'000'000'000ULL);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:02}:{:02}:{:02}.{:03}", tm.tm_hour, tm.tm_min, tm.tm_sec,
                     unix_ns / 1'000'000ULL % 1000);
}

std::string format_period(std::uint64_t ns) {
  if (ns % 1'000'000'000ULL == 0) return fmt::format("{}s", ns / 1'000'000'000ULL);
  return fmt::format("{:.1f}s", static_cast<double>(ns) / 1e9);
}

Role sign_role(std::int64_t v) {
  return v > 0 ? Role::kUp : (v < 0 ? Role::kDown : Role::kNormal);
}

}  // namespace tickshm::dash
