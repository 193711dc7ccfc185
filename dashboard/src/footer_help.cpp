// The footer (key hints that fit the width, or the filter being typed) and the help screen.
#include <vector>

#include "frame.hpp"
#include "table.hpp"
#include "tickshm/text.hpp"

namespace tickshm::dash {

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

}  // namespace tickshm::dash
