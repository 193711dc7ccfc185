// The writer side of the bus: creates and owns a feed's segments and publishes ticks into the ring.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tickshm/control_layout.hpp"
#include "tickshm/fault_guard.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/names.hpp"
#include "tickshm/posix.hpp"
#include "tickshm/result.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm {

// publish() write-prefetches the slot this many ticks ahead (see there). Half a page of slots: well
// inside the dense_margin (128) that readers of a flat-out writer keep behind it.
inline constexpr std::uint64_t kPrefetchAhead = 32;

// A hint to fetch the line for writing (exclusive), without waiting for it. x86: PREFETCHW, which
// older CPUs without it execute as a NOP; written in assembly because the baseline x86-64 target
// lacks the PRFCHW flag the compiler builtin needs (it would emit a read prefetch instead).
inline void prefetch_for_write(const void* p) noexcept {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p, 1, 3);
#endif
}

struct SymbolSpec {
  std::string name;              // 1..15 characters
  std::int64_t reference_price;  // price units
  std::uint32_t tick_size = 100;
};

struct PublisherOptions {
  std::string segment{kDefaultSegment};
  std::vector<SymbolSpec> symbols;
  std::uint64_t ring_capacity = 1ULL << 16;
  mode_t mode = 0600;
  bool verify = false;  // stamp a checksum into every tick
};

class Publisher {
 public:
  // Creates /tickshm.NAME.ctl and /tickshm.NAME (O_CREAT|O_EXCL, memory reserved up front) and takes
  // the writer lock. A live writer on the name -> kAlreadyRunning naming its pid; a dead writer's
  // segments are replaced (new epoch). Not enough room in /dev/shm -> kNoSpace with both sizes.
  [[nodiscard]] static Result<Publisher> create(const PublisherOptions& options);

  Publisher(Publisher&&) noexcept = default;  // the moved-from one holds no mapping: close() does nothing
  Publisher& operator=(Publisher&&) = delete;
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;
  ~Publisher();  // close(): state closed, sleepers woken, segments unlinked unless keep_segments(true)

  // Hot path. Publishes tick number published() into the ring and updates the symbol's quote board
  // record. The caller fills every field but seq and checksum; publish_ns is the caller's stamp so a
  // flat-out loop may stamp once per batch. No system call, no allocation. A tick whose symbol is >= the
  // count is dropped.
  void publish(const TickRecord& tick) noexcept;

  // Wakes every sleeping reader with one FUTEX_WAKE on the control segment's wake word; one load when
  // none sleeps. Call after each publish, or once after a batch: a sleeping reader waits at most until
  // the next call. Never blocks, whatever the control segment holds.
  void wake_sleepers() noexcept;

  void publish_and_wake(const TickRecord& tick) noexcept {
    publish(tick);
    wake_sleepers();
  }

  // Overwrites a symbol's quote board record whole (under its seqlock), for a writer that starts from
  // another board rather than from tick 0 (tickshm-bridge in, from the remote feed's snapshot). Later
  // ticks update it as usual. Not for the hot path; an out-of-range symbol is ignored.
  void set_quote(std::uint32_t symbol, const Quote& q) noexcept;

  void heartbeat(std::uint64_t now_ns) noexcept;  // call at least every 100 ms, also when idle
  void close() noexcept;                          // idempotent
  void keep_segments(bool keep) noexcept { keep_ = keep; }

  std::uint64_t published() const noexcept { return cursor_; }
  std::uint64_t epoch() const noexcept;
  std::uint32_t symbol_count() const noexcept;
  const DataHeader& header() const noexcept;
  std::vector<ReaderInfo> readers() const;  // registry rows, for the once-a-second log line
  const std::string& segment() const noexcept { return name_; }
  // Someone truncated a segment under the writer: readers can no longer read or be woken. The feed
  // reports it.
  bool damaged() const noexcept { return data_guard_.faulted() || ctl_guard_.faulted(); }

 private:
  Publisher() = default;
  void wake_all() noexcept;
  std::string name_;
  Fd data_fd_;  // holds the writer lock (flock) for as long as it is open
  Mapping data_;
  Mapping ctl_;
  // The control segment is writable by every reader (and, under --mode 0640/0644, by the group or
  // everyone), the data segment by our own uid: truncating either must not SIGBUS the writer.
  // Declared after the mappings: unwatched first.
  FaultGuard data_guard_;
  FaultGuard ctl_guard_;
  DataHeader* hdr_ = nullptr;
  QuoteRecord* quotes_ = nullptr;
  TickRecord* ring_ = nullptr;
  ControlHeader* ctl_hdr_ = nullptr;
  ReaderSlot* slots_ = nullptr;
  std::uint64_t mask_ = 0;
  std::uint64_t prefetch_ahead_ = 0;  // kPrefetchAhead, or a quarter of a small ring
  std::uint64_t cursor_ = 0;
  std::uint32_t symbol_count_ = 0;
  bool verify_ = false;
  bool keep_ = false;
};

inline void Publisher::publish(const TickRecord& tick) noexcept {
  if (tick.symbol >= symbol_count_) return;  // a caller bug must not write outside the quote board
  const std::uint64_t s = cursor_;
  TickRecord& slot = ring_[s & mask_];
  // Take the slot kPrefetchAhead ticks on for writing now. Every reader that read it a lap ago still
  // holds a copy, and the store into it would wait for those copies to be invalidated, a cross-core
  // round trip the store buffer cannot hide when the writer is flat out.
  prefetch_for_write(&ring_[(s + prefetch_ahead_) & mask_]);

  // Payload words 1..7 composed from the caller's fields in registers. Copying the record through
  // memory instead reloads 4-byte stores as 8-byte words, which store forwarding cannot serve.
  const std::uint64_t flags =
      verify_ ? (tick.flags | kTickFlagChecksum) : (tick.flags & ~kTickFlagChecksum & 0xFF);
  std::uint64_t w[8];
  w[0] = 0;
  w[1] = tick.publish_ns;
  w[2] = tick.event_ns;
  w[3] = std::uint64_t{tick.symbol} | std::uint64_t{tick.kind} << 32 | flags << 40;
  w[4] = std::uint64_t{tick.bid} | std::uint64_t{tick.ask} << 32;
  w[5] = std::uint64_t{tick.price} | std::uint64_t{tick.size} << 32;
  w[6] = std::uint64_t{tick.bid_size} | std::uint64_t{tick.ask_size} << 32;
  w[7] = verify_ ? tick_checksum_words(s, w) : 0;

  // SYNC POINT P1: mark the slot "being written" before any payload word changes.
  store_relaxed(slot.seq, seq_writing(s));
  std::atomic_thread_fence(std::memory_order_release);  // orders the mark before the payload stores
  store_words<sizeof(TickRecord) - sizeof(std::uint64_t)>(&slot.publish_ns, &w[1]);
  // SYNC POINT P2: storing the final sequence word publishes the tick.
  tickshm::publish(slot.seq, seq_published(s));
  cursor_ = s + 1;

  // The quote board record, updated in place under its seqlock: a quote changes five fields, a trade
  // up to six more. Only this writer stores to the record, so it reads its own values back relaxed.
  QuoteRecord& q = quotes_[tick.symbol];
  const std::uint64_t odd = seqlock_write_begin(q.seq);
  store_payload(q.bid, std::int64_t{tick.bid});
  store_payload(q.ask, std::int64_t{tick.ask});
  store_payload(q.bid_size, tick.bid_size);
  store_payload(q.ask_size, tick.ask_size);
  if (tick.kind == static_cast<std::uint8_t>(TickKind::kTrade)) {
    const std::int64_t px = tick.price;
    store_payload(q.last, px);
    store_payload(q.last_size, tick.size);
    store_payload(q.volume, load_relaxed(q.volume) + tick.size);
    const std::uint64_t trades = load_relaxed(q.trade_count);
    if (trades == 0) {
      store_payload(q.open, px);
      store_payload(q.high, px);
      store_payload(q.low, px);
    } else {
      if (px > load_relaxed(q.high)) store_payload(q.high, px);
      if (px < load_relaxed(q.low)) store_payload(q.low, px);
    }
    store_payload(q.trade_count, trades + 1);
  }
  store_payload(q.tick_count, load_relaxed(q.tick_count) + 1);
  store_payload(q.update_ns, tick.publish_ns);
  seqlock_write_end(q.seq, odd);

  // SYNC POINT W1: the cursor store the sleepers handshake is about (see wake_sleepers).
  tickshm::publish(hdr_->write_cursor, cursor_);
}

}  // namespace tickshm
