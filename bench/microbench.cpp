// tickshm-microbench: Google Benchmark figures for the bus's hot paths: publish (no reader, a
// spinning, a sleeping or a dead reader registered), wake_sleepers, read, poll, histogram, quote board.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <thread>

#include "harness.hpp"
#include "itch_books.hpp"
#include "itch_reader.hpp"
#include "itch_recorder.hpp"
#include "itch_replay.hpp"
#include "market_model.hpp"
#include "run_common.hpp"
#include "simulator.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/seqlock.hpp"
#include "tickshm/subscriber.hpp"

namespace {

using namespace tickshm;
using namespace tickshm::bench;

constexpr std::uint32_t kSymbols = 64;
constexpr std::uint64_t kRing = 1ULL << 16;

Publisher make_publisher(const std::string& seg, std::uint32_t symbols = kSymbols) {
  PublisherOptions po;
  po.segment = seg;
  po.ring_capacity = kRing;
  for (std::uint32_t i = 0; i < symbols; ++i)
    po.symbols.push_back(SymbolSpec{std::to_string(i).insert(0, 1, 'S'), 1'000'000, 100});
  auto p = Publisher::create(po);
  if (!p) throw std::runtime_error("Publisher::create: " + p.error().message);
  return std::move(p).value();
}

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

// Reference, not the bus: the same slot protocol and quote-board update in private memory, every
// field stored straight from registers. Publisher::publish stages the tick in a stack copy and
// re-reads it as 8-byte words over narrower stores (store-to-load forwarding fails on those);
// the gap between the two figures is what that staging costs.
struct RawBus {
  std::vector<TickRecord> ring = std::vector<TickRecord>(kRing);
  std::vector<QuoteRecord> board = std::vector<QuoteRecord>(kSymbols);
  alignas(128) std::uint64_t cursor = 0;
};

void raw_publish(RawBus& bus, std::uint64_t s, std::uint64_t stamp) noexcept {
  TickRecord& slot = bus.ring[s & (kRing - 1)];
  const auto sym = static_cast<std::uint32_t>(s % kSymbols);
  const std::uint32_t bid = 1'000'000u + static_cast<std::uint32_t>(s & 0xFF) * 100u;
  store_relaxed(slot.seq, seq_writing(s));
  std::atomic_thread_fence(std::memory_order_release);
  store_relaxed(slot.publish_ns, stamp);
  store_relaxed(slot.event_ns, s);
  store_relaxed(slot.symbol, sym);
  store_relaxed(slot.bid, bid);
  store_relaxed(slot.ask, bid + 100u);
  store_relaxed(slot.price, 0u);
  store_relaxed(slot.size, 0u);
  store_relaxed(slot.bid_size, 100u);
  store_relaxed(slot.ask_size, 200u);
  store_relaxed(slot.checksum, 0u);
  tickshm::publish(slot.seq, seq_published(s));
  QuoteRecord& q = bus.board[sym];
  const std::uint64_t odd = seqlock_write_begin(q.seq);
  store_relaxed(q.bid, std::int64_t{bid});
  store_relaxed(q.ask, std::int64_t{bid} + 100);
  store_relaxed(q.bid_size, 100u);
  store_relaxed(q.ask_size, 200u);
  store_relaxed(q.tick_count, load_relaxed(q.tick_count) + 1);
  store_relaxed(q.update_ns, stamp);
  seqlock_write_end(q.seq, odd);
  tickshm::publish(bus.cursor, s + 1);
}

void BM_Reference_RawPublish(benchmark::State& state) {
  RawBus bus;
  std::uint64_t s = 0;
  const std::uint64_t stamp = now_ns();
  for (auto _ : state) {
    raw_publish(bus, s++, stamp);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

// The feed's generator alone (default universe, seed 42), and generator + publish: the two halves of
// the feed's flat-out rate (TARGETS.md 5: >= 20 M ticks/s, i.e. <= 50 ns per tick for both).
void BM_Feed_SimulatorNext(benchmark::State& state) {
  feed::Simulator sim(feed::default_universe(), feed::SimConfig{});
  std::array<TickRecord, feed::Simulator::kBatch> batch{};
  for (auto _ : state) {
    sim.next_batch(batch.data(), feed::Simulator::kBatch);
    benchmark::DoNotOptimize(batch);
  }
  state.SetItemsProcessed(state.iterations() * feed::Simulator::kBatch);
}

void BM_Feed_GenerateAndPublish(benchmark::State& state) {
  const std::string seg = unique_segment("micro", "feed");
  {
    const auto universe = feed::default_universe();
    PublisherOptions po;
    po.segment = seg;
    po.ring_capacity = kRing;
    for (const auto& p : universe)
      po.symbols.push_back(SymbolSpec{p.name, static_cast<std::int64_t>(p.price * kPriceScale), p.tick_size});
    auto pub = Publisher::create(po);
    if (!pub) throw std::runtime_error("Publisher::create: " + pub.error().message);
    feed::Simulator sim(universe, feed::SimConfig{});
    std::array<TickRecord, feed::Simulator::kBatch> batch{};
    const std::uint64_t stamp = now_ns();
    for (auto _ : state) {
      sim.next_batch(batch.data(), feed::Simulator::kBatch);
      for (TickRecord& t : batch) {
        t.publish_ns = stamp;
        pub->publish(t);
      }
    }
    state.SetItemsProcessed(state.iterations() * feed::Simulator::kBatch);
  }
  remove_segment(seg);
}

void BM_NowNs(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(now_ns());
}

}  // namespace

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
BENCHMARK(BM_Feed_SimulatorNext);
BENCHMARK(BM_Feed_GenerateAndPublish);
BENCHMARK(BM_NowNs);
BENCHMARK(BM_Reference_RawPublish);

// The market model (the feed's default, --model market) beside the GBM above, the same way: the
// generator alone, and generator + publish, on the default universe with seed 42 (docs/FEED.md,
// "Performance"; issue 21 asks for >= 20 M ticks/s with it).
namespace {

void BM_Feed_MarketModelNext(benchmark::State& state) {
  feed::MarketModel sim(feed::default_universe(), feed::MarketConfig{});
  std::array<TickRecord, feed::MarketModel::kBatch> batch{};
  for (auto _ : state) {
    sim.next_batch(batch.data(), feed::MarketModel::kBatch);
    benchmark::DoNotOptimize(batch);
  }
  state.SetItemsProcessed(state.iterations() * feed::MarketModel::kBatch);
}

void BM_Feed_MarketModelGenerateAndPublish(benchmark::State& state) {
  const std::string seg = unique_segment("micro", "feedmm");
  {
    const auto universe = feed::default_universe();
    PublisherOptions po;
    po.segment = seg;
    po.ring_capacity = kRing;
    for (const auto& p : universe)
      po.symbols.push_back(SymbolSpec{p.name, static_cast<std::int64_t>(p.price * kPriceScale), p.tick_size});
    auto pub = Publisher::create(po);
    if (!pub) throw std::runtime_error("Publisher::create: " + pub.error().message);
    feed::MarketModel sim(universe, feed::MarketConfig{});
    std::array<TickRecord, feed::MarketModel::kBatch> batch{};
    const std::uint64_t stamp = now_ns();
    for (auto _ : state) {
      sim.next_batch(batch.data(), feed::MarketModel::kBatch);
      for (TickRecord& t : batch) {
        t.publish_ns = stamp;
        pub->publish(t);
      }
    }
    state.SetItemsProcessed(state.iterations() * feed::MarketModel::kBatch);
  }
  remove_segment(seg);
}

}  // namespace

BENCHMARK(BM_Feed_MarketModelNext);
BENCHMARK(BM_Feed_MarketModelGenerateAndPublish);

// ---- ITCH 5.0 replay (feed/itch_*): the reader and the order books flat out, and the same feeding the
// ring. The file: TICKSHM_ITCH_FILE, else one the recorder writes once from the simulator (2 M ticks,
// 100 symbols) into /tmp and removes at exit. Items are ITCH messages.
namespace itch_bench {

class BenchFile {
 public:
  BenchFile() {
    if (const char* env = std::getenv("TICKSHM_ITCH_FILE"); env != nullptr && *env != '\0') {
      path_ = env;
      return;
    }
    path_ = "/tmp/tickshm-microbench-" + std::to_string(::getpid()) + ".itch";
    owned_ = true;
    const auto universe = feed::generated_universe(100);
    std::vector<std::string> names;
    for (const auto& p : universe) names.push_back(p.name);
    feed::Simulator sim(universe, feed::SimConfig{});
    auto rec = feed::ItchRecorder::open(path_, names);
    if (!rec) throw std::runtime_error(rec.error().message);
    std::array<TickRecord, feed::Simulator::kBatch> batch{};
    for (std::uint64_t n = 0; n < 2'000'000; n += batch.size()) {
      sim.next_batch(batch.data(), static_cast<std::uint32_t>(batch.size()));
      for (const TickRecord& t : batch) rec->write(t);
    }
    if (auto st = rec->close(); !st) throw std::runtime_error(st.error().message);
  }
  ~BenchFile() {
    if (owned_) std::remove(path_.c_str());
  }
  BenchFile(const BenchFile&) = delete;
  BenchFile& operator=(const BenchFile&) = delete;
  const std::string& path() const { return path_; }
  const feed::ItchScan& scan() {
    if (!scan_) {
      auto s = feed::scan_itch(path_, {});
      if (!s) throw std::runtime_error(s.error().message);
      scan_.emplace(std::move(*s));
    }
    return *scan_;
  }

 private:
  std::string path_;
  bool owned_ = false;
  std::optional<feed::ItchScan> scan_;
};

BenchFile& bench_file() {
  static BenchFile f;
  return f;
}

// The baseline of the two below, in the same run: zlib's read and the framing alone, no books.
void BM_Itch_FramingOnly(benchmark::State& state) {
  BenchFile& file = bench_file();
  (void)file.scan();
  std::uint64_t messages = 0;
  for (auto _ : state) {
    auto reader = feed::ItchReader::open(file.path());
    if (!reader) throw std::runtime_error(reader.error().message);
    feed::ItchFrame f;
    std::uint64_t types = 0;
    while (reader->next(f) == feed::ItchReader::Next::kMessage) types += f.msg[0];
    benchmark::DoNotOptimize(types);
    messages += reader->messages();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(messages));
}

// Reader + books, no ring: the cost the 20 M messages/s target is about.
void BM_Itch_ParseAndBuildBooks(benchmark::State& state) {
  BenchFile& file = bench_file();
  const feed::ItchScan& scan = file.scan();
  std::uint64_t messages = 0;
  std::uint64_t ticks = 0;
  for (auto _ : state) {
    feed::ItchBooks books(scan.stocks, scan.locates, scan.live_estimate);
    auto reader = feed::ItchReader::open(file.path());
    if (!reader) throw std::runtime_error(reader.error().message);
    feed::ItchFrame f;
    std::array<TickRecord, feed::ItchBooks::kMaxTicksPerMessage> out{};
    while (reader->next(f) == feed::ItchReader::Next::kMessage) {
      ticks += books.apply(f.msg, out.data());
      benchmark::DoNotOptimize(out);
    }
    messages += reader->messages();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(messages));
  state.counters["ticks_per_msg"] = static_cast<double>(ticks) / static_cast<double>(messages);
}

// The feed's --itch --speed max path minus the scan: the replay source's ticks published into a ring.
void BM_Itch_ReplayAndPublish(benchmark::State& state) {
  BenchFile& file = bench_file();
  const feed::ItchScan& scan = file.scan();
  const std::string seg = unique_segment("micro", "itch");
  spdlog::set_level(spdlog::level::warn);  // the replay logs the file's system events at info
  {
    PublisherOptions po;
    po.segment = seg;
    po.ring_capacity = kRing;
    for (const auto& s : scan.stocks)
      po.symbols.push_back(SymbolSpec{s.name, s.reference_price, s.tick_size});
    auto pub = Publisher::create(po);
    if (!pub) throw std::runtime_error("Publisher::create: " + pub.error().message);
    std::uint64_t messages = 0;
    const std::uint64_t stamp = now_ns();
    for (auto _ : state) {
      auto src = feed::ItchReplaySource::open(file.path(), scan, {});
      if (!src) throw std::runtime_error(src.error().message);
      TickRecord t;
      while (src->next(t)) {
        t.publish_ns = stamp;
        pub->publish(t);
      }
      messages += scan.messages;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(messages));
  }
  remove_segment(seg);
}

}  // namespace itch_bench

// items_per_second counts CPU time: the rate of one core, also on a shared, loaded machine (the file
// is in the page cache after the first pass; Time shows the wall clock beside it).
BENCHMARK(itch_bench::BM_Itch_FramingOnly)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(itch_bench::BM_Itch_ParseAndBuildBooks)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(itch_bench::BM_Itch_ReplayAndPublish)->Unit(benchmark::kMillisecond)->MinTime(2.0);

int main(int argc, char** argv) {
  install_signal_handlers();
  // The publisher on the first CPU, peer readers on the next: the same plan as tickshm-bench.
  if (const auto cpus = allowed_cpus(); cpus.size() >= 2) pin_to_cpu(cpus[0]);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  remove_all_segments();
  return 0;
}
