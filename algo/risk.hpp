// Pre-trade risk: position and notional limits, an order-rate limit and the drawdown kill switch.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tickshm/money.hpp"
#include "tick_sanity.hpp"

namespace tickshm::algo {

// 0 disables a limit.
struct RiskLimits {
  std::int64_t max_position = 0;         // shares, |position| per symbol after the fill
  Money max_gross_notional = 0;          // sum over symbols of |position x mark| after the fill
  std::uint32_t max_orders_per_sec = 0;  // orders sent in any sliding one-second window
  Money max_drawdown = 0;                // fall of total P&L from its peak that halts trading
  std::uint32_t max_bad_ticks_per_sec =
      0;                // bad ticks (nonsense or failing --verify) in one second that halt
  SanityLimits sanity;  // what a bad tick is
};

// Why the kill switch fired; the numbers are the status segment's AlgoTotals::halt_cause.
enum class HaltCause : std::uint32_t { kNone = 0, kDrawdown = 1, kBadTicks = 2 };

enum class Reject : std::uint8_t { kNone, kHalted, kPosition, kNotional, kRate };
inline constexpr std::size_t kRejectKinds = 5;
std::string_view reject_name(Reject r) noexcept;  // "none", "halted", "max-position", ...

class RiskGate {
 public:
  explicit RiskGate(const RiskLimits& limits);

  // Checks an order that would take the symbol to `new_position` and the book's gross exposure to
  // `new_gross`, sent at now_ns. The order-rate window counts only orders that pass (a refused order
  // never reaches a market). Allocation-free.
  Reject check(std::int64_t new_position, Money new_gross, std::uint64_t now_ns) noexcept;

  // Feeds total P&L after every change; fires the kill switch once the drawdown reaches the limit.
  // Returns true exactly once: when it fires.
  bool observe_pnl(Money total_pnl) noexcept;

  // Records n bad ticks at now_ns; fires the kill switch when max_bad_ticks_per_sec arrive within one
  // second. Returns true exactly once: when it fires.
  bool observe_bad_ticks(std::uint64_t now_ns, std::uint64_t n = 1) noexcept;

  bool halted() const noexcept { return halted_; }
  HaltCause halt_cause() const noexcept { return cause_; }
  Money peak() const noexcept { return peak_; }
  Money drawdown() const noexcept { return drawdown_; }          // current fall from peak
  Money max_drawdown() const noexcept { return max_drawdown_; }  // largest seen
  const RiskLimits& limits() const noexcept { return limits_; }

 private:
  RiskLimits limits_;
  // Send times of the last max_orders_per_sec accepted orders, a ring: an order passes when the
  // oldest of them is at least one second old.
  std::vector<std::uint64_t> sent_;
  std::size_t sent_next_ = 0;
  std::size_t sent_count_ = 0;
  Money peak_ = 0;
  Money drawdown_ = 0;
  Money max_drawdown_ = 0;
  bool halted_ = false;
  HaltCause cause_ = HaltCause::kNone;
  BadTickBurst bad_burst_;
};

}  // namespace tickshm::algo
