// Tables, JSON and the TARGETS.md ratios of a tickshm-bench run: see report.hpp.
#include "report.hpp"

#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "tickshm/json_out.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::bench {

Machine describe_machine() {
  Machine m;
  char buf[64];
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", &tm);
  m.date = buf;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) m.cpu_model = line.substr(colon + 2);
      break;
    }
  }
  m.online_cpus = std::thread::hardware_concurrency();
  utsname u{};
  if (uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release;
  return m;
}

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

std::string fmt_ns(std::uint64_t ns) {
  if (ns < 10'000) return fmt::format("{} ns", ns);
  if (ns < 10'000'000) return fmt::format("{:.1f} us", static_cast<double>(ns) / 1e3);
  return fmt::format("{:.1f} ms", static_cast<double>(ns) / 1e6);
}

std::string fmt_rate(double r) {
  if (r >= 1e6) return fmt::format("{:.2f} M/s", r / 1e6);
  return fmt::format("{:.0f} k/s", r / 1e3);
}

// "a, b, c": each value formatted by fmt.
template <class Fmt>
std::string join(const std::vector<double>& values, Fmt fmt) {
  std::string out;
  for (double v : values) out += (out.empty() ? "" : ", ") + fmt(v);
  return out;
}

// Every transport in a row, every reader count in a column: latency p50 / p99 and what was lost, then
// flat-out throughput delivered to the slowest reader.
void print_side_by_side(const Report& r) {
  std::vector<std::size_t> counts;
  std::vector<std::string> names;
  for (const auto& o : r.runs) {
    if (std::find(counts.begin(), counts.end(), o.readers) == counts.end()) counts.push_back(o.readers);
    if (std::find(names.begin(), names.end(), o.name) == names.end()) names.push_back(o.name);
  }
  if (counts.size() < 2) return;
  std::sort(counts.begin(), counts.end());
  for (const Mode m : {Mode::kLatency, Mode::kThroughput}) {
    std::printf(m == Mode::kLatency ? "\nside by side: latency p50 / p99 (lost), paced\n"
                                    : "\nside by side: flat-out throughput to the slowest reader (lost)\n");
    std::printf("  %-18s", "readers");
    for (std::size_t n : counts) std::printf(" %20zu", n);
    std::printf("\n");
    for (const auto& name : names) {
      std::printf("  %-18s", name.c_str());
      for (std::size_t n : counts) {
        const RunOutcome* run = nullptr;
        for (const auto& o : r.runs) {
          if (o.name == name && o.mode == m && o.readers == n) run = &o;
        }
        std::string cell = "-";
        if (run && run->skipped) {
          cell = "skipped";
        } else if (run && !run->ok) {
          cell = "FAILED";
        } else if (run && m == Mode::kLatency) {
          cell = fmt_ns(run->latency.p50_ns) + "/" + fmt_ns(run->latency.p99_ns) + " (" +
                 std::to_string(run->lost_total) + ")";
          if (run->published < r.config.latency_count()) cell += " behind";
        } else if (run) {
          cell = fmt_rate(run->slowest_rate_per_s) + " (" + std::to_string(run->lost_total) + ")";
        }
        std::printf(" %20s", cell.c_str());
      }
      std::printf("\n");
    }
  }
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
  const WriterCostOutcome* one_sleeper = nullptr;
  for (const auto& wc : r.writer_cost_scaling) {
    if (wc.ok && wc.count == 1) one_sleeper = &wc;
  }
  for (const auto& wc : r.writer_cost_scaling) {
    if (wc.count == 1) continue;
    auto x =
        make("3.writer_cost_x" + std::to_string(wc.count) + "_vs_x1",
             "writer ns/tick with " + std::to_string(wc.count) + " block readers / with 1", "x", true, 1.5);
    if (wc.ok && one_sleeper && one_sleeper->ns_per_tick > 0)
      set(x, wc.ns_per_tick / one_sleeper->ns_per_tick);
    out.push_back(x);
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

void print_tables(const Report& r, const std::vector<Ratio>& ratios) {
  std::printf("\ntickshm-bench  %s  |  %s  |  %u CPUs  |  %s\n", r.machine.date.c_str(),
              r.machine.cpu_model.c_str(), r.machine.online_cpus, r.machine.kernel.c_str());
  std::printf(
      "writer on CPU %d, readers on CPU %d%s%s; latency runs paced at %llu ticks/s; ring %llu ticks\n",
      r.config.cpus.writer(), r.config.cpus.reader(0), r.config.cpus.cpus.size() > 2 ? " and up" : "",
      realtime() ? ", SCHED_RR" : "", static_cast<unsigned long long>(r.config.rate),
      static_cast<unsigned long long>(r.config.ring_capacity));
  if (r.floor) {
    std::printf("\nfloor: cache-line ping-pong between two processes, one way (half a round trip)\n");
    if (r.floor->ok) {
      std::printf("  p50 %s   p99 %s   p99.9 %s   max %s   (%llu round trips)\n",
                  fmt_ns(r.floor->one_way.p50_ns).c_str(), fmt_ns(r.floor->one_way.p99_ns).c_str(),
                  fmt_ns(r.floor->one_way.p999_ns).c_str(), fmt_ns(r.floor->one_way.max_ns).c_str(),
                  static_cast<unsigned long long>(r.floor->one_way.count));
      std::printf(
          "bare ring: the latency run's pacing and stamps through a %llu-slot ring of 64-byte slots, no "
          "library\n  p50 %s   p99 %s   p99.9 %s   max %s   (%llu ticks, %llu lost)\n",
          static_cast<unsigned long long>(r.config.ring_capacity), fmt_ns(r.floor->bare_ring.p50_ns).c_str(),
          fmt_ns(r.floor->bare_ring.p99_ns).c_str(), fmt_ns(r.floor->bare_ring.p999_ns).c_str(),
          fmt_ns(r.floor->bare_ring.max_ns).c_str(),
          static_cast<unsigned long long>(r.floor->bare_ring.count),
          static_cast<unsigned long long>(r.floor->bare_ring_lost));
      std::printf(
          "reader's CPU over %.1f s: away %.2f%% of the time, %llu gaps of 1 us or more, longest %s\n",
          static_cast<double>(kGapProbeNs) / 1e9, r.floor->cpu_away_percent,
          static_cast<unsigned long long>(r.floor->cpu_gaps), fmt_ns(r.floor->cpu_longest_gap_ns).c_str());
    } else {
      std::printf("  FAILED: %s\n", r.floor->error.c_str());
    }
  }
  if (r.floor_bracket) {
    const FloorBracket& f = *r.floor_bracket;
    std::printf(
        "floor around the spin reader's latency run: p50 %s before, %s after (%s, attempt %u of %u)%s\n",
        fmt_ns(f.before_p50_ns).c_str(), fmt_ns(f.after_p50_ns).c_str(), f.agreed ? "agree" : "disagree",
        f.attempts, kFloorAttempts,
        f.agreed ? "" : ": the host moved the processes between cores during the run");
  }
  const bool any_lat =
      std::any_of(r.runs.begin(), r.runs.end(), [](const RunOutcome& o) { return o.mode == Mode::kLatency; });
  if (any_lat) {
    std::printf("\none-way latency, publish -> reader (all readers merged), paced\n");
    std::printf("  %-18s %7s %10s %10s %10s %10s %10s %10s %8s\n", "transport", "readers", "p50", "p99",
                "p99.9", "max", "received", "lost", "faults");
    for (const auto& o : r.runs) {
      if (o.mode != Mode::kLatency) continue;
      if (o.skipped) {
        std::printf("  %-18s %7zu SKIPPED: %s\n", o.name.c_str(), o.readers, o.error.c_str());
        continue;
      }
      if (!o.ok) {
        std::printf("  %-18s %7zu FAILED: %s\n", o.name.c_str(), o.readers, o.error.c_str());
        continue;
      }
      std::uint64_t rec = 0, faults = o.writer_minor_faults;
      for (const auto& f : o.per_reader) {
        rec += f.received;
        faults += f.minor_faults;
      }
      std::printf("  %-18s %7zu %10s %10s %10s %10s %10llu %10llu %8llu\n", o.name.c_str(), o.readers,
                  fmt_ns(o.latency.p50_ns).c_str(), fmt_ns(o.latency.p99_ns).c_str(),
                  fmt_ns(o.latency.p999_ns).c_str(), fmt_ns(o.latency.max_ns).c_str(),
                  static_cast<unsigned long long>(rec), static_cast<unsigned long long>(o.lost_total),
                  static_cast<unsigned long long>(faults));
      if (o.published < r.config.latency_count()) {
        std::printf("  %-18s %7zu fell behind the pace: stopped after %llu of %llu ticks\n", o.name.c_str(),
                    o.readers, static_cast<unsigned long long>(o.published),
                    static_cast<unsigned long long>(r.config.latency_count()));
      }
    }
  }
  const bool any_tp = std::any_of(r.runs.begin(), r.runs.end(),
                                  [](const RunOutcome& o) { return o.mode == Mode::kThroughput; });
  if (any_tp) {
    std::printf("\nflat-out throughput (delivered to the slowest reader)\n");
    std::printf("  %-18s %7s %12s %12s %12s %10s\n", "transport", "readers", "delivered", "published",
                "writer", "lost");
    for (const auto& o : r.runs) {
      if (o.mode != Mode::kThroughput) continue;
      if (o.skipped) {
        std::printf("  %-18s %7zu SKIPPED: %s\n", o.name.c_str(), o.readers, o.error.c_str());
        continue;
      }
      if (!o.ok) {
        std::printf("  %-18s %7zu FAILED: %s\n", o.name.c_str(), o.readers, o.error.c_str());
        continue;
      }
      std::printf("  %-18s %7zu %12s %12llu %12s %10llu\n", o.name.c_str(), o.readers,
                  fmt_rate(o.slowest_rate_per_s).c_str(), static_cast<unsigned long long>(o.published),
                  fmt_rate(o.writer_rate_per_s).c_str(), static_cast<unsigned long long>(o.lost_total));
    }
  }
  if (r.lossless) {
    const LosslessOutcome& l = *r.lossless;
    std::printf("\nlossless throughput, 1 spin reader (RFC 2544: the highest offered rate with 0 lost)\n");
    if (l.flat_out_lossless) {
      std::printf("  the flat-out run lost nothing: %s\n", fmt_rate(l.rate_per_s).c_str());
    } else {
      for (const auto& t : l.trials) {
        if (!t.run.ok) {
          std::printf("  offered %12s  FAILED: %s\n", fmt_rate(t.offered_per_s).c_str(), t.run.error.c_str());
          continue;
        }
        std::printf("  offered %12s  writer %12s  delivered %12s  lost %llu\n",
                    fmt_rate(t.offered_per_s).c_str(), fmt_rate(t.run.writer_rate_per_s).c_str(),
                    fmt_rate(t.run.slowest_rate_per_s).c_str(),
                    static_cast<unsigned long long>(t.run.lost_total));
      }
      std::printf("  => %s\n", l.rate_per_s > 0 ? fmt_rate(l.rate_per_s).c_str() : "every trial lost ticks");
    }
  }
  if (r.idle) {
    if (r.idle->ok) {
      std::printf("\nidle readers over %.1f s: block %.3f%% CPU, adaptive %.3f%% CPU\n", r.idle->seconds,
                  r.idle->block_cpu_percent, r.idle->adaptive_cpu_percent);
    } else {
      std::printf("\nidle readers: FAILED: %s\n", r.idle->error.c_str());
    }
  }
  if (!r.writer_cost.empty()) {
    std::printf("\nwriter cost per tick, flat out, publish + wake_sleepers every tick\n");
    for (const auto& wc : r.writer_cost) {
      if (wc.ok) {
        const std::string each = join(wc.round_ns, [](double v) { return fmt::format("{:.1f}", v); });
        std::printf("  reader %-9s %7.1f ns/tick  (median of %zu rounds: %s; %llu ticks)\n",
                    cost_readers_name(wc.readers), wc.ns_per_tick, wc.round_ns.size(), each.c_str(),
                    static_cast<unsigned long long>(wc.published));
      } else {
        std::printf("  reader %-9s FAILED: %s\n", cost_readers_name(wc.readers), wc.error.c_str());
      }
    }
  }
  if (!r.writer_cost_scaling.empty()) {
    std::printf(
        "\nwriter cost per tick with N block readers (flat out, publish + wake every tick; one wake for "
        "all)\n");
    for (const auto& wc : r.writer_cost_scaling) {
      if (wc.ok) {
        std::printf("  %3zu readers %7.1f ns/tick  (median of %zu rounds; %llu ticks, readers lost %llu)\n",
                    wc.count, wc.ns_per_tick, wc.round_ns.size(),
                    static_cast<unsigned long long>(wc.published),
                    static_cast<unsigned long long>(wc.reader_lost));
      } else {
        std::printf("  %3zu readers FAILED: %s\n", wc.count, wc.error.c_str());
      }
    }
  }
  print_side_by_side(r);
  if (!r.symbol_scaling.empty()) {
    std::printf("\nsymbols: feed flat out, and the dashboard and tickshm-stat with that feed running\n");
    std::printf("  %8s %14s %16s %16s %14s\n", "symbols", "feed", "dash CPU", "stat CPU/call", "stat wall");
    for (const auto& sc : r.symbol_scaling) {
      if (!sc.ok) {
        std::printf("  %8u FAILED: %s\n", sc.symbols, sc.error.c_str());
        continue;
      }
      std::printf("  %8u %14s %15.2f%% %13.2f ms %11.2f ms\n", sc.symbols,
                  fmt_rate(sc.feed.rate_per_s).c_str(), sc.dash_cpu_percent, sc.stat_cpu_ms, sc.stat_wall_ms);
    }
  }
  if (r.feed) {
    if (r.feed->ok) {
      const std::string each = join(r.feed->run_rates, fmt_rate);
      std::printf("\nfeed: %s --rate max --count %llu: %s (median of %zu runs: %s)\n", r.feed->binary.c_str(),
                  static_cast<unsigned long long>(r.feed->count), fmt_rate(r.feed->rate_per_s).c_str(),
                  r.feed->run_rates.size(), each.c_str());
    } else {
      std::printf("\nfeed: FAILED: %s\n%s", r.feed->error.c_str(), r.feed->summary.c_str());
    }
  }
  std::printf("\nTARGETS.md, measured in this run\n");
  for (const auto& x : ratios) {
    if (!x.available) {
      std::printf("  %-62s %12s\n", x.what.c_str(), "n/a");
      continue;
    }
    const std::string target = fmt::format("{} {:g} {}", x.at_most ? "<=" : ">=", x.bound, x.unit);
    std::printf("  %-62s %9.3g %-5s %-14s %s\n", x.what.c_str(), x.value, x.unit.c_str(), target.c_str(),
                x.met ? "met" : "NOT MET");
  }
  std::fflush(stdout);
}

namespace {

Json latency_json(const LatencySummary& s) {
  return {{"p50_ns", s.p50_ns},
          {"p99_ns", s.p99_ns},
          {"p999_ns", s.p999_ns},
          {"max_ns", s.max_ns},
          {"count", s.count}};
}

}  // namespace

std::string to_json(const Report& r, const std::vector<Ratio>& ratios) {
  Json j;
  j["schema_version"] = kBenchSchemaVersion;
  j["tool"] = "tickshm-bench";
  j["machine"] = {{"date", r.machine.date},
                  {"cpu_model", r.machine.cpu_model},
                  {"online_cpus", r.machine.online_cpus},
                  {"kernel", r.machine.kernel}};
  Json reader_cpus = Json::array();
  for (std::size_t i = 0;
       i < std::max<std::size_t>(1, r.config.cpus.cpus.size() - (r.config.cpus.cpus.empty() ? 0 : 1)); ++i) {
    reader_cpus.push_back(r.config.cpus.reader(i));
  }
  j["config"] = {{"rate", r.config.rate},
                 {"latency_count", r.config.latency_count()},
                 {"throughput_seconds", r.config.throughput_s},
                 {"ring_capacity", r.config.ring_capacity},
                 {"symbols", r.config.symbols},
                 {"writer_cpu", r.config.cpus.writer()},
                 {"realtime", realtime()},
                 {"prefault", r.config.prefault},
                 {"adaptive_spin_ns", r.config.spin_ns},
                 {"reader_cpus", std::move(reader_cpus)}};
  j["floor"] = nullptr;
  if (r.floor) {
    j["floor"] = {{"ok", r.floor->ok},
                  {"error", r.floor->error},
                  {"one_way", latency_json(r.floor->one_way)},
                  {"bare_ring", latency_json(r.floor->bare_ring)},
                  {"bare_ring_lost", r.floor->bare_ring_lost},
                  {"cpu_away_percent", r.floor->cpu_away_percent},
                  {"cpu_gaps", r.floor->cpu_gaps},
                  {"cpu_longest_gap_ns", r.floor->cpu_longest_gap_ns}};
  }
  j["floor_bracket"] = nullptr;
  if (r.floor_bracket) {
    const FloorBracket& f = *r.floor_bracket;
    j["floor_bracket"] = {{"before_p50_ns", f.before_p50_ns},
                          {"after_p50_ns", f.after_p50_ns},
                          {"floor_p50_ns", f.floor_p50_ns()},
                          {"attempts", f.attempts},
                          {"agreed", f.agreed}};
  }
  Json& runs = j["runs"] = Json::array();
  for (const auto& o : r.runs) {
    Json percentiles = Json::array();
    for (const auto& [q, ns] : o.percentiles) percentiles.push_back(Json::array({q, ns}));
    Json per_reader = Json::array();
    for (const auto& f : o.per_reader) {
      per_reader.push_back({{"received", f.received},
                            {"lost", f.lost},
                            {"mismatches", f.mismatches},
                            {"rate_per_s", f.rate_per_s},
                            {"minor_faults", f.minor_faults},
                            {"latency", latency_json(f.latency)}});
    }
    runs.push_back({{"name", o.name},
                    {"transport", transport_name(o.transport)},
                    {"wait", o.transport == Transport::kTickshm ? wait_name(o.wait)
                             : spins(o.transport, o.wait)       ? "spin"
                                                                : "block"},
                    {"mode", mode_name(o.mode)},
                    {"readers", o.readers},
                    {"ok", o.ok},
                    {"skipped", o.skipped},
                    {"error", o.error},
                    {"published", o.published},
                    {"writer_seconds", o.writer_seconds},
                    {"writer_rate_per_s", o.writer_rate_per_s},
                    {"slowest_rate_per_s", o.slowest_rate_per_s},
                    {"lost_total", o.lost_total},
                    {"writer_minor_faults", o.writer_minor_faults},
                    {"latency", latency_json(o.latency)},
                    {"percentiles", std::move(percentiles)},
                    {"per_reader", std::move(per_reader)}});
  }
  j["lossless"] = nullptr;
  if (r.lossless) {
    const LosslessOutcome& l = *r.lossless;
    Json trials = Json::array();
    for (const auto& t : l.trials) {
      const bool one = t.run.per_reader.size() == 1;
      trials.push_back({{"offered_per_s", t.offered_per_s},
                        {"ok", t.run.ok},
                        {"error", t.run.error},
                        {"published", t.run.published},
                        {"writer_rate_per_s", t.run.writer_rate_per_s},
                        {"delivered_per_s", t.run.slowest_rate_per_s},
                        {"received", one ? t.run.per_reader[0].received : 0},
                        {"lost", t.run.lost_total}});
    }
    j["lossless"] = {{"ok", l.ok},
                     {"error", l.error},
                     {"flat_out_lossless", l.flat_out_lossless},
                     {"rate_per_s", l.rate_per_s},
                     {"trials", std::move(trials)}};
  }
  j["idle"] = nullptr;
  if (r.idle) {
    j["idle"] = {{"ok", r.idle->ok},
                 {"error", r.idle->error},
                 {"seconds", r.idle->seconds},
                 {"block_cpu_percent", r.idle->block_cpu_percent},
                 {"adaptive_cpu_percent", r.idle->adaptive_cpu_percent}};
  }
  Json& cost = j["writer_cost"] = Json::array();
  for (const auto& wc : r.writer_cost) {
    cost.push_back({{"readers", cost_readers_name(wc.readers)},
                    {"ok", wc.ok},
                    {"error", wc.error},
                    {"published", wc.published},
                    {"ns_per_tick", wc.ns_per_tick},
                    {"round_ns_per_tick", wc.round_ns},
                    {"reader_received", wc.reader_received},
                    {"reader_lost", wc.reader_lost}});
  }
  Json& cost_scaling = j["writer_cost_scaling"] = Json::array();
  for (const auto& wc : r.writer_cost_scaling) {
    cost_scaling.push_back({{"readers", wc.count},
                            {"ok", wc.ok},
                            {"error", wc.error},
                            {"published", wc.published},
                            {"ns_per_tick", wc.ns_per_tick},
                            {"round_ns_per_tick", wc.round_ns},
                            {"reader_received", wc.reader_received},
                            {"reader_lost", wc.reader_lost}});
  }
  Json& symbol_scaling = j["symbol_scaling"] = Json::array();
  for (const auto& sc : r.symbol_scaling) {
    symbol_scaling.push_back({{"symbols", sc.symbols},
                              {"ok", sc.ok},
                              {"error", sc.error},
                              {"feed_rate_per_s", sc.feed.rate_per_s},
                              {"feed_run_rates_per_s", sc.feed.run_rates},
                              {"dash_seconds", sc.dash_seconds},
                              {"dash_cpu_percent", sc.dash_cpu_percent},
                              {"stat_cpu_ms", sc.stat_cpu_ms},
                              {"stat_wall_ms", sc.stat_wall_ms}});
  }
  j["feed"] = nullptr;
  if (r.feed) {
    j["feed"] = {{"ok", r.feed->ok},
                 {"error", r.feed->error},
                 {"binary", r.feed->binary},
                 {"count", r.feed->count},
                 {"rate_per_s", r.feed->rate_per_s},
                 {"summary", r.feed->summary},
                 {"run_rates_per_s", r.feed->run_rates}};
  }
  Json& out = j["ratios"] = Json::array();
  for (const auto& x : ratios) {
    out.push_back({{"id", x.id},
                   {"what", x.what},
                   {"available", x.available},
                   {"value", x.available ? Json(x.value) : Json(nullptr)},
                   {"unit", x.unit},
                   {"target", std::string(x.at_most ? "<= " : ">= ") + std::to_string(x.bound)},
                   {"met", x.available && x.met}});
  }
  return dump_json(j, true) + "\n";
}

}  // namespace tickshm::bench
