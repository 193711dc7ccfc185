// One reader's place in a feed's ring: reads ticks under the seqlock, counts exactly what a lap cost,
// and keeps its distance from the head of a dense stream (the margin and the hold).
#pragma once

#include <cstdint>

#include "tickshm/layout.hpp"
#include "tickshm/segment.hpp"

namespace tickshm {

// How a reader behaves on a dense stream; see SubscriberOptions for each field's reason.
struct DenseTuning {
  std::uint64_t backoff_ns = 1'000;
  std::uint64_t margin = 128;
  std::uint64_t hold_ns = 16'000;
};

class RingCursor {
 public:
  RingCursor() = default;
  explicit RingCursor(const DenseTuning& t) : tune_(t) {}

  // Starts reading `data`'s ring at tick `from`; this epoch's counters restart (totals keep them).
  void start(const DataView& data, std::uint64_t from) noexcept;
  void stop() noexcept { ring_ = nullptr; }
  bool started() const noexcept { return ring_ != nullptr; }

  // The next tick if one is published and not held back; counts verify failures against `verify` and
  // never returns a tick that failed (nor one whose symbol index is out of range).
  bool try_next(TickRecord& out, bool verify) noexcept;

  // The head slot holds tick cursor(): a hint from the slot word (a later lap counts too).
  bool head_published() const noexcept { return published_at(cursor_); }
  // The writer's cursor is past ours (acquire; seq_cst where the sleepers handshake needs it).
  bool behind() const noexcept;
  bool behind_seq_cst() const noexcept;
  bool dense() const noexcept { return dense_; }
  // True once after try_next() held back a dense stream's newest ticks.
  bool take_held() noexcept {
    const bool h = held_;
    held_ = false;
    return h;
  }

  std::uint64_t cursor() const noexcept { return cursor_; }
  std::uint64_t received() const noexcept { return received_; }
  std::uint64_t lost() const noexcept { return lost_; }
  std::uint64_t joined_at() const noexcept { return joined_at_; }
  std::uint64_t total_received() const noexcept { return total_received_ + received_; }
  std::uint64_t total_lost() const noexcept { return total_lost_ + lost_; }
  std::uint64_t verify_errors() const noexcept { return verify_errors_; }

 private:
  enum class Read { kOk, kEmpty, kLapped };
  static constexpr std::uint64_t kNoLimit = ~std::uint64_t{0};
  Read read_slot(std::uint64_t s, TickRecord& out) const noexcept;
  void skip_lapped() noexcept;
  bool published_at(std::uint64_t s) const noexcept;
  bool extend_read_limit() noexcept;  // false: holding back a dense stream's newest ticks

  DenseTuning tune_;
  const TickRecord* ring_ = nullptr;  // into the DataView the owner keeps mapped
  const std::uint64_t* write_cursor_ = nullptr;
  std::uint64_t mask_ = 0;
  std::uint32_t symbol_count_ = 0;
  std::uint64_t cursor_ = 0, received_ = 0, lost_ = 0, joined_at_ = 0;
  std::uint64_t total_received_ = 0, total_lost_ = 0, verify_errors_ = 0;
  std::uint64_t last_publish_ns_ = 0;    // the last tick's stamp: dense-stream detection
  bool dense_ = false;                   // the last two ticks were published < backoff_ns apart
  bool held_ = false;                    // try_next() is holding back a dense stream's newest ticks
  std::uint64_t hold_since_ns_ = 0;      // when the ticks held back now began to be held (0: none)
  std::uint64_t margin_ = 0;             // tune_.margin, clamped to a quarter of the ring
  std::uint64_t read_limit_ = kNoLimit;  // dense: ticks below it are read without looking at the head
};

}  // namespace tickshm
