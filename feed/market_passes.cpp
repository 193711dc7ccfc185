// The market model's per-tick passes (see TickModel, "Why batches", and docs/FEED.md, "Performance").
#include <algorithm>
#include <bit>
#include <cmath>

#include "branchless.hpp"
#include "market_model.hpp"

namespace tickshm::feed {

std::uint32_t MarketModel::fill(TickRecord* out, std::uint32_t n) noexcept {
  if (auction_left_ != 0) [[unlikely]] {
    auction_tick(out[0]);
    return 1;
  }
  if (clock_.now + step_ns_ >= clock_.bucket_end) [[unlikely]] {
    next_bucket();
    return 0;
  }
  const std::uint64_t room = (clock_.bucket_end - 1 - clock_.now) / step_ns_;  // ticks left in this minute
  const auto m = static_cast<std::uint32_t>(std::min<std::uint64_t>({n, kBatch, room}));
  draw_pass(out, m);
  return_pass(out, m);
  price_pass(out, m);
  flow_pass(out, m);
  return m;
}

// Pass 1, in tick order: the draws, the symbol (and its once-a-minute update), the clock, the market
// factor (advanced every tick) and the symbol's sector factor. A sector moves only when one of its
// symbols ticks, by the square root of the sector's mean time between such ticks: a Brownian motion
// in the sector's own event time, with the right variance per unit of trading time and no square
// root per tick.
void MarketModel::draw_pass(TickRecord* out, std::uint32_t n) noexcept {
  const QuantileTable& z = tails_;
  WyRand rng = rng_;
  const SymbolPicker::View picker = picker_.view();
  std::uint64_t now = clock_.now;
  double market = market_;
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint64_t r1 = rng.next();
    const std::uint64_t r2 = rng.next();
    const std::uint64_t r3 = rng.next();
    const std::uint64_t r4 = rng.next();
    const std::uint32_t i = picker.pick(r1);
    MarketSymbol& s = state_[i];
    if (s.minute != minute_serial_) [[unlikely]]
      refresh_symbol(i);

    now += step_ns_;
    market += step_sqrt_ * z(r2);
    SectorState& sec = sectors_[s.sector];
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
    out[k].event_ns = now + clock_.calendar_offset;
  }
  rng_ = rng;
  clock_.now = now;
  market_ = market;
}

// Pass 2: each tick's log return from the three factors at the symbol's current sigma, Student-t
// own noise, a jump now and then; and the decays of the flow state over dt. Independent ticks.
void MarketModel::return_pass(const TickRecord* out, std::uint32_t n) noexcept {
  const QuantileTable& z = tails_;
  for (std::uint32_t k = 0; k < n; ++k) {
    const MarketSymbol& s = state_[out[k].symbol];
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
void MarketModel::price_pass(const TickRecord* out, std::uint32_t n) noexcept {
  for (std::uint32_t k = 0; k < n; ++k) {
    MarketSymbol& s = state_[out[k].symbol];
    double core = s.fair * exp_small(scratch_.x[k]);
    s.acc += scratch_.x[k];
    if (scratch_.jumped[k] != 0) [[unlikely]]
      s.excite = kExciteAfterJump;
    double coef = s.spread_coef;
    if (s.excite > 0) [[unlikely]]
      coef *= 1.0 + decay_excitation(s.excite, scratch_.dt[k]);
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
void MarketModel::flow_pass(TickRecord* out, std::uint32_t n) noexcept {
  for (std::uint32_t k = 0; k < n; ++k) {
    TickRecord& t = out[k];
    MarketSymbol& s = state_[t.symbol];
    const std::uint64_t r2 = scratch_.r2[k];
    const std::uint64_t r3 = scratch_.r3[k];
    const std::uint64_t r4 = scratch_.r4[k];
    const std::int64_t spread = scratch_.spread[k];
    const double impact = s.impact * s.decay_i;
    const double fair = std::max(scratch_.core[k] * (1.0 + impact), static_cast<double>(spread) + 1.0);

    const GridQuote q = quote_on_grid(fair, spread);
    const std::int64_t bid = q.bid;
    const std::int64_t ask = q.ask;
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
