// The TARGETS.md checks of a tickshm-bench run: each a figure of this run against its bound, most of
// them ratios against a baseline measured in the same run.
#include <algorithm>

#include "report.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::bench {

namespace {

const RunOutcome* find_run(const Report& r, Transport t, WaitStrategy w, Mode m, std::size_t readers) {
  for (const auto& run : r.runs) {
    if (run.ok && run.transport == t && run.mode == m && run.readers == readers &&
        (t != Transport::kTickshm || run.wait == w)) {
      return &run;
    }
  }
  return nullptr;
}

Ratio make(std::string id, std::string what, std::string unit, bool at_most, double bound) {
  Ratio x;
  x.id = std::move(id);
  x.what = std::move(what);
  x.unit = std::move(unit);
  x.at_most = at_most;
  x.bound = bound;
  return x;
}

void set(Ratio& x, double v) {
  x.available = true;
  x.value = v;
  x.met = x.at_most ? v <= x.bound : v >= x.bound;
}

}  // namespace

std::vector<Ratio> compute_ratios(const Report& r) {
  std::vector<Ratio> out;
  const auto spin_lat = find_run(r, Transport::kTickshm, WaitStrategy::kSpin, Mode::kLatency, 1);
  const auto spin_tp = find_run(r, Transport::kTickshm, WaitStrategy::kSpin, Mode::kThroughput, 1);
  const auto unix_tp = find_run(r, Transport::kUnixSocket, WaitStrategy::kBlock, Mode::kThroughput, 1);

  auto p50 =
      make("1.spin_p50_vs_floor", "  (context) spin p50 / cache-line floor p50 (1 reader)", "x", true, 1.6);
  // The floor measured around the run when there is one (FloorBracket), else the one at the start.
  const std::uint64_t floor_p50 = r.floor_bracket          ? r.floor_bracket->floor_p50_ns()
                                  : r.floor && r.floor->ok ? r.floor->one_way.p50_ns
                                                           : 0;
  if (spin_lat && floor_p50 > 0) {
    set(p50, static_cast<double>(spin_lat->latency.p50_ns) / static_cast<double>(floor_p50));
  }
  out.push_back(p50);
  // TARGETS.md 1: the same run against the bare ring (the same pacing, stamps and ring size, no
  // library), whose tail is what this machine allows any shared-memory ring.
  const bool bare = r.floor && r.floor->ok && r.floor->bare_ring.count > 0;
  auto p50s = make("1.spin_p50_vs_bare_ring", "spin p50 / bare-ring p50 (1 reader)", "x", true, 1.15);
  if (spin_lat && bare && r.floor->bare_ring.p50_ns > 0) {
    set(p50s, static_cast<double>(spin_lat->latency.p50_ns) / static_cast<double>(r.floor->bare_ring.p50_ns));
  }
  out.push_back(p50s);
  auto p99 = make("1.spin_p99", "  (context) spin reader p99 (1 reader)", "ns", true, 1000);
  if (spin_lat) set(p99, static_cast<double>(spin_lat->latency.p99_ns));
  out.push_back(p99);
  auto p99s =
      make("1.bare_ring_p99", "  (context) bare-ring p99: what this machine allows", "ns", true, 1000);
  if (bare) set(p99s, static_cast<double>(r.floor->bare_ring.p99_ns));
  out.push_back(p99s);
  auto p99r =
      make("1.spin_p99_vs_bare_ring", "spin p99 / bare-ring p99: what the library adds", "x", true, 1.25);
  if (spin_lat && bare && r.floor->bare_ring.p99_ns > 0) {
    set(p99r, static_cast<double>(spin_lat->latency.p99_ns) / static_cast<double>(r.floor->bare_ring.p99_ns));
  }
  out.push_back(p99r);

  // Target 2 is throughput with nothing lost: RFC 2544's throughput, the highest offered rate at
  // which every tick arrives (the flat-out rate itself when the flat-out run lost nothing).
  const bool lossless = r.lossless && r.lossless->ok;
  auto tp = make("2.spin_lossless_throughput", "throughput to 1 spin reader with 0 lost (RFC 2544)", "M/s",
                 false, 40);
  if (lossless) set(tp, r.lossless->rate_per_s / 1e6);
  out.push_back(tp);
  auto vs_unix =
      make("2.throughput_vs_unix", "that throughput / Unix-socket throughput (1 reader)", "x", false, 50);
  if (lossless && unix_tp && unix_tp->slowest_rate_per_s > 0) {
    set(vs_unix, r.lossless->rate_per_s / unix_tp->slowest_rate_per_s);
  }
  out.push_back(vs_unix);
  // Context, not TARGETS.md lines: the writer flat out, and what the reader lost to it.
  auto flat = make("2.spin_throughput", "  (context) flat out: delivered to 1 spin reader", "M/s", false, 40);
  if (spin_tp) set(flat, spin_tp->slowest_rate_per_s / 1e6);
  out.push_back(flat);
  auto lost1 =
      make("2.spin_throughput_lost", "  (context) flat out: ticks that reader lost", "ticks", true, 0);
  if (spin_tp) set(lost1, static_cast<double>(spin_tp->lost_total));
  out.push_back(lost1);

  // The peers, 1 reader: how many times the peer's p50 is the bus's (spinning against spinning,
  // sleeping against sleeping), and the bus's lossless throughput against the peer's lossless one.
  struct PeerLine {
    const char* id;
    const char* what;
    Transport peer;
    WaitStrategy bus_wait;
    double bound;
  };
  constexpr PeerLine kPeerP50[] = {
      {"1.iceoryx_spin_p50_vs_spin", "iceoryx-spin p50 / tickshm-spin p50 (1 reader)",
       Transport::kIceoryxSpin, WaitStrategy::kSpin, 5},
      {"1.zeromq_p50_vs_spin", "zeromq-nodrop p50 / tickshm-spin p50 (1 reader)", Transport::kZmqNoDrop,
       WaitStrategy::kSpin, 5},
      {"1.iceoryx_waitset_p50_vs_block", "  (context) iceoryx-waitset p50 / tickshm-block p50",
       Transport::kIceoryxWaitSet, WaitStrategy::kBlock, 1},
      {"1.zeromq_p50_vs_block", "  (context) zeromq-nodrop p50 / tickshm-block p50", Transport::kZmqNoDrop,
       WaitStrategy::kBlock, 1},
  };
  for (const auto& pl : kPeerP50) {
    auto x = make(pl.id, pl.what, "x", false, pl.bound);
    const auto peer = find_run(r, pl.peer, WaitStrategy::kBlock, Mode::kLatency, 1);
    const auto bus = find_run(r, Transport::kTickshm, pl.bus_wait, Mode::kLatency, 1);
    if (peer && bus && bus->latency.p50_ns > 0) {
      set(x, static_cast<double>(peer->latency.p50_ns) / static_cast<double>(bus->latency.p50_ns));
    }
    out.push_back(x);
  }
  constexpr PeerLine kPeerTp[] = {
      {"2.throughput_vs_iceoryx", "lossless throughput / iceoryx-blocking's (lossless, 1 reader)",
       Transport::kIceoryxBlocking, WaitStrategy::kSpin, 50},
      {"2.throughput_vs_zeromq", "lossless throughput / zeromq-nodrop's (lossless, 1 reader)",
       Transport::kZmqNoDrop, WaitStrategy::kSpin, 10},
  };
  for (const auto& pl : kPeerTp) {
    auto x = make(pl.id, pl.what, "x", false, pl.bound);
    const auto peer = find_run(r, pl.peer, WaitStrategy::kBlock, Mode::kThroughput, 1);
    if (lossless && peer && peer->slowest_rate_per_s > 0)
      set(x, r.lossless->rate_per_s / peer->slowest_rate_per_s);
    out.push_back(x);
  }

  // Target 3 at every reader count of the run: nothing lost at the paced rate, p99 no worse than the
  // pipe's at the same count, and the writer's cost with N sleeping readers against one.
  for (const std::size_t n : r.config.reader_counts) {
    const std::string xn = "_x" + std::to_string(n);
    const auto pipe_lat = find_run(r, Transport::kPipe, WaitStrategy::kBlock, Mode::kLatency, n);
    const auto pipe_tp = find_run(r, Transport::kPipe, WaitStrategy::kBlock, Mode::kThroughput, n);
    for (const WaitStrategy w : {WaitStrategy::kAdaptive, WaitStrategy::kBlock}) {
      const std::string wn = wait_name(w);
      const std::string label = wn + " x" + std::to_string(n) + " readers";
      const auto lat = find_run(r, Transport::kTickshm, w, Mode::kLatency, n);
      const auto tpn = find_run(r, Transport::kTickshm, w, Mode::kThroughput, n);
      auto lost = make("3." + wn + "_lost" + xn, label + ", paced: ticks lost", "ticks", true, 0);
      if (lat) set(lost, static_cast<double>(lat->lost_total));
      out.push_back(lost);
      auto vs_pipe = make("3." + wn + "_p99_vs_pipe" + xn, label + ": p99 / pipe p99", "x", true, 1);
      if (lat && pipe_lat && pipe_lat->latency.p99_ns > 0) {
        set(vs_pipe,
            static_cast<double>(lat->latency.p99_ns) / static_cast<double>(pipe_lat->latency.p99_ns));
      }
      out.push_back(vs_pipe);
      auto tp_pipe = make("3." + wn + "_throughput_vs_pipe" + xn,
                          "  (context) " + label + ": throughput / pipe's", "x", false, 5);
      if (tpn && pipe_tp && pipe_tp->slowest_rate_per_s > 0) {
        set(tp_pipe, tpn->slowest_rate_per_s / pipe_tp->slowest_rate_per_s);
      }
      out.push_back(tp_pipe);
    }
  }
  // Target 3's writer cost: the library's own wake (fan-out) with N readers asleep against one; the
  // wake-all beside it, for context, at the largest count.
  for (const WakeMode mode : {WakeMode::kFanOut, WakeMode::kAll}) {
    const WriterCostOutcome* one = nullptr;
    const WriterCostOutcome* most = nullptr;
    for (const auto& wc : r.writer_cost_scaling) {
      if (wc.wake != mode) continue;
      if (wc.ok && wc.count == 1) one = &wc;
      if (wc.count > 1 && (!most || wc.count > most->count)) most = &wc;
    }
    for (const auto& wc : r.writer_cost_scaling) {
      if (wc.wake != mode || wc.count == 1) continue;
      if (mode == WakeMode::kAll && &wc != most) continue;
      const std::string n = std::to_string(wc.count);
      auto x = mode == WakeMode::kFanOut
                   ? make("3.writer_cost_x" + n + "_vs_x1",
                          "writer ns/tick with " + n + " block readers asleep / with 1", "x", true, 1.5)
                   : make("3.wake_all_writer_cost_x" + n + "_vs_x1",
                          "  (context) wake-all: writer ns/tick, " + n + " asleep / 1", "x", true, 1.5);
      if (wc.ok && one && one->ns_per_tick > 0) set(x, wc.ns_per_tick / one->ns_per_tick);
      out.push_back(x);
    }
  }

  auto idle = make("4.idle_block_cpu", "idle blocked reader CPU", "%", true, 1.0);
  if (r.idle && r.idle->ok) set(idle, r.idle->block_cpu_percent);
  out.push_back(idle);
  const WriterCostOutcome* none = nullptr;
  for (const auto& wc : r.writer_cost) {
    if (wc.ok && wc.readers == CostReaders::kNone) none = &wc;
  }
  for (const auto& wc : r.writer_cost) {
    if (wc.readers == CostReaders::kNone) continue;
    // "The same" within what a shared machine's noise allows between two sub-second runs.
    auto x =
        make(std::string("4.writer_cost_") + cost_readers_name(wc.readers),
             std::string("writer ns/tick with a ") + cost_readers_name(wc.readers) + " reader / with none",
             "x", true, 1.25);
    if (wc.ok && none && none->ns_per_tick > 0) set(x, wc.ns_per_tick / none->ns_per_tick);
    out.push_back(x);
  }
  auto feed = make("5.feed_rate", "tickshm-feed generation + publish, flat out", "M/s", false, 20);
  if (r.feed && r.feed->ok) set(feed, r.feed->rate_per_s / 1e6);
  out.push_back(feed);
  for (const auto& sc : r.symbol_scaling) {
    const std::string n = std::to_string(sc.symbols);
    auto fr =
        make("5.feed_rate_" + n + "_symbols", "tickshm-feed flat out, " + n + " symbols", "M/s", false, 20);
    if (sc.ok) set(fr, sc.feed.rate_per_s / 1e6);
    out.push_back(fr);
    auto dash = make("6.dash_cpu_" + n + "_symbols",
                     "tickshm-dash CPU at a 100 ms refresh, " + n + " symbols, feed flat out", "%", true, 5);
    if (sc.ok) set(dash, sc.dash_cpu_percent);
    out.push_back(dash);
  }
  return out;
}

}  // namespace tickshm::bench
