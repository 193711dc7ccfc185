// The market model: stochastic volatility with a common factor and an intraday U, Student-t
// innovations and volatility-scaled jumps, market and sector factors, order flow (split orders,
// transient impact, self-exciting trades, notional sizes with odd lots), an overnight gap and the
// opening and closing auctions. The same batch structure as Simulator (see there, "Why batches"), so
// it stays a cheap tick source; deterministic per seed (docs/FEED.md, "Market model").
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "branchless.hpp"
#include "market_config.hpp"
#include "order_flow.hpp"
#include "rng.hpp"
#include "sectors.hpp"
#include "simulator.hpp"
#include "student_t.hpp"
#include "universe.hpp"
#include "volatility.hpp"

namespace tickshm::feed {

class MarketModel {
 public:
  MarketModel(std::vector<SymbolParams> symbols, const MarketConfig& config);

  static constexpr std::uint32_t kBatch = 64;
  static constexpr double kExciteAfterJump = 2.0;  // as Simulator: the spread triples after a jump ...
  static constexpr double kExciteDecayNs = 300e9;  // ... and relaxes over ~5 simulated minutes

  // Fills every field of out[0..n) but seq, publish_ns and checksum (0): the same ticks, bit for bit,
  // as n calls of next(). A pass never crosses a simulated minute, so the once-a-minute updates (the
  // clock, the market's volatility, each symbol's lazily on its first tick of the minute) see every
  // earlier tick finished whatever the batch size. Auction prints come one per symbol at the open and
  // the close. Returns n: an endless source.
  std::uint32_t next_batch(TickRecord* out, std::uint32_t n) noexcept {
    std::uint32_t done = 0;
    while (done < n) {
      if (auction_left_ != 0) [[unlikely]] {
        auction_tick(out[done++]);
        continue;
      }
      if (now_ + step_ns_ >= bucket_end_) [[unlikely]] {
        next_bucket();
        continue;
      }
      const std::uint64_t room = (bucket_end_ - 1 - now_) / step_ns_;  // ticks left in this minute
      const auto m = static_cast<std::uint32_t>(std::min<std::uint64_t>({n - done, kBatch, room}));
      draw_pass(out + done, m);
      return_pass(out + done, m);
      price_pass(out + done, m);
      flow_pass(out + done, m);
      done += m;
    }
    return n;
  }

  bool next(TickRecord& out) noexcept {
    next_batch(&out, 1);
    return true;
  }

  std::uint32_t symbol_count() const noexcept { return static_cast<std::uint32_t>(params_.size()); }
  const std::vector<SymbolParams>& symbols() const noexcept { return params_; }
  std::uint64_t trading_ns() const noexcept { return now_; }
  std::uint64_t session() const noexcept { return session_; }
  std::uint32_t sector(std::uint32_t i) const noexcept { return state_[i].sector; }
  // Current volatility of symbol i relative to its configured one (intraday profile x stochastic).
  double vol_ratio(std::uint32_t i) const noexcept {
    return cold_[i].base_sig > 0 ? state_[i].sig / cold_[i].base_sig : 0;
  }

 private:
  struct alignas(64) SymState {
    // Pass 1.
    std::uint64_t last_ns = 0;
    double market_mark = 0;
    double sector_mark = 0;
    std::uint64_t minute = 0;  // the minute serial its per-minute fields belong to
    std::uint32_t sector = 0;
    std::uint32_t tick_size = 100;
    // Pass 2.
    double drift = 0;      // (mu - sigma^2/2) per trading ns
    double sig = 0;        // current sigma per sqrt(trading ns)
    double jump_rate = 0;  // jumps per trading ns, times 2^32
    // Pass 3.
    double fair = 0;         // fair value in ticks, without the transient impact
    double impact = 0;       // transient impact: the quote's mid is fair x (1 + impact)
    double spread_coef = 0;  // spread ticks per tick of price, now
    double excite = 0;
    double hawkes = 0;        // excess trade intensity (relative)
    double trade_p = 0;       // trade probability x 65536 before the excitation
    double hawkes_alpha = 0;  // excitation per trade
    double decay_h = 1;       // the excitation's decay per tick of the symbol
    double decay_i = 1;       // the impact's decay per tick of the symbol
    double kappa = 0;         // one trade's impact (log)
    double inv_price = 0;     // shares per currency unit
    double acc = 0;           // log return this minute (the leverage input)
    double max_fair = 0;
    std::uint32_t meta_left = 0;  // trades left in the current split order
    std::uint32_t meta_buy = 0;   // its side (1 = buy)
    std::uint32_t bid_size = 100;
    std::uint32_t ask_size = 100;
  };

  // Per-symbol values touched once a minute or less.
  struct Cold {
    double base_sig = 0;      // configured sigma per sqrt(trading ns)
    double base_spread = 0;   // spread coefficient at volatility ratio 1
    double base_trade_p = 0;  // trade probability x 65536 at intensity 1, without excitation
    double sv_ratio = 1;      // stochastic part of the volatility ratio
    double trades_per_session = 0;
    double share = 1;           // its share of the ticks
    std::uint64_t session = 0;  // the session whose overnight gap it has had
    LogVolState own;
  };

  struct Sector {
    double value = 0;      // unit Brownian motion in trading ns
    double step_sqrt = 0;  // sqrt(trading ns between ticks of its symbols), this minute
    double share = 0;      // its symbols' share of the ticks
    double gap = 0;        // tonight's standard normal gap draw
  };

  struct AliasEntry {
    std::uint64_t threshold = 1ULL << 32;
    std::uint32_t alias = 0;
  };

  struct Scratch {
    std::array<std::uint64_t, kBatch> r2;  // 0-19 market, 20-39 own, 40-47 spread rounding, 48-63 trade
    std::array<std::uint64_t, kBatch> r3;  // 0-31 jump, 32-41 and 44-53 quote sizes, 44-55 inside offset,
                                           // 57-63 inside or at the touch
    std::array<std::uint64_t, kBatch> r4;  // 0-19 sector, 20-29 run length, 32-39 follow, 40-47 round
                                           // lot, 48-57 notional, 62 own side, 63 run side
    std::array<double, kBatch> dt;
    std::array<double, kBatch> dm;
    std::array<double, kBatch> ds;
    std::array<double, kBatch> x;
    std::array<double, kBatch> core;          // fair value without impact (pass 3)
    std::array<std::int64_t, kBatch> spread;  // ticks (pass 3)
    std::array<std::uint8_t, kBatch> jumped;
  };

  inline void draw_pass(TickRecord* out, std::uint32_t n) noexcept;
  inline void return_pass(const TickRecord* out, std::uint32_t n) noexcept;
  inline void price_pass(const TickRecord* out, std::uint32_t n) noexcept;
  inline void flow_pass(TickRecord* out, std::uint32_t n) noexcept;
  void next_bucket() noexcept;
  void refresh_symbol(std::uint32_t i) noexcept;  // the symbol's once-a-minute update
  void derive_symbol(std::uint32_t i) noexcept;   // its per-minute fields from its volatility
  void auction_tick(TickRecord& t) noexcept;
  void begin_session() noexcept;
  void set_sector_steps() noexcept;  // after the clock's step changes                  // tonight's gap draws
                                     // and the opening auction
  double jump_size(const SymState& s) noexcept;
  double decay_excite(SymState& s, double dt) noexcept;
  double market_log_vol() const noexcept;

  std::vector<SymbolParams> params_;
  std::vector<SymState> state_;
  std::vector<Cold> cold_;
  std::vector<AliasEntry> alias_;
  std::array<Sector, kSectorCount> sectors_{};
  std::uint64_t alias_n_ = 0;
  WyRand rng_;       // four draws per tick
  WyRand jump_rng_;  // jump sizes (pass 2 order)
  WyRand vol_rng_;   // once-a-minute and once-a-session draws (pass 1 order)
  const NormalTable* normals_;
  QuantileTable tails_{};
  QuoteSizeTable quote_shares_{};
  MetaLengthTable meta_len_{};
  NotionalTable notional_{};

  // Model constants.
  double w_market_ = 0, w_sector_ = 0, w_own_ = 0;
  double jump_scale_ = 0;        // jump sd per unit of sig
  double market_jump_p_ = 0;     // per minute
  double market_jump_size_ = 0;  // sd, in market-factor units
  double gap_scale_ = 0;         // overnight gap sd per unit of a symbol's base sigma per sqrt(ns)
  double tau_h_ns_ = 0, tau_i_ns_ = 0;
  double impact_ = 0;
  double trade_cap_ = 0;
  std::uint64_t follow_threshold_ = 0;  // against 8 bits
  std::uint64_t round_threshold_ = 0;   // against 8 bits
  double open_auction_ = 0, close_auction_ = 0, mean_notional_ = 0;
  VolConfig vol_;
  LogVolComponent fast_, slow_;
  double var_market_ = 0, var_own_ = 0;  // variances of the market and own log-vol parts
  LogVolState market_vol_;
  double market_sv_ = 1;  // exp(L_M - var_M): the common variance factor
  std::array<double, kSessionBuckets> intraday_{};
  std::array<double, kSessionBuckets> smile_{};
  double base_step_ = 0;

  // Session clock.
  std::uint64_t now_ = 0;
  std::uint64_t bucket_end_ = 0;
  std::uint64_t session_start_ = 0;
  std::uint64_t session_ = 0;
  std::uint64_t calendar_open_ = 0;
  std::uint64_t calendar_offset_ = 0;
  std::uint64_t minute_serial_ = 0;
  std::uint32_t bucket_ = 0;
  std::uint64_t step_ns_ = 1;
  double step_sqrt_ = 1;
  double market_ = 0;
  double market_minute_start_ = 0;
  double gap_market_ = 0;

  // Auctions: close_left_ closing prints, then open_left_ opening prints, symbol by symbol.
  std::uint32_t auction_left_ = 0;
  std::uint32_t auction_next_ = 0;
  bool auction_closing_ = false;
  std::uint64_t close_event_ns_ = 0;
  Scratch scratch_{};
};

// Pass 1, in tick order: the draws, the symbol (and its once-a-minute update), the clock, the market
// factor (advanced every tick) and the symbol's sector factor. A sector moves only when one of its
// symbols ticks, by the square root of the sector's mean time between such ticks: a Brownian motion
// in the sector's own event time, with the right variance per unit of trading time and no square
// root per tick.
inline void MarketModel::draw_pass(TickRecord* out, std::uint32_t n) noexcept {
  const QuantileTable& z = tails_;
  WyRand rng = rng_;
  std::uint64_t now = now_;
  double market = market_;
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint64_t r1 = rng.next();
    const std::uint64_t r2 = rng.next();
    const std::uint64_t r3 = rng.next();
    const std::uint64_t r4 = rng.next();
    const std::uint32_t j = static_cast<std::uint32_t>(((r1 >> 32) * alias_n_) >> 32);
    const AliasEntry& a = alias_[j];
    const std::uint32_t i = select(mask_if<std::uint32_t>((r1 & 0xFFFF'FFFFu) < a.threshold), j, a.alias);
    SymState& s = state_[i];
    if (s.minute != minute_serial_) [[unlikely]]
      refresh_symbol(i);

    now += step_ns_;
    market += step_sqrt_ * z(r2);
    Sector& sec = sectors_[s.sector];
    sec.value += sec.step_sqrt * z(r4);

    scratch_.r2[k] = r2;
    scratch_.r3[k] = r3;
    scratch_.r4[k] = r4;
    scratch_.dt[k] = static_cast<double>(static_cast<std::int64_t>(now - s.last_ns));
    s.last_ns = now;
    scratch_.dm[k] = market - s.market_mark;
    s.market_mark = market;
    scratch_.ds[k] = sec.value - s.sector_mark;
    s.sector_mark = sec.value;
    out[k].symbol = i;
    out[k].event_ns = now + calendar_offset_;
  }
  rng_ = rng;
  now_ = now;
  market_ = market;
}

// Pass 2: each tick's log return from the three factors at the symbol's current sigma, Student-t
// own noise, a jump now and then; and the decays of the flow state over dt. Independent ticks.
inline void MarketModel::return_pass(const TickRecord* out, std::uint32_t n) noexcept {
  const QuantileTable& z = tails_;
  for (std::uint32_t k = 0; k < n; ++k) {
    const SymState& s = state_[out[k].symbol];
    const double dt = scratch_.dt[k];
    double x = s.drift * dt + s.sig * (w_market_ * scratch_.dm[k] + w_sector_ * scratch_.ds[k] +
                                       w_own_ * std::sqrt(dt) * z(scratch_.r2[k] >> 20));
    const bool jumped = static_cast<double>(scratch_.r3[k] & 0xFFFF'FFFFu) < s.jump_rate * dt;
    if (jumped) [[unlikely]]
      x += jump_size(s);
    scratch_.x[k] = x;
    scratch_.jumped[k] = jumped;
  }
}

// Pass 3, in tick order (sequential only within a symbol): the fair value (without the transient
// impact) and the spread.
inline void MarketModel::price_pass(const TickRecord* out, std::uint32_t n) noexcept {
  for (std::uint32_t k = 0; k < n; ++k) {
    SymState& s = state_[out[k].symbol];
    double core = s.fair * exp_small(scratch_.x[k]);
    s.acc += scratch_.x[k];
    if (scratch_.jumped[k] != 0) [[unlikely]]
      s.excite = kExciteAfterJump;
    double coef = s.spread_coef;
    if (s.excite > 0) [[unlikely]]
      coef *= 1.0 + decay_excite(s, scratch_.dt[k]);
    const double u8 = static_cast<double>((scratch_.r2[k] >> 40) & 0xFF) * (1.0 / 256.0);
    const std::int64_t spread = std::max<std::int64_t>(1, static_cast<std::int64_t>(core * coef + u8));
    const auto spread_d = static_cast<double>(spread);
    // Room for the spread (and the impact, a few percent at most) inside the u32 price range.
    if (core < spread_d + 2.0 || core > s.max_fair * 0.9 - spread_d) [[unlikely]]
      core = std::clamp(core, spread_d + 2.0, s.max_fair * 0.9 - spread_d);
    s.fair = core;
    scratch_.core[k] = core;
    scratch_.spread[k] = spread;
  }
}

// Pass 4, in tick order (sequential only within a symbol, through its flow state): the quote around
// fair x (1 + impact); then trade or quote: the trade's side from the symbol's split order, its price
// at or inside the touch on that side, its size from a notional; after it, the excitation and the
// impact. Apart from pass 3, so neither pass's chain waits for the other's.
inline void MarketModel::flow_pass(TickRecord* out, std::uint32_t n) noexcept {
  for (std::uint32_t k = 0; k < n; ++k) {
    TickRecord& t = out[k];
    SymState& s = state_[t.symbol];
    const std::uint64_t r2 = scratch_.r2[k];
    const std::uint64_t r3 = scratch_.r3[k];
    const std::uint64_t r4 = scratch_.r4[k];
    const std::int64_t spread = scratch_.spread[k];
    const double impact = s.impact * s.decay_i;
    const double fair = std::max(scratch_.core[k] * (1.0 + impact), static_cast<double>(spread) + 1.0);

    // Mid on the tick grid, rounded half up: with h = floor(2 x fair), mid = (h + 1) / 2 and the fair
    // value is below the mid exactly when h is odd. An odd spread puts its extra tick on that side.
    const auto h = static_cast<std::int64_t>(fair + fair);
    const std::int64_t mid = (h + 1) >> 1;
    const std::int64_t bid = mid - (spread >> 1) - (spread & h & 1);
    const std::int64_t ask = bid + spread;
    const auto tick = static_cast<std::int64_t>(s.tick_size);

    // Trade or quote: the symbol's trade probability times its excitation (Hawkes), capped.
    const double excitation = s.hawkes * s.decay_h;
    const double threshold = std::min(s.trade_p * (1.0 + excitation), trade_cap_);
    const std::uint32_t trade = mask_if<std::uint32_t>(static_cast<double>(r2 >> 48) < threshold);
    const double traded = static_cast<double>(trade & 1u);
    s.hawkes = excitation + s.hawkes_alpha * traded;

    // Side: a new split order (side, length) when the last one is done; a child follows its side
    // with probability (1 + follow) / 2.
    const std::uint32_t fresh = trade & mask_if<std::uint32_t>(s.meta_left == 0);
    s.meta_buy = select(fresh, static_cast<std::uint32_t>(r4 >> 63), s.meta_buy);
    s.meta_left = select<std::uint32_t>(fresh, meta_len_[(r4 >> 20) & 0x3FF], s.meta_left) - (trade & 1u);
    const std::uint32_t follows = mask_if<std::uint32_t>(((r4 >> 32) & 0xFF) < follow_threshold_);
    const std::uint32_t buy = select(follows, s.meta_buy, static_cast<std::uint32_t>((r4 >> 62) & 1));

    // Price: at the touch on its side, or (38/128 when the spread leaves room on its side of the mid)
    // inside it, never past the mid.
    const std::int64_t half = (spread - 1) >> 1;
    const std::int64_t offset =
        (1 + static_cast<std::int64_t>((((r3 >> 44) & 0xFFF) * static_cast<std::uint64_t>(half)) >> 12)) &
        -static_cast<std::int64_t>((half > 0) & ((r3 >> 57) < 38));
    const std::int64_t sell_mask = static_cast<std::int64_t>(buy) - 1;  // all ones for a sell
    const std::int64_t px = (ask - offset) ^ (((ask - offset) ^ (bid + offset)) & sell_mask);

    // Size: a notional over the price; most trades of a lot or more in whole lots.
    const double raw = std::min(static_cast<double>(notional_[(r4 >> 48) & 0x3FF]) * s.inv_price, 1e9);
    const std::uint32_t shares = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(raw));
    // '&', not '&&': a short-circuit is a branch on a coin toss.
    const std::uint32_t round =
        mask_if<std::uint32_t>(static_cast<bool>((shares >= 100) & (((r4 >> 40) & 0xFF) < round_threshold_)));
    // shares / 100 by a multiply (exact for every u32): a division would cost more than the rest.
    const auto lots = static_cast<std::uint32_t>((static_cast<std::uint64_t>(shares) * 1374389535ULL) >> 37);
    const std::uint32_t size = select(round, lots * 100, shares);

    // The trade's impact on the mid, in its direction, from the next tick on (sign flipped by bit).
    const double signed_kappa = std::bit_cast<double>(std::bit_cast<std::uint64_t>(s.kappa) ^
                                                      (static_cast<std::uint64_t>(buy ^ 1u) << 63));
    s.impact = impact + signed_kappa * traded;

    s.bid_size = select(trade, s.bid_size, quote_shares_[(r3 >> 32) & 0x3FF]);
    s.ask_size = select(trade, s.ask_size, quote_shares_[(r3 >> 44) & 0x3FF]);

    t.seq = 0;
    t.publish_ns = 0;
    t.kind = static_cast<std::uint8_t>(select(trade, static_cast<std::uint32_t>(TickKind::kTrade),
                                              static_cast<std::uint32_t>(TickKind::kQuote)));
    t.flags = 0;
    t.reserved0 = 0;
    t.bid = static_cast<std::uint32_t>(bid * tick);
    t.ask = static_cast<std::uint32_t>(ask * tick);
    t.price = static_cast<std::uint32_t>(px * tick) & trade;
    t.size = size & trade;
    t.bid_size = s.bid_size;
    t.ask_size = s.ask_size;
    t.checksum = 0;
    t.reserved1 = 0;
  }
}

}  // namespace tickshm::feed
