// The terminal report's sections after the runs: see report_extras.hpp.
#include "report_extras.hpp"

#include <fmt/format.h>

#include "text_table.hpp"

namespace tickshm::bench {

namespace {

// "a, b, c": each value formatted by f.
template <class F>
std::string join(const std::vector<double>& values, F f) {
  std::string out;
  for (double v : values) out += (out.empty() ? "" : ", ") + f(v);
  return out;
}

}  // namespace

void print_lossless(const Report& r) {
  if (!r.lossless) return;
  const LosslessOutcome& l = *r.lossless;
  fmt::print("\nlossless throughput, 1 spin reader (RFC 2544: the highest offered rate with 0 lost)\n");
  if (l.flat_out_lossless) {
    fmt::print("  the flat-out run lost nothing: {}\n", fmt_rate(l.rate_per_s));
    return;
  }
  for (const auto& t : l.trials) {
    if (!t.run.ok) {
      fmt::print("  offered {:>12}  FAILED: {}\n", fmt_rate(t.offered_per_s), t.run.error);
      continue;
    }
    fmt::print("  offered {:>12}  writer {:>12}  delivered {:>12}  lost {}\n", fmt_rate(t.offered_per_s),
               fmt_rate(t.run.writer_rate_per_s), fmt_rate(t.run.slowest_rate_per_s), t.run.lost_total);
  }
  fmt::print("  => {}\n", l.rate_per_s > 0 ? fmt_rate(l.rate_per_s) : "every trial lost ticks");
}

void print_idle_and_writer_cost(const Report& r) {
  if (r.idle) {
    if (r.idle->ok) {
      fmt::print("\nidle readers over {:.1f} s: block {:.3f}% CPU, adaptive {:.3f}% CPU\n", r.idle->seconds,
                 r.idle->block_cpu_percent, r.idle->adaptive_cpu_percent);
    } else {
      fmt::print("\nidle readers: FAILED: {}\n", r.idle->error);
    }
  }
  if (!r.writer_cost.empty()) {
    fmt::print("\nwriter cost per tick, flat out, publish + wake_sleepers every tick\n");
    for (const auto& wc : r.writer_cost) {
      if (!wc.ok) {
        fmt::print("  reader {:<9} FAILED: {}\n", cost_readers_name(wc.readers), wc.error);
        continue;
      }
      const std::string each = join(wc.round_ns, [](double v) { return fmt::format("{:.1f}", v); });
      fmt::print("  reader {:<9} {:7.1f} ns/tick  (median of {} rounds: {}; {} ticks)\n",
                 cost_readers_name(wc.readers), wc.ns_per_tick, wc.round_ns.size(), each, wc.published);
    }
  }
  if (!r.writer_cost_scaling.empty()) {
    fmt::print(
        "\nwriter cost per tick with N block readers asleep (paced at {} ticks/s; publish + wake_sleepers), "
        "fan-out (the writer wakes one, the readers the rest) against wake-all\n",
        r.config.wake_rate);
    for (const auto& wc : r.writer_cost_scaling) {
      if (!wc.ok) {
        fmt::print("  {:3} readers {:<8} FAILED: {}\n", wc.count, wake_mode_name(wc.wake), wc.error);
        continue;
      }
      fmt::print(
          "  {:3} readers {:<8} {:7.1f} ns/tick  {:5.1f} asleep/tick  readers p50 {:>9} p99 {:>9}  (median "
          "of {} "
          "rounds; {} ticks, readers lost {})\n",
          wc.count, wake_mode_name(wc.wake), wc.ns_per_tick, wc.asleep_per_tick, fmt_ns(wc.reader_p50_ns),
          fmt_ns(wc.reader_p99_ns), wc.round_ns.size(), wc.published, wc.reader_lost);
    }
  }
}

void print_symbols_and_feed(const Report& r) {
  if (!r.symbol_scaling.empty()) {
    fmt::print("\nsymbols: feed flat out, and the dashboard and tickshm-stat with that feed running\n");
    TextTable t({{"symbols", 8}, {"feed", 14}, {"dash CPU", 16}, {"stat CPU/call", 16}, {"stat wall", 14}});
    for (const auto& sc : r.symbol_scaling) {
      if (!sc.ok) {
        t.note({std::to_string(sc.symbols)}, "FAILED: " + sc.error);
        continue;
      }
      t.row({std::to_string(sc.symbols), fmt_rate(sc.feed.rate_per_s),
             fmt::format("{:.2f}%", sc.dash_cpu_percent), fmt::format("{:.2f} ms", sc.stat_cpu_ms),
             fmt::format("{:.2f} ms", sc.stat_wall_ms)});
    }
    fmt::print("{}", t.render());
  }
  if (r.feed) {
    if (r.feed->ok) {
      fmt::print("\nfeed: {} --rate max --count {}: {} (median of {} runs: {})\n", r.feed->binary,
                 r.feed->count, fmt_rate(r.feed->rate_per_s), r.feed->run_rates.size(),
                 join(r.feed->run_rates, fmt_rate));
    } else {
      fmt::print("\nfeed: FAILED: {}\n{}", r.feed->error, r.feed->summary);
    }
  }
}

void print_targets(const std::vector<Ratio>& ratios) {
  fmt::print("\nTARGETS.md, measured in this run\n");
  for (const auto& x : ratios) {
    if (!x.available) {
      fmt::print("  {:<62} {:>12}\n", x.what, "n/a");
      continue;
    }
    const std::string target = fmt::format("{} {:g} {}", x.at_most ? "<=" : ">=", x.bound, x.unit);
    fmt::print("  {:<62} {:9.3g} {:<5} {:<14} {}\n", x.what, x.value, x.unit, target,
               x.met ? "met" : "NOT MET");
  }
}

}  // namespace tickshm::bench
