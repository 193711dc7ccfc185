// The main screen's market table: columns that fit the width, the sort mark, the sparkline's span.
#include <fmt/format.h>

#include <algorithm>

#include "frame.hpp"
#include "table.hpp"
#include "tickshm/text.hpp"

namespace tickshm::dash {

namespace {

constexpr std::size_t kMinSpark = 6, kMaxSpark = 24, kMaxWideSpark = 64;
constexpr std::size_t kWideWidth = 160;  // from here on the market table adds open/high/low/trades

// The first kSortColumnCount columns are the SortColumns in order (digit keys 1-9 sort by them).
std::vector<Column> market_columns(std::size_t symbol_width, bool wide) {
  std::vector<Column> cols = {{"SYMBOL", symbol_width, false, 0},
                              {"LAST", 10, true, 1},
                              {"CHG", 9, true, 3},
                              {"CHG%", 8, true, 2},
                              {"BID", 10, true, 4},
                              {"ASK", 10, true, 5},
                              {"SPREAD", 7, true, 8},
                              {"VOLUME", 9, true, 6},
                              {"TICKS", 8, true, 9},
                              {"TREND", kMinSpark + 4, false, 7}};
  if (wide) {
    cols.push_back({"OPEN", 10, true, 10});
    cols.push_back({"HIGH", 10, true, 11});
    cols.push_back({"LOW", 10, true, 12});
    cols.push_back({"TRADES", 8, true, 13});
    cols.push_back({"SIZES", 13, true, 14});
  }
  return cols;
}

constexpr std::size_t kTrendColumn = 9;

// The span a sparkline of `points` points covers, for its heading ("TREND 12s").
std::string span_title(std::size_t points, std::uint64_t period_ns) {
  return fmt::format("TREND {}", format_duration(static_cast<std::uint64_t>(points) * period_ns));
}

}  // namespace

void add_market_panel(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
                      const std::vector<std::size_t>& visible, std::size_t rows) {
  std::size_t symbol_width = 7;  // "SYMBOL" and its sort mark
  for (const auto& r : s.symbols) symbol_width = std::max(symbol_width, display_width(r.symbol));
  symbol_width = std::min<std::size_t>(symbol_width, 15);
  const bool wide = opt.width >= kWideWidth;
  auto cols = market_columns(symbol_width, wide);
  auto keep = fit_columns(cols, opt.width, 0);
  // The sparkline takes what the other columns leave, within bounds.
  if (keep[kTrendColumn]) {
    const std::size_t used = used_width(cols, keep);
    cols[kTrendColumn].width = std::min(wide ? kMaxWideSpark : kMaxSpark,
                                        cols[kTrendColumn].width + (opt.width > used ? opt.width - used : 0));
    cols[kTrendColumn].title = span_title(cols[kTrendColumn].width, s.spark_period_ns);
  }

  std::string title = fmt::format("Market: {} symbols", s.symbols.size());
  if (!v.filter.empty()) title += fmt::format(", {} match '{}'", visible.size(), printable(v.filter));
  title += "  sort " + std::string(sort_column_name(v.sort)) + (v.reverse ? " desc" : " asc");
  if (visible.size() > rows) {
    title += fmt::format("  rows {}-{} of {}", v.top + 1, v.top + rows, visible.size());
  }
  fr.lines.push_back(text_line(std::move(title), Role::kTitle, true));
  const char* mark = v.reverse ? (opt.unicode ? "\u25bc" : "v") : (opt.unicode ? "\u25b2" : "^");
  const int sort_col = v.sort == SortColumn::kSymbol ? 0 : static_cast<int>(v.sort);
  fr.sort_row = fr.lines.size();
  fr.lines.push_back(heading_line(cols, keep, sort_col, mark));
  // Where each sortable heading is on screen, for a mouse click.
  fr.sort_cells.assign(kSortColumnCount, {0, 0});
  std::size_t x = 0;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (!keep[i]) continue;
    if (i < kSortColumnCount) fr.sort_cells[i] = {x, x + cols[i].width};
    x += cols[i].width + 1;
  }

  const std::size_t end = std::min(visible.size(), v.top + rows);
  for (std::size_t i = v.top; i < end; ++i) {
    const SymbolRow& r = s.symbols[visible[i]];
    const Role dir = sign_role(r.change());
    const bool b = r.fresh;
    Line line =
        table_line(cols, keep,
                   {{r.symbol, Role::kNormal, b},
                    {format_price(r.price()), dir, b},
                    {r.has_price() ? format_change(r.change()) : "-", dir, b},
                    {r.has_price() && r.reference != 0 ? format_pct(r.change_pct()) : "-", dir, b},
                    {format_price(r.bid), Role::kNormal, false},
                    {format_price(r.ask), Role::kNormal, false},
                    {r.spread() != 0 ? format_price(r.spread()) : "-", Role::kDim, false},
                    {format_count(r.volume), Role::kNormal, false},
                    {format_count(r.ticks), Role::kDim, false},
                    {sparkline(r.spark, cols[kTrendColumn].width, opt.unicode, spark_min_range(r.price())),
                     Role::kSpark, false},
                    {format_price(r.open), Role::kNormal, false},
                    {format_price(r.high), Role::kUp, false},
                    {format_price(r.low), Role::kDown, false},
                    {format_count(r.trades), Role::kDim, false},
                    {fmt::format("{}x{}", r.bid_size, r.ask_size), Role::kDim, false}});
    line.selected = opt.height != 0 && i == v.selected && v.focus == Focus::kMarket;
    if (i == v.selected) fr.selected_symbol = r.symbol;
    fr.lines.push_back(std::move(line));
  }
  if (visible.empty()) {
    fr.lines.push_back(
        text_line(s.symbols.empty() ? "  (no symbols yet)" : "  (no symbol matches the filter)", Role::kDim));
  }
}

}  // namespace tickshm::dash
