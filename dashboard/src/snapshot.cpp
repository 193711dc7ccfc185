// The Snapshot's pure logic: changes, classification, sorting, filtering, sparklines and formatting.
#include <cstdint>

#include "snapshot.hpp"

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace tickshm::dash {

namespace {
constexpr std::int64_t kScale = 10'000;  // == tickshm::kPriceScale; the core library stays header-free
}

const char* feed_state_name(FeedState s) noexcept {
  switch (s) {
    case FeedState::kWaiting:
      return "WAITING";
    case FeedState::kLive:
      return "LIVE";
    case FeedState::kStale:
      return "STALE";
    case FeedState::kDead:
      return "DEAD";
    case FeedState::kClosed:
      return "CLOSED";
  }
  return "?";
}

const char* reader_state_name(ReaderState s) noexcept {
  switch (s) {
    case ReaderState::kAlive:
      return "alive";
    case ReaderState::kStale:
      return "stale";
    case ReaderState::kDead:
      return "dead";
  }
  return "?";
}

// The quote board is written by another process and may hold anything (a hostile or corrupt file):
// arithmetic on its values must not overflow, so it goes through 128 bits and saturates.
static std::int64_t saturate(__int128 v) noexcept {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<std::int64_t>(v);
}

std::int64_t abs_sat(std::int64_t v) noexcept {
  return v == INT64_MIN ? INT64_MAX : (v < 0 ? -v : v);
}

std::int64_t add_sat(std::int64_t a, std::int64_t b) noexcept {
  return saturate(static_cast<__int128>(a) + b);
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

FeedState classify_feed(const FeedFacts& f) noexcept {
  if (!f.segment_valid) return FeedState::kWaiting;
  if (f.closed) return FeedState::kClosed;
  if (!f.writer_alive) return FeedState::kDead;
  if (f.heartbeat_age_ns > kFeedStaleNs) return FeedState::kStale;
  return FeedState::kLive;
}

ReaderState classify_reader(bool alive, std::uint64_t heartbeat_ns, std::uint64_t now_ns) noexcept {
  if (!alive) return ReaderState::kDead;
  // A heartbeat from the future (sampled a moment apart) is fresh, not stale.
  if (now_ns > heartbeat_ns && now_ns - heartbeat_ns > kReaderStaleNs) return ReaderState::kStale;
  return ReaderState::kAlive;
}

std::uint64_t reader_lag(std::uint64_t published, std::uint64_t cursor) noexcept {
  return published > cursor ? published - cursor : 0;
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

bool matches_filter(std::string_view symbol, std::string_view text) noexcept {
  if (text.empty()) return true;
  for (std::size_t at = 0; at + text.size() <= symbol.size(); ++at) {
    if (matches_prefix(symbol.substr(at), text)) return true;
  }
  return false;
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
    if (matches_filter(rows[i].symbol, prefix)) out.push_back(i);
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

std::int64_t spark_min_range(std::int64_t price) noexcept {
  return price <= 0 ? 0 : saturate(static_cast<__int128>(price) * kSparkMinRangeBps / 10'000);
}

std::string sparkline(std::span<const std::int64_t> points, std::size_t width, bool unicode,
                      std::int64_t min_range) {
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
  std::int64_t lo = *lo_it, hi = *hi_it;
  if (min_range > 0 && hi - lo < min_range) {
    // Centre the points' own range inside the minimum one.
    const std::int64_t grow = min_range - (hi - lo);
    lo = saturate(static_cast<__int128>(lo) - grow / 2);
    hi = saturate(static_cast<__int128>(lo) + min_range);
  }
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

namespace {
// printf into a std::string; the attribute lets the compiler check every call's format and arguments.
__attribute__((format(printf, 1, 2))) std::string printf_string(const char* fmt, ...) {
  char buf[64];
  va_list ap;
  va_start(ap, fmt);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return std::string(buf, n < 0 ? 0 : std::min(static_cast<std::size_t>(n), sizeof buf - 1));
}

// Magnitude as "1234.56" or "1234.5678" (four decimals only when not whole cents).
std::string decimal(std::uint64_t mag, bool group) {
  const std::uint64_t whole = mag / static_cast<std::uint64_t>(kScale);
  const std::uint64_t frac = mag % static_cast<std::uint64_t>(kScale);
  std::string w = std::to_string(whole);
  if (group) {
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(w.size()) - 3; i > 0; i -= 3) {
      w.insert(static_cast<std::size_t>(i), ",");
    }
  }
  if (frac % 100 == 0) return w + printf_string(".%02" PRIu64, frac / 100);
  return w + printf_string(".%04" PRIu64, frac);
}

std::uint64_t magnitude(std::int64_t v) noexcept {
  return v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
}
}  // namespace

std::string format_price(std::int64_t units) {
  if (units == 0) return "-";
  return (units < 0 ? "-" : "") + decimal(magnitude(units), false);
}

std::string format_change(std::int64_t units) {
  if (units == 0) return "0.00";
  return (units < 0 ? "-" : "+") + decimal(magnitude(units), false);
}

std::string format_pct(double pct) {
  if (pct > -0.005 && pct < 0.005) return "0.00%";
  return printf_string("%+.2f%%", pct);
}

std::string format_money(std::int64_t units) {
  if (units == 0) return "0.00";
  // Money shows whole cents; sub-cent P&L is noise on a dashboard.
  const std::uint64_t mag = magnitude(units);
  const std::uint64_t cents = (mag + 50) / 100;
  return (units < 0 ? "-" : "+") + decimal(cents * 100, true);
}

std::string format_count(std::uint64_t n) {
  if (n < 10'000) return std::to_string(n);
  const auto d = static_cast<double>(n);
  if (n < 1'000'000) return printf_string("%.1fk", d / 1e3);
  if (n < 1'000'000'000) return printf_string("%.2fM", d / 1e6);
  if (n < 1'000'000'000'000ULL) return printf_string("%.2fG", d / 1e9);
  return printf_string("%.2fT", d / 1e12);
}

std::string format_ns(std::uint64_t ns) {
  if (ns == 0) return "-";
  const auto d = static_cast<double>(ns);
  if (ns < 1'000) return std::to_string(ns) + "ns";
  if (ns < 1'000'000) return printf_string("%.1fus", d / 1e3);
  if (ns < 1'000'000'000) return printf_string("%.2fms", d / 1e6);
  return printf_string("%.1fs", d / 1e9);
}

std::string format_duration(std::uint64_t ns) {
  const std::uint64_t s = ns / 1'000'000'000ULL;
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return printf_string("%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
  if (s < 86400)
    return printf_string("%" PRIu64 "h%02" PRIu64 "m%02" PRIu64 "s", s / 3600, s / 60 % 60, s % 60);
  return printf_string("%" PRIu64 "d%02" PRIu64 "h", s / 86400, s / 3600 % 24);
}

std::string format_rate(double per_sec) {
  if (per_sec < 0.5) return "0";
  if (per_sec < 10'000) return printf_string("%.0f", per_sec);
  if (per_sec < 1e6) return printf_string("%.1fk", per_sec / 1e3);
  return printf_string("%.2fM", per_sec / 1e6);
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
