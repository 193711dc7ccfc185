// The machine's floor: a cache line bounced between two processes, the bare ring (the latency run's
// pacing through a ring with no library), and the reader CPU's gaps.
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "run_common.hpp"

namespace tickshm::bench {

namespace {

// One slot of the bare ring: a sequence word and the stamp on one line, as the bus's TickRecord.
struct alignas(64) BareSlot {
  std::atomic<std::uint64_t> seq{0};  // tick number + 1 once written
  std::atomic<std::uint64_t> stamp{0};
  std::uint8_t pad[48] = {};
};
static_assert(sizeof(BareSlot) == 64);

// An anonymous shared mapping that forked children inherit.
class SharedRing {
 public:
  explicit SharedRing(std::uint64_t slots) : bytes_(slots * sizeof(BareSlot)), mask_(slots - 1) {
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error(std::string("mmap: ") + std::strerror(errno));
    slots_ = static_cast<BareSlot*>(p);
  }
  ~SharedRing() { munmap(slots_, bytes_); }
  SharedRing(const SharedRing&) = delete;
  SharedRing& operator=(const SharedRing&) = delete;
  BareSlot& operator[](std::uint64_t i) const noexcept { return slots_[i & mask_]; }
  // Maps every page into the calling process, as the bus's MAP_POPULATE does: fork does not copy a
  // shared mapping's page tables, so each child would otherwise fault on every page's first touch.
  void touch() const noexcept { touch_pages(slots_, bytes_); }

 private:
  std::uint64_t bytes_;
  std::uint64_t mask_;
  BareSlot* slots_ = nullptr;
};

}  // namespace

bool floors_agree(std::uint64_t a_ns, std::uint64_t b_ns) {
  if (a_ns == 0 || b_ns == 0) return false;
  const double hi = static_cast<double>(std::max(a_ns, b_ns));
  const double lo = static_cast<double>(std::min(a_ns, b_ns));
  return hi <= kFloorAgreement * lo;
}

FloorOutcome run_floor(const Config& c, SharedRegion& region, bool ping_pong_only) {
  FloorOutcome out;
  region.reset();
  SharedBlock& b = region.block();
  const std::uint64_t n = std::max<std::uint64_t>(c.latency_count(), 10'000);
  // The bare ring: as long as a bus latency run, through as large a ring.
  const std::uint64_t bare = ping_pong_only ? 0 : c.latency_count();
  const std::uint64_t probe_ns = ping_pong_only ? 0 : kGapProbeNs;
  const SharedRing ring(ping_pong_only ? 1 : c.ring_capacity);
  Workers w;
  // The echo side: waits for each ping and answers with the same number on its own line.
  w.spawn(c.cpus.reader(0), [&] {
    ring.touch();
    b.control.readers_ready.store(1);
    for (std::uint64_t i = 1; i <= n; ++i) {
      std::uint32_t spins = 0;
      while (b.lines.ping.load(std::memory_order_acquire) != i) {
        cpu_relax();
        if ((++spins & 0xFFFF) == 0 && b.control.abort.load(std::memory_order_relaxed)) return 1;
      }
      b.lines.pong.store(i, std::memory_order_release);
    }
    // Phase 2, the bare ring: tick j (from 1) in slot j - 1.
    LatencyHistogram hist;
    std::uint64_t lost = 0;
    b.control.readers_ready.store(2);
    for (std::uint64_t j = 1; j <= bare; ++j) {
      BareSlot& slot = ring[j - 1];
      std::uint32_t spins = 0;
      std::uint64_t seq = 0;
      while ((seq = slot.seq.load(std::memory_order_acquire)) < j) {
        cpu_relax();
        if ((++spins & 0xFFFF) == 0 && b.control.abort.load(std::memory_order_relaxed)) return 1;
      }
      const std::uint64_t now = now_ns();
      const std::uint64_t stamp = slot.stamp.load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      // Lapped (the slot holds a later tick, or got one while we read it): tick j is gone.
      if (seq != j || slot.seq.load(std::memory_order_relaxed) != j) {
        ++lost;
        continue;
      }
      hist.record(now - stamp);
    }
    b.readers[0].hist = hist;
    b.readers[0].lost = lost;
    // Phase 3, this CPU's gaps: the clock read back to back, every step of kGapNs or more summed.
    const std::uint64_t probe_start = now_ns();
    std::uint64_t prev = probe_start, away = 0, gaps = 0, longest = 0;
    while (prev - probe_start < probe_ns) {
      const std::uint64_t now = now_ns();
      if (const std::uint64_t step = now - prev; step >= kGapNs) {
        away += step;
        ++gaps;
        longest = std::max(longest, step);
      }
      prev = now;
    }
    b.readers[0].probe_ns = prev - probe_start;
    b.readers[0].away_ns = away;
    b.readers[0].gaps = gaps;
    b.readers[0].longest_gap_ns = longest;
    b.readers[0].done = 1;
    return 0;
  });
  w.spawn(c.cpus.writer(), [&] {
    ring.touch();
    if (!wait_for_count(b.control.readers_ready, 1, b.control.abort, kSetupTimeoutNs)) return 1;
    LatencyHistogram hist;
    std::uint64_t prev = now_ns();
    b.writer.start_ns = prev;
    for (std::uint64_t i = 1; i <= n; ++i) {
      b.lines.ping.store(i, std::memory_order_release);
      std::uint32_t spins = 0;
      while (b.lines.pong.load(std::memory_order_acquire) != i) {
        cpu_relax();
        if ((++spins & 0xFFFF) == 0 && b.control.abort.load(std::memory_order_relaxed)) return 1;
      }
      const std::uint64_t now = now_ns();
      hist.record((now - prev) / 2);
      prev = now;
    }
    b.writer.end_ns = prev;
    b.readers[1].hist = hist;  // readers[1] is free in this run: the floor's histogram goes there
    if (!wait_for_count(b.control.readers_ready, 2, b.control.abort, kSetupTimeoutNs)) return 1;
    const std::uint64_t start = now_ns();
    for (std::uint64_t j = 1; j <= bare; ++j) {
      BareSlot& slot = ring[j - 1];
      const std::uint64_t t = spin_until(paced_time(start, j, c.rate));
      // A seqlock's write: zero while the slot changes, so a reader lapped mid-read sees it.
      slot.seq.store(0, std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_release);
      slot.stamp.store(t, std::memory_order_relaxed);
      slot.seq.store(j, std::memory_order_release);
    }
    b.writer.done = 1;
    return 0;
  });
  const bool exited = w.wait_all(
      c.timeout_ns(static_cast<double>(n) * 1e-6 + static_cast<double>(bare) / static_cast<double>(c.rate) +
                   static_cast<double>(probe_ns) / 1e9),
      &b.control.abort);
  out.ok = exited && b.writer.done != 0 && b.readers[0].done != 0;
  if (!out.ok) out.error = exited ? "a ping-pong process failed" : "timed out or interrupted";
  out.one_way = summarize(b.readers[1].hist);
  out.bare_ring = summarize(b.readers[0].hist);
  out.bare_ring_lost = b.readers[0].lost;
  if (b.readers[0].probe_ns > 0) {
    out.cpu_away_percent =
        100.0 * static_cast<double>(b.readers[0].away_ns) / static_cast<double>(b.readers[0].probe_ns);
  }
  out.cpu_gaps = b.readers[0].gaps;
  out.cpu_longest_gap_ns = b.readers[0].longest_gap_ns;
  return out;
}

}  // namespace tickshm::bench
