// Gathering tickshm-stat's report of one feed; everything is opened read-only.
#include <algorithm>

#include "stat_report.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/feed_state.hpp"
#include "tickshm/process.hpp"

namespace tickshm::stat {

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
  // epoch, are at most `published`, and lag is never negative.
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

}  // namespace tickshm::stat
