// The reader side of the bus: attaches (or waits) to a feed, reads every tick, counts what it lost,
// waits by spinning, blocking or both, and follows the feed across restarts (new epochs). A facade
// over the feed follower, the registry lease, the ring cursor and the waiter.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "tickshm/feed_follower.hpp"
#include "tickshm/histogram.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/names.hpp"
#include "tickshm/reader_lease.hpp"
#include "tickshm/result.hpp"
#include "tickshm/ring_cursor.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/waiter.hpp"

namespace tickshm {

struct SubscriberOptions {
  std::string segment{kDefaultSegment};
  std::string name = "reader";  // shown in the registry; truncated to 31 characters
  std::string role = "reader";  // "algo", "dash", "bench", ...
  WaitStrategy wait = WaitStrategy::kAdaptive;
  // adaptive: spin this long before blocking. Shorter than the gap between ticks of a paced feed, so
  // adaptive readers sharing a core with others sleep instead of spinning away the writer's time.
  std::uint64_t spin_ns = 5'000;
  std::uint64_t block_timeout_ns = 100'000'000;  // a sleeping reader wakes this often to check liveness
  // spin/adaptive: when the stream is dense (the last two ticks were published less than this apart)
  // and the reader has caught up, it waits this long before looking at the head slot again instead of
  // polling the line the writer is about to write, which would pull that line away from the writer.
  // 0: always poll.
  std::uint64_t dense_backoff_ns = 1'000;
  // block: caught up with a dense stream, nap this long without announcing the sleep, then read the
  // backlog; the writer then makes no wake-up system call per catch-up. 0: always announce.
  std::uint64_t dense_nap_ns = 50'000;
  // Every strategy, reading a dense stream: stay one to two times this many ticks behind the head
  // for up to dense_hold_ns, so the reader's loads (and the hardware prefetchers they train) stay off
  // the lines the writer is about to write. 128 ticks are two 4 KiB pages, past where the prefetchers
  // stop. The head is found from slot words, never from the writer's cursor. Clamped to a quarter of
  // the ring. 0: off.
  std::uint64_t dense_margin = 128;
  // The longest the reader holds back a dense stream's newest ticks, timed by its own clock from when
  // it first found them waiting: then it reads to the head. Held only while a sixteenth of a margin or
  // more waits. Each read to the head costs the writer the lines the prefetchers pull ahead of it, so
  // this is also how often a moderately fast writer pays them. docs/BENCHMARKS.md has the figures.
  std::uint64_t dense_hold_ns = 16'000;
  bool from_start = false;      // first attach: read the epoch from tick 0 instead of the live edge
  bool verify = false;          // check every tick's checksum (the feed must run with --verify); a tick
                                // that fails is counted (verify_errors) and never handed out
  bool register_reader = true;  // claim a registry slot (dashboards that only sample do not)
};

class Subscriber {
 public:
  // Never fails for a missing feed (it waits); fails only on bad options (name).
  [[nodiscard]] static Result<Subscriber> create(SubscriberOptions options);

  Subscriber(Subscriber&&) noexcept = default;
  Subscriber& operator=(Subscriber&&) = delete;
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;
  ~Subscriber();  // frees the registry slot

  enum class Next { kTick, kTimeout, kStopped };

  // The next tick, waiting per the wait strategy until deadline_ns (CLOCK_MONOTONIC; 0 = no deadline)
  // or until *stop becomes true. Attaches, re-attaches and counts losses by itself.
  // Hot path when ticks are there: no system call, no allocation. On kTick, out.seq holds the tick's
  // sequence number s (0, 1, 2, ... in its epoch), not the ring's sequence word 2s+2.
  Next next(TickRecord& out, std::uint64_t deadline_ns = 0);

  // Non-blocking: a tick if one is published, else false. Does not attach or check liveness. On a
  // dense stream the newest ticks (up to two dense_margins, if a sixteenth of one or more waits) stay
  // unread for up to dense_hold_ns: false then, and next() returns them when that time is up.
  bool try_next(TickRecord& out) noexcept { return cursor_.try_next(out, opt_.verify); }

  void set_stop_flag(const std::atomic<bool>* stop) noexcept { stop_ = stop; }
  void set_event_handler(std::function<void(const SubscriberEvent&)> h) {
    feed_.set_event_handler(std::move(h));
  }

  // The owner records latencies it measured; the summary goes to the registry about once a second.
  void record_latency(std::uint64_t ns) noexcept { hist_.record(ns); }
  const LatencyHistogram& histogram() const noexcept { return hist_; }

  // Flushes counters and the latency summary to the registry slot now (also done periodically).
  void flush_stats() noexcept;

  bool attached() const noexcept { return feed_.attached(); }
  FeedState status() const noexcept { return feed_.status(); }
  const DataView* data() const noexcept { return feed_.data_or_null(); }
  std::uint64_t epoch() const noexcept { return attached() ? feed_.data().epoch() : 0; }
  std::uint64_t received() const noexcept { return cursor_.received(); }  // this epoch
  std::uint64_t lost() const noexcept { return cursor_.lost(); }          // this epoch
  std::uint64_t cursor() const noexcept { return cursor_.cursor(); }      // next sequence to read
  std::uint64_t joined_at() const noexcept {
    return cursor_.joined_at();
  }  // where this epoch's reading began
  std::uint64_t total_received() const noexcept { return cursor_.total_received(); }  // all epochs
  std::uint64_t total_lost() const noexcept { return cursor_.total_lost(); }
  std::uint64_t verify_errors() const noexcept { return cursor_.verify_errors(); }
  std::uint64_t epochs_seen() const noexcept { return feed_.epochs_seen(); }
  int slot_index() const noexcept { return lease() ? lease()->index() : -1; }

  // Tries to attach once now (used by next(); public for tools and tests).
  Status try_attach();

 private:
  class Monitor;
  explicit Subscriber(SubscriberOptions o);
  bool wait_for_data(std::uint64_t deadline_ns);  // false: deadline or stop
  void maintain(std::uint64_t now) noexcept;      // liveness, heartbeat, stats; periodic
  void detach() noexcept;
  void reregister(std::uint64_t now) noexcept;
  ReaderLease* lease() const noexcept { return lease_ && lease_->held() ? &*lease_ : nullptr; }
  bool stopping() const noexcept { return stop_ && stop_->load(std::memory_order_relaxed); }

  SubscriberOptions opt_;
  FeedFollower feed_;                         // owns the data mapping the cursor reads
  mutable std::optional<ReaderLease> lease_;  // the registry slot, when registered and attached
  RingCursor cursor_;
  Waiter waiter_;
  LatencyHistogram hist_;
  std::uint64_t next_stats_ns_ = 0;
  std::uint32_t since_maintain_ = 0;
  const std::atomic<bool>* stop_ = nullptr;
};

}  // namespace tickshm
