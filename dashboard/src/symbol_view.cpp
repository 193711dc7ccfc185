// The symbol view (Enter on a market row): top of book with sizes, the day's figures, a price chart
// with a time axis, and the tape of its newest trades and quotes.
#include <algorithm>

#include <fmt/format.h>
#include <cstdio>
#include <ctime>

#include "chart.hpp"
#include "frame.hpp"
#include "table.hpp"

namespace tickshm::dash {
namespace {

std::string price_label(std::int64_t v) {
  return format_price(v);
}

}  // namespace

void add_symbol_view(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
                     std::size_t rows) {
  const auto it = std::find_if(s.symbols.begin(), s.symbols.end(),
                               [&](const SymbolRow& r) { return r.symbol == v.detail; });
  if (it == s.symbols.end()) {
    fr.lines.push_back(text_line("Symbol " + v.detail + ": not in the feed (now)", Role::kTitle, true));
    fr.lines.push_back(text_line("  Esc goes back to the market table", Role::kDim));
    return;
  }
  const SymbolRow& r = *it;
  const Role dir = sign_role(r.change());
  Line title;
  title.spans.push_back({"Symbol " + r.symbol + "  ", Role::kTitle, true});
  title.spans.push_back({"last " + format_price(r.price()) + " ", dir, true});
  if (r.has_price() && r.reference != 0)
    title.spans.push_back({format_change(r.change()) + " " + format_pct(r.change_pct()), dir, false});
  title.spans.push_back({"  reference " + format_price(r.reference), Role::kDim, false});
  fr.lines.push_back(std::move(title));

  Line book;
  book.spans.push_back({"  bid ", Role::kDim, false});
  book.spans.push_back({fmt::format("{} x {}", format_price(r.bid), r.bid_size), Role::kUp, true});
  book.spans.push_back({"   ask ", Role::kDim, false});
  book.spans.push_back({fmt::format("{} x {}", format_price(r.ask), r.ask_size), Role::kDown, true});
  book.spans.push_back({"   spread " + (r.spread() != 0 ? format_price(r.spread()) : std::string("-")) +
                            "   mid " + format_price(r.mid()),
                        Role::kNormal, false});
  fr.lines.push_back(std::move(book));
  fr.lines.push_back(
      text_line(fmt::format("  open {}   high {}   low {}   last trade {} x {}", format_price(r.open),
                            format_price(r.high), format_price(r.low), format_price(r.last), r.last_size)));
  fr.lines.push_back(text_line("  volume " + format_count(r.volume) + "   trades " + format_count(r.trades) +
                               "   ticks " + format_count(r.ticks)));

  // The chart takes about half of what is left; the tape gets the rest.
  const std::size_t fixed = fr.lines.size() + 3;  // chart title, tape title, tape heading
  const std::size_t left = rows == 0 ? 30 : (rows > fixed ? rows - fixed : 0);
  const std::size_t chart_h = std::clamp<std::size_t>(left / 2, 3, 20);
  ChartOptions co;
  co.width = opt.width;
  co.height = chart_h;
  co.unicode = opt.unicode;
  co.period_ns = s.spark_period_ns;
  co.min_range = spark_min_range(r.price());
  co.label = price_label;
  const std::size_t points =
      std::min(r.spark.size(), (opt.width > 11 ? opt.width - 11 : 1) * (opt.unicode ? 2 : 1));
  fr.lines.push_back(text_line("Mid price, one point per " + format_period(s.spark_period_ns) + ", last " +
                                   format_duration(points > 0 ? (points - 1) * s.spark_period_ns : 0) +
                                   " (height at least 0.2% of the price)",
                               Role::kTitle, true));
  for (auto& l : line_chart(r.spark, co)) fr.lines.push_back(std::move(l));

  const std::size_t tape_rows =
      rows == 0 ? s.tape.size() : (rows > fr.lines.size() + 2 ? rows - fr.lines.size() - 1 : 0);
  fr.lines.push_back(text_line(fmt::format("Tape: the newest {} ticks of {} in the ring, newest first",
                                           std::min(tape_rows, s.tape.size()), r.symbol),
                               Role::kTitle, true));
  if (tape_rows < 2) return;
  const std::vector<Column> cols = {
      {"EVENT TIME", 12, false, 0}, {"KIND", 5, false, 1}, {"PRICE", 10, true, 2},
      {"SIZE", 6, true, 3},         {"BID", 10, true, 4},  {"ASK", 10, true, 5},
      {"BIDSZ", 6, true, 7},        {"ASKSZ", 6, true, 8}, {"SEQ", 12, true, 9}};
  const auto keep = fit_columns(cols, opt.width, 0);
  fr.lines.push_back(heading_line(cols, keep));
  if (s.tape.empty()) {
    fr.lines.push_back(text_line("  (no tick of this symbol in the ring's newest part)", Role::kDim));
    return;
  }
  for (std::size_t i = 0; i < std::min(tape_rows - 1, s.tape.size()); ++i) {
    const TapeEntry& t = s.tape[i];
    fr.lines.push_back(
        table_line(cols, keep,
                   {{clock_time(t.event_unix_ns), Role::kDim, false},
                    {t.trade ? "trade" : "quote", t.trade ? Role::kWarn : Role::kNormal, t.trade},
                    {t.trade ? format_price(t.price) : "", Role::kNormal, t.trade},
                    {t.trade ? fmt::format("{}", t.size) : "", Role::kNormal, false},
                    {format_price(t.bid), Role::kUp, false},
                    {format_price(t.ask), Role::kDown, false},
                    {fmt::format("{}", t.bid_size), Role::kDim, false},
                    {fmt::format("{}", t.ask_size), Role::kDim, false},
                    {fmt::format("{}", t.seq), Role::kDim, false}}));
  }
}

}  // namespace tickshm::dash
