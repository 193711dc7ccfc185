// Printing the run's summary (see report.hpp).
#include "report.hpp"

#include <cstdio>

#include "money.hpp"
#include "tickshm/json.hpp"
#include "tickshm/layout.hpp"

namespace tickshm::algo {

void add_engine(RunReport& r, const Engine& e) {
  r.counters = e.counters();
  r.halted = e.halted();
  r.realized = e.realized();
  r.unrealized = e.unrealized();
  r.total_pnl = e.total_pnl();
  r.commissions = e.commissions();
  r.gross_exposure = e.gross_exposure();
  r.net_exposure = e.net_exposure();
  r.max_drawdown = e.risk().max_drawdown();
  r.positions.clear();
  for (const auto& b : e.books()) {
    r.positions.push_back(PositionReport{b.name, b.book.position(), b.book.avg_cost(), b.book.last_mark(),
                                         b.book.realized(), b.book.unrealized(), b.orders, b.fills});
  }
}

namespace {

std::string us(std::uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(ns) / 1e3);
  return buf;
}

std::string latency_line(const char* what, const LatencySummary& s) {
  return std::string(what) + ": p50 " + us(s.p50_ns) + " us, p99 " + us(s.p99_ns) + " us, p99.9 " +
         us(s.p999_ns) + " us, max " + us(s.max_ns) + " us (" + std::to_string(s.count) + " ticks)\n";
}

void latency_json(JsonWriter& j, const char* key, const LatencySummary& s) {
  j.key(key).begin_object();
  j.field("count", s.count).field("p50_ns", s.p50_ns).field("p99_ns", s.p99_ns);
  j.field("p999_ns", s.p999_ns).field("max_ns", s.max_ns);
  j.end_object();
}

}  // namespace

std::string summary_text(const RunReport& r) {
  const EngineCounters& c = r.counters;
  std::string s;
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.1f s", r.elapsed_s);
  s += "tickshm-algo " + r.name + " (" + r.strategy + " " + r.params + ") on feed " + r.feed + ": " +
       std::to_string(r.epochs.size()) + " epoch(s), " + elapsed + "\n";
  s += "ticks: received " + std::to_string(r.received) + ", lost " + std::to_string(r.lost);
  if (r.verify) s += ", checksum mismatches " + std::to_string(r.verify_errors);
  if (c.bad_ticks > 0) {
    s += ", refused as nonsense " + std::to_string(c.bad_ticks) + " (";
    bool first = true;
    for (std::size_t k = 1; k < kBadTickKinds; ++k) {
      if (c.bad_by[k] == 0) continue;
      s += (first ? "" : ", ") + std::string(bad_tick_name(static_cast<BadTick>(k))) + " " +
           std::to_string(c.bad_by[k]);
      first = false;
    }
    s += ")";
  }
  s += "\n";
  s += "orders " + std::to_string(c.orders) + ", fills " + std::to_string(c.fills) + ", rejects " +
       std::to_string(c.rejects);
  if (c.rejects > 0) {
    s += " (";
    bool first = true;
    for (std::size_t k = 1; k < kRejectKinds; ++k) {
      if (c.rejects_by[k] == 0) continue;
      s += (first ? "" : ", ") + std::string(reject_name(static_cast<Reject>(k))) + " " +
           std::to_string(c.rejects_by[k]);
      first = false;
    }
    s += ")";
  }
  s += "\n";
  s += "P&L: realized " + format_money(r.realized) + ", unrealized " + format_money(r.unrealized) +
       ", total " + format_money(r.total_pnl) + " (commissions " + format_money(r.commissions) +
       ", max drawdown " + format_money(r.max_drawdown) + ")\n";
  if (r.halted) s += "HALTED: " + r.halt_reason + "\n";
  s += latency_line("publish->read", r.read);
  s += latency_line("publish->decision", r.decide);
  return s;
}

std::string report_json(const RunReport& r) {
  const EngineCounters& c = r.counters;
  JsonWriter j(true);
  j.begin_object();
  j.field("name", r.name).field("strategy", r.strategy).field("params", r.params).field("feed", r.feed);
  j.field("wait", r.wait).field("elapsed_s", r.elapsed_s).field("price_scale", kPriceScale);
  j.key("ticks").begin_object();
  j.field("received", r.received).field("lost", r.lost);
  j.field("verify", r.verify).field("verify_errors", r.verify_errors);
  j.field("bad", c.bad_ticks);
  j.key("bad_by").begin_object();
  for (std::size_t k = 1; k < kBadTickKinds; ++k)
    j.field(bad_tick_name(static_cast<BadTick>(k)), c.bad_by[k]);
  j.end_object();
  j.end_object();
  j.key("epochs").begin_array();
  for (const auto& e : r.epochs) {
    j.begin_object();
    char hex[24];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(e.epoch));
    j.field("epoch", hex).field("joined_at", e.joined_at).field("received", e.received).field("lost", e.lost);
    j.end_object();
  }
  j.end_array();
  j.key("orders").begin_object();
  j.field("signals", c.signals).field("sent", c.orders).field("fills", c.fills).field("rejects", c.rejects);
  j.key("rejects_by").begin_object();
  for (std::size_t k = 1; k < kRejectKinds; ++k)
    j.field(reject_name(static_cast<Reject>(k)), c.rejects_by[k]);
  j.end_object();
  j.end_object();
  j.key("risk").begin_object();
  j.field("halted", r.halted).field("halt_reason", r.halt_reason).field("max_drawdown", r.max_drawdown);
  j.end_object();
  j.key("pnl").begin_object();
  j.field("realized", r.realized).field("unrealized", r.unrealized).field("total", r.total_pnl);
  j.field("commissions", r.commissions)
      .field("gross_exposure", r.gross_exposure)
      .field("net_exposure", r.net_exposure);
  j.end_object();
  j.key("latency").begin_object();
  latency_json(j, "publish_to_read", r.read);
  latency_json(j, "publish_to_decision", r.decide);
  j.end_object();
  j.key("positions").begin_array();
  for (const auto& p : r.positions) {
    j.begin_object();
    j.field("symbol", p.symbol)
        .field("position", p.position)
        .field("avg_cost", p.avg_cost)
        .field("mark", p.mark);
    j.field("realized", p.realized)
        .field("unrealized", p.unrealized)
        .field("orders", p.orders)
        .field("fills", p.fills);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.str() + "\n";
}

}  // namespace tickshm::algo
