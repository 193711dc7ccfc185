// Plausibility checks on every tick before the engine trades on it: a price of zero, a crossed quote,
// an absurdly wide spread, an unknown kind, or a move beyond a bound from the last accepted price.
// A tick from shared memory is another process's word: a broken or hostile writer must not move P&L.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tickshm/layout.hpp"

namespace tickshm::algo {

// 0 turns a bound off (as every RiskLimits field; tickshm-algo's defaults are 20 % and 50 %, its
// --max-tick-move and --max-spread). A zero price, a crossed quote and an unknown kind are always bad.
struct SanityLimits {
  // Largest relative move of a symbol's price (quote mid, or trade price) from its last accepted one,
  // per tick, in parts per million (200'000 = 20 %). The simulator's jumps have a 1 % standard deviation.
  std::uint32_t max_move_ppm = 0;
  // Largest spread (ask - bid) relative to the mid, in parts per million (500'000 = 50 %).
  std::uint32_t max_spread_ppm = 0;
};

enum class BadTick : std::uint8_t { kNone, kZeroPrice, kCrossed, kWideSpread, kJump, kMalformed };
inline constexpr std::size_t kBadTickKinds = 6;
std::string_view bad_tick_name(BadTick b) noexcept;  // "zero-price", "crossed", "wide-spread", ...

// The last rejected tick, for the owner's rate-limited log line.
struct BadTickRecord {
  BadTick kind = BadTick::kNone;
  std::uint32_t symbol = 0;
  std::uint64_t seq = 0;
  std::uint32_t bid = 0, ask = 0, price = 0;
  std::int64_t reference = 0;  // the last accepted price it was compared with (kJump)
};

class TickSanity {
 public:
  explicit TickSanity(const SanityLimits& limits) : limits_(limits) {}

  // A new epoch of n symbols: forgets every last accepted price. Allocates.
  void reset(std::uint32_t symbols);

  // Judges tick t of symbol t.symbol (< the count given to reset), whose tradeable price is `price`
  // (mid of a two-sided quote, or the trade price; 0 when the tick has none). Accepted ticks move the
  // symbol's reference. A symbol whose price really gapped is not locked out: after kRebaseAfter
  // consecutive jumps that agree with each other within the bound, the new level is accepted.
  // Allocation-free.
  BadTick check(const TickRecord& t, std::int64_t price) noexcept;

  const SanityLimits& limits() const noexcept { return limits_; }
  std::int64_t reference(std::uint32_t symbol) const noexcept {
    return symbol < sym_.size() ? sym_[symbol].last : 0;
  }

  static constexpr std::uint32_t kRebaseAfter = 3;

 private:
  bool beyond(std::int64_t from, std::int64_t to) const noexcept;

  // Per symbol, together: a tick touches one cache line of this state, not three.
  struct Symbol {
    std::int64_t last = 0;     // last accepted price, 0 = none yet
    std::int64_t pending = 0;  // the level of the current run of jumps, 0 = none
    std::uint32_t pending_count = 0;
  };
  SanityLimits limits_;
  std::vector<Symbol> sym_;
};

// Kill switch on a burst of bad ticks: trips when `burst` of them (rejected or failing --verify) arrive
// within one second. burst 0: never.
class BadTickBurst {
 public:
  explicit BadTickBurst(std::uint32_t burst) : times_(burst, 0) {}
  // Records n bad ticks at now_ns; true when the burst is reached (every time it is, the caller halts
  // once). Allocation-free.
  bool record(std::uint64_t now_ns, std::uint64_t n = 1) noexcept;
  std::uint32_t burst() const noexcept { return static_cast<std::uint32_t>(times_.size()); }

 private:
  std::vector<std::uint64_t> times_;  // ring of the last `burst` bad-tick times
  std::size_t next_ = 0, count_ = 0;
};

}  // namespace tickshm::algo
