// tickshm-microbench, the bus: publish (no reader, a spinning, a sleeping or a dead reader registered),
// wake_sleepers, read, poll, the histogram, the quote board, and a reference publish with no library.
#include <benchmark/benchmark.h>
#include <signal.h>

#include <thread>

#include "harness.hpp"
#include "microbench_support.hpp"
#include "run_common.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/seqlock.hpp"
#include "tickshm/subscriber.hpp"

namespace tickshm::bench::micro {
namespace {

enum class Peer { kNone, kSpinning, kSleeping, kDead };

// A reader process on the other CPU for the duration of one benchmark run.
class PeerReader {
 public:
  PeerReader(const std::string& seg, Peer kind, Publisher& pub) {
    if (kind == Peer::kNone) return;
    const std::vector<int> cpus = allowed_cpus();
    CpuPlan plan{cpus};
    SharedBlock& b = region_.block();
    workers_.spawn(plan.reader(0), [&b, seg, kind] {
      SubscriberOptions so;
      so.segment = seg;
      so.name = "micro";
      so.role = "bench";
      so.wait = kind == Peer::kSpinning ? WaitStrategy::kSpin : WaitStrategy::kBlock;
      auto sub = Subscriber::create(so);
      if (!sub) return 1;
      sub->set_stop_flag(&b.control.abort);
      while (!sub->attached() && !b.control.abort.load()) {
        (void)sub->try_attach();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      b.control.readers_ready.store(1);
      if (kind == Peer::kDead) raise(SIGKILL);
      TickRecord t{};
      while (sub->next(t) != Subscriber::Next::kStopped) {
      }
      return 0;
    });
    const std::uint64_t until = now_ns() + 10 * kNsPerSec;
    while (b.control.readers_ready.load() == 0 && now_ns() < until) {
      pub.heartbeat(now_ns());
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // Give a sleeping reader time to fall asleep on the wake word before timing starts.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ~PeerReader() {
    region_.block().control.abort.store(true);
    workers_.wait_all(2 * kNsPerSec, nullptr);
  }
  PeerReader(const PeerReader&) = delete;
  PeerReader& operator=(const PeerReader&) = delete;

 private:
  SharedRegion region_;
  Workers workers_;
};

void publish_loop(benchmark::State& state, Peer peer, bool wake) {
  const std::string seg = unique_segment("micro", "pub");
  {
    Publisher pub = make_publisher(seg);
    PeerReader reader(seg, peer, pub);
    std::uint64_t s = 0;
    const std::uint64_t stamp = now_ns();
    for (auto _ : state) {
      pub.publish(make_tick(s, stamp, kSymbols));
      if (wake) pub.wake_sleepers();
      if ((++s & 0xFFFF) == 0) pub.heartbeat(now_ns());  // keep the feed live for the reader
    }
    state.SetItemsProcessed(state.iterations());
  }
  remove_segment(seg);
}

void BM_Publish_NoReader(benchmark::State& s) {
  publish_loop(s, Peer::kNone, false);
}

// The same, from ticks built long before the call: no store of the caller's is still in flight when
// publish() loads the tick, so the difference to BM_Publish_NoReader is the caller-side forwarding stall.
void BM_Publish_NoReader_PreparedTicks(benchmark::State& state) {
  const std::string seg = unique_segment("micro", "prep");
  {
    Publisher pub = make_publisher(seg);
    std::vector<TickRecord> ticks;
    const std::uint64_t stamp = now_ns();
    for (std::uint64_t i = 0; i < 1024; ++i) ticks.push_back(make_tick(i, stamp, kSymbols));
    std::uint64_t s = 0;
    for (auto _ : state) pub.publish(ticks[s++ & 1023]);
    state.SetItemsProcessed(state.iterations());
  }
  remove_segment(seg);
}
void BM_PublishAndWake_NoReader(benchmark::State& s) {
  publish_loop(s, Peer::kNone, true);
}
void BM_PublishAndWake_SpinningReader(benchmark::State& s) {
  publish_loop(s, Peer::kSpinning, true);
}
void BM_PublishAndWake_SleepingReader(benchmark::State& s) {
  publish_loop(s, Peer::kSleeping, true);
}
void BM_PublishAndWake_DeadReader(benchmark::State& s) {
  publish_loop(s, Peer::kDead, true);
}
void BM_Publish_SpinningReader(benchmark::State& s) {
  publish_loop(s, Peer::kSpinning, false);
}

// wake_sleepers alone with nobody asleep: the StoreLoad barrier plus one load of the sleepers word.
void BM_WakeSleepers_NobodySleeps(benchmark::State& state) {
  const std::string seg = unique_segment("micro", "wake");
  {
    Publisher pub = make_publisher(seg);
    for (auto _ : state) pub.wake_sleepers();
    state.SetItemsProcessed(state.iterations());
  }
  remove_segment(seg);
}

// One read of a published tick, the payload copied out under the seqlock (same process, warm ring).
void BM_Read(benchmark::State& state) {
  const std::string seg = unique_segment("micro", "read");
  {
    Publisher pub = make_publisher(seg);
    SubscriberOptions so;
    so.segment = seg;
    so.name = "micro-read";
    so.role = "bench";
    so.wait = WaitStrategy::kSpin;
    so.from_start = true;
    auto sub = Subscriber::create(so);
    if (!sub || !sub->try_attach()) {
      state.SkipWithError("cannot attach");
    } else {
      std::uint64_t s = 0, available = 0;
      TickRecord t{};
      for (auto _ : state) {
        if (available == 0) {
          state.PauseTiming();
          const std::uint64_t stamp = now_ns();
          for (std::uint64_t k = 0; k < kRing / 2; ++k) pub.publish(make_tick(s++, stamp, kSymbols));
          pub.heartbeat(stamp);
          available = kRing / 2;
          state.ResumeTiming();
        }
        benchmark::DoNotOptimize(sub->try_next(t));
        benchmark::DoNotOptimize(t);
        --available;
      }
      state.SetItemsProcessed(state.iterations());
      if (sub->lost() != 0) state.SkipWithError("reader lost ticks");
    }
  }
  remove_segment(seg);
}

// A poll with nothing new: what a spinning reader pays per look.
void BM_TryNext_Empty(benchmark::State& state) {
  const std::string seg = unique_segment("micro", "poll");
  {
    Publisher pub = make_publisher(seg);
    SubscriberOptions so;
    so.segment = seg;
    so.name = "micro-poll";
    so.role = "bench";
    auto sub = Subscriber::create(so);
    if (!sub || !sub->try_attach()) {
      state.SkipWithError("cannot attach");
    } else {
      TickRecord t{};
      for (auto _ : state) benchmark::DoNotOptimize(sub->try_next(t));
    }
  }
  remove_segment(seg);
}

void BM_HistogramRecord(benchmark::State& state) {
  LatencyHistogram h;
  std::uint64_t x = 88172645463325252ULL;
  for (auto _ : state) {
    x ^= x << 13;  // xorshift: latencies spread over 0..1 ms, not one hot bucket
    x ^= x >> 7;
    x ^= x << 17;
    h.record(x & 0xFFFFF);
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}

// One symbol's latest quote, copied out of the board under its seqlock (what the dashboard does).
void BM_QuoteBoardRead(benchmark::State& state) {
  const std::string seg = unique_segment("micro", "quote");
  {
    constexpr std::uint32_t kBoard = 1000;
    Publisher pub = make_publisher(seg, kBoard);
    const std::uint64_t stamp = now_ns();
    for (std::uint64_t s = 0; s < 4 * kBoard; ++s) pub.publish(make_tick(s, stamp, kBoard));
    auto view = DataView::open(seg);
    if (!view) {
      state.SkipWithError("cannot open the data segment");
    } else {
      Quote q;
      std::uint32_t i = 0;
      for (auto _ : state) {
        benchmark::DoNotOptimize(view->read_quote(i, q));
        benchmark::DoNotOptimize(q);
        if (++i == kBoard) i = 0;
      }
      state.SetItemsProcessed(state.iterations());
    }
  }
  remove_segment(seg);
}

void BM_NowNs(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(now_ns());
}

}  // namespace
}  // namespace tickshm::bench::micro

using namespace tickshm::bench::micro;  // the benchmarks keep their bare names
BENCHMARK(BM_Publish_NoReader);
BENCHMARK(BM_Publish_NoReader_PreparedTicks);
BENCHMARK(BM_PublishAndWake_NoReader);
BENCHMARK(BM_WakeSleepers_NobodySleeps);
BENCHMARK(BM_Publish_SpinningReader);
BENCHMARK(BM_PublishAndWake_SpinningReader);
BENCHMARK(BM_PublishAndWake_SleepingReader);
BENCHMARK(BM_PublishAndWake_DeadReader);
BENCHMARK(BM_Read);
BENCHMARK(BM_TryNext_Empty);
BENCHMARK(BM_HistogramRecord);
BENCHMARK(BM_QuoteBoardRead);
BENCHMARK(BM_NowNs);
