// Pre-trade risk checks (see risk.hpp).
#include "risk.hpp"

#include "tickshm/clock.hpp"

namespace tickshm::algo {

std::string_view reject_name(Reject r) noexcept {
  switch (r) {
    case Reject::kNone:
      return "none";
    case Reject::kHalted:
      return "halted";
    case Reject::kPosition:
      return "max-position";
    case Reject::kNotional:
      return "max-gross-notional";
    case Reject::kRate:
      return "max-orders-per-sec";
  }
  return "?";
}

RiskGate::RiskGate(const RiskLimits& limits)
    : limits_(limits), sent_(limits.max_orders_per_sec, 0), bad_burst_(limits.max_bad_ticks_per_sec) {}

Reject RiskGate::check(std::int64_t new_position, Money new_gross, std::uint64_t now_ns) noexcept {
  if (halted_) return Reject::kHalted;
  const std::int64_t abs_position = new_position < 0 ? -new_position : new_position;
  if (limits_.max_position > 0 && abs_position > limits_.max_position) return Reject::kPosition;
  if (limits_.max_gross_notional > 0 && new_gross > limits_.max_gross_notional) return Reject::kNotional;
  if (!sent_.empty()) {
    if (sent_count_ == sent_.size() && now_ns - sent_[sent_next_] < kNsPerSec) return Reject::kRate;
    sent_[sent_next_] = now_ns;
    sent_next_ = sent_next_ + 1 == sent_.size() ? 0 : sent_next_ + 1;
    if (sent_count_ < sent_.size()) ++sent_count_;
  }
  return Reject::kNone;
}

bool RiskGate::observe_pnl(Money total_pnl) noexcept {
  if (total_pnl > peak_) peak_ = total_pnl;
  drawdown_ = peak_ - total_pnl;
  if (drawdown_ > max_drawdown_) max_drawdown_ = drawdown_;
  if (!halted_ && limits_.max_drawdown > 0 && drawdown_ >= limits_.max_drawdown) {
    halted_ = true;
    cause_ = HaltCause::kDrawdown;
    return true;
  }
  return false;
}

bool RiskGate::observe_bad_ticks(std::uint64_t now_ns, std::uint64_t n) noexcept {
  if (!bad_burst_.record(now_ns, n) || halted_) return false;
  halted_ = true;
  cause_ = HaltCause::kBadTicks;
  return true;
}

}  // namespace tickshm::algo
