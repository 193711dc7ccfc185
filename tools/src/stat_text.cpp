// tickshm-stat's text report: the header lines, then the symbols, readers, algos and bridges tables.
#include "stat_format.hpp"
#include "stat_report.hpp"
#include "tickshm/feed_state.hpp"
#include "tickshm/format.hpp"
#include "tickshm/money.hpp"
#include "tickshm/text.hpp"

namespace tickshm::stat {

std::string trim_lines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::size_t last = end;
    while (last > start && text[last - 1] == ' ') --last;
    out.append(text, start, last - start);
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

std::string format_text(const StatReport& r, std::size_t max_symbols) {
  // Names come from other processes' segments: printable() keeps escape sequences off the terminal.
  std::string o;
  appendf(o, "segment    {} ({})  state {}\n", printable(r.segment), printable(r.path), r.state);
  appendf(o, "epoch      {}  writer pid {} ({})  up {}  heartbeat {} ago\n", format_hex64(r.epoch),
          r.writer_pid, r.writer_alive ? "alive" : "dead", format_duration(r.uptime_ns),
          format_ns(r.heartbeat_age_ns));
  appendf(o, "published  {} ticks  ring {} x 64 B  symbols {}/{}  size {} B  layout v{}{}\n", r.published,
          r.ring_capacity, r.symbol_count, r.symbol_capacity, r.size_bytes, r.layout_version,
          r.verify ? "  verify" : "");

  const std::size_t ns = shown(r.symbols.size(), max_symbols);
  appendf(o, "\nSYMBOLS ({}{})\n", r.symbols.size(), ns < r.symbols.size() ? ", first shown" : "");
  appendf(o, "{:<15} {:>10} {:>10} {:>10} {:>10} {:>8} {:>8} {:>10} {:>9} {:>10} {:>10}\n", "SYMBOL", "REF",
          "LAST", "BID", "ASK", "BIDSZ", "ASKSZ", "VOLUME", "TICKS", "HIGH", "LOW");
  for (std::size_t i = 0; i < ns; ++i) {
    const SymbolStat& s = r.symbols[i];
    const Quote& q = s.quote;
    appendf(o, "{:<15} {:>10} {:>10} {:>10} {:>10} {:>8} {:>8} {:>10} {:>9} {:>10} {:>10}{}\n",
            printable(s.symbol), format_price(s.reference), format_price(q.last), format_price(q.bid),
            format_price(q.ask), q.bid_size, q.ask_size, format_count(q.volume), format_count(q.tick_count),
            format_price(q.high), format_price(q.low), s.whole ? "" : "  (torn: writer busy)");
  }

  appendf(o, "\nREADERS ({}){}\n", r.readers.size(),
          r.registry_present ? "" : "  registry unreadable: " + printable(r.registry_error));
  if (!r.readers.empty()) {
    appendf(o, "{:>4} {:<20} {:>8} {:<6} {:<8} {:<8} {:>12} {:>12} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9}\n",
            "SLOT", "NAME", "PID", "STATE", "ROLE", "WAIT", "CURSOR", "RECEIVED", "LOST", "LAG", "P50", "P99",
            "P99.9", "MAX");
    for (const ReaderStat& rs : r.readers) {
      const ReaderInfo& i = rs.info;
      appendf(o, "{:>4} {:<20} {:>8} {:<6} {:<8} {:<8} {:>12} {:>12} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9}\n",
              i.slot, printable(i.name), i.pid, rs.state, printable(i.role), wait_name(i.wait), i.cursor,
              i.received, i.lost, rs.lag, format_ns(i.p50_ns), format_ns(i.p99_ns), format_ns(i.p999_ns),
              format_ns(i.max_ns));
    }
  }

  appendf(o, "\nALGOS ({})\n", r.algos.size());
  if (!r.algos.empty()) {
    appendf(o, "{:<16} {:<11} {:>8} {:<6} {:>9} {:>9} {:>8} {:>8} {:>5} {:>13} {:>13} {:>13} {}\n", "NAME",
            "STRATEGY", "PID", "STATE", "ORDERS", "FILLS", "REJECTS", "BAD", "POS", "REALIZED", "UNREALIZED",
            "TOTAL P&L", "");
    for (const AlgoStatusSnapshot& a : r.algos) {
      const AlgoTotals& t = a.totals;
      const char* halted = t.halted == 0 ? "" : t.halt_cause == 2 ? "HALTED (bad ticks)" : "HALTED";
      appendf(o, "{:<16} {:<11} {:>8} {:<6} {:>9} {:>9} {:>8} {:>8} {:>5} {:>13} {:>13} {:>13} {}\n",
              printable(a.name), printable(a.strategy), a.pid, a.alive ? "alive" : "dead", t.orders, t.fills,
              t.rejects, t.bad_ticks + t.verify_errors, t.positions_held, format_money(t.realized),
              format_money(t.unrealized), format_money(t.total_pnl), halted);
    }
    for (const AlgoStatusSnapshot& a : r.algos) {
      const AlgoTotals& t = a.totals;
      if (t.bad_ticks + t.verify_errors == 0) continue;
      appendf(o,
              "  {} refused {} tick(s) as nonsense (zero-price {}, crossed {}, wide-spread {}, jump {}, "
              "malformed {}) and {} that failed --verify\n",
              printable(a.name), t.bad_ticks, t.bad_zero_price, t.bad_crossed, t.bad_wide_spread, t.bad_jump,
              t.bad_malformed, t.verify_errors);
    }
  }
  for (const auto& e : r.algo_errors) appendf(o, "algo segment skipped: {}\n", printable(e));
  if (!r.bridges.empty()) {
    appendf(o,
            "\nBRIDGES ({})\n{:<4} {:<16} {:>8} {:<6} {:>11} {:>12} {:>7} {:>11} {:>6} {:>6} {:>9} {:>10}\n",
            r.bridges.size(), "DIR", "REMOTE FEED", "PID", "STATE", "BATCHES", "TICKS", "GAPS", "LOST",
            "DUPS", "BAD", "RECONNECT", "LAG");
    for (const BridgeStatusSnapshot& b : r.bridges) {
      appendf(o, "{:<4} {:<16} {:>8} {:<6} {:>11} {:>12} {:>7} {:>11} {:>6} {:>6} {:>9} {:>10}\n",
              bridge_direction_name(b.direction), printable(b.remote_feed), b.pid, b.alive ? "alive" : "dead",
              b.batches, b.ticks, b.gaps, b.lost_ticks, b.duplicates, b.rejected, b.reconnects,
              format_ns(b.lag_ns));
    }
  }
  for (const auto& e : r.bridge_errors) appendf(o, "bridge segment skipped: {}\n", printable(e));
  return trim_lines(o);
}

}  // namespace tickshm::stat
