// Gathering and formatting tickshm-stat's report and segment list; everything is opened read-only.
#include "stat_report.hpp"

#include <pwd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <iterator>

#include "tickshm/clock.hpp"
#include "tickshm/feed_state.hpp"
#include "tickshm/format.hpp"
#include "tickshm/json_out.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/money.hpp"
#include "tickshm/names.hpp"
#include "tickshm/process.hpp"
#include "tickshm/text.hpp"

namespace tickshm::stat {

namespace {

template <class... Args>
void appendf(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

std::string hex64(std::uint64_t v) {
  return format_hex64(v);
}

std::string mode_text(mode_t m) {
  return format_mode(static_cast<unsigned>(m));
}

std::string user_name(uid_t uid) {
  passwd pw{};
  passwd* res = nullptr;
  char buf[1024];
  if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res != nullptr) return printable(res->pw_name);
  return fmt::format("{}", uid);
}

// Fixed-width columns leave trailing blanks (an empty last column); scripts diffing output don't want them.
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

std::size_t shown(std::size_t n, std::size_t max) {
  return max == 0 ? n : std::min(n, max);
}

}  // namespace

Result<StatReport> gather_report(const std::string& feed) {
  auto dv = DataView::open(feed);
  if (!dv) return std::move(dv).error();
  const DataView& d = dv.value();
  const DataHeader& h = d.header();
  const std::uint64_t now = now_ns();

  StatReport r;
  r.segment = feed;
  r.path = d.path();
  const WriterHealth health = d.health(now);
  r.state = health_name(health);
  r.epoch = d.epoch();
  r.writer_pid = h.writer_pid;
  r.writer_alive = health != WriterHealth::kDead && process_alive(h.writer_pid, h.writer_start_time);
  r.layout_version = h.layout_version;
  r.size_bytes = d.size();
  r.ring_capacity = h.ring_capacity;
  r.symbol_count = d.symbol_count();
  r.symbol_capacity = h.symbol_capacity;
  r.verify = d.verify();
  r.created_unix_ns = h.created_unix_ns;
  r.sampled_unix_ns = unix_now_ns();
  r.uptime_ns = r.sampled_unix_ns > h.created_unix_ns ? r.sampled_unix_ns - h.created_unix_ns : 0;
  const std::uint64_t hb = d.heartbeat_ns();
  r.heartbeat_age_ns = now > hb ? now - hb : 0;

  const auto entries = d.symbols();
  r.symbols.reserve(r.symbol_count);
  for (std::uint32_t i = 0; i < r.symbol_count; ++i) {
    SymbolStat s;
    s.index = i;
    s.symbol = d.symbol_name(i);
    s.reference = entries[i].reference_price;
    s.tick_size = entries[i].tick_size;
    s.whole = d.read_quote(i, s.quote);
    r.symbols.push_back(std::move(s));
  }

  // The registry and the algos' status are read before the write cursor: the cursor only grows, so
  // every reader's cursor (and received + lost), and the tick count of an algo that has read only this
  // epoch, are at most `published`, and lag is never negative. (The algos were read after it once, and
  // a ThreadSanitizer run saw an algo 41 ticks ahead of `published`.)
  auto ctl = ControlView::open(feed, /*writable=*/false);
  std::vector<ReaderInfo> readers;
  if (ctl) readers = ctl->readers();
  r.algos = read_all_algo_status(feed, &r.algo_errors);
  r.bridges = read_bridge_statuses(feed, &r.bridge_errors);
  r.published = d.write_cursor();
  if (ctl) {
    r.registry_present = true;
    r.registry_epoch = ctl->epoch();
    for (ReaderInfo& ri : readers) {
      ReaderStat rs;
      rs.lag = reader_lag(r.published, ri.cursor);
      rs.state = reader_state_name(classify_reader(ri.alive, ri.heartbeat_ns, now));
      if (!ri.alive) rs.lag = 0;
      rs.info = std::move(ri);
      r.readers.push_back(std::move(rs));
    }
  } else {
    r.registry_error = ctl.error().message;
  }
  std::sort(r.algos.begin(), r.algos.end(),
            [](const AlgoStatusSnapshot& a, const AlgoStatusSnapshot& b) { return a.name < b.name; });
  return r;
}

std::string format_text(const StatReport& r, std::size_t max_symbols) {
  // Names come from other processes' segments: printable() keeps escape sequences off the terminal.
  std::string o;
  appendf(o, "segment    {} ({})  state {}\n", printable(r.segment), printable(r.path), r.state);
  appendf(o, "epoch      {}  writer pid {} ({})  up {}  heartbeat {} ago\n", hex64(r.epoch), r.writer_pid,
          r.writer_alive ? "alive" : "dead", format_duration(r.uptime_ns), format_ns(r.heartbeat_age_ns));
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

std::string format_json(const StatReport& r, std::size_t max_symbols, bool pretty) {
  Json j;
  j["schema_version"] = kStatSchemaVersion;
  j["segment"] = r.segment;
  j["path"] = r.path;
  j["state"] = r.state;
  j["epoch"] = r.epoch;
  j["epoch_hex"] = hex64(r.epoch);
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

  Json& symbols = j["symbols"] = Json::array();
  for (std::size_t i = 0; i < shown(r.symbols.size(), max_symbols); ++i) {
    const SymbolStat& s = r.symbols[i];
    const Quote& q = s.quote;
    symbols.push_back({{"index", s.index},
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
                       {"low", q.low}});
  }

  Json& registry = j["registry"] = {{"present", r.registry_present}, {"epoch", r.registry_epoch}};
  if (!r.registry_present) registry["error"] = r.registry_error;

  Json& readers = j["readers"] = Json::array();
  for (const ReaderStat& rs : r.readers) {
    const ReaderInfo& i = rs.info;
    readers.push_back({{"slot", i.slot},
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
                       {"verify_errors", i.verify_errors}});
  }

  Json& algos = j["algos"] = Json::array();
  for (const AlgoStatusSnapshot& a : r.algos) {
    const AlgoTotals& t = a.totals;
    Json positions = Json::array();
    for (const PositionRecord& p : a.positions) {
      positions.push_back({{"symbol", std::string(p.symbol, strnlen(p.symbol, sizeof p.symbol))},
                           {"position", p.position},
                           {"avg_cost", p.avg_cost},
                           {"realized", p.realized},
                           {"unrealized", p.unrealized},
                           {"mark", p.mark},
                           {"orders", p.orders},
                           {"fills", p.fills}});
    }
    algos.push_back({{"name", a.name},
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
                     {"positions", std::move(positions)}});
    Json& algo = algos.back();
    Json fill_log = Json::array();
    for (const FillRecord& f : a.fills) {
      fill_log.push_back({{"fill_id", f.fill_id},
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
                          {"tick_seq", f.tick_seq}});
    }
    algo["fill_log"] = std::move(fill_log);
    const AlgoRiskRecord& rk = a.risk;
    Json rejects_by = Json::array();
    for (const std::uint64_t n : rk.rejects_by) rejects_by.push_back(n);
    algo["risk"] = {{"order_size", rk.order_size},
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
                    {"rejects_by", std::move(rejects_by)}};
    Json pnl_samples = Json::array();
    for (const PnlSample& p : a.pnl) {
      pnl_samples.push_back({{"sample_id", p.sample_id},
                             {"time_unix_ns", p.time_unix_ns},
                             {"total_pnl", p.total_pnl},
                             {"realized", p.realized},
                             {"gross_shares", p.gross_shares},
                             {"net_shares", p.net_shares}});
    }
    algo["pnl_samples"] = std::move(pnl_samples);
  }
  j["algo_errors"] = r.algo_errors;
  Json& bridges = j["bridges"] = Json::array();
  for (const BridgeStatusSnapshot& b : r.bridges) {
    bridges.push_back({{"direction", bridge_direction_name(b.direction)},
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
                       {"publish_errors", b.publish_errors}});
  }
  j["bridge_errors"] = r.bridge_errors;
  return dump_json(j, pretty) + "\n";
}

namespace {
// A segment we could not use: being created, refused (permission, or an owner we do not trust), or invalid.
const char* list_status(Errc code) {
  return code == Errc::kNotReady ? "creating" : code == Errc::kPermission ? "refused" : "invalid";
}
}  // namespace

std::vector<ListEntry> gather_list() {
  std::vector<ListEntry> out;
  const std::uint64_t now = now_ns();
  for (const SegmentFile& f : list_segment_files()) {
    ListEntry e;
    e.name = f.name;
    e.size = f.size;
    e.owner_uid = f.owner;
    e.owner = user_name(f.owner);
    e.mode = f.mode;
    const ObjectName on = parse_object_name(f.name);
    const bool is_ctl = on.kind == ObjectKind::kControl;
    if (on.kind == ObjectKind::kUnknown) {
      e.kind = "unknown";
      e.status = "invalid";
      e.detail = "not a name tickshm gives its objects (feed and algo names have no '.')";
    } else if (on.kind == ObjectKind::kBridge) {
      e.kind = "bridge";
      e.feed = on.feed;
      auto st = read_bridge_status("/" + f.name);
      if (!st) {
        e.status = list_status(st.error().code);
        e.detail = st.error().message;
      } else {
        e.writer_pid = st->pid;
        e.status = st->alive ? "live" : "dead";
        e.detail =
            std::string("bridge ") + bridge_direction_name(st->direction) + " (" + st->remote_feed + ")";
      }
    } else if (on.kind == ObjectKind::kAlgo) {
      e.kind = "algo";
      e.feed = on.feed;
      auto st = read_algo_status("/" + f.name);
      if (!st) {
        e.status = list_status(st.error().code);
        e.detail = st.error().message;
      } else {
        e.writer_pid = st->pid;
        e.status = st->alive ? "live" : "dead";
        e.detail = "algo " + st->name + " (" + st->strategy + ")";
      }
    } else {
      e.kind = is_ctl ? "control" : "data";
      e.feed = on.feed;
      // A registry lives as long as its feed's writer: both are judged by the data segment.
      auto dv = DataView::open_path(data_segment_path(e.feed));
      if (!dv) {
        // A writer between O_CREAT and "live" is not a broken segment: say so, or --clean's list lies.
        e.status = list_status(dv.error().code);
        e.detail = dv.error().message;
        if (is_ctl && dv.error().code == Errc::kNotFound) e.status = "dead";
      } else {
        e.writer_pid = dv->header().writer_pid;
        const WriterHealth h = dv->health(now);
        const bool alive = process_alive(dv->header().writer_pid, dv->header().writer_start_time);
        e.status = h == WriterHealth::kClosed ? "closed" : (alive ? "live" : "dead");
        if (!is_ctl) e.detail = fmt::format("epoch {}, {} published", hex64(dv->epoch()), dv->write_cursor());
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string format_list_text(const std::vector<ListEntry>& entries) {
  std::string o;
  if (entries.empty()) return "no tickshm segments in /dev/shm\n";
  appendf(o, "{:<40} {:<7} {:>12} {:<10} {:<5} {:>8} {:<7} {}\n", "NAME", "KIND", "SIZE", "OWNER", "MODE",
          "WRITER", "STATUS", "DETAIL");
  for (const ListEntry& e : entries) {
    // File names in /dev/shm and details from algo segments are anyone's text: printable() only.
    appendf(o, "{:<40} {:<7} {:>12} {:<10} {:<5} {:>8} {:<7} {}\n", printable(e.name), e.kind, e.size,
            printable(e.owner), mode_text(e.mode), e.writer_pid, e.status, printable(e.detail));
  }
  return trim_lines(o);
}

std::string format_list_json(const std::vector<ListEntry>& entries, bool pretty) {
  Json segments = Json::array();
  for (const ListEntry& e : entries) {
    segments.push_back({{"name", e.name},
                        {"kind", e.kind},
                        {"feed", e.feed},
                        {"size_bytes", e.size},
                        {"owner", e.owner},
                        {"owner_uid", static_cast<std::uint64_t>(e.owner_uid)},
                        {"mode", mode_text(e.mode)},
                        {"writer_pid", e.writer_pid},
                        {"writer_alive", e.writer_alive()},
                        {"status", e.status},
                        {"detail", e.detail}});
  }
  const Json j = {{"schema_version", kStatSchemaVersion}, {"segments", std::move(segments)}};
  return dump_json(j, pretty) + "\n";
}

}  // namespace tickshm::stat
