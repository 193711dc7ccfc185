// Gathering and formatting tickshm-stat's report and segment list; everything is opened read-only.
#include "stat_report.hpp"

#include <pwd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "snapshot.hpp"  // the dashboard's number formatting, shared so both tools print alike
#include "tickshm/clock.hpp"
#include "tickshm/json.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/names.hpp"
#include "tickshm/process.hpp"

namespace tickshm::stat {

using dash::format_count;
using dash::format_duration;
using dash::format_money;
using dash::format_ns;
using dash::format_price;

namespace {

__attribute__((format(printf, 2, 3))) void appendf(std::string& out, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0) out.append(buf, std::min(static_cast<std::size_t>(n), sizeof buf - 1));
}

std::string hex64(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

std::string mode_text(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

std::string user_name(uid_t uid) {
  passwd pw{};
  passwd* res = nullptr;
  char buf[1024];
  if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res != nullptr) return res->pw_name;
  return std::to_string(uid);
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
      rs.lag = r.published > ri.cursor ? r.published - ri.cursor : 0;
      rs.state = dash::reader_state_name(dash::classify_reader(ri.alive, ri.heartbeat_ns, now));
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
  std::string o;
  appendf(o, "segment    %s (%s)  state %s\n", r.segment.c_str(), r.path.c_str(), r.state.c_str());
  appendf(o, "epoch      %s  writer pid %d (%s)  up %s  heartbeat %s ago\n", hex64(r.epoch).c_str(),
          r.writer_pid, r.writer_alive ? "alive" : "dead", format_duration(r.uptime_ns).c_str(),
          format_ns(r.heartbeat_age_ns).c_str());
  appendf(o,
          "published  %" PRIu64 " ticks  ring %" PRIu64 " x 64 B  symbols %u/%u  size %" PRIu64
          " B  layout v%u%s\n",
          r.published, r.ring_capacity, r.symbol_count, r.symbol_capacity, r.size_bytes, r.layout_version,
          r.verify ? "  verify" : "");

  const std::size_t ns = shown(r.symbols.size(), max_symbols);
  appendf(o, "\nSYMBOLS (%zu%s)\n", r.symbols.size(), ns < r.symbols.size() ? ", first shown" : "");
  appendf(o, "%-15s %10s %10s %10s %10s %8s %8s %10s %9s %10s %10s\n", "SYMBOL", "REF", "LAST", "BID", "ASK",
          "BIDSZ", "ASKSZ", "VOLUME", "TICKS", "HIGH", "LOW");
  for (std::size_t i = 0; i < ns; ++i) {
    const SymbolStat& s = r.symbols[i];
    const Quote& q = s.quote;
    appendf(o, "%-15s %10s %10s %10s %10s %8u %8u %10s %9s %10s %10s%s\n", s.symbol.c_str(),
            format_price(s.reference).c_str(), format_price(q.last).c_str(), format_price(q.bid).c_str(),
            format_price(q.ask).c_str(), q.bid_size, q.ask_size, format_count(q.volume).c_str(),
            format_count(q.tick_count).c_str(), format_price(q.high).c_str(), format_price(q.low).c_str(),
            s.whole ? "" : "  (torn: writer busy)");
  }

  appendf(o, "\nREADERS (%zu)%s\n", r.readers.size(),
          r.registry_present ? "" : ("  registry unreadable: " + r.registry_error).c_str());
  if (!r.readers.empty()) {
    appendf(o, "%4s %-20s %8s %-6s %-8s %-8s %12s %12s %10s %10s %9s %9s %9s %9s\n", "SLOT", "NAME", "PID",
            "STATE", "ROLE", "WAIT", "CURSOR", "RECEIVED", "LOST", "LAG", "P50", "P99", "P99.9", "MAX");
    for (const ReaderStat& rs : r.readers) {
      const ReaderInfo& i = rs.info;
      appendf(o,
              "%4u %-20s %8d %-6s %-8s %-8s %12" PRIu64 " %12" PRIu64 " %10" PRIu64 " %10" PRIu64
              " %9s %9s %9s %9s\n",
              i.slot, i.name.c_str(), i.pid, rs.state.c_str(), i.role.c_str(), wait_name(i.wait), i.cursor,
              i.received, i.lost, rs.lag, format_ns(i.p50_ns).c_str(), format_ns(i.p99_ns).c_str(),
              format_ns(i.p999_ns).c_str(), format_ns(i.max_ns).c_str());
    }
  }

  appendf(o, "\nALGOS (%zu)\n", r.algos.size());
  if (!r.algos.empty()) {
    appendf(o, "%-16s %-11s %8s %-6s %9s %9s %8s %5s %13s %13s %13s %s\n", "NAME", "STRATEGY", "PID", "STATE",
            "ORDERS", "FILLS", "REJECTS", "POS", "REALIZED", "UNREALIZED", "TOTAL P&L", "");
    for (const AlgoStatusSnapshot& a : r.algos) {
      const AlgoTotals& t = a.totals;
      appendf(
          o, "%-16s %-11s %8d %-6s %9" PRIu64 " %9" PRIu64 " %8" PRIu64 " %5" PRIu64 " %13s %13s %13s %s\n",
          a.name.c_str(), a.strategy.c_str(), a.pid, a.alive ? "alive" : "dead", t.orders, t.fills, t.rejects,
          t.positions_held, format_money(t.realized).c_str(), format_money(t.unrealized).c_str(),
          format_money(t.total_pnl).c_str(), t.halted != 0 ? "HALTED" : "");
    }
  }
  for (const auto& e : r.algo_errors) appendf(o, "algo segment skipped: %s\n", e.c_str());
  if (!r.bridges.empty()) {
    appendf(o, "\nBRIDGES (%zu)\n%-4s %-16s %8s %-6s %11s %12s %7s %11s %6s %6s %9s %10s\n", r.bridges.size(), "DIR",
            "REMOTE FEED", "PID", "STATE", "BATCHES", "TICKS", "GAPS", "LOST", "DUPS", "BAD", "RECONNECT", "LAG");
    for (const BridgeStatusSnapshot& b : r.bridges) {
      appendf(o, "%-4s %-16s %8d %-6s %11" PRIu64 " %12" PRIu64 " %7" PRIu64 " %11" PRIu64 " %6" PRIu64 " %6" PRIu64
                 " %9" PRIu64 " %10s\n",
              bridge_direction_name(b.direction), b.remote_feed.c_str(), b.pid, b.alive ? "alive" : "dead", b.batches,
              b.ticks, b.gaps, b.lost_ticks, b.duplicates, b.rejected, b.reconnects, format_ns(b.lag_ns).c_str());
    }
  }
  for (const auto& e : r.bridge_errors) appendf(o, "bridge segment skipped: %s\n", e.c_str());
  return trim_lines(o);
}

std::string format_json(const StatReport& r, std::size_t max_symbols, bool pretty) {
  JsonWriter j(pretty);
  j.begin_object();
  j.field("segment", r.segment).field("path", r.path).field("state", r.state);
  j.field("epoch", r.epoch).field("epoch_hex", hex64(r.epoch));
  j.field("writer_pid", r.writer_pid).field("writer_alive", r.writer_alive);
  j.field("published", r.published);
  j.field("layout_version", r.layout_version).field("size_bytes", r.size_bytes);
  j.field("ring_capacity", r.ring_capacity).field("symbol_count", r.symbol_count);
  j.field("symbol_capacity", r.symbol_capacity).field("verify", r.verify);
  j.field("created_unix_ns", r.created_unix_ns).field("uptime_ns", r.uptime_ns);
  j.field("heartbeat_age_ns", r.heartbeat_age_ns).field("sampled_unix_ns", r.sampled_unix_ns);
  j.field("price_scale", kPriceScale);

  j.key("symbols").begin_array();
  for (std::size_t i = 0; i < shown(r.symbols.size(), max_symbols); ++i) {
    const SymbolStat& s = r.symbols[i];
    const Quote& q = s.quote;
    j.begin_object();
    j.field("index", s.index).field("symbol", s.symbol).field("reference", s.reference);
    j.field("tick_size", s.tick_size).field("whole", s.whole);
    j.field("last", q.last).field("bid", q.bid).field("ask", q.ask);
    j.field("bid_size", q.bid_size).field("ask_size", q.ask_size).field("last_size", q.last_size);
    j.field("volume", q.volume).field("ticks", q.tick_count).field("trades", q.trade_count);
    j.field("open", q.open).field("high", q.high).field("low", q.low);
    j.end_object();
  }
  j.end_array();

  j.key("registry").begin_object();
  j.field("present", r.registry_present).field("epoch", r.registry_epoch);
  if (!r.registry_present) j.field("error", r.registry_error);
  j.end_object();

  j.key("readers").begin_array();
  for (const ReaderStat& rs : r.readers) {
    const ReaderInfo& i = rs.info;
    j.begin_object();
    j.field("slot", i.slot).field("name", i.name).field("pid", i.pid).field("alive", i.alive);
    j.field("state", rs.state).field("role", i.role).field("wait", wait_name(i.wait));
    j.field("cursor", i.cursor).field("joined_at", i.joined_at);
    j.field("received", i.received).field("lost", i.lost).field("lag", rs.lag);
    j.field("p50_ns", i.p50_ns)
        .field("p99_ns", i.p99_ns)
        .field("p999_ns", i.p999_ns)
        .field("max_ns", i.max_ns);
    j.field("verify_errors", i.verify_errors);
    j.end_object();
  }
  j.end_array();

  j.key("algos").begin_array();
  for (const AlgoStatusSnapshot& a : r.algos) {
    const AlgoTotals& t = a.totals;
    j.begin_object();
    j.field("name", a.name)
        .field("segment", a.segment)
        .field("strategy", a.strategy)
        .field("params", a.params);
    j.field("pid", a.pid).field("alive", a.alive).field("feed_epoch", t.feed_epoch);
    j.field("ticks", t.ticks).field("lost", t.lost);
    j.field("orders", t.orders).field("fills", t.fills).field("rejects", t.rejects);
    j.field("halted", t.halted != 0).field("positions_held", t.positions_held);
    j.field("pnl_realized", t.realized).field("pnl_unrealized", t.unrealized).field("pnl_total", t.total_pnl);
    j.field("commissions", t.commissions).field("max_drawdown", t.max_drawdown);
    j.field("gross_exposure", t.gross_exposure).field("net_exposure", t.net_exposure);
    j.field("read_p50_ns", t.read_p50_ns).field("read_p99_ns", t.read_p99_ns);
    j.field("read_p999_ns", t.read_p999_ns).field("read_max_ns", t.read_max_ns);
    j.field("decide_p50_ns", t.decide_p50_ns).field("decide_p99_ns", t.decide_p99_ns);
    j.field("decide_p999_ns", t.decide_p999_ns).field("decide_max_ns", t.decide_max_ns);
    j.key("positions").begin_array();
    for (const PositionRecord& p : a.positions) {
      j.begin_object();
      j.field("symbol", std::string(p.symbol, strnlen(p.symbol, sizeof p.symbol)));
      j.field("position", p.position).field("avg_cost", p.avg_cost);
      j.field("realized", p.realized).field("unrealized", p.unrealized).field("mark", p.mark);
      j.field("orders", p.orders).field("fills", p.fills);
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.key("algo_errors").begin_array();
  for (const auto& e : r.algo_errors) j.value(e);
  j.end_array();
  j.key("bridges").begin_array();
  for (const BridgeStatusSnapshot& b : r.bridges) {
    j.begin_object();
    j.field("direction", bridge_direction_name(b.direction)).field("segment", b.segment);
    j.field("remote_feed", b.remote_feed).field("pid", b.pid).field("alive", b.alive);
    j.field("connected", b.connected != 0).field("batches", b.batches).field("ticks", b.ticks);
    j.field("gaps", b.gaps).field("lost", b.lost_ticks).field("duplicates", b.duplicates);
    j.field("rejected", b.rejected).field("reconnects", b.reconnects).field("lag_ns", b.lag_ns);
    j.field("upstream_epoch", b.upstream_epoch).field("epochs", b.epochs).field("next_seq", b.next_seq);
    j.field("joined_at", b.joined_at).field("upstream_cursor", b.upstream_cursor);
    j.field("snapshots", b.snapshots).field("publish_errors", b.publish_errors);
    j.end_object();
  }
  j.end_array();
  j.key("bridge_errors").begin_array();
  for (const auto& e : r.bridge_errors) j.value(e);
  j.end_array();
  j.end_object();
  return j.str() + "\n";
}

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
    const SegmentKind kind = classify_segment(f.name, e.feed);
    const bool is_ctl = kind == SegmentKind::kControl;
    if (kind == SegmentKind::kBridgeStatus) {
      e.kind = "bridge";
      auto st = read_bridge_status("/" + f.name);
      if (!st) {
        e.status = st.error().code == Errc::kNotReady ? "creating" : "invalid";
        e.detail = st.error().message;
      } else {
        e.writer_pid = st->pid;
        e.status = st->alive ? "live" : "dead";
        e.detail = std::string("bridge ") + bridge_direction_name(st->direction) + " (" + st->remote_feed + ")";
      }
    } else if (kind == SegmentKind::kAlgoStatus) {
      e.kind = "algo";
      auto st = read_algo_status("/" + f.name);
      if (!st) {
        e.status = st.error().code == Errc::kNotReady ? "creating" : "invalid";
        e.detail = st.error().message;
      } else {
        e.writer_pid = st->pid;
        e.status = st->alive ? "live" : "dead";
        e.detail = "algo " + st->name + " (" + st->strategy + ")";
      }
    } else {
      e.kind = is_ctl ? "control" : "data";
      // A registry lives as long as its feed's writer: both are judged by the data segment.
      auto dv = DataView::open_path(data_segment_path(e.feed));
      if (!dv) {
        // A writer between O_CREAT and "live" is not a broken segment: say so, or --clean's list lies.
        e.status = dv.error().code == Errc::kNotReady ? "creating" : "invalid";
        e.detail = dv.error().message;
        if (is_ctl && dv.error().code == Errc::kNotFound) e.status = "dead";
      } else {
        e.writer_pid = dv->header().writer_pid;
        const WriterHealth h = dv->health(now);
        const bool alive = process_alive(dv->header().writer_pid, dv->header().writer_start_time);
        e.status = h == WriterHealth::kClosed ? "closed" : (alive ? "live" : "dead");
        if (!is_ctl)
          e.detail = "epoch " + hex64(dv->epoch()) + ", " + std::to_string(dv->write_cursor()) + " published";
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string format_list_text(const std::vector<ListEntry>& entries) {
  std::string o;
  if (entries.empty()) return "no tickshm segments in /dev/shm\n";
  appendf(o, "%-40s %-7s %12s %-10s %-5s %8s %-7s %s\n", "NAME", "KIND", "SIZE", "OWNER", "MODE", "WRITER",
          "STATUS", "DETAIL");
  for (const ListEntry& e : entries) {
    appendf(o, "%-40s %-7s %12" PRIu64 " %-10s %-5s %8d %-7s %s\n", e.name.c_str(), e.kind.c_str(), e.size,
            e.owner.c_str(), mode_text(e.mode).c_str(), e.writer_pid, e.status.c_str(), e.detail.c_str());
  }
  return trim_lines(o);
}

std::string format_list_json(const std::vector<ListEntry>& entries, bool pretty) {
  JsonWriter j(pretty);
  j.begin_object().key("segments").begin_array();
  for (const ListEntry& e : entries) {
    j.begin_object();
    j.field("name", e.name).field("kind", e.kind).field("feed", e.feed).field("size_bytes", e.size);
    j.field("owner", e.owner).field("owner_uid", static_cast<std::uint64_t>(e.owner_uid));
    j.field("mode", mode_text(e.mode)).field("writer_pid", e.writer_pid);
    j.field("writer_alive", e.writer_alive()).field("status", e.status).field("detail", e.detail);
    j.end_object();
  }
  j.end_array().end_object();
  return j.str() + "\n";
}

}  // namespace tickshm::stat
