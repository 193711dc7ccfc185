// Spin, block and adaptive waiting, the dense-stream pause, and the sleep side of the sleepers handshake.
#include "tickshm/waiter.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "tickshm/clock.hpp"
#include "tickshm/futex.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm {
namespace {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
}

// SYNC POINT R5: the fan-out. The writer woke one sleeper of its round and left the round's bits in
// `waking` (W3a); a reader whose bit is there wakes up to kWakeFanOut more before it reads, while other
// bits remain, so a round of N sleepers is woken in log2(N) steps on the readers' CPUs. Only a reader
// of the round passes it on, once per round, so a stale or scribbled bit costs a few wake-ups, never
// a storm. A reader of the round stopped or killed before this line leaves the others asleep until
// the next round's wake reaches them (the longest waiters are woken first) or their timed wait ends.
void pass_on_wake(ControlHeader& ctl, std::uint64_t bit) noexcept {
  // Acquire: a reader woken after W3 pairs with it here, so the round's bits (W3a) are visible below.
  (void)observe(ctl.wake);
  if ((load_relaxed(ctl.waking) & bit) == 0) return;
  const std::uint64_t was = aref(ctl.waking).fetch_and(~bit, std::memory_order_relaxed);
  if ((was & bit) == 0) return;  // a racing pass took it (a peer scribbling): not ours to pass on
  const int others = std::popcount(was & ~bit);
  if (others > 0) futex_wake(&ctl.wake, std::min(others, kWakeFanOut));
}

}  // namespace

void spin_for(std::uint64_t ns) noexcept {
  const std::uint64_t until = now_ns() + ns;
  while (now_ns() < until) cpu_relax();
}

bool Waiter::wait(RingCursor& cursor, const DataView& data, ReaderLease* lease, std::uint64_t deadline_ns,
                  WaitMonitor& monitor) {
  if (lease != nullptr) lease->store_progress(cursor.cursor(), cursor.received(), cursor.lost());  // drained
  if (cursor.take_held()) {
    // Holding back a dense stream's newest ticks: let the writer move on, then look again. Bounded by
    // the hold time, so no deadline check here; on our own clock whatever the strategy, since a nap
    // here would hold a paced writer's catch-up bursts for the kernel's timer slack.
    spin_for(tune_.dense_backoff_ns);
    return true;
  }
  const std::uint64_t start = now_ns();
  std::uint64_t now = start;
  bool paused = false;  // one pause per catch-up: a stream that thinned out is polled again at once
  if (tune_.strategy != WaitStrategy::kBlock) {
    // Look at the clock every 256 polls when spinning, every 16 when the spin has a budget: a `pause`
    // is tens of ns, and 256 of them would overrun a few-microsecond budget several times over.
    const std::uint32_t look_every = tune_.strategy == WaitStrategy::kAdaptive ? 15 : 255;
    for (std::uint32_t i = 1;; ++i) {
      // Poll the slot's own sequence word: the line the tick arrives in, one transfer instead of two.
      if (cursor.head_published()) return true;
      if (cursor.dense() && !paused) {
        // Caught up with a dense stream: let the writer get ahead, then read the backlog in one go.
        pause_dense(deadline_ns);
        paused = true;
        continue;
      }
      cpu_relax();
      if ((i & look_every) == 0) {
        now = now_ns();
        switch (monitor.look(now, false)) {
          case WaitMonitor::Look::kReady:
            return true;
          case WaitMonitor::Look::kGiveUp:
            return false;
          case WaitMonitor::Look::kGoOn:
            break;
        }
        if (tune_.strategy == WaitStrategy::kAdaptive && now - start >= tune_.spin_ns) break;
      }
    }
  }
  if (tune_.strategy == WaitStrategy::kBlock && cursor.dense()) {
    // Caught up with a dense stream: nap, then take the backlog in one go, but only if it is still
    // dense a moment later: a paced writer catching up after a stall publishes a short dense burst
    // too, and napping after each of those would delay the ticks behind it. A stopped stream is slept on.
    spin_for(tune_.dense_backoff_ns);
    if (cursor.head_published()) {
      pause_dense(deadline_ns);
      return true;
    }
  }
  for (;;) {
    const Woke w = block_once(cursor, data, lease, deadline_ns);
    if (w == Woke::kData) return true;
    switch (monitor.look(now_ns(), w == Woke::kClosed)) {
      case WaitMonitor::Look::kReady:
        return true;
      case WaitMonitor::Look::kGiveUp:
        return false;
      case WaitMonitor::Look::kGoOn:
        break;
    }
  }
}

void Waiter::pause_dense(std::uint64_t deadline_ns) const noexcept {
  if (tune_.strategy == WaitStrategy::kBlock) {
    // Nap without announcing a sleep: the writer has nobody to wake, so it makes no system call.
    std::uint64_t nap = tune_.dense_nap_ns;
    if (deadline_ns != 0) {
      const std::uint64_t now = now_ns();
      nap = deadline_ns > now ? std::min(nap, deadline_ns - now) : 0;
    }
    if (nap != 0) std::this_thread::sleep_for(std::chrono::nanoseconds(nap));
    return;
  }
  spin_for(tune_.dense_backoff_ns);  // spin, adaptive
}

Waiter::Woke Waiter::block_once(const RingCursor& cursor, const DataView& data, ReaderLease* lease,
                                std::uint64_t deadline_ns) const {
  // Data, or a closed feed: the latter makes the monitor check liveness so the reader detaches at once.
  auto ready = [&] {
    if (cursor.behind()) return Woke::kData;
    return data.state() == SegmentState::kClosed ? Woke::kClosed : Woke::kNothing;
  };
  if (lease == nullptr) {  // unregistered: no sleepers bit to announce a sleep with, so nap briefly
    std::this_thread::sleep_for(std::chrono::microseconds(500));
    return ready();
  }
  ControlHeader& ctl = lease->control();
  const std::uint64_t bit = 1ULL << lease->index();
  // SYNC POINT R0: the wake word before announcing: a wake-all after this load changes the word, so the
  // futex wait below returns at once instead of sleeping through it. Acquire: pairs with the writer's
  // release increment (W3), after which its cursor (W1) is visible to R2.
  const std::uint32_t seen = observe(ctl.wake);
  // SYNC POINT R1: announce the sleep (seq_cst RMW) ...
  aref(ctl.sleepers).fetch_or(bit, std::memory_order_seq_cst);
  // SYNC POINT R2: ... then look again (seq_cst load): pairs with the writer's W1/W2, see wake_sleepers.
  if (cursor.behind_seq_cst() || data.state() == SegmentState::kClosed) {
    aref(ctl.sleepers).fetch_and(~bit, std::memory_order_acq_rel);
    pass_on_wake(ctl, bit);  // the writer may have taken our bit into a round meanwhile
    return ready();
  }
  std::uint64_t until = now_ns() + tune_.block_timeout_ns;
  if (deadline_ns != 0 && deadline_ns < until) until = deadline_ns;
  // SYNC POINT R3: sleep while the word still holds what R0 saw; timed, so a dead feed is noticed.
  futex_wait_until(&ctl.wake, seen, until);
  // SYNC POINT R4: awake, whatever woke us (a wake, the word moved, the timeout, a signal).
  aref(ctl.sleepers).fetch_and(~bit, std::memory_order_acq_rel);
  pass_on_wake(ctl, bit);  // before reading: the others' latency waits on it
  return ready();
}

}  // namespace tickshm
