// The dashboard's layout: header, market table, readers and algos panels, footer, help; pure text.
#include "frame.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "table.hpp"

#include "tickshm/text.hpp"

namespace tickshm::dash {

std::string Line::text() const {
  std::string s;
  for (const auto& sp : spans) s += sp.text;
  return s;
}

std::string Frame::text() const {
  std::string out;
  for (const auto& l : lines) {
    std::string t = l.text();
    while (!t.empty() && t.back() == ' ') t.pop_back();
    out += t;
    out += '\n';
  }
  return out;
}

namespace {

constexpr std::size_t kMaxReaderRows = 16;  // a full registry (64) must not push the market away
constexpr std::size_t kMaxAlgoRows = 12;
constexpr std::size_t kMinSpark = 6, kMaxSpark = 24, kMaxWideSpark = 64;
constexpr std::size_t kWideWidth = 160;  // from here on the market table adds open/high/low/trades

// Lines a panel needs: title + heading + one per row, or a single "none" line.
std::size_t panel_lines(std::size_t rows) {
  return rows == 0 ? 1 : 2 + rows;
}

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
  return "TREND " + format_duration(static_cast<std::uint64_t>(points) * period_ns);
}

void add_market(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
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
                    {std::to_string(r.bid_size) + "x" + std::to_string(r.ask_size), Role::kDim, false}});
    line.selected = opt.height != 0 && i == v.selected && v.focus == Focus::kMarket;
    if (i == v.selected) fr.selected_symbol = r.symbol;
    fr.lines.push_back(std::move(line));
  }
  if (visible.empty()) {
    fr.lines.push_back(
        text_line(s.symbols.empty() ? "  (no symbols yet)" : "  (no symbol matches the filter)", Role::kDim));
  }
}

void add_readers(Frame& fr, const Snapshot& s, const FrameOptions& opt, std::size_t rows, bool full) {
  const std::size_t n = s.readers.size();
  if (!full) {
    std::size_t alive = 0;
    for (const auto& r : s.readers) alive += r.state == ReaderState::kAlive ? 1 : 0;
    fr.lines.push_back(text_line(
        fmt::format("Readers: {} ({} alive), hidden: enlarge the terminal", n, alive), Role::kTitle, true));
    return;
  }
  if (n == 0) {
    fr.lines.push_back(text_line("Readers: none registered", Role::kTitle, true));
    return;
  }
  std::string title = fmt::format("Readers: {}", n);
  if (rows < n) title += fmt::format(" ({} more not shown)", n - rows);
  fr.lines.push_back(text_line(std::move(title), Role::kTitle, true));
  const std::vector<Column> cols = {{"NAME", 16, false, 0}, {"PID", 7, true, 1},    {"ROLE", 6, false, 9},
                                    {"WAIT", 8, false, 8},  {"LAG", 8, true, 3},    {"RECEIVED", 9, true, 5},
                                    {"LOST", 8, true, 4},   {"P50", 8, true, 6},    {"P99", 8, true, 7},
                                    {"P99.9", 8, true, 10}, {"STATE", 6, false, 2}, {"MAX", 8, true, 11}};
  const auto keep = fit_columns(cols, opt.width, 0);
  fr.lines.push_back(heading_line(cols, keep));
  for (std::size_t i = 0; i < std::min(rows, n); ++i) {
    const ReaderRow& r = s.readers[i];
    const Role st = r.state == ReaderState::kAlive
                        ? Role::kGood
                        : (r.state == ReaderState::kStale ? Role::kWarn : Role::kBad);
    fr.lines.push_back(
        table_line(cols, keep,
                   {{r.name, Role::kNormal, false},
                    {fmt::format("{}", r.pid), Role::kDim, false},
                    {r.role, Role::kNormal, false},
                    {r.wait, Role::kNormal, false},
                    {format_count(r.lag), r.lag > 0 ? Role::kWarn : Role::kNormal, false},
                    {format_count(r.received), Role::kNormal, false},
                    {format_count(r.lost), r.lost > 0 ? Role::kBad : Role::kNormal, r.lost > 0},
                    {format_ns(r.p50_ns), Role::kNormal, false},
                    {format_ns(r.p99_ns), Role::kNormal, false},
                    {format_ns(r.p999_ns), Role::kNormal, false},
                    {reader_state_name(r.state), st, r.state != ReaderState::kAlive},
                    {format_ns(r.max_ns), Role::kDim, false}}));
  }
}

void add_algos(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt, std::size_t rows,
               bool full) {
  const std::size_t n = s.algos.size();
  std::int64_t total = 0;
  std::size_t halted = 0;
  for (const auto& a : s.algos) {
    total += a.total;
    halted += a.halted ? 1 : 0;
  }
  if (!full) {
    std::string t = fmt::format("Algos: {}, total P&L {}", n, format_money(total));
    if (halted > 0) t += fmt::format(", {} HALTED", halted);
    fr.lines.push_back(text_line(t + ", details hidden: enlarge the terminal", Role::kTitle, true));
    return;
  }
  if (n == 0) {
    fr.lines.push_back(text_line("Algos: none running", Role::kTitle, true));
    return;
  }
  std::string title = fmt::format("Algos: {}  total P&L {}", n, format_money(total));
  if (rows < n) title += fmt::format(" ({} more not shown)", n - rows);
  fr.lines.push_back(text_line(std::move(title), Role::kTitle, true));
  // SHARES: gross position (sum of |shares|); SYMS: symbols with a position. The widths let every column
  // up to STATUS fit in 120 columns.
  const std::vector<Column> cols = {{"NAME", 16, false, 0},
                                    {"STRATEGY", 11, false, 3},
                                    {"SHARES", 8, true, 8},
                                    {"SYMS", 4, true, 10},
                                    {"REALIZED", 12, true, 4},
                                    {"UNREALIZED", 11, true, 5},
                                    {"TOTAL P&L", 12, true, 1},
                                    {"ORDERS", 7, true, 7},
                                    {"FILLS", 7, true, 6},
                                    {"REJECTS", 7, true, 9},
                                    // Ticks refused as nonsense or failing --verify: bad data matters.
                                    {"BAD", 5, true, 2},
                                    {"STATUS", 9, false, 2},
                                    // Only a wide terminal has room for these.
                                    {"MAX DD", 12, true, 11},
                                    {"COMMISSION", 11, true, 12},
                                    {"READ P99", 9, true, 13}};
  const auto keep = fit_columns(cols, opt.width, 0);
  fr.lines.push_back(heading_line(cols, keep));
  // The table scrolls to keep the selected algo on screen.
  const std::size_t shown = std::min(rows, n);
  const std::size_t sel = std::min(v.algo_selected, n - 1);
  const std::size_t first = sel >= shown ? sel + 1 - shown : 0;
  fr.selected_algo = s.algos[sel].name;
  for (std::size_t i = first; i < first + shown; ++i) {
    const AlgoRow& a = s.algos[i];
    Cell status{"ok", Role::kGood, false};
    if (a.halted)
      status = {"HALTED", Role::kBad, true};
    else if (!a.alive)
      status = {"dead", Role::kBad, false};
    else if (a.throttled)
      status = {"throttled", Role::kWarn, true};
    Line line = table_line(
        cols, keep,
        {{a.name, Role::kNormal, false},
         {a.strategy, Role::kNormal, false},
         {format_count(static_cast<std::uint64_t>(a.gross_shares)), Role::kNormal, false},
         {std::to_string(a.positions_held), Role::kDim, false},
         {format_money(a.realized), sign_role(a.realized), false},
         {format_money(a.unrealized), sign_role(a.unrealized), false},
         {format_money(a.total), sign_role(a.total), true},
         {format_count(a.orders), Role::kNormal, false},
         {format_count(a.fills), Role::kNormal, false},
         {format_count(a.rejects), a.rejects > 0 ? Role::kWarn : Role::kNormal, false},
         {format_count(a.bad_ticks), a.bad_ticks > 0 ? Role::kBad : Role::kNormal, a.bad_ticks > 0},
         status,
         {format_money(a.max_drawdown), Role::kDim, false},
         {format_money(a.commissions), Role::kDim, false},
         {format_ns(a.read_p99_ns), Role::kDim, false}});
    line.selected = opt.height != 0 && i == sel && v.focus == Focus::kAlgos;
    fr.lines.push_back(std::move(line));
  }
}

Line footer_line(const ViewState& v, bool unicode, std::size_t width) {
  Line l;
  if (v.editing) {
    l.spans.push_back({"filter symbols containing: ", Role::kKey, true});
    l.spans.push_back({v.edit_buffer + "_", Role::kNormal, false});
    l.spans.push_back({"   applies as you type; Enter keeps, Esc cancels", Role::kDim, false});
    return l;
  }
  const char* move = unicode ? "\u2191\u2193/jk" : "up/dn/jk";
  struct Hint {
    const char* key;
    const char* what;
    int priority;  // lower is kept longer on a narrow terminal; a hint is shown whole or not at all
  };
  std::vector<Hint> hints;
  if (v.screen != Screen::kMain) {
    hints = {{"Esc", "back", 0}, {"q", "quit", 1}, {"r", "readers", 3}, {"p", "pause", 4}, {"?", "help", 2}};
  } else {
    hints = {{"q", "quit", 0},           {move, "move", 8},  {"Enter", "details", 2},
             {"Tab", "market/algos", 3}, {"1-9", "sort", 4}, {"/", "filter", 5},
             {"r", "readers", 6},        {"p", "pause", 7},  {"?", "help", 1}};
  }
  std::size_t reserve = v.filter.empty() ? 0 : v.filter.size() + 24;
  std::vector<bool> keep(hints.size(), false);
  std::size_t used = reserve;
  for (int pri = 0; pri <= 8; ++pri) {
    for (std::size_t i = 0; i < hints.size(); ++i) {
      if (hints[i].priority != pri) continue;
      const std::size_t w = display_width(hints[i].key) + 1 + display_width(hints[i].what) + 2;
      if (used + w <= width) {
        used += w;
        keep[i] = true;
      }
    }
  }
  for (std::size_t i = 0; i < hints.size(); ++i) {
    if (!keep[i]) continue;
    l.spans.push_back({hints[i].key, Role::kKey, true});
    l.spans.push_back({std::string(" ") + hints[i].what + "  ", Role::kDim, false});
  }
  if (!v.filter.empty()) l.spans.push_back({"filter: *" + v.filter + "*  (Esc clears)", Role::kWarn, false});
  return l;
}

void add_help(Frame& fr) {
  const char* lines[] = {
      "Keys",
      "  q              quit (the terminal is restored)",
      "  Up/Down j/k    move the selection; PgUp/PgDn a page; g/G (Home/End) first/last",
      "  Tab            move between the market table and the algos table",
      "  Enter          details: a symbol's book, chart and tape; an algo's positions, fills, risk, P&L",
      "  r              readers: latency percentiles and lag over time;  Esc/Backspace: back",
      "  1-9            sort by SYMBOL LAST CHG CHG% BID ASK SPREAD VOLUME TICKS (again: reverse);",
      "                 a click on a heading does the same; s cycles the column, S reverses",
      "  /              filter symbols containing the text, applied as you type; Enter keeps, Esc cancels",
      "  Esc            clear the filter",
      "  p (space)      pause: freeze the screen, keep the keys working;  ?: this help",
      "",
      "Feed states",
      "  WAITING  no feed segment under this name yet (or not valid); retried every refresh",
      "  LIVE     the writer runs and its heartbeat is fresh;  STALE  its heartbeat is older than 1 s",
      "  DEAD     the writer process is gone;  CLOSED  it shut down cleanly",
      "",
      "TREND: mids over the span in its heading; its height stands for at least 0.2% of the price, so a",
      "few cents of noise stay flat. Green up / red down against the reference price; bold = changed.",
      "",
      "Why the algos lose money",
      "  The feed is a random walk: past prices say nothing about the next move, so no signal has an",
      "  edge. Every round trip buys at the ask and sells at the bid, paying the spread (plus slippage",
      "  and commission). Expected P&L = -(spread x shares traded / 2): the more a strategy trades, the",
      "  faster it loses. It can win on a market with trends (momentum, sma-cross) or mean reversion",
      "  (mean-revert), e.g. a CSV replay of real prices, or by luck over a short run.",
  };
  for (const char* t : lines)
    fr.lines.push_back(text_line(t, t[0] == ' ' || t[0] == 0 ? Role::kNormal : Role::kTitle, t[0] != ' '));
}

}  // namespace

Layout plan_layout(std::size_t height, std::size_t symbols, std::size_t readers, std::size_t algos) {
  Layout l;
  if (height == 0) {
    l.market_rows = symbols;
    l.reader_rows = readers;
    l.algo_rows = algos;
    return l;
  }
  const std::size_t body = height > 2 ? height - 2 : 0;  // minus header and footer
  const std::size_t market_min = 2 + std::min(kMinMarketRows, std::max<std::size_t>(symbols, 1));
  std::size_t avail = body > market_min ? body - market_min : 0;

  l.reader_rows = std::min(readers, kMaxReaderRows);
  l.algo_rows = std::min(algos, kMaxAlgoRows);
  const std::size_t want_r = panel_lines(l.reader_rows);
  std::size_t want_a = panel_lines(l.algo_rows);

  // Collapse order: algos shrink, then become one summary line, then vanish; then readers likewise.
  if (want_r + want_a > avail) {
    const std::size_t left = avail > want_r ? avail - want_r : 0;
    if (algos > 0 && left >= 3) {
      l.algo_rows = left - 2;
    } else if (left >= 1) {
      l.show_algos = false;
      l.algo_rows = 0;
    } else {
      l.hide_algos = true;
      l.algo_rows = 0;
    }
    want_a = l.hide_algos ? 0 : (l.show_algos ? panel_lines(l.algo_rows) : 1);
  }
  if (want_r > avail - std::min(avail, want_a)) {
    const std::size_t left = avail - std::min(avail, want_a);
    if (readers > 0 && left >= 3) {
      l.reader_rows = left - 2;
    } else if (left >= 1) {
      l.show_readers = false;
      l.reader_rows = 0;
    } else {
      l.hide_readers = true;
      l.reader_rows = 0;
    }
  }
  const std::size_t used_r = l.hide_readers ? 0 : (l.show_readers ? panel_lines(l.reader_rows) : 1);
  const std::size_t used_a = l.hide_algos ? 0 : (l.show_algos ? panel_lines(l.algo_rows) : 1);
  const std::size_t panels = used_r + used_a;
  l.market_rows = body > panels + 2 ? body - panels - 2 : 0;
  return l;
}

Frame build_frame(const Snapshot& snap, const ViewState& view_in, const FrameOptions& opt) {
  Frame fr;
  ViewState v = view_in;
  const auto visible = visible_rows(snap.symbols, v.sort, v.reverse, v.filter);
  const Layout lay = plan_layout(opt.height, snap.symbols.size(), snap.readers.size(), snap.algos.size());
  fr.visible_count = visible.size();
  fr.market_rows = lay.market_rows;
  fr.readers_collapsed = !lay.show_readers || lay.hide_readers || lay.reader_rows < snap.readers.size();
  fr.algos_collapsed = !lay.show_algos || lay.hide_algos || lay.algo_rows < snap.algos.size();
  if (opt.height == 0) {
    v.top = 0;
  } else {
    clamp_selection(v, visible.size(), lay.market_rows);
  }

  fr.lines.push_back(header_line(snap, v, opt.width));
  fr.algo_count = snap.algos.size();
  const std::size_t body_rows = opt.height > 2 ? opt.height - 2 : 0;  // 0: no limit (--snapshot)
  if (v.help) {
    add_help(fr);
  } else if (v.screen == Screen::kSymbol) {
    add_symbol_view(fr, snap, v, opt, body_rows);
  } else if (v.screen == Screen::kAlgo) {
    add_algo_view(fr, snap, v, opt, body_rows);
  } else if (v.screen == Screen::kReaders) {
    add_readers_view(fr, snap, opt, body_rows);
  } else {
    add_market(fr, snap, v, opt, visible, lay.market_rows);
    // Panels sit right under the table; rows the table does not fill stay blank at the bottom.
    if (!lay.hide_readers) add_readers(fr, snap, opt, lay.reader_rows, lay.show_readers);
    if (!lay.hide_algos) add_algos(fr, snap, v, opt, lay.algo_rows, lay.show_algos);
  }
  if (opt.height != 0) {
    const std::size_t body = opt.height > 1 ? opt.height - 1 : 0;
    if (fr.lines.size() > body) fr.lines.resize(body);
    while (fr.lines.size() < body) fr.lines.emplace_back();
    fr.lines.push_back(footer_line(v, opt.unicode, opt.width));
  }
  // Every line is cut to the width; the terminal draws what it is given.
  for (auto& line : fr.lines) {
    std::size_t w = 0;
    for (auto& sp : line.spans) {
      const std::size_t left = opt.width > w ? opt.width - w : 0;
      if (display_width(sp.text) > left) sp.text = fit(sp.text, left);
      w += display_width(sp.text);
    }
  }
  return fr;
}

}  // namespace tickshm::dash
