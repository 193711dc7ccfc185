// tickshm-bench --bridge: the bridge end to end against plain NATS (one message per tick), same run.
// The writer stamps each tick's event_ns with CLOCK_REALTIME, the reader on the bridged segment
// subtracts it: one machine, one clock, so the difference is the added latency.
#include "bridge_runs.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nats/nats.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "tickshm/bridge_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/histogram.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/subscriber.hpp"

extern char** environ;

namespace tickshm::bench {
namespace {

struct Proc {
  pid_t pid = -1;
  Proc() = default;
  Proc(const Proc&) = delete;
  Proc& operator=(const Proc&) = delete;
  ~Proc() { stop(); }
  bool start(const std::vector<std::string>& argv, const std::string& log) {
    std::vector<char*> a;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    const int rc = posix_spawn(&pid, a[0], &fa, nullptr, a.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0;
  }
  void stop() {
    if (pid <= 0) return;
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(pid, nullptr, WNOHANG) == pid) {
        pid = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    pid = -1;
  }
};

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

bool wait_until(const std::function<bool()>& pred, std::uint64_t timeout_ns) {
  const std::uint64_t end = now_ns() + timeout_ns;
  while (now_ns() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

struct Figures {
  std::string name;
  bool ok = false;
  std::uint64_t sent = 0, received = 0, lost = 0;
  double seconds = 0, ticks_per_s = 0;
  std::uint64_t p50 = 0, p99 = 0, p999 = 0, max = 0;
};

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

// The bridge: a Publisher on `up`, bridge out and in as processes, a spin Subscriber on `down`.
// jetstream: both bridges with --jetstream (out's publishes acknowledged by the server's store).
Figures bridge_run(const std::string& bin, const std::string& url, const BridgeBenchOptions& o, bool paced,
                   const std::string& tag, bool jetstream = false) {
  Figures f;
  f.name = std::string(jetstream ? "bridge JetStream" : "bridge") + " (batch " + std::to_string(o.batch) +
           ", linger " + std::to_string(o.linger_us) + " us) " +
           (paced ? "paced " + std::to_string(o.latency_rate / 1000) + "k/s" : "flat out");
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
  out_args.insert(out_args.end(), {"out", "--wait", "adaptive", "--batch", std::to_string(o.batch),
                                   "--linger", std::to_string(o.linger_us)});
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
  LatencyHistogram hist;
  std::uint64_t got = 0, last_seen_ns = 0;
  std::thread reader([&] {
    TickRecord t;
    std::uint64_t deadline = 0;
    while (!done.load(std::memory_order_relaxed) || now_ns() < deadline) {
      if (done.load(std::memory_order_relaxed) && deadline == 0) deadline = now_ns() + 500 * kNsPerMs;
      if (sub->next(t, now_ns() + 20 * kNsPerMs) != Subscriber::Next::kTick) continue;
      if (t.event_ns == 0) continue;
      const std::uint64_t now = unix_now_ns();
      hist.record(now > t.event_ns ? now - t.event_ns : 0);
      ++got;
      last_seen_ns = now_ns();
      if (got >= n) break;
    }
  });
  const std::uint64_t start = now_ns();
  for (std::uint64_t s = 1; s <= n; ++s) {
    if (paced) {
      const std::uint64_t at =
          start + static_cast<std::uint64_t>(static_cast<unsigned __int128>(s) * kNsPerSec / o.latency_rate);
      while (now_ns() < at) {
      }
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
  done = true;
  reader.join();
  const auto i = status(down, BridgeDirection::kIn);
  f.sent = n;
  f.received = got;
  f.lost = (i ? i->lost_ticks : 0) + sub->total_lost();  // NATS's gaps, then the local reader's laps
  f.seconds = static_cast<double>((last_seen_ns > start ? last_seen_ns : now_ns()) - start) / 1e9;
  f.ticks_per_s = f.seconds > 0 ? static_cast<double>(got) / f.seconds : 0;
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
  p->got.fetch_add(1, std::memory_order_relaxed);
  p->last_ns.store(now_ns(), std::memory_order_relaxed);
  natsMsg_Destroy(m);
}

// Plain NATS: one 64-byte message per tick, one publisher connection, one subscriber connection.
Figures plain_run(const std::string& url, const BridgeBenchOptions& o, bool paced) {
  Figures f;
  f.name = std::string("plain NATS, 1 msg/tick ") +
           (paced ? "paced " + std::to_string(o.latency_rate / 1000) + "k/s" : "flat out");
  natsConnection *pc = nullptr, *sc = nullptr;
  natsSubscription* sub = nullptr;
  PlainSub ps;
  if (natsConnection_ConnectTo(&pc, url.c_str()) != NATS_OK ||
      natsConnection_ConnectTo(&sc, url.c_str()) != NATS_OK)
    return f;
  natsConnection_Subscribe(&sub, sc, "bench.plain", on_plain, &ps);
  natsSubscription_SetPendingLimits(sub, 1 << 22, 1 << 30);
  natsConnection_Flush(sc);
  const std::uint64_t n = paced
                              ? static_cast<std::uint64_t>(o.latency_s * static_cast<double>(o.latency_rate))
                              : o.throughput_ticks;
  const std::uint64_t start = now_ns();
  std::uint64_t errors = 0;
  for (std::uint64_t s = 1; s <= n; ++s) {
    if (paced) {
      const std::uint64_t at =
          start + static_cast<std::uint64_t>(static_cast<unsigned __int128>(s) * kNsPerSec / o.latency_rate);
      while (now_ns() < at) {
      }
    }
    TickRecord t = bench_tick(s);
    t.seq = s;
    t.event_ns = unix_now_ns();
    if (natsConnection_Publish(pc, "bench.plain", &t, sizeof t) != NATS_OK) ++errors;
  }
  natsConnection_Flush(pc);
  wait_until([&] { return ps.got.load() >= n || now_ns() - ps.last_ns.load() > 500 * kNsPerMs; },
             60 * kNsPerSec);
  int64_t dropped = 0;
  natsSubscription_GetDropped(sub, &dropped);
  natsSubscription_Unsubscribe(sub);
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

}  // namespace

int run_bridge_bench(const BridgeBenchOptions& o) {
  std::string server;
  for (const char* p : {"/usr/bin/nats-server", "/usr/sbin/nats-server", "/usr/local/bin/nats-server"})
    if (std::filesystem::exists(p)) server = p;
  if (server.empty()) {
    std::fprintf(stderr, "tickshm-bench --bridge: nats-server is not installed\n");
    return 2;
  }
  std::error_code ec;
  const std::string bin = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path().string();
  const int port = free_port();
  const std::string url = "nats://127.0.0.1:" + std::to_string(port);
  // JetStream on (a store of its own, removed at the end) for the JetStream runs; core runs ignore it.
  const std::string store = "/tmp/tickshm-bbench-js-" + std::to_string(::getpid());
  Proc nats;
  nats.start({server, "-a", "127.0.0.1", "-p", std::to_string(port), "-js", "-sd", store}, "/dev/null");
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    natsConnection* c = nullptr;
    up = natsConnection_ConnectTo(&c, url.c_str()) == NATS_OK;
    natsConnection_Destroy(c);
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!up) {
    std::fprintf(stderr, "tickshm-bench --bridge: nats-server did not start\n");
    return 1;
  }
  std::vector<Figures> all;
  std::fprintf(stderr, "bridge bench: flat out, %llu ticks\n",
               static_cast<unsigned long long>(o.throughput_ticks));
  all.push_back(bridge_run(bin, url, o, false, "flat"));
  all.push_back(plain_run(url, o, false));
  std::fprintf(stderr, "bridge bench: paced at %llu ticks/s for %.1f s\n",
               static_cast<unsigned long long>(o.latency_rate), o.latency_s);
  all.push_back(bridge_run(bin, url, o, true, "paced"));
  all.push_back(plain_run(url, o, true));
  std::fprintf(stderr, "bridge bench: JetStream (acknowledged publishes), flat out and paced\n");
  all.push_back(bridge_run(bin, url, o, false, "jsflat", true));
  all.push_back(bridge_run(bin, url, o, true, "jspaced", true));
  nats.stop();
  std::filesystem::remove_all(store);

  std::printf("\n%-44s %10s %10s %9s %13s %9s %9s %9s %9s\n", "run", "sent", "received", "lost", "ticks/s",
              "p50 us", "p99 us", "p99.9 us", "max us");
  bool ok = true;
  for (const Figures& f : all) {
    ok &= f.ok;
    std::printf("%-44s %10llu %10llu %9llu %13.0f %9.1f %9.1f %9.1f %9.1f%s\n", f.name.c_str(),
                static_cast<unsigned long long>(f.sent), static_cast<unsigned long long>(f.received),
                static_cast<unsigned long long>(f.lost), f.ticks_per_s, static_cast<double>(f.p50) / 1e3,
                static_cast<double>(f.p99) / 1e3, static_cast<double>(f.p999) / 1e3,
                static_cast<double>(f.max) / 1e3, f.ok ? "" : "  FAILED");
  }
  if (all[1].ticks_per_s > 0)
    std::printf("bridge / plain NATS throughput (flat out, delivered ticks/s): %.1fx\n",
                all[0].ticks_per_s / all[1].ticks_per_s);
  if (!o.json.empty()) {
    std::ofstream j(o.json);
    j << "{\"bridge_runs\":[";
    for (std::size_t i = 0; i < all.size(); ++i) {
      const Figures& f = all[i];
      j << (i ? "," : "") << "{\"name\":\"" << f.name << "\",\"ok\":" << (f.ok ? "true" : "false")
        << ",\"sent\":" << f.sent << ",\"received\":" << f.received << ",\"lost\":" << f.lost
        << ",\"seconds\":" << f.seconds << ",\"ticks_per_s\":" << f.ticks_per_s << ",\"p50_ns\":" << f.p50
        << ",\"p99_ns\":" << f.p99 << ",\"p999_ns\":" << f.p999 << ",\"max_ns\":" << f.max << "}";
    }
    j << "]}\n";
  }
  return ok ? 0 : 1;
}

}  // namespace tickshm::bench
