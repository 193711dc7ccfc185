// The dashboard's layout: header, market table, readers and algos panels, footer, help; pure text.
#include "frame.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

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
constexpr std::size_t kMinSpark = 6, kMaxSpark = 24;

// Lines a panel needs: title + heading + one per row, or a single "none" line.
std::size_t panel_lines(std::size_t rows) {
  return rows == 0 ? 1 : 2 + rows;
}

struct Column {
  const char* title;
  std::size_t width;
  bool right;
  int priority;  // lower is kept longer when the terminal is narrow
};

// Which columns fit in `width` (one space between columns), keeping the lowest priorities first.
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

// Builds one table line from cells; cells of dropped columns are skipped.
struct Cell {
  std::string text;
  Role role = Role::kNormal;
  bool bold = false;
};

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

Line heading_line(const std::vector<Column>& cols, const std::vector<bool>& keep, int marked = -1,
                  const char* mark = "") {
  std::vector<Cell> cells;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    std::string t = cols[i].title;
    if (static_cast<int>(i) == marked) t += mark;
    cells.push_back({t, Role::kHeading, true});
  }
  return table_line(cols, keep, std::move(cells));
}

Line text_line(std::string text, Role role = Role::kNormal, bool bold = false) {
  Line l;
  l.spans.push_back({std::move(text), role, bold});
  return l;
}

Role state_role(FeedState s) {
  switch (s) {
    case FeedState::kLive:
      return Role::kGood;
    case FeedState::kStale:
    case FeedState::kWaiting:
      return Role::kWarn;
    case FeedState::kDead:
    case FeedState::kClosed:
      return Role::kBad;
  }
  return Role::kNormal;
}

Role sign_role(std::int64_t v) {
  return v > 0 ? Role::kUp : (v < 0 ? Role::kDown : Role::kNormal);
}

std::string hex_epoch(std::uint64_t e) {
  return format_hex64(e);
}

Line header_line(const Snapshot& s, const ViewState& v) {
  const FeedInfo& f = s.feed;
  Line l;
  l.spans.push_back({"tickshm-dash ", Role::kTitle, true});
  l.spans.push_back({"feed " + f.name + " ", Role::kNormal, false});
  l.spans.push_back({std::string("[") + feed_state_name(f.state) + "]", state_role(f.state), true});
  // Right after the state, so a narrow terminal never cuts it off.
  if (v.paused) l.spans.push_back({" PAUSED", Role::kWarn, true});
  if (f.state == FeedState::kWaiting) {
    l.spans.push_back(
        {" " + (f.detail.empty() ? std::string("waiting for the feed") : f.detail), Role::kDim, false});
  } else {
    std::string t = fmt::format("  epoch {}  pid {}  published {}  {} ticks/s  up {}", hex_epoch(f.epoch),
                                f.writer_pid, format_count(f.published), format_rate(f.ticks_per_sec),
                                format_duration(f.uptime_ns));
    l.spans.push_back({std::move(t), Role::kNormal, false});
  }
  for (const BridgeRow& b : s.bridges) {
    const bool in = b.direction == "in";
    std::string t = std::string("  bridge ") + (in ? "in<-" : "out->") + b.remote_feed + " " + format_count(b.ticks) +
                    " ticks lost " + format_count(b.lost) + " (" + format_count(b.gaps) + " gaps)";
    if (in) t += " bad " + format_count(b.rejected) + " lag " + format_ns(b.lag_ns);
    t += " reconn " + format_count(b.reconnects);
    if (!b.connected) t += " OFFLINE";
    const Role role = !b.alive || !b.connected ? Role::kBad : (b.lost != 0 || b.rejected != 0 ? Role::kWarn : Role::kDim);
    l.spans.push_back({std::move(t), role, false});
  }
  return l;
}

std::vector<Column> market_columns(std::size_t symbol_width) {
  return {{"SYMBOL", symbol_width, false, 0},
          {"LAST", 10, true, 1},
          {"CHG", 9, true, 3},
          {"CHG%", 8, true, 2},
          {"BID", 10, true, 4},
          {"ASK", 10, true, 5},
          {"SPREAD", 7, true, 8},
          {"VOLUME", 9, true, 6},
          {"TICKS", 8, true, 9},
          {"TREND", kMinSpark, false, 7}};
}

constexpr std::size_t kTrendColumn = 9;

void add_market(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
                const std::vector<std::size_t>& visible, std::size_t rows) {
  std::size_t symbol_width = 7;  // "SYMBOL" and its sort mark
  for (const auto& r : s.symbols) symbol_width = std::max(symbol_width, display_width(r.symbol));
  symbol_width = std::min<std::size_t>(symbol_width, 15);
  auto cols = market_columns(symbol_width);
  auto keep = fit_columns(cols, opt.width, 0);
  // The sparkline takes what the other columns leave, within bounds.
  if (keep[kTrendColumn]) {
    const std::size_t used = used_width(cols, keep);
    cols[kTrendColumn].width = std::min(kMaxSpark, kMinSpark + (opt.width > used ? opt.width - used : 0));
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
  fr.lines.push_back(heading_line(cols, keep, sort_col, mark));

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
                    {sparkline(r.spark, cols[kTrendColumn].width, opt.unicode), Role::kSpark, false}});
    line.selected = opt.height != 0 && i == v.selected;
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
    fr.lines.push_back(text_line(fmt::format("Readers: {} ({} alive), hidden: enlarge the terminal", n, alive),
                                 Role::kTitle, true));
    return;
  }
  if (n == 0) {
    fr.lines.push_back(text_line("Readers: none registered", Role::kTitle, true));
    return;
  }
  std::string title = fmt::format("Readers: {}", n);
  if (rows < n) title += fmt::format(" ({} more not shown)", n - rows);
  fr.lines.push_back(text_line(std::move(title), Role::kTitle, true));
  const std::vector<Column> cols = {{"NAME", 16, false, 0}, {"PID", 7, true, 1},   {"ROLE", 6, false, 9},
                                    {"WAIT", 8, false, 8},  {"LAG", 8, true, 3},   {"RECEIVED", 9, true, 5},
                                    {"LOST", 8, true, 4},   {"P50", 8, true, 6},   {"P99", 8, true, 7},
                                    {"P99.9", 8, true, 10}, {"STATE", 6, false, 2}};
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
                    {reader_state_name(r.state), st, r.state != ReaderState::kAlive}}));
  }
}

void add_algos(Frame& fr, const Snapshot& s, const FrameOptions& opt, std::size_t rows, bool full) {
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
  const std::vector<Column> cols = {{"NAME", 16, false, 0},      {"STRATEGY", 11, false, 3},
                                    {"POS", 5, true, 8},         {"REALIZED", 12, true, 4},
                                    {"UNREALIZED", 12, true, 5}, {"TOTAL P&L", 12, true, 1},
                                    {"ORDERS", 8, true, 7},      {"FILLS", 8, true, 6},
                                    {"BAD", 6, true, 2},         {"STATUS", 7, false, 2}};
  const auto keep = fit_columns(cols, opt.width, 0);
  fr.lines.push_back(heading_line(cols, keep));
  for (std::size_t i = 0; i < std::min(rows, n); ++i) {
    const AlgoRow& a = s.algos[i];
    Cell status{"ok", Role::kGood, false};
    if (a.halted)
      status = {"HALTED", Role::kBad, true};
    else if (!a.alive)
      status = {"dead", Role::kBad, false};
    fr.lines.push_back(table_line(cols, keep,
                                  {{a.name, Role::kNormal, false},
                                   {a.strategy, Role::kNormal, false},
                                   {fmt::format("{}", a.positions_held), Role::kNormal, false},
                                   {format_money(a.realized), sign_role(a.realized), false},
                                   {format_money(a.unrealized), sign_role(a.unrealized), false},
                                   {format_money(a.total), sign_role(a.total), true},
                                   {format_count(a.orders), Role::kNormal, false},
                                   {format_count(a.fills), Role::kNormal, false},
                                   {format_count(a.bad_ticks), a.bad_ticks > 0 ? Role::kBad : Role::kNormal,
                                    a.bad_ticks > 0},
                                   status}));
  }
}

Line footer_line(const ViewState& v, bool unicode) {
  Line l;
  if (v.editing) {
    l.spans.push_back({"filter by symbol prefix: ", Role::kKey, true});
    l.spans.push_back({v.edit_buffer + "_", Role::kNormal, false});
    l.spans.push_back({"   Enter apply, Esc cancel, empty = all", Role::kDim, false});
    return l;
  }
  const char* move = unicode ? "\u2191\u2193/jk" : "up/dn/jk";
  const std::pair<const char*, const char*> keys[] = {{"q", "quit"},    {move, "move"},  {"s", "sort"},
                                                      {"S", "reverse"}, {"/", "filter"}, {"p", "pause"},
                                                      {"?", "help"}};
  for (const auto& [k, what] : keys) {
    l.spans.push_back({k, Role::kKey, true});
    l.spans.push_back({std::string(" ") + what + "  ", Role::kDim, false});
  }
  if (!v.filter.empty()) l.spans.push_back({"filter: " + v.filter + "*  (Esc clears)", Role::kWarn, false});
  return l;
}

void add_help(Frame& fr) {
  const char* lines[] = {
      "Keys",
      "  q            quit (the terminal is restored)",
      "  Up/Down j/k  move the selection; PgUp/PgDn a page; g/G (Home/End) first/last",
      "  s            sort by the next column: symbol, last, chg, chg%, bid, ask, spread, volume, ticks",
      "  S            reverse the sort order",
      "  /            filter by symbol prefix (case-insensitive); Enter applies, Esc cancels",
      "  Esc          clear the filter",
      "  p (space)    pause: freeze the screen, keep the keys working",
      "  ?            this help; any key closes it",
      "",
      "Feed states",
      "  WAITING  no feed segment under this name yet (or not valid); retried every refresh",
      "  LIVE     the writer runs and its heartbeat is fresh",
      "  STALE    the writer runs but its heartbeat is older than 1 s",
      "  DEAD     the writer process is gone; a new feed's epoch is picked up when it appears",
      "  CLOSED   the writer shut down cleanly",
      "",
      "Colours: green up / red down against the reference price; bold = changed in the last 0.6 s.",
      "CHG and CHG% use the last trade (the mid before any trade) against the symbol's reference price.",
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

  fr.lines.push_back(header_line(snap, v));
  if (v.help) {
    add_help(fr);
  } else {
    add_market(fr, snap, v, opt, visible, lay.market_rows);
    // Panels sit right under the table; rows the table does not fill stay blank at the bottom.
    if (!lay.hide_readers) add_readers(fr, snap, opt, lay.reader_rows, lay.show_readers);
    if (!lay.hide_algos) add_algos(fr, snap, opt, lay.algo_rows, lay.show_algos);
  }
  if (opt.height != 0) {
    const std::size_t body = opt.height > 1 ? opt.height - 1 : 0;
    if (fr.lines.size() > body) fr.lines.resize(body);
    while (fr.lines.size() < body) fr.lines.emplace_back();
    fr.lines.push_back(footer_line(v, opt.unicode));
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
