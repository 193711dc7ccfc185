// tickshm-bench --bridge: plain NATS, one message per tick, the baseline the bridge is measured against.
#include "plain_nats_run.hpp"

#include <nats/nats.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "bridge_bench_proc.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/histogram.hpp"

namespace tickshm::bench::bridge_bench {
namespace {

struct PlainSub {
  std::atomic<std::uint64_t> got{0};
  LatencyHistogram hist;
  std::atomic<std::uint64_t> last_ns{0};
};

void on_plain(natsConnection*, natsSubscription*, natsMsg* m, void* closure) {
  auto* p = static_cast<PlainSub*>(closure);
  if (natsMsg_GetDataLength(m) == sizeof(TickRecord)) {
    TickRecord t;
    std::memcpy(&t, natsMsg_GetData(m), sizeof t);
    const std::uint64_t now = unix_now_ns();
    p->hist.record(now > t.event_ns ? now - t.event_ns : 0);
  }
  // got last: once the main thread sees every tick counted, this callback writes no more into *p.
  p->last_ns.store(now_ns(), std::memory_order_relaxed);
  p->got.fetch_add(1, std::memory_order_release);
  natsMsg_Destroy(m);
}

}  // namespace

// Plain NATS: one 64-byte message per tick, one publisher connection, one subscriber connection.
Figures plain_run(const std::string& url, int server_pid, const BridgeBenchOptions& o, bool paced) {
  Figures f;
  f.transport = "plain NATS";
  f.paced = paced;
  f.name = std::string("plain NATS, 1 msg/tick ") +
           (paced ? "paced " + std::to_string(o.latency_rate / 1000) + "k/s" : "flat out");
  natsConnection *pc = nullptr, *sc = nullptr;
  natsSubscription* sub = nullptr;
  PlainSub ps;
  if (natsConnection_ConnectTo(&pc, url.c_str()) != NATS_OK ||
      natsConnection_ConnectTo(&sc, url.c_str()) != NATS_OK) {
    natsConnection_Destroy(pc);
    natsConnection_Destroy(sc);
    return f;
  }
  natsConnection_Subscribe(&sub, sc, "bench.plain", on_plain, &ps);
  natsSubscription_SetPendingLimits(sub, 1 << 22, 1 << 30);
  natsConnection_Flush(sc);
  const std::uint64_t n = paced
                              ? static_cast<std::uint64_t>(o.latency_s * static_cast<double>(o.latency_rate))
                              : o.throughput_ticks;
  const std::vector<std::pair<std::string, int>> pids = {{"bench", ::getpid()}, {"nats-server", server_pid}};
  const std::vector<std::uint64_t> cpu_before = cpu_now(pids);
  const std::uint64_t start = now_ns();
  std::uint64_t errors = 0;
  for (std::uint64_t s = 1; s <= n; ++s) {
    if (paced) {
      const std::uint64_t at =
          start + static_cast<std::uint64_t>(static_cast<unsigned __int128>(s) * kNsPerSec / o.latency_rate);
      while (now_ns() < at) {
      }
    } else {
      wait_for_window(s, ps.got);
    }
    TickRecord t = bench_tick(s);
    t.seq = s;
    t.event_ns = unix_now_ns();
    if (natsConnection_Publish(pc, "bench.plain", &t, sizeof t) != NATS_OK) ++errors;
  }
  natsConnection_Flush(pc);
  wait_until([&] { return ps.got.load() >= n || now_ns() - ps.last_ns.load() > 500 * kNsPerMs; },
             60 * kNsPerSec);
  f.cpu = cpu_per_tick(pids, cpu_before, n);
  int64_t dropped = 0;
  natsSubscription_GetDropped(sub, &dropped);
  // Drained, not only unsubscribed: the delivery thread has returned from on_plain before ps, on this
  // stack, goes away (a late callback would write into whatever the stack holds next).
  if (natsSubscription_DrainTimeout(sub, 2000) == NATS_OK) {
    natsSubscription_WaitForDrainCompletion(sub, 3000);
  } else {
    natsSubscription_Unsubscribe(sub);
  }
  natsSubscription_Destroy(sub);
  natsConnection_Destroy(pc);
  natsConnection_Destroy(sc);
  f.sent = n;
  f.received = ps.got.load();
  f.lost = n - std::min(n, f.received);
  const std::uint64_t last = ps.last_ns.load();
  f.seconds = static_cast<double>((last > start ? last : now_ns()) - start) / 1e9;
  f.ticks_per_s = f.seconds > 0 ? static_cast<double>(f.received) / f.seconds : 0;
  f.p50 = ps.hist.percentile(0.5);
  f.p99 = ps.hist.percentile(0.99);
  f.p999 = ps.hist.percentile(0.999);
  f.max = ps.hist.max();
  f.ok = errors == 0;
  return f;
}

}  // namespace tickshm::bench::bridge_bench
