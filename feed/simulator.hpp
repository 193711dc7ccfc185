// The market simulator: correlated GBM prices with jumps, a quoted spread, trades and an intraday
// activity smile, in batches (next_batch) or one tick at a time (next), deterministic per seed (see
// docs/FEED.md, "Model" and "Performance").
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "branchless.hpp"
#include "rng.hpp"
#include "session_clock.hpp"
#include "tick_model.hpp"
#include "tickshm/layout.hpp"
#include "universe.hpp"

namespace tickshm::feed {

struct SimConfig {
  std::uint64_t seed = 42;
  double market_weight = 0.6;               // loading on the common factor: pairwise correlation = weight^2
  double trade_ratio = 0.2;                 // share of ticks that are trades (the rest are quotes)
  double jumps_per_session = 0.2;           // per symbol, Poisson in trading time
  double jump_size = 0.01;                  // standard deviation of a jump's log size
  std::uint64_t session_ticks = 2'340'000;  // ticks per simulated session (all symbols): 100 per second
  std::uint64_t start_unix_ns = kDefaultOpenUnixNs;
};

// The passes below (see TickModel, "Why batches"): (1) draws, symbol, clocks and the common factor;
// (2) each tick's log return; (3) prices, spread, sizes and the record.
class Simulator : public TickModel<Simulator> {
 public:
  Simulator(std::vector<SymbolParams> symbols, const SimConfig& config);

  double fair_price(std::uint32_t i) const noexcept {  // currency units
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

  // What pass 1 hands to passes 2 and 3, per tick of the batch.
  struct Scratch {
    std::array<std::uint64_t, kBatch> r2;    // bits 0-19 market noise (used in pass 1), 20-39 own noise,
                                             // 40-47 spread rounding, 48-63 trade or quote
    std::array<std::uint64_t, kBatch> r3;    // bits 0-31 jump or not, 32-43 and 44-55 sizes (a trade's
                                             // inside offset: 44-55), 56 trade side, 57-63 inside
    std::array<double, kBatch> dt;           // trading ns since this tick's symbol last moved
    std::array<double, kBatch> dm;           // common factor's move over that time
    std::array<double, kBatch> spread_mult;  // the minute's spread multiplier
    std::array<double, kBatch> x;            // log return (pass 2)
    std::array<std::uint8_t, kBatch> jumped;
  };

  friend class TickModel<Simulator>;
  std::uint32_t fill(TickRecord* out, std::uint32_t n) noexcept {
    const std::uint32_t m = std::min(n, kBatch);
    draw_pass(out, m);
    return_pass(out, m);
    price_pass(out, m);
    return m;
  }
  inline void draw_pass(TickRecord* out, std::uint32_t n) noexcept;
  inline void return_pass(const TickRecord* out, std::uint32_t n) noexcept;
  inline void price_pass(TickRecord* out, std::uint32_t n) noexcept;
  void next_bucket() noexcept;
  double jump_size() noexcept;  // a jump's log size (side stream)

  std::vector<SymState> state_;
  WyRand rng_;
  WyRand side_rng_;  // own stream for rare draws (jump sizes): the main stream keeps exactly three
                     // draws per tick
  const NormalTable* normals_;
  LotTable quote_shares_{};  // lot-size quantiles times 100 shares
  LotTable trade_shares_{};
  std::uint64_t trade_threshold_ = 0;  // against 16 random bits
  double jump_size_ = 0;

  // Session clock.
  std::array<std::uint64_t, kSessionBuckets> bucket_step_{};
  std::array<double, kSessionBuckets> bucket_sqrt_{};
  std::array<double, kSessionBuckets> bucket_spread_{};
  std::uint64_t step_ns_ = 0;
  double step_sqrt_ = 0;
  double spread_mult_ = 1;
  double market_ = 0;
  Scratch scratch_{};
};

// Pass 1, in tick order: the three draws, the symbol, the session clock, the common factor, and each
// tick's time and factor move since its symbol last moved. Writes symbol and event_ns into out[].
inline void Simulator::draw_pass(TickRecord* out, std::uint32_t n) noexcept {
  const NormalTable& z = *normals_;
  // The loop-carried values live in registers for the batch: stored through `this` each tick, the
  // compiler (which cannot tell them from the u64/double stores into the records and the symbols'
  // state) would reload them from memory every tick.
  WyRand rng = rng_;
  const SymbolPicker::View picker = picker_.view();
  std::uint64_t now = clock_.now;
  double market = market_;
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint64_t r1 = rng.next();
    const std::uint64_t r2 = rng.next();
    const std::uint64_t r3 = rng.next();
    const std::uint32_t i = picker.pick(r1);
    SymState& s = state_[i];

    // Simulated trading time advances by the current minute's step; the common factor diffuses with it.
    now += step_ns_;
    if (now >= clock_.bucket_end) [[unlikely]] {
      clock_.now = now;
      next_bucket();
    }
    market += step_sqrt_ * z(r2);

    scratch_.r2[k] = r2;
    scratch_.r3[k] = r3;
    // Signed: a few ns to years, never near 2^63, and the signed conversion is one instruction.
    scratch_.dt[k] = static_cast<double>(static_cast<std::int64_t>(now - s.last_ns));
    s.last_ns = now;
    scratch_.dm[k] = market - s.market_mark;
    s.market_mark = market;
    scratch_.spread_mult[k] = spread_mult_;
    out[k].symbol = i;
    out[k].event_ns = now + clock_.calendar_offset;
  }
  rng_ = rng;
  clock_.now = now;
  market_ = market;
}

// Pass 2: each tick's log return, an exact GBM step over dt split into market and own noise, plus a
// jump now and then (Poisson in trading time; sizes from their own stream, in tick order). Reads only
// the symbols' fixed parameters, so the ticks of a batch are independent here.
inline void Simulator::return_pass(const TickRecord* out, std::uint32_t n) noexcept {
  const NormalTable& z = *normals_;
  for (std::uint32_t k = 0; k < n; ++k) {
    const SymState& s = state_[out[k].symbol];
    const double dt = scratch_.dt[k];
    double x =
        s.drift * dt + s.market_load * scratch_.dm[k] + s.own_load * std::sqrt(dt) * z(scratch_.r2[k] >> 20);
    const bool jumped = static_cast<double>(scratch_.r3[k] & 0xFFFF'FFFFu) < s.jump_rate * dt;
    if (jumped) [[unlikely]]
      x += jump_size();
    scratch_.x[k] = x;
    scratch_.jumped[k] = jumped;
  }
}

// Pass 3, in tick order: the fair value moves, then the spread, the mid on the tick grid, bid and ask,
// and a trade or a quote. Sequential only through the state of the same symbol.
inline void Simulator::price_pass(TickRecord* out, std::uint32_t n) noexcept {
  for (std::uint32_t k = 0; k < n; ++k) {
    TickRecord& t = out[k];
    SymState& s = state_[t.symbol];
    const std::uint64_t r2 = scratch_.r2[k];
    const std::uint64_t r3 = scratch_.r3[k];
    double fair = s.fair * exp_small(scratch_.x[k]);

    // Spread: proportional to price x volatility, wider at the open and after a jump, >= 1 tick.
    if (scratch_.jumped[k] != 0) [[unlikely]]
      s.excite = kExciteAfterJump;
    double coef = s.spread_coef * scratch_.spread_mult[k];
    if (s.excite > 0) [[unlikely]]
      coef *= 1.0 + decay_excitation(s.excite, scratch_.dt[k]);
    const double u8 = static_cast<double>((r2 >> 40) & 0xFF) * (1.0 / 256.0);
    const std::int64_t spread = std::max<std::int64_t>(1, static_cast<std::int64_t>(fair * coef + u8));
    // Room for the spread inside the u32 price range. Never binds at realistic prices, so a branch
    // (always predicted) rather than a clamp in the chain from the fair value to the mid.
    const auto spread_d = static_cast<double>(spread);
    if (fair < spread_d + 1.0 || fair > s.max_fair - spread_d) [[unlikely]]
      fair = std::clamp(fair, spread_d + 1.0, s.max_fair - spread_d);
    s.fair = fair;

    const GridQuote q = quote_on_grid(fair, spread);
    const std::int64_t bid = q.bid;
    const std::int64_t ask = q.ask;
    const auto tick = static_cast<std::int64_t>(s.tick_size);

    // Trade: at the touch (bit 56 picks the side), or strictly inside it when the spread leaves room
    // (38/128 = 30 %), at an offset drawn from 12 bits. A quote draws new sizes for both sides.
    const std::uint32_t trade = mask_if<std::uint32_t>((r2 >> 48) < trade_threshold_);
    const std::int64_t touch = bid + (spread & -static_cast<std::int64_t>((r3 >> 56) & 1));
    const std::int64_t offset =
        1 + static_cast<std::int64_t>((((r3 >> 44) & 0xFFF) * static_cast<std::uint64_t>(spread - 1)) >> 12);
    const std::int64_t inside = -static_cast<std::int64_t>((spread > 1) & ((r3 >> 57) < 38));
    const std::int64_t px = touch ^ ((touch ^ (bid + offset)) & inside);
    s.bid_size = select(trade, s.bid_size, quote_shares_[(r3 >> 32) & 0xFFF]);
    s.ask_size = select(trade, s.ask_size, quote_shares_[(r3 >> 44) & 0xFFF]);

    t.seq = 0;
    t.publish_ns = 0;
    t.kind = static_cast<std::uint8_t>(select(trade, static_cast<std::uint32_t>(TickKind::kTrade),
                                              static_cast<std::uint32_t>(TickKind::kQuote)));
    t.flags = 0;
    t.reserved0 = 0;
    t.bid = static_cast<std::uint32_t>(bid * tick);
    t.ask = static_cast<std::uint32_t>(ask * tick);
    t.price = static_cast<std::uint32_t>(px * tick) & trade;
    t.size = trade_shares_[(r3 >> 32) & 0xFFF] & trade;
    t.bid_size = s.bid_size;
    t.ask_size = s.ask_size;
    t.checksum = 0;
    t.reserved1 = 0;
  }
}

}  // namespace tickshm::feed
