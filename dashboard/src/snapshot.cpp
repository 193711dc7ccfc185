// The Snapshot's pure logic: changes, sorting, filtering, sparklines and text cells.
#include <cstdint>

#include "snapshot.hpp"

#include <algorithm>
#include <cctype>

namespace tickshm::dash {

// The quote board is written by another process and may hold anything (a hostile or corrupt file):
// arithmetic on its values must not overflow, so it goes through 128 bits and saturates.
static std::int64_t saturate(__int128 v) noexcept {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<std::int64_t>(v);
}

std::int64_t SymbolRow::mid() const noexcept {
  if (bid > 0 && ask > 0) return saturate((static_cast<__int128>(bid) + ask) / 2);
  return bid > 0 ? bid : ask;
}

std::int64_t SymbolRow::price() const noexcept {
  return last != 0 ? last : mid();
}

std::int64_t SymbolRow::change() const noexcept {
  const std::int64_t p = price();
  return (p == 0 || reference == 0) ? 0 : saturate(static_cast<__int128>(p) - reference);
}

double SymbolRow::change_pct() const noexcept {
  if (reference == 0) return 0;
  return static_cast<double>(change()) * 100.0 / static_cast<double>(reference);
}

std::int64_t SymbolRow::spread() const noexcept {
  return (bid > 0 && ask > 0) ? saturate(static_cast<__int128>(ask) - bid) : 0;
}

const char* sort_column_name(SortColumn c) noexcept {
  switch (c) {
    case SortColumn::kSymbol:
      return "symbol";
    case SortColumn::kLast:
      return "last";
    case SortColumn::kChange:
      return "chg";
    case SortColumn::kChangePct:
      return "chg%";
    case SortColumn::kBid:
      return "bid";
    case SortColumn::kAsk:
      return "ask";
    case SortColumn::kSpread:
      return "spread";
    case SortColumn::kVolume:
      return "volume";
    case SortColumn::kTicks:
      return "ticks";
  }
  return "?";
}

SortColumn next_sort_column(SortColumn c) noexcept {
  const auto i = (static_cast<std::size_t>(c) + 1) % kSortColumnCount;
  return static_cast<SortColumn>(i);
}

bool matches_prefix(std::string_view symbol, std::string_view prefix) noexcept {
  if (prefix.size() > symbol.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const auto a = std::toupper(static_cast<unsigned char>(symbol[i]));
    const auto b = std::toupper(static_cast<unsigned char>(prefix[i]));
    if (a != b) return false;
  }
  return true;
}

namespace {
// -1, 0, +1 comparing two rows by one column; doubles only for change %, which is a ratio.
int compare_by(const SymbolRow& a, const SymbolRow& b, SortColumn c) noexcept {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (c) {
    case SortColumn::kSymbol:
      return 0;
    case SortColumn::kLast:
      return cmp(a.price(), b.price());
    case SortColumn::kChange:
      return cmp(a.change(), b.change());
    case SortColumn::kChangePct:
      return cmp(a.change_pct(), b.change_pct());
    case SortColumn::kBid:
      return cmp(a.bid, b.bid);
    case SortColumn::kAsk:
      return cmp(a.ask, b.ask);
    case SortColumn::kSpread:
      return cmp(a.spread(), b.spread());
    case SortColumn::kVolume:
      return cmp(a.volume, b.volume);
    case SortColumn::kTicks:
      return cmp(a.ticks, b.ticks);
  }
  return 0;
}
}  // namespace

std::vector<std::size_t> visible_rows(std::span<const SymbolRow> rows, SortColumn column, bool reverse,
                                      std::string_view prefix) {
  std::vector<std::size_t> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (matches_prefix(rows[i].symbol, prefix)) out.push_back(i);
  }
  std::sort(out.begin(), out.end(), [&](std::size_t x, std::size_t y) {
    int c = compare_by(rows[x], rows[y], column);
    if (c == 0) c = rows[x].symbol.compare(rows[y].symbol);
    if (c == 0) c = rows[x].index < rows[y].index ? -1 : (rows[x].index > rows[y].index ? 1 : 0);
    return reverse ? c > 0 : c < 0;
  });
  return out;
}

int spark_level(std::int64_t v, std::int64_t lo, std::int64_t hi, int levels) noexcept {
  if (levels <= 1) return 0;
  if (hi <= lo) return (levels - 1) / 2;
  v = std::clamp(v, lo, hi);
  // Rounded to the nearest level; computed in double to avoid overflow of (v-lo)*levels.
  const double frac = static_cast<double>(v - lo) / static_cast<double>(hi - lo);
  const auto level = static_cast<int>(frac * (levels - 1) + 0.5);
  return std::clamp(level, 0, levels - 1);
}

std::string sparkline(std::span<const std::int64_t> points, std::size_t width, bool unicode) {
  static constexpr const char* kBlocks[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                             "\u2585", "\u2586", "\u2587", "\u2588"};
  static constexpr char kAscii[] = "_.-:=+*#";
  std::vector<std::int64_t> pts;
  pts.reserve(points.size());
  for (const auto p : points) {
    if (p != 0) pts.push_back(p);
  }
  if (pts.size() > width) pts.erase(pts.begin(), pts.end() - static_cast<std::ptrdiff_t>(width));
  std::string out(width - pts.size(), ' ');
  if (pts.empty()) return out;
  const auto [lo_it, hi_it] = std::minmax_element(pts.begin(), pts.end());
  const std::int64_t lo = *lo_it, hi = *hi_it;
  for (const auto p : pts) {
    const int l = spark_level(p, lo, hi, 8);
    if (unicode) {
      out += kBlocks[l];
    } else {
      out += kAscii[l];
    }
  }
  return out;
}

std::size_t display_width(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // count lead bytes, skip continuations
  }
  return n;
}

std::string fit(std::string_view s, std::size_t width, bool right_align) {
  const std::size_t w = display_width(s);
  if (w == width) return std::string(s);
  if (w < width) {
    std::string pad(width - w, ' ');
    return right_align ? pad + std::string(s) : std::string(s) + pad;
  }
  // Cut at a code point boundary after `width` cells.
  std::size_t cells = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (cells == width) break;
      ++cells;
    }
  }
  return std::string(s.substr(0, i));
}

}  // namespace tickshm::dash
