// The dashboard's layout: the vertical plan, then the parts (each in its own file) put together and cut
// to the terminal's width; pure text.
#include "frame.hpp"

#include <algorithm>

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

// Lines a panel needs: title + heading + one per row, or a single "none" line.
std::size_t panel_lines(std::size_t rows) {
  return rows == 0 ? 1 : 2 + rows;
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
    add_market_panel(fr, snap, v, opt, visible, lay.market_rows);
    // Panels sit right under the table; rows the table does not fill stay blank at the bottom.
    if (!lay.hide_readers) add_readers_panel(fr, snap, opt, lay.reader_rows, lay.show_readers);
    if (!lay.hide_algos) add_algos_panel(fr, snap, v, opt, lay.algo_rows, lay.show_algos);
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
