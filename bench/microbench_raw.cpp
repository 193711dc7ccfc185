// tickshm-microbench's reference, not the bus: the same slot protocol and quote-board update in private
// memory, every field stored straight from registers.
#include <benchmark/benchmark.h>

#include <vector>

#include "microbench_support.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm::bench::micro {
namespace {

// Publisher::publish stages the tick in a stack copy and re-reads it as 8-byte words over narrower
// stores (store-to-load forwarding fails on those); the gap between the two figures is what that
// staging costs.
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

}  // namespace
}  // namespace tickshm::bench::micro

using namespace tickshm::bench::micro;  // the benchmarks keep their bare names
BENCHMARK(BM_Reference_RawPublish);
