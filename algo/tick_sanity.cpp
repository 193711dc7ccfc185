// Tick plausibility checks and the bad-tick burst (see tick_sanity.hpp).
#include "tick_sanity.hpp"

#include "tickshm/clock.hpp"

namespace tickshm::algo {

std::string_view bad_tick_name(BadTick b) noexcept {
  switch (b) {
    case BadTick::kNone:
      return "none";
    case BadTick::kZeroPrice:
      return "zero-price";
    case BadTick::kCrossed:
      return "crossed";
    case BadTick::kWideSpread:
      return "wide-spread";
    case BadTick::kJump:
      return "jump";
    case BadTick::kMalformed:
      return "malformed";
  }
  return "?";
}

void TickSanity::reset(std::uint32_t symbols) {
  sym_.assign(symbols, Symbol{});
}

bool TickSanity::beyond(std::int64_t from, std::int64_t to) const noexcept {
  // Prices are below 2^32 and the bound below 2^31 ppm, so the products stay below 2^63.
  const std::int64_t diff = to > from ? to - from : from - to;
  return limits_.max_move_ppm != 0 && diff * 1'000'000 > std::int64_t{limits_.max_move_ppm} * from;
}

BadTick TickSanity::check(const TickRecord& t, std::int64_t price) noexcept {
  const auto kind = static_cast<TickKind>(t.kind);
  if (kind != TickKind::kQuote && kind != TickKind::kTrade) return BadTick::kMalformed;
  if (t.bid != 0 && t.ask != 0 && t.bid > t.ask) return BadTick::kCrossed;
  if (kind == TickKind::kQuote ? (t.bid == 0 && t.ask == 0) : t.price == 0) return BadTick::kZeroPrice;
  if (limits_.max_spread_ppm != 0 && t.bid != 0 && t.ask != 0) {
    const std::int64_t spread = std::int64_t{t.ask} - t.bid;
    const std::int64_t mid = (std::int64_t{t.bid} + t.ask) / 2;
    if (spread * 1'000'000 > std::int64_t{limits_.max_spread_ppm} * mid) return BadTick::kWideSpread;
  }
  const std::uint32_t s = t.symbol;
  if (price <= 0 || s >= sym_.size()) return BadTick::kNone;  // nothing to compare (one-sided quote)
  Symbol& y = sym_[s];
  if (y.last != 0 && beyond(y.last, price)) {
    // A jump. Several in a row at one new level are a real gap (or a wrong first reference): take it.
    y.pending_count = y.pending != 0 && !beyond(y.pending, price) ? y.pending_count + 1 : 1;
    y.pending = price;
    if (y.pending_count < kRebaseAfter) return BadTick::kJump;
  }
  y.last = price;
  y.pending = 0;
  y.pending_count = 0;
  return BadTick::kNone;
}

bool BadTickBurst::record(std::uint64_t now_ns, std::uint64_t n) noexcept {
  if (times_.empty()) return false;
  bool tripped = false;
  for (std::uint64_t k = 0; k < n && !tripped; ++k) {
    times_[next_] = now_ns;
    next_ = next_ + 1 == times_.size() ? 0 : next_ + 1;
    if (count_ < times_.size()) ++count_;
    // The ring is full and its oldest entry (now at next_) is under a second old: a burst.
    tripped = count_ == times_.size() && now_ns - times_[next_] < kNsPerSec;
  }
  return tripped;
}

}  // namespace tickshm::algo
