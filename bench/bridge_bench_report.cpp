// tickshm-bench --bridge: the tick each run sends, and the printed table and JSON of the runs.
#include <cstdio>
#include <fstream>

#include "bridge_bench_figures.hpp"

namespace tickshm::bench::bridge_bench {

TickRecord bench_tick(std::uint64_t s) {
  TickRecord t{};
  t.symbol = static_cast<std::uint32_t>(s % 20);
  t.kind = static_cast<std::uint8_t>(TickKind::kQuote);
  t.bid = 1'000'000;
  t.ask = 1'000'100;
  t.bid_size = 100;
  t.ask_size = 100;
  return t;
}

bool print_rows(const std::vector<Figures>& all) {
  std::printf("\n%-44s %10s %10s %9s %9s %13s %9s %9s %9s %9s\n", "run", "sent", "received", "lost", "unacc.",
              "ticks/s", "p50 us", "p99 us", "p99.9 us", "max us");
  bool ok = true;
  for (const Figures& f : all) {
    ok &= f.ok;
    std::printf("%-44s %10llu %10llu %9llu %9llu %13.0f %9.1f %9.1f %9.1f %9.1f%s\n", f.name.c_str(),
                static_cast<unsigned long long>(f.sent), static_cast<unsigned long long>(f.received),
                static_cast<unsigned long long>(f.lost), static_cast<unsigned long long>(f.unaccounted),
                f.ticks_per_s, static_cast<double>(f.p50) / 1e3, static_cast<double>(f.p99) / 1e3,
                static_cast<double>(f.p999) / 1e3, static_cast<double>(f.max) / 1e3, f.ok ? "" : "  FAILED");
  }
  if (all.size() > 1 && all[1].ticks_per_s > 0)
    std::printf("bridge / plain NATS throughput (flat out, delivered ticks/s): %.1fx\n",
                all[0].ticks_per_s / all[1].ticks_per_s);
  return ok;
}

void write_json(const std::vector<Figures>& all, const std::string& path) {
  std::ofstream j(path);
  j << "{\"bridge_runs\":[";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Figures& f = all[i];
    j << (i ? "," : "") << "{\"name\":\"" << f.name << "\",\"ok\":" << (f.ok ? "true" : "false")
      << ",\"sent\":" << f.sent << ",\"received\":" << f.received << ",\"lost\":" << f.lost
      << ",\"unaccounted\":" << f.unaccounted << ",\"seconds\":" << f.seconds
      << ",\"ticks_per_s\":" << f.ticks_per_s << ",\"p50_ns\":" << f.p50 << ",\"p99_ns\":" << f.p99
      << ",\"p999_ns\":" << f.p999 << ",\"max_ns\":" << f.max << "}";
  }
  j << "]}\n";
}

}  // namespace tickshm::bench::bridge_bench
