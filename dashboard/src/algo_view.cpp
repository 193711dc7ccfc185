// The algo view (Enter on an algos row): P&L and its curve, risk state (limits and their use, rejects
// by reason, halt), positions per symbol, and the fill log with each order's reason.
#include <algorithm>

#include <fmt/format.h>
#include <cstdio>
#include <ctime>

#include "chart.hpp"
#include "frame.hpp"
#include "table.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/text.hpp"

namespace tickshm::dash {
namespace {

// The algo's reject reasons by their index in AlgoRiskRecord::rejects_by (docs/LAYOUT.md).
constexpr const char* kRejectNames[] = {"", "halted", "max-position", "max-gross-notional",
                                        "max-orders-per-sec"};

std::string money_label(std::int64_t v) {
  return format_money(v);
}

std::string limit(std::int64_t used, std::int64_t max, std::string (*show)(std::int64_t)) {
  if (max <= 0) return show(used) + " (no limit)";
  const double pct = static_cast<double>(used) * 100.0 / static_cast<double>(max);
  return fmt::format("{} of {} ({:.0f}%)", show(used), show(max), pct);
}

std::string shares(std::int64_t v) {
  return fmt::format("{}", v);
}

}  // namespace

void add_algo_view(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
                   std::size_t rows) {
  const auto it =
      std::find_if(s.algos.begin(), s.algos.end(), [&](const AlgoRow& a) { return a.name == v.detail; });
  if (it == s.algos.end()) {
    fr.lines.push_back(text_line("Algo " + v.detail + ": its status segment is gone", Role::kTitle, true));
    fr.lines.push_back(text_line("  Esc goes back to the overview", Role::kDim));
    return;
  }
  const AlgoRow& a = *it;
  const AlgoRiskRecord& rk = a.risk;
  Line title;
  title.spans.push_back({"Algo " + a.name + "  ", Role::kTitle, true});
  title.spans.push_back(
      {fmt::format("{} ({})  pid {}  ", a.strategy, a.params, a.pid), Role::kNormal, false});
  if (a.halted)
    title.spans.push_back({a.halt_cause == 2   ? "HALTED (bad ticks)"
                           : a.halt_cause == 1 ? "HALTED (drawdown)"
                                               : "HALTED",
                           Role::kBad, true});
  else if (!a.alive)
    title.spans.push_back({"dead", Role::kBad, true});
  else if (a.throttled)
    title.spans.push_back({"throttled", Role::kWarn, true});
  else
    title.spans.push_back({"ok", Role::kGood, true});
  fr.lines.push_back(std::move(title));

  auto add = [&](std::vector<Line> lines) {
    for (auto& l : lines) fr.lines.push_back(std::move(l));
  };
  add(wrap_fields({"P&L " + format_money(a.total), "realized " + format_money(a.realized),
                   "unrealized " + format_money(a.unrealized), "commissions " + format_money(a.commissions),
                   "max drawdown " + format_money(a.max_drawdown)},
                  opt.width, "  ", a.total < 0 ? Role::kDown : Role::kUp));
  add(wrap_fields({"ticks " + format_count(a.ticks), "lost " + format_count(a.lost),
                   "orders " + format_count(a.orders), "fills " + format_count(a.fills),
                   "rejects " + format_count(a.rejects), "bad ticks " + format_count(a.bad_ticks),
                   "read p50/p99 " + format_ns(a.read_p50_ns) + "/" + format_ns(a.read_p99_ns)},
                  opt.width, "  "));
  add(wrap_fields({"Risk:", "position " + limit(rk.largest_position, rk.max_position, shares),
                   "orders/s " + limit(static_cast<std::int64_t>(rk.orders_last_sec),
                                       static_cast<std::int64_t>(rk.max_orders_per_sec), shares),
                   "drawdown " + limit(rk.drawdown, rk.max_drawdown, money_label),
                   "gross notional limit " + (rk.max_gross_notional > 0 ? format_money(rk.max_gross_notional)
                                                                        : std::string("none"))},
                  opt.width, ""));
  std::vector<std::string> rej = {"rejects by reason:"};
  for (std::size_t k = 1; k < std::size(kRejectNames); ++k)
    rej.push_back(std::string(kRejectNames[k]) + " " + format_count(rk.rejects_by[k]));
  add(wrap_fields(rej, opt.width, "  ", a.rejects > 0 ? Role::kWarn : Role::kDim));

  // Budget: the chart a quarter (at least 3 rows), positions up to a third of the rest, fills the rest.
  const std::size_t avail = rows == 0 ? 60 : (rows > fr.lines.size() ? rows - fr.lines.size() : 0);
  const std::size_t chart_h = std::clamp<std::size_t>(avail / 4, 3, 16);
  std::vector<std::int64_t> curve;
  curve.reserve(a.pnl.size());
  for (const PnlSample& p : a.pnl) curve.push_back(p.total_pnl);
  const std::uint64_t period = rk.pnl_interval_ns != 0 ? rk.pnl_interval_ns : 500'000'000ULL;
  fr.lines.push_back(
      text_line(fmt::format("Total P&L over time (one point per {}, {} points; the --report-svg curve)",
                            format_period(period), curve.size()),
                Role::kTitle, true));
  ChartOptions co;
  co.width = opt.width;
  co.height = chart_h;
  co.unicode = opt.unicode;
  co.period_ns = period;
  co.zero_line = true;
  co.min_range = 10'000;  // one currency unit: cents of P&L stay a flat line
  co.label = money_label;
  co.role = a.total < 0 ? Role::kDown : Role::kUp;
  for (auto& l : line_chart(curve, co)) fr.lines.push_back(std::move(l));

  const std::size_t after_chart = rows == 0 ? 40 : (rows > fr.lines.size() ? rows - fr.lines.size() : 0);
  // Positions held first (largest first), then the flat books.
  std::vector<const PositionRecord*> pos;
  for (const auto& p : a.positions) pos.push_back(&p);
  std::stable_sort(pos.begin(), pos.end(), [](const PositionRecord* x, const PositionRecord* y) {
    return abs_sat(x->position) > abs_sat(y->position);
  });
  const std::size_t pos_rows =
      rows == 0 ? pos.size() : std::min(pos.size(), after_chart > 6 ? (after_chart - 4) / 3 : 1);
  fr.lines.push_back(
      text_line(fmt::format("Positions: {} held of {} symbols traded, {} shares gross", a.positions_held,
                            pos.size(), format_count(static_cast<std::uint64_t>(a.gross_shares))),
                Role::kTitle, true));
  const std::vector<Column> pcols = {{"SYMBOL", 10, false, 0},    {"SHARES", 8, true, 1},
                                     {"AVG PRICE", 10, true, 2},  {"MARK", 10, true, 4},
                                     {"UNREALIZED", 12, true, 3}, {"REALIZED", 12, true, 5},
                                     {"ORDERS", 7, true, 6},      {"FILLS", 7, true, 7}};
  const auto pkeep = fit_columns(pcols, opt.width, 0);
  if (pos_rows > 0) fr.lines.push_back(heading_line(pcols, pkeep));
  for (std::size_t i = 0; i < pos_rows; ++i) {
    const PositionRecord& p = *pos[i];
    fr.lines.push_back(table_line(pcols, pkeep,
                                  {{printable(algo_text(p.symbol, sizeof p.symbol)), Role::kNormal, false},
                                   {fmt::format("{}", p.position), sign_role(p.position), p.position != 0},
                                   {p.position != 0 ? format_price(p.avg_cost) : "-", Role::kNormal, false},
                                   {format_price(p.mark), Role::kDim, false},
                                   {format_money(p.unrealized), sign_role(p.unrealized), false},
                                   {format_money(p.realized), sign_role(p.realized), false},
                                   {fmt::format("{}", p.orders), Role::kDim, false},
                                   {fmt::format("{}", p.fills), Role::kDim, false}}));
  }

  // Every order is a market order filled at once: the fill log is the order log.
  const std::size_t fill_rows =
      rows == 0 ? a.fills_log.size() : (rows > fr.lines.size() + 2 ? rows - fr.lines.size() - 2 : 0);
  fr.lines.push_back(text_line(
      fmt::format("Orders and fills: the newest {} of {} (market orders, filled at once), newest first",
                  std::min(fill_rows, a.fills_log.size()), a.fills),
      Role::kTitle, true));
  if (fill_rows == 0) return;
  const std::vector<Column> fcols = {{"EVENT TIME", 12, false, 0}, {"SIDE", 4, false, 1},
                                     {"SYMBOL", 8, false, 2},      {"QTY", 6, true, 3},
                                     {"PRICE", 10, true, 4},       {"REASON", 31, false, 5},
                                     {"POS AFTER", 9, true, 7},    {"REALIZED", 11, true, 6},
                                     {"P&L AFTER", 12, true, 8},   {"#", 7, true, 9}};
  const auto fkeep = fit_columns(fcols, opt.width, 0);
  fr.lines.push_back(heading_line(fcols, fkeep));
  for (std::size_t k = 0; k < std::min(fill_rows, a.fills_log.size()); ++k) {
    const FillRecord& f = a.fills_log[a.fills_log.size() - 1 - k];
    const bool buy = f.side > 0;
    fr.lines.push_back(table_line(fcols, fkeep,
                                  {{clock_time(f.time_unix_ns), Role::kDim, false},
                                   {buy ? "BUY" : "SELL", buy ? Role::kUp : Role::kDown, true},
                                   {printable(algo_text(f.symbol, sizeof f.symbol)), Role::kNormal, false},
                                   {fmt::format("{}", f.quantity), Role::kNormal, false},
                                   {format_price(f.price), Role::kNormal, false},
                                   {printable(algo_text(f.reason, sizeof f.reason)), Role::kDim, false},
                                   {fmt::format("{}", f.position_after), sign_role(f.position_after), false},
                                   {format_money(f.realized), sign_role(f.realized), false},
                                   {format_money(f.pnl_after), sign_role(f.pnl_after), false},
                                   {fmt::format("{}", f.fill_id), Role::kDim, false}}));
  }
}

}  // namespace tickshm::dash
