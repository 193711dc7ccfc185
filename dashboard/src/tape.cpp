// Copying a symbol's newest ticks from the ring (see tape.hpp).
#include "tape.hpp"

#include <algorithm>
#include <atomic>

#include "tickshm/seqlock.hpp"

namespace tickshm::dash {

void read_tape(const DataView& data, std::uint32_t symbol, std::size_t max, std::size_t scan,
               std::vector<TapeEntry>& out) {
  out.clear();
  const std::uint64_t cursor = data.write_cursor();
  const std::uint64_t capacity = data.ring_mask() + 1;
  // Never look further back than the ring holds: older slots already carry newer ticks.
  const std::uint64_t depth = std::min<std::uint64_t>({scan, cursor, capacity});
  const TickRecord* ring = data.ring();
  for (std::uint64_t k = 1; k <= depth && out.size() < max; ++k) {
    const std::uint64_t s = cursor - k;
    const TickRecord& slot = ring[s & data.ring_mask()];
    const std::uint64_t w1 = observe(slot.seq);  // pairs with the writer's publish of the slot
    if (w1 != seq_published(s)) continue;        // lapped or being written: skip
    TickRecord t{};
    load_words<sizeof(TickRecord) - sizeof(std::uint64_t)>(&t.publish_ns, &slot.publish_ns);
    // Keeps the payload loads above from being satisfied after the re-check below.
    std::atomic_thread_fence(std::memory_order_acquire);
    if (load_relaxed(slot.seq) != w1) continue;
    if (t.symbol != symbol) continue;
    TapeEntry e;
    e.seq = s;
    e.event_unix_ns = t.event_ns;
    e.trade = t.kind == static_cast<std::uint8_t>(TickKind::kTrade);
    e.price = e.trade ? t.price : 0;
    e.size = e.trade ? t.size : 0;
    e.bid = t.bid;
    e.ask = t.ask;
    e.bid_size = t.bid_size;
    e.ask_size = t.ask_size;
    out.push_back(e);
  }
}

}  // namespace tickshm::dash
