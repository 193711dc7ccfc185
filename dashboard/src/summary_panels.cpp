// The readers and algos panels under the market table: full tables, or one summary line each when
// the terminal is too short for them.
#include <fmt/format.h>

#include <algorithm>

#include "frame.hpp"
#include "table.hpp"

namespace tickshm::dash {

void add_readers_panel(Frame& fr, const Snapshot& s, const FrameOptions& opt, std::size_t rows, bool full) {
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

void add_algos_panel(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
                     std::size_t rows, bool full) {
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
         {fmt::format("{}", a.positions_held), Role::kDim, false},
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

}  // namespace tickshm::dash
