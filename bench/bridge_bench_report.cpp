// tickshm-bench --bridge: the tick each run sends, the writer's window, and the printed table and JSON.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "bridge_bench_figures.hpp"
#include "cpu_time.hpp"
#include "tickshm/clock.hpp"

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

void wait_for_window(std::uint64_t s, const std::atomic<std::uint64_t>& received) {
  if (s <= kWindowTicks + received.load(std::memory_order_acquire)) return;
  const std::uint64_t since = now_ns();
  while (s > kWindowTicks + received.load(std::memory_order_acquire) && now_ns() - since < kWindowStallNs)
    std::this_thread::sleep_for(std::chrono::microseconds(20));
}

std::vector<std::uint64_t> cpu_now(const std::vector<std::pair<std::string, int>>& pids) {
  std::vector<std::uint64_t> out;
  for (const auto& [who, pid] : pids) out.push_back(process_cpu_ns(pid));
  return out;
}

std::vector<Figures::Cpu> cpu_per_tick(const std::vector<std::pair<std::string, int>>& pids,
                                       const std::vector<std::uint64_t>& before, std::uint64_t ticks) {
  std::vector<Figures::Cpu> out;
  const std::vector<std::uint64_t> after = cpu_now(pids);
  for (std::size_t i = 0; i < pids.size() && i < before.size(); ++i) {
    const std::uint64_t used = after[i] > before[i] ? after[i] - before[i] : 0;
    out.push_back({pids[i].first, ticks ? static_cast<double>(used) / static_cast<double>(ticks) : 0});
  }
  return out;
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
  std::printf(
      "\nCPU per tick sent, ns (each process's CPU time over the run; the bench holds writer and "
      "reader):\n");
  for (const Figures& f : all) {
    double total = 0;
    std::string parts;
    for (const Figures::Cpu& c : f.cpu) {
      total += c.ns_per_tick;
      parts += fmt::format("  {} {:.0f}", c.who, c.ns_per_tick);
    }
    std::printf("%-44s total %6.0f:%s\n", f.name.c_str(), total, parts.c_str());
  }
  double plain = 0;
  for (const Figures& f : all)
    if (f.transport == "plain NATS" && !f.paced) plain = f.ticks_per_s;
  for (const Figures& f : all)
    if (f.transport == "bridge" && !f.paced && plain > 0)
      std::printf("bridge batch %u / plain NATS throughput (flat out, delivered ticks/s): %.1fx\n", f.batch,
                  f.ticks_per_s / plain);
  return ok;
}

void write_json(const std::vector<Figures>& all, const std::string& path) {
  std::ofstream j(path);
  j << "{\"bridge_runs\":[";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Figures& f = all[i];
    j << (i ? "," : "") << "{\"name\":\"" << f.name << "\",\"transport\":\"" << f.transport
      << "\",\"paced\":" << (f.paced ? "true" : "false") << ",\"batch\":" << f.batch
      << ",\"linger_us\":" << f.linger_us << ",\"ok\":" << (f.ok ? "true" : "false") << ",\"sent\":" << f.sent
      << ",\"received\":" << f.received << ",\"lost\":" << f.lost << ",\"unaccounted\":" << f.unaccounted
      << ",\"seconds\":" << f.seconds << ",\"ticks_per_s\":" << f.ticks_per_s << ",\"p50_ns\":" << f.p50
      << ",\"p99_ns\":" << f.p99 << ",\"p999_ns\":" << f.p999 << ",\"max_ns\":" << f.max
      << ",\"cpu_ns_per_tick\":{";
    for (std::size_t c = 0; c < f.cpu.size(); ++c)
      j << (c ? "," : "") << "\"" << f.cpu[c].who << "\":" << f.cpu[c].ns_per_tick;
    j << "}}";
  }
  j << "]}\n";
}

}  // namespace tickshm::bench::bridge_bench
