// tickshm-microbench, the feed: each market model's generator alone and generator + publish (the two
// halves of the feed's flat-out rate, TARGETS.md 5: >= 20 M ticks/s, i.e. <= 50 ns per tick for both),
// and the ITCH 5.0 replay (feed/itch_*): the reader and the order books flat out, and the same feeding
// the ring. The ITCH file: TICKSHM_ITCH_FILE, else one the recorder writes once from the simulator (2 M
// ticks, 100 symbols) into /tmp and removes at exit. Items are ITCH messages.
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "harness.hpp"
#include "itch_books.hpp"
#include "itch_reader.hpp"
#include "itch_recorder.hpp"
#include "itch_replay.hpp"
#include "market_model.hpp"
#include "microbench_support.hpp"
#include "simulator.hpp"

namespace tickshm::bench::micro {
namespace {

// A model's generator alone: default universe, seed 42.
template <class Model, class ModelConfig>
void model_next(benchmark::State& state) {
  Model sim(feed::default_universe(), ModelConfig{});
  std::array<TickRecord, Model::kBatch> batch{};
  for (auto _ : state) {
    sim.next_batch(batch.data(), Model::kBatch);
    benchmark::DoNotOptimize(batch);
  }
  state.SetItemsProcessed(state.iterations() * Model::kBatch);
}

// The same generator feeding a ring, one stamp for the whole run.
template <class Model, class ModelConfig>
void model_generate_and_publish(benchmark::State& state, const char* tag) {
  const std::string seg = unique_segment("micro", tag);
  {
    const auto universe = feed::default_universe();
    std::vector<SymbolSpec> symbols;
    for (const auto& p : universe)
      symbols.push_back(SymbolSpec{p.name, static_cast<std::int64_t>(p.price * kPriceScale), p.tick_size});
    Publisher pub = make_publisher(seg, std::move(symbols));
    Model sim(universe, ModelConfig{});
    std::array<TickRecord, Model::kBatch> batch{};
    const std::uint64_t stamp = now_ns();
    for (auto _ : state) {
      sim.next_batch(batch.data(), Model::kBatch);
      for (TickRecord& t : batch) {
        t.publish_ns = stamp;
        pub.publish(t);
      }
    }
    state.SetItemsProcessed(state.iterations() * Model::kBatch);
  }
  remove_segment(seg);
}

// The GBM simulator (--model gbm) and the market model (the feed's default, --model market; docs/FEED.md,
// "Performance").
void BM_Feed_SimulatorNext(benchmark::State& s) {
  model_next<feed::Simulator, feed::SimConfig>(s);
}
void BM_Feed_GenerateAndPublish(benchmark::State& s) {
  model_generate_and_publish<feed::Simulator, feed::SimConfig>(s, "feed");
}
void BM_Feed_MarketModelNext(benchmark::State& s) {
  model_next<feed::MarketModel, feed::MarketConfig>(s);
}
void BM_Feed_MarketModelGenerateAndPublish(benchmark::State& s) {
  model_generate_and_publish<feed::MarketModel, feed::MarketConfig>(s, "feedmm");
}

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
    std::vector<SymbolSpec> symbols;
    for (const auto& s : scan.stocks) symbols.push_back(SymbolSpec{s.name, s.reference_price, s.tick_size});
    Publisher pub = make_publisher(seg, std::move(symbols));
    std::uint64_t messages = 0;
    const std::uint64_t stamp = now_ns();
    for (auto _ : state) {
      auto src = feed::ItchReplaySource::open(file.path(), scan, {});
      if (!src) throw std::runtime_error(src.error().message);
      TickRecord t;
      while (src->next(t)) {
        t.publish_ns = stamp;
        pub.publish(t);
      }
      messages += scan.messages;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(messages));
  }
  remove_segment(seg);
}

}  // namespace
}  // namespace tickshm::bench::micro

using namespace tickshm::bench::micro;  // the benchmarks keep their bare names
BENCHMARK(BM_Feed_SimulatorNext);
BENCHMARK(BM_Feed_GenerateAndPublish);
BENCHMARK(BM_Feed_MarketModelNext);
BENCHMARK(BM_Feed_MarketModelGenerateAndPublish);
// items_per_second counts CPU time: the rate of one core, also on a shared, loaded machine (the file
// is in the page cache after the first pass; Time shows the wall clock beside it).
BENCHMARK(BM_Itch_FramingOnly)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Itch_ParseAndBuildBooks)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Itch_ReplayAndPublish)->Unit(benchmark::kMillisecond)->MinTime(2.0);
