// The market simulator: correlated GBM prices with jumps, a quoted spread, trades and an intraday
// activity smile, one tick per next() call, deterministic per seed (see docs/FEED.md, "Model").
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "rng.hpp"
#include "tickshm/layout.hpp"
#include "universe.hpp"

namespace tickshm::feed {

inline constexpr std::uint64_t kNs = 1'000'000'000ULL;
inline constexpr std::uint64_t kSessionNs = 23'400 * kNs;  // 09:30-16:00, 6.5 hours
inline constexpr std::uint32_t kSessionBuckets = 390;      // one per simulated minute
inline constexpr std::uint64_t kBucketNs = kSessionNs / kSessionBuckets;
inline constexpr double kTradingYearNs = 252.0 * static_cast<double>(kSessionNs);
// 2024-01-02 (a Tuesday) 09:30 New York = 14:30 UTC: where simulated time starts.
inline constexpr std::uint64_t kDefaultOpenUnixNs = 1'704'205'800ULL * kNs;

struct SimConfig {
  std::uint64_t seed = 42;
  double market_weight = 0.6;               // loading on the common factor: pairwise correlation = weight^2
  double trade_ratio = 0.2;                 // share of ticks that are trades (the rest are quotes)
  double jumps_per_session = 0.2;           // per symbol, Poisson in trading time
  double jump_size = 0.01;                  // standard deviation of a jump's log size
  std::uint64_t session_ticks = 2'340'000;  // ticks per simulated session (all symbols): 100 per second
  std::uint64_t start_unix_ns = kDefaultOpenUnixNs;
};

// The intraday "smile": relative tick intensity at session fraction x in [0, 1), mean 1 over a session.
double smile_intensity(double x) noexcept;

class Simulator {
 public:
  Simulator(std::vector<SymbolParams> symbols, const SimConfig& config);

  // Fills every field of `out` but seq, publish_ns and checksum (set to 0). Inline: the flat-out loop
  // (generation + publish >= 20 M ticks/s) cannot afford a call per tick. Always true: an endless source.
  bool next(TickRecord& out) noexcept {
    const std::uint64_t r1 = rng_.next();
    const std::uint64_t r2 = rng_.next();
    const std::uint64_t r3 = rng_.next();

    // Which symbol: Vose alias table, one 64-bit draw (Lemire's multiply instead of a modulo).
    const std::uint32_t j = static_cast<std::uint32_t>(((r1 >> 32) * alias_n_) >> 32);
    const std::uint32_t i =
        static_cast<std::uint32_t>(r1 & 0xFFFF'FFFFu) < alias_threshold_[j] ? j : alias_[j];
    SymState& s = state_[i];

    // Simulated trading time advances by the current minute's step; the common factor diffuses with it.
    now_ += step_ns_;
    if (now_ >= bucket_end_) [[unlikely]]
      next_bucket();
    const NormalTable& z = *normals_;
    // r2: bits 0-19 market noise, 20-39 own noise, 40-47 spread rounding, 48-63 trade or quote.
    market_ += step_sqrt_ * z(r2);

    // Exact GBM step over the time since this symbol last moved, split into market and own noise.
    const std::uint64_t dt = now_ - s.last_ns;
    s.last_ns = now_;
    const double dm = market_ - s.market_mark;
    s.market_mark = market_;
    const double fdt = static_cast<double>(dt);
    double x = s.drift * fdt + s.market_load * dm + s.own_load * std::sqrt(fdt) * z(r2 >> 20);
    // r3: bits 0-31 jump or not, 32-43 and 44-55 sizes, 56 trade side, 57-63 trade inside the touch.
    if (static_cast<double>(r3 & 0xFFFF'FFFFu) < s.jump_rate * fdt) [[unlikely]]
      x += jump(s);
    s.fair *= exp_small(x);

    // Spread: proportional to price x volatility, wider at the open and after a jump, >= 1 tick.
    double excite = 0;
    if (s.excite > 0) [[unlikely]]
      excite = decay_excite(s, fdt);
    const double u8 = static_cast<double>((r2 >> 40) & 0xFF) * (1.0 / 256.0);
    const double raw = s.fair * s.spread_coef * spread_mult_ * (1.0 + excite) + u8;
    const std::int64_t spread = std::max<std::int64_t>(1, static_cast<std::int64_t>(raw));
    s.fair = std::clamp(s.fair, static_cast<double>(spread + 1), s.max_fair - static_cast<double>(spread));

    // Mid on the tick grid; an odd spread puts its extra tick on the side where the fair value is.
    const std::int64_t mid = static_cast<std::int64_t>(s.fair + 0.5);
    const std::int64_t half = spread / 2;
    std::int64_t bid = mid - half;
    if ((spread & 1) != 0 && s.fair < static_cast<double>(mid)) --bid;
    const std::int64_t ask = bid + spread;
    const auto tick = static_cast<std::int64_t>(s.tick_size);

    out.seq = 0;
    out.publish_ns = 0;
    out.event_ns = now_ + calendar_offset_;
    out.symbol = i;
    out.flags = 0;
    out.reserved0 = 0;
    out.bid = static_cast<std::uint32_t>(bid * tick);
    out.ask = static_cast<std::uint32_t>(ask * tick);
    out.checksum = 0;
    out.reserved1 = 0;
    if ((r2 >> 48) < trade_threshold_) {
      // Trade: at the touch, or strictly inside it when the spread leaves room (38/128 = 30%).
      std::int64_t px = ((r3 >> 56) & 1) != 0 ? ask : bid;
      if (spread > 1 && (r3 >> 57) < 38) [[unlikely]]
        px = inside_price(bid, spread);
      out.kind = static_cast<std::uint8_t>(TickKind::kTrade);
      out.price = static_cast<std::uint32_t>(px * tick);
      out.size = trade_lots_[(r3 >> 32) & 0xFFF] * 100;
    } else {
      out.kind = static_cast<std::uint8_t>(TickKind::kQuote);
      out.price = 0;
      out.size = 0;
      s.bid_size = quote_lots_[(r3 >> 32) & 0xFFF] * 100;
      s.ask_size = quote_lots_[(r3 >> 44) & 0xFFF] * 100;
    }
    out.bid_size = s.bid_size;
    out.ask_size = s.ask_size;
    return true;
  }

  std::uint32_t symbol_count() const noexcept { return static_cast<std::uint32_t>(params_.size()); }
  const std::vector<SymbolParams>& symbols() const noexcept { return params_; }
  std::uint64_t trading_ns() const noexcept { return now_; }   // simulated trading time elapsed
  std::uint64_t session() const noexcept { return session_; }  // sessions completed
  double fair_price(std::uint32_t i) const noexcept {          // currency units
    return state_[i].fair * static_cast<double>(state_[i].tick_size) / static_cast<double>(kPriceScale);
  }

 private:
  struct alignas(64) SymState {
    double fair = 0;         // fair value in ticks
    double market_mark = 0;  // common factor at this symbol's last move
    std::uint64_t last_ns = 0;
    double drift = 0;        // (mu - sigma^2/2) per trading ns
    double market_load = 0;  // w * sigma per sqrt(ns)
    double own_load = 0;     // sqrt(1 - w^2) * sigma per sqrt(ns)
    double spread_coef = 0;  // spread ticks per tick of price
    double jump_rate = 0;    // jumps per trading ns, times 2^32 (compared with 32 random bits)
    double excite = 0;       // extra spread after a jump, decays
    double max_fair = 0;     // top of the u32 price range, in ticks
    std::uint32_t tick_size = 100;
    std::uint32_t bid_size = 100;
    std::uint32_t ask_size = 100;
  };

  void next_bucket() noexcept;
  double jump(SymState& s) noexcept;
  double decay_excite(SymState& s, double dt) noexcept;
  std::int64_t inside_price(std::int64_t bid, std::int64_t spread) noexcept;

  std::vector<SymbolParams> params_;
  std::vector<SymState> state_;
  std::vector<std::uint32_t> alias_;
  std::vector<std::uint64_t> alias_threshold_;  // compared with 32 random bits; 2^32 = always
  std::uint64_t alias_n_ = 0;
  WyRand rng_;
  WyRand side_rng_;  // own stream for rare draws (jump sizes, inside prices): the main stream keeps
                     // exactly three draws per tick
  const NormalTable* normals_;
  LotTable quote_lots_{};
  LotTable trade_lots_{};
  std::uint64_t trade_threshold_ = 0;  // against 16 random bits
  double jump_size_ = 0;
  double excite_decay_ns_ = 0;

  // Session clock.
  std::array<std::uint64_t, kSessionBuckets> bucket_step_{};
  std::array<double, kSessionBuckets> bucket_sqrt_{};
  std::array<double, kSessionBuckets> bucket_spread_{};
  std::uint64_t now_ = 0;
  std::uint64_t bucket_end_ = 0;
  std::uint64_t session_start_ = 0;
  std::uint64_t session_ = 0;
  std::uint64_t calendar_open_ = 0;
  std::uint64_t calendar_offset_ = 0;  // event_ns = now_ + offset (unix ns of the session's open)
  std::uint32_t bucket_ = 0;
  std::uint64_t step_ns_ = 0;
  double step_sqrt_ = 0;
  double spread_mult_ = 1;
  double market_ = 0;
};

// Unix ns of the open of the next weekday after the session opening at open_unix_ns.
std::uint64_t next_session_open(std::uint64_t open_unix_ns) noexcept;

}  // namespace tickshm::feed
