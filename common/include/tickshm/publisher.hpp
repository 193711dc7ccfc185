// The writer side of the bus: creates and owns a feed's segments and publishes ticks into the ring.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tickshm/control_layout.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/posix.hpp"
#include "tickshm/result.hpp"
#include "tickshm/segment.hpp"

namespace tickshm {

struct SymbolSpec {
  std::string name;              // 1..15 characters
  std::int64_t reference_price;  // price units
  std::uint32_t tick_size = 100;
};

struct PublisherOptions {
  std::string segment = "market";
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

  Publisher(Publisher&&) noexcept;
  Publisher& operator=(Publisher&&) = delete;
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;
  ~Publisher();  // close(): state closed, sleepers woken, segments unlinked unless keep_segments(true)

  // Hot path. Publishes tick number published() into the ring and updates the symbol's quote board
  // record. The caller fills every field but seq and checksum; publish_ns is the caller's stamp so a
  // flat-out loop may stamp once per batch. No system call, no allocation. A tick whose symbol is >= the
  // count is dropped.
  void publish(const TickRecord& tick) noexcept;

  // Wakes the readers that sleep on their semaphores; one load when none sleeps. Call after each
  // publish, or once after a batch: a sleeping reader waits at most until the next call.
  void wake_sleepers() noexcept;

  void publish_and_wake(const TickRecord& tick) noexcept {
    publish(tick);
    wake_sleepers();
  }

  void heartbeat(std::uint64_t now_ns) noexcept;  // call at least every 100 ms, also when idle
  void close() noexcept;                          // idempotent
  void keep_segments(bool keep) noexcept { keep_ = keep; }

  std::uint64_t published() const noexcept { return cursor_; }
  std::uint64_t epoch() const noexcept;
  std::uint32_t symbol_count() const noexcept;
  const DataHeader& header() const noexcept;
  std::vector<ReaderInfo> readers() const;  // registry rows, for the once-a-second log line
  const std::string& segment() const noexcept { return name_; }

 private:
  Publisher() = default;
  std::string name_;
  Fd data_fd_;  // holds the writer lock (flock) for as long as it is open
  Mapping data_;
  Mapping ctl_;
  DataHeader* hdr_ = nullptr;
  QuoteRecord* quotes_ = nullptr;
  TickRecord* ring_ = nullptr;
  ControlHeader* ctl_hdr_ = nullptr;
  ReaderSlot* slots_ = nullptr;
  std::uint64_t mask_ = 0;
  std::uint64_t cursor_ = 0;
  std::uint32_t symbol_count_ = 0;
  bool verify_ = false;
  bool keep_ = false;
  bool closed_ = true;
  // The writer's own copy of each quote board record, words 1..12 (QuoteRecord::last .. trade_count)
  // kept as 8-byte words: every field is a whole word or a pair packed like the shared record.
  enum QuoteWord : std::size_t {
    kQuoteLast,
    kQuoteBid,
    kQuoteAsk,
    kQuoteSizes,
    kQuoteLastSize,
    kQuoteVolume,
    kQuoteOpen,
    kQuoteHigh,
    kQuoteLow,
    kQuoteTicks,
    kQuoteUpdate,
    kQuoteTrades,
    kQuoteWords
  };
  struct QuoteWords {
    std::array<std::uint64_t, kQuoteWords> w{};
  };
  static_assert(sizeof(QuoteWords) == offsetof(QuoteRecord, reserved1) - offsetof(QuoteRecord, last));
  static_assert(offsetof(QuoteRecord, bid_size) == offsetof(QuoteRecord, last) + 8 * kQuoteSizes);
  static_assert(offsetof(QuoteRecord, last_size) == offsetof(QuoteRecord, last) + 8 * kQuoteLastSize);
  static_assert(offsetof(QuoteRecord, trade_count) == offsetof(QuoteRecord, last) + 8 * kQuoteTrades);
  std::vector<QuoteWords> quote_state_;
};

}  // namespace tickshm
