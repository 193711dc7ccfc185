// tickshm-bench --bridge: the bridge pipeline end to end. The writer stamps each tick's event_ns with
// CLOCK_REALTIME, the reader on the bridged segment subtracts it: one machine, one clock, so the
// difference is the added latency.
#include "bridge_pipeline.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bridge_bench_proc.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/histogram.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/subscriber.hpp"

namespace tickshm::bench::bridge_bench {
namespace {

// After the writer is done and the in side settled: how long the reader waits without a new tick.
constexpr std::uint64_t kReaderIdleNs = 500 * kNsPerMs;

}  // namespace

Figures bridge_run(const std::string& bin, const std::string& url, int server_pid,
                   const BridgeBenchOptions& o, std::uint32_t batch, bool paced, const std::string& tag,
                   bool jetstream) {
  Figures f;
  f.transport = jetstream ? "bridge JetStream" : "bridge";
  f.paced = paced;
  f.batch = batch;
  f.linger_us = o.linger_us;
  f.name = fmt::format("{} (batch {}, linger {} us) {}", f.transport, batch, o.linger_us,
                       paced ? fmt::format("paced {}k/s", o.latency_rate / 1000) : "flat out");
  const std::string up = "bbench-up-" + std::to_string(::getpid()) + "-" + tag;
  const std::string down = "bbench-down-" + std::to_string(::getpid()) + "-" + tag;
  PublisherOptions po;
  po.segment = up;
  for (int i = 0; i < 20; ++i) po.symbols.push_back({"S" + std::to_string(i), 1'000'000, 100});
  po.ring_capacity = 1u << 20;
  auto pub = Publisher::create(po);
  if (!pub) return f;
  Proc in, out;
  const std::string dir = "/tmp/" + up;
  std::filesystem::create_directories(dir);
  std::vector<std::string> js;
  if (jetstream) js = {"--jetstream", "B" + std::to_string(::getpid()) + tag};
  std::vector<std::string> in_args = {bin + "/tickshm-bridge", "--segment", down, "--nats", url};
  in_args.insert(in_args.end(), js.begin(), js.end());
  in_args.insert(in_args.end(), {"in", "--remote-feed", up, "--ring-capacity", std::to_string(1u << 20)});
  std::vector<std::string> out_args = {bin + "/tickshm-bridge", "--segment", up, "--nats", url};
  out_args.insert(out_args.end(), js.begin(), js.end());
  out_args.insert(out_args.end(), {"out", "--wait", "adaptive", "--batch", std::to_string(batch), "--linger",
                                   std::to_string(o.linger_us)});
  in.start(in_args, dir + "/in.log");
  out.start(out_args, dir + "/out.log");
  auto status = [&](const std::string& seg, BridgeDirection d) -> std::optional<BridgeStatusSnapshot> {
    for (auto& s : read_bridge_statuses(seg))
      if (s.direction == d) return s;
    return std::nullopt;
  };
  const bool ready = wait_until(
      [&] {
        auto i = status(down, BridgeDirection::kIn);
        auto x = status(up, BridgeDirection::kOut);
        return i && x && i->connected && x->connected && i->heartbeat_ns != 0;
      },
      10 * kNsPerSec);
  // The out side registered as a reader: wait for it, then a first tick creates the local segment.
  const bool attached = ready && wait_until([&] { return !pub->readers().empty(); }, 10 * kNsPerSec);
  if (!attached) return f;
  TickRecord t0 = bench_tick(0);
  t0.publish_ns = now_ns();
  t0.event_ns = unix_now_ns();
  pub->publish_and_wake(t0);
  SubscriberOptions so;
  so.segment = down;
  so.name = "bench-reader";
  so.role = "bench";
  so.wait = WaitStrategy::kAdaptive;
  auto sub = Subscriber::create(so);
  if (!sub) return f;
  if (!wait_until([&] { return sub->try_attach().ok(); }, 10 * kNsPerSec)) return f;

  const std::uint64_t n = paced
                              ? static_cast<std::uint64_t>(o.latency_s * static_cast<double>(o.latency_rate))
                              : o.throughput_ticks;
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> in_lost{0};  // the in side's counted loss, once the writer is done
  LatencyHistogram hist;
  std::atomic<std::uint64_t> got{0};  // the writer's window reads it
  std::uint64_t last_seen_ns = 0;
  const std::vector<std::pair<std::string, int>> pids = {
      {"bench", ::getpid()}, {"out", out.pid}, {"nats-server", server_pid}, {"in", in.pid}};
  const std::vector<std::uint64_t> cpu_before = cpu_now(pids);
  // Reads until every tick is accounted for (received, lapped here, or counted lost by the in side)
  // once the writer is done, or until kReaderIdleNs pass without a tick after that: a slow pipeline
  // still delivering is waited for, a stalled one is not.
  std::thread reader([&] {
    TickRecord t;
    std::uint64_t idle_from = 0;  // set once done: the later of then and the last tick
    for (;;) {
      if (done.load(std::memory_order_acquire)) {
        if (got.load() + sub->total_lost() + in_lost.load(std::memory_order_relaxed) >= n) break;
        const std::uint64_t now = now_ns();
        if (idle_from == 0) idle_from = now;
        if (now - idle_from >= kReaderIdleNs) break;
      }
      if (sub->next(t, now_ns() + 20 * kNsPerMs) != Subscriber::Next::kTick) continue;
      if (t.event_ns == 0) continue;
      const std::uint64_t now = unix_now_ns();
      hist.record(now > t.event_ns ? now - t.event_ns : 0);
      got.fetch_add(1, std::memory_order_release);
      last_seen_ns = now_ns();
      if (idle_from != 0) idle_from = last_seen_ns;
      if (got.load() >= n) break;
    }
  });
  const std::uint64_t start = now_ns();
  for (std::uint64_t s = 1; s <= n; ++s) {
    if (paced) {
      const std::uint64_t at =
          start + static_cast<std::uint64_t>(static_cast<unsigned __int128>(s) * kNsPerSec / o.latency_rate);
      while (now_ns() < at) {
      }
    } else {
      wait_for_window(s, got);
    }
    TickRecord t = bench_tick(s);
    t.publish_ns = now_ns();
    t.event_ns = unix_now_ns();
    pub->publish(t);
    if (paced || (s & 63) == 0) pub->wake_sleepers();
    if ((s & 0xFFFF) == 0) pub->heartbeat(now_ns());
  }
  pub->wake_sleepers();
  // Settled: the in side accounts for every tick (written or lost).
  wait_until(
      [&] {
        pub->heartbeat(now_ns());
        auto i = status(down, BridgeDirection::kIn);
        return i && i->ticks + i->lost_ticks >= n + 1;
      },
      30 * kNsPerSec);
  if (const auto settled = status(down, BridgeDirection::kIn))
    in_lost.store(settled->lost_ticks, std::memory_order_relaxed);
  done.store(true, std::memory_order_release);
  reader.join();
  f.cpu = cpu_per_tick(pids, cpu_before, n);
  const auto i = status(down, BridgeDirection::kIn);
  f.sent = n;
  f.received = got.load();
  f.lost = (i ? i->lost_ticks : 0) + sub->total_lost();  // NATS's gaps, then the local reader's laps
  f.unaccounted = unaccounted_ticks(f.sent, f.received, f.lost);
  f.seconds = static_cast<double>((last_seen_ns > start ? last_seen_ns : now_ns()) - start) / 1e9;
  f.ticks_per_s = f.seconds > 0 ? static_cast<double>(f.received) / f.seconds : 0;
  f.p50 = hist.percentile(0.5);
  f.p99 = hist.percentile(0.99);
  f.p999 = hist.percentile(0.999);
  f.max = hist.max();
  f.ok = i.has_value();
  out.stop();
  in.stop();
  std::filesystem::remove_all(dir);
  return f;
}

}  // namespace tickshm::bench::bridge_bench
