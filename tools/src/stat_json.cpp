// tickshm-stat's JSON report (--json): the same content as the text, every field named (docs/STAT.md).
#include <cstring>
#include <span>

#include "stat_format.hpp"
#include "stat_report.hpp"
#include "tickshm/feed_state.hpp"
#include "tickshm/format.hpp"
#include "tickshm/layout.hpp"

namespace tickshm::stat {

namespace {

Json symbol_json(const SymbolStat& s) {
  const Quote& q = s.quote;
  return {{"index", s.index},
          {"symbol", s.symbol},
          {"reference", s.reference},
          {"tick_size", s.tick_size},
          {"whole", s.whole},
          {"last", q.last},
          {"bid", q.bid},
          {"ask", q.ask},
          {"bid_size", q.bid_size},
          {"ask_size", q.ask_size},
          {"last_size", q.last_size},
          {"volume", q.volume},
          {"ticks", q.tick_count},
          {"trades", q.trade_count},
          {"open", q.open},
          {"high", q.high},
          {"low", q.low}};
}

Json reader_json(const ReaderStat& rs) {
  const ReaderInfo& i = rs.info;
  return {{"slot", i.slot},
          {"name", i.name},
          {"pid", i.pid},
          {"alive", i.alive},
          {"state", rs.state},
          {"role", i.role},
          {"wait", wait_name(i.wait)},
          {"cursor", i.cursor},
          {"joined_at", i.joined_at},
          {"received", i.received},
          {"lost", i.lost},
          {"lag", rs.lag},
          {"p50_ns", i.p50_ns},
          {"p99_ns", i.p99_ns},
          {"p999_ns", i.p999_ns},
          {"max_ns", i.max_ns},
          {"verify_errors", i.verify_errors}};
}

Json position_json(const PositionRecord& p) {
  return {{"symbol", std::string(p.symbol, strnlen(p.symbol, sizeof p.symbol))},
          {"position", p.position},
          {"avg_cost", p.avg_cost},
          {"realized", p.realized},
          {"unrealized", p.unrealized},
          {"mark", p.mark},
          {"orders", p.orders},
          {"fills", p.fills}};
}

Json fill_json(const FillRecord& f) {
  return {{"fill_id", f.fill_id},
          {"time_unix_ns", f.time_unix_ns},
          {"symbol", algo_text(f.symbol, sizeof f.symbol)},
          {"side", f.side > 0 ? "buy" : "sell"},
          {"quantity", f.quantity},
          {"price", f.price},
          {"commission", f.commission},
          {"realized", f.realized},
          {"position_after", f.position_after},
          {"pnl_after", f.pnl_after},
          {"reason", algo_text(f.reason, sizeof f.reason)},
          {"tick_seq", f.tick_seq}};
}

Json pnl_json(const PnlSample& p) {
  return {{"sample_id", p.sample_id}, {"time_unix_ns", p.time_unix_ns}, {"total_pnl", p.total_pnl},
          {"realized", p.realized},   {"gross_shares", p.gross_shares}, {"net_shares", p.net_shares}};
}

Json risk_json(const AlgoRiskRecord& rk) {
  return {{"order_size", rk.order_size},
          {"max_position", rk.max_position},
          {"max_gross_notional", rk.max_gross_notional},
          {"max_orders_per_sec", rk.max_orders_per_sec},
          {"max_drawdown", rk.max_drawdown},
          {"drawdown", rk.drawdown},
          {"peak_pnl", rk.peak_pnl},
          {"orders_last_sec", rk.orders_last_sec},
          {"last_rate_reject_ns", rk.last_rate_reject_ns},
          {"gross_shares", rk.gross_shares},
          {"largest_position", rk.largest_position},
          {"rejects_by", json_array(rk.rejects_by, [](std::uint64_t n) { return Json(n); })}};
}

Json algo_json(const AlgoStatusSnapshot& a) {
  const AlgoTotals& t = a.totals;
  return {{"name", a.name},
          {"segment", a.segment},
          {"strategy", a.strategy},
          {"params", a.params},
          {"pid", a.pid},
          {"alive", a.alive},
          {"feed_epoch", t.feed_epoch},
          {"ticks", t.ticks},
          {"lost", t.lost},
          {"orders", t.orders},
          {"fills", t.fills},
          {"rejects", t.rejects},
          {"halted", t.halted != 0},
          {"halt_cause", t.halt_cause == 1   ? "drawdown"
                         : t.halt_cause == 2 ? "bad-ticks"
                                             : ""},
          {"verify_errors", t.verify_errors},
          {"bad_ticks", t.bad_ticks},
          {"bad_by",
           {{"zero-price", t.bad_zero_price},
            {"crossed", t.bad_crossed},
            {"wide-spread", t.bad_wide_spread},
            {"jump", t.bad_jump},
            {"malformed", t.bad_malformed}}},
          {"positions_held", t.positions_held},
          {"pnl_realized", t.realized},
          {"pnl_unrealized", t.unrealized},
          {"pnl_total", t.total_pnl},
          {"commissions", t.commissions},
          {"max_drawdown", t.max_drawdown},
          {"gross_exposure", t.gross_exposure},
          {"net_exposure", t.net_exposure},
          {"read_p50_ns", t.read_p50_ns},
          {"read_p99_ns", t.read_p99_ns},
          {"read_p999_ns", t.read_p999_ns},
          {"read_max_ns", t.read_max_ns},
          {"decide_p50_ns", t.decide_p50_ns},
          {"decide_p99_ns", t.decide_p99_ns},
          {"decide_p999_ns", t.decide_p999_ns},
          {"decide_max_ns", t.decide_max_ns},
          {"positions", json_array(a.positions, position_json)},
          {"fill_log", json_array(a.fills, fill_json)},
          {"risk", risk_json(a.risk)},
          {"pnl_samples", json_array(a.pnl, pnl_json)}};
}

Json bridge_json(const BridgeStatusSnapshot& b) {
  return {{"direction", bridge_direction_name(b.direction)},
          {"segment", b.segment},
          {"remote_feed", b.remote_feed},
          {"pid", b.pid},
          {"alive", b.alive},
          {"connected", b.connected != 0},
          {"batches", b.batches},
          {"ticks", b.ticks},
          {"gaps", b.gaps},
          {"lost", b.lost_ticks},
          {"duplicates", b.duplicates},
          {"rejected", b.rejected},
          {"reconnects", b.reconnects},
          {"lag_ns", b.lag_ns},
          {"upstream_epoch", b.upstream_epoch},
          {"epochs", b.epochs},
          {"next_seq", b.next_seq},
          {"joined_at", b.joined_at},
          {"upstream_cursor", b.upstream_cursor},
          {"snapshots", b.snapshots},
          {"publish_errors", b.publish_errors}};
}

}  // namespace

std::string format_json(const StatReport& r, std::size_t max_symbols, bool pretty) {
  Json j;
  j["schema_version"] = kStatSchemaVersion;
  j["segment"] = r.segment;
  j["path"] = r.path;
  j["state"] = r.state;
  j["epoch"] = r.epoch;
  j["epoch_hex"] = format_hex64(r.epoch);
  j["writer_pid"] = r.writer_pid;
  j["writer_alive"] = r.writer_alive;
  j["published"] = r.published;
  j["layout_version"] = r.layout_version;
  j["size_bytes"] = r.size_bytes;
  j["ring_capacity"] = r.ring_capacity;
  j["symbol_count"] = r.symbol_count;
  j["symbol_capacity"] = r.symbol_capacity;
  j["verify"] = r.verify;
  j["created_unix_ns"] = r.created_unix_ns;
  j["uptime_ns"] = r.uptime_ns;
  j["heartbeat_age_ns"] = r.heartbeat_age_ns;
  j["sampled_unix_ns"] = r.sampled_unix_ns;
  j["price_scale"] = kPriceScale;
  const std::size_t ns = shown(r.symbols.size(), max_symbols);
  j["symbols"] = json_array(std::span(r.symbols.data(), ns), symbol_json);
  Json& registry = j["registry"] = {{"present", r.registry_present}, {"epoch", r.registry_epoch}};
  if (!r.registry_present) registry["error"] = r.registry_error;
  j["readers"] = json_array(r.readers, reader_json);
  j["algos"] = json_array(r.algos, algo_json);
  j["algo_errors"] = r.algo_errors;
  j["bridges"] = json_array(r.bridges, bridge_json);
  j["bridge_errors"] = r.bridge_errors;
  return dump_json(j, pretty) + "\n";
}

}  // namespace tickshm::stat
