// How a reader waits for the next tick: spin, block, or spin then block (adaptive), and the sleepers
// handshake with the writer that lets a blocked reader sleep without missing a tick.
#pragma once

#include <cstdint>

#include "tickshm/control_layout.hpp"
#include "tickshm/reader_lease.hpp"
#include "tickshm/ring_cursor.hpp"
#include "tickshm/segment.hpp"

namespace tickshm {

struct WaitTuning {
  WaitStrategy strategy = WaitStrategy::kAdaptive;
  std::uint64_t spin_ns = 5'000;
  std::uint64_t block_timeout_ns = 100'000'000;
  std::uint64_t dense_backoff_ns = 1'000;
  std::uint64_t dense_nap_ns = 50'000;
};

// Called by the waiter now and then (never per poll): deadline, stop flag, liveness.
class WaitMonitor {
 public:
  enum class Look { kGoOn, kReady, kGiveUp };  // kReady: stop waiting and look at the ring (detached too)
  // feed_closed: the waiter saw the segment closed; the monitor should check liveness now.
  virtual Look look(std::uint64_t now, bool feed_closed) = 0;

 protected:
  ~WaitMonitor() = default;
};

class Waiter {
 public:
  Waiter() = default;
  explicit Waiter(const WaitTuning& t) : tune_(t) {}

  // Waits until the cursor's head slot may hold a tick (true) or the monitor gives up (false).
  // lease is null for an unregistered reader, which naps instead of sleeping.
  bool wait(RingCursor& cursor, const DataView& data, ReaderLease* lease, std::uint64_t deadline_ns,
            WaitMonitor& monitor);

 private:
  enum class Woke { kData, kClosed, kNothing };
  void pause_dense(std::uint64_t deadline_ns) const noexcept;
  Woke block_once(const RingCursor& cursor, const DataView& data, ReaderLease* lease,
                  std::uint64_t deadline_ns) const;

  WaitTuning tune_;
};

// Busy-waits ns on our own clock (vDSO, our own core): nothing the writer writes is touched.
void spin_for(std::uint64_t ns) noexcept;

}  // namespace tickshm
