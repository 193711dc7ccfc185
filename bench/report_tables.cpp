// The terminal report of a tickshm-bench run: the machine, the floor, every run (latency from the stamp
// and from the schedule, throughput), then side by side per reader count.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "report.hpp"
#include "report_extras.hpp"
#include "text_table.hpp"

namespace tickshm::bench {

namespace {

bool any_mode(const Report& r, Mode m) {
  return std::any_of(r.runs.begin(), r.runs.end(), [m](const RunOutcome& o) { return o.mode == m; });
}

// A run that has no figures: its row says why after its name and reader count.
bool note_unmeasured(TextTable& t, const RunOutcome& o) {
  if (!o.skipped && o.ok) return false;
  t.note({o.name, std::to_string(o.readers)}, (o.skipped ? "SKIPPED: " : "FAILED: ") + o.error);
  return true;
}

void print_floor(const Report& r) {
  if (r.floor) {
    fmt::print("\nfloor: cache-line ping-pong between two processes, one way (half a round trip)\n");
    const FloorOutcome& f = *r.floor;
    if (f.ok) {
      fmt::print("  p50 {}   p99 {}   p99.9 {}   max {}   ({} round trips)\n", fmt_ns(f.one_way.p50_ns),
                 fmt_ns(f.one_way.p99_ns), fmt_ns(f.one_way.p999_ns), fmt_ns(f.one_way.max_ns),
                 f.one_way.count);
      fmt::print(
          "bare ring: the latency run's pacing and stamps through a {}-slot ring of 64-byte slots, no "
          "library\n  p50 {}   p99 {}   p99.9 {}   max {}   ({} ticks, {} lost)\n",
          r.config.ring_capacity, fmt_ns(f.bare_ring.p50_ns), fmt_ns(f.bare_ring.p99_ns),
          fmt_ns(f.bare_ring.p999_ns), fmt_ns(f.bare_ring.max_ns), f.bare_ring.count, f.bare_ring_lost);
      fmt::print(
          "reader's CPU over {:.1f} s: away {:.2f}% of the time, {} gaps of 1 us or more, longest {}\n",
          static_cast<double>(kGapProbeNs) / 1e9, f.cpu_away_percent, f.cpu_gaps,
          fmt_ns(f.cpu_longest_gap_ns));
    } else {
      fmt::print("  FAILED: {}\n", f.error);
    }
  }
  if (r.floor_bracket) {
    const FloorBracket& f = *r.floor_bracket;
    fmt::print(
        "floor around the spin reader's latency run: p50 {} before, {} after ({}, attempt {} of {}){}\n",
        fmt_ns(f.before_p50_ns), fmt_ns(f.after_p50_ns), f.agreed ? "agree" : "disagree", f.attempts,
        kFloorAttempts, f.agreed ? "" : ": the host moved the processes between cores during the run");
  }
}

void print_latency(const Report& r) {
  if (!any_mode(r, Mode::kLatency)) return;
  fmt::print(
      "\none-way latency, publish -> reader (all readers merged), paced; from the writer's stamp, then "
      "from each tick's scheduled send time (corrected for coordinated omission)\n");
  TextTable t({{"transport", 18, true},
               {"readers", 7},
               {"p50", 10},
               {"p99", 10},
               {"p99.9", 10},
               {"max", 10},
               {"sched p50", 10},
               {"sched p99", 10},
               {"sched max", 10},
               {"received", 10},
               {"lost", 10},
               {"faults", 8}});
  for (const auto& o : r.runs) {
    if (o.mode != Mode::kLatency || note_unmeasured(t, o)) continue;
    std::uint64_t rec = 0, faults = o.writer_minor_faults;
    for (const auto& f : o.per_reader) {
      rec += f.received;
      faults += f.minor_faults;
    }
    const LatencySummary& l = o.latency;
    const LatencySummary& c = o.latency_corrected;
    t.row({o.name, std::to_string(o.readers), fmt_ns(l.p50_ns), fmt_ns(l.p99_ns), fmt_ns(l.p999_ns),
           fmt_ns(l.max_ns), fmt_ns(c.p50_ns), fmt_ns(c.p99_ns), fmt_ns(c.max_ns), std::to_string(rec),
           std::to_string(o.lost_total), std::to_string(faults)});
    if (o.published < r.config.latency_count()) {
      t.note({o.name, std::to_string(o.readers)},
             fmt::format("fell behind the pace: stopped after {} of {} ticks", o.published,
                         r.config.latency_count()));
    }
  }
  fmt::print("{}", t.render());
}

void print_throughput(const Report& r) {
  if (!any_mode(r, Mode::kThroughput)) return;
  fmt::print("\nflat-out throughput (delivered to the slowest reader)\n");
  TextTable t({{"transport", 18, true},
               {"readers", 7},
               {"delivered", 12},
               {"published", 12},
               {"writer", 12},
               {"lost", 10}});
  for (const auto& o : r.runs) {
    if (o.mode != Mode::kThroughput || note_unmeasured(t, o)) continue;
    t.row({o.name, std::to_string(o.readers), fmt_rate(o.slowest_rate_per_s), std::to_string(o.published),
           fmt_rate(o.writer_rate_per_s), std::to_string(o.lost_total)});
  }
  fmt::print("{}", t.render());
}

// One table of every transport (rows) at every reader count (columns), each cell cell(run).
template <class Cell>
void print_grid(const Report& r, Mode m, const std::string& title, Cell cell) {
  std::vector<std::size_t> counts;
  std::vector<std::string> names;
  for (const auto& o : r.runs) {
    if (std::find(counts.begin(), counts.end(), o.readers) == counts.end()) counts.push_back(o.readers);
    if (std::find(names.begin(), names.end(), o.name) == names.end()) names.push_back(o.name);
  }
  std::sort(counts.begin(), counts.end());
  std::vector<TextTable::Column> cols{{"readers", 18, true}};
  for (std::size_t n : counts) cols.push_back({std::to_string(n), 20});
  TextTable t(std::move(cols));
  for (const auto& name : names) {
    std::vector<std::string> cells{name};
    for (std::size_t n : counts) {
      const RunOutcome* run = nullptr;
      for (const auto& o : r.runs) {
        if (o.name == name && o.mode == m && o.readers == n) run = &o;
      }
      cells.push_back(!run ? "-" : run->skipped ? "skipped" : !run->ok ? "FAILED" : cell(*run));
    }
    t.row(std::move(cells));
  }
  fmt::print("\n{}\n{}", title, t.render());
}

// Every transport at every reader count: latency p50 / p99 and what was lost (from the stamp, then from
// the schedule), then flat-out throughput delivered to the slowest reader.
void print_side_by_side(const Report& r) {
  std::vector<std::size_t> counts;
  for (const auto& o : r.runs) {
    if (std::find(counts.begin(), counts.end(), o.readers) == counts.end()) counts.push_back(o.readers);
  }
  if (counts.size() < 2) return;
  const std::uint64_t scheduled = r.config.latency_count();
  auto latency_cell = [scheduled](const LatencySummary& l, const RunOutcome& o) {
    std::string cell = fmt_ns(l.p50_ns) + "/" + fmt_ns(l.p99_ns) + " (" + std::to_string(o.lost_total) + ")";
    return o.published < scheduled ? cell + " behind" : cell;
  };
  print_grid(r, Mode::kLatency, "side by side: latency p50 / p99 (lost), paced",
             [&](const RunOutcome& o) { return latency_cell(o.latency, o); });
  print_grid(r, Mode::kLatency, "side by side: latency p50 / p99 (lost) from the scheduled send time",
             [&](const RunOutcome& o) { return latency_cell(o.latency_corrected, o); });
  print_grid(r, Mode::kThroughput, "side by side: flat-out throughput to the slowest reader (lost)",
             [](const RunOutcome& o) {
               return fmt_rate(o.slowest_rate_per_s) + " (" + std::to_string(o.lost_total) + ")";
             });
}

}  // namespace

void print_tables(const Report& r, const std::vector<Ratio>& ratios) {
  fmt::print("\ntickshm-bench  {}  |  {}  |  {} CPUs  |  {}\n", r.machine.date, r.machine.cpu_model,
             r.machine.online_cpus, r.machine.kernel);
  fmt::print("writer on CPU {}, readers on CPU {}{}{}; latency runs paced at {} ticks/s; ring {} ticks\n",
             r.config.cpus.writer(), r.config.cpus.reader(0), r.config.cpus.cpus.size() > 2 ? " and up" : "",
             realtime() ? ", SCHED_RR" : "", r.config.rate, r.config.ring_capacity);
  print_floor(r);
  print_latency(r);
  print_throughput(r);
  print_lossless(r);
  print_idle_and_writer_cost(r);
  print_side_by_side(r);
  print_symbols_and_feed(r);
  print_targets(ratios);
  std::fflush(stdout);
}

}  // namespace tickshm::bench
