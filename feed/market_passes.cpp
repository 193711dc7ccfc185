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
  if (prefetch_)
    draw_pass<true>(out, m);
  else
    draw_pass<false>(out, m);
  return_pass(out, m);
  price_pass(out, m);
  flow_pass(out, m);
  return m;
}

// Pass 1, in tick order: the draws, the symbol, the clock, the market factor (advanced every tick)
// and the symbol's sector factor; then the once-a-minute update of each symbol ticking for the first
// time this minute. A sector moves only when one of its symbols ticks, by the square root of the
// sector's mean time between such ticks: a Brownian motion in the sector's own event time, with the
// right variance per unit of trading time and no square root per tick.
template <bool kPrefetch>
void MarketModel::draw_pass(TickRecord* out, std::uint32_t n) noexcept {
  const QuantileTable& z = tails_;
  // Loop-carried and loop-invariant values in registers: through `this`, the compiler (which cannot
  // tell them from the stores into the records and the symbols) would reload them every tick.
  WyRand rng = rng_;
  const SymbolPicker::View picker = picker_.view();
  MarketSymbol* const state = state_.data();
  const std::uint64_t minute = minute_serial_;
  const std::uint64_t step = step_ns_;
  const double step_sqrt = step_sqrt_;
  const std::uint64_t calendar_offset = clock_.calendar_offset;
  std::uint64_t now = clock_.now;
  double market = market_;
  std::uint32_t stale = 0;
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint64_t r1 = rng.next();
    const std::uint64_t r2 = rng.next();
    const std::uint64_t r3 = rng.next();
    const std::uint64_t r4 = rng.next();
    const std::uint32_t i = picker.pick(r1);
    MarketSymbol& s = state[i];
    // Noted, not updated here: in a large universe most ticks are a symbol's first of the minute
    // and its state is not in cache, and a branch on that load (mispredicted as often as not) would
    // stall the pass on every miss.
    scratch_.stale[stale] = i;
    stale += static_cast<std::uint32_t>(s.minute != minute);
    if constexpr (kPrefetch) {
      // A large universe: the symbol's cold state (its update reads it) and the lines passes 2-4 read.
      __builtin_prefetch(&cold_[i]);
      __builtin_prefetch(&s.fair);
      __builtin_prefetch(&s.acc);
    }

    now += step;
    market += step_sqrt * z(r2);
    SectorState& sec = sectors_[s.sector];
    const double sector = sec.value + sec.step_sqrt * z(r4);
    sec.value = sector;

    scratch_.r2[k] = r2;
    scratch_.r3[k] = r3;
    scratch_.r4[k] = r4;
    scratch_.dt[k] = static_cast<double>(static_cast<std::int64_t>(now - s.last_ns));
    s.last_ns = now;
    scratch_.dm[k] = market - s.market_mark;
    s.market_mark = market;
    scratch_.ds[k] = sector - s.sector_mark;
    s.sector_mark = sector;
    out[k].symbol = i;
    out[k].event_ns = now + calendar_offset;
  }
  rng_ = rng;
  clock_.now = now;
  market_ = market;
  // In order of first tick (the update draws from vol_rng_), each symbol once. Nothing above reads
  // what the update writes (volatility, spread, flow parameters; the overnight gap moves the fair
  // value): passes 2-4 do, after it.
  for (std::uint32_t j = 0; j < stale; ++j) {
    const std::uint32_t i = scratch_.stale[j];
    if (state[i].minute != minute) refresh_symbol(i);
  }
}

// Pass 2: each tick's log return from the three factors at the symbol's current sigma, Student-t
// own noise, a jump now and then; and the decays of the flow state over dt. Independent ticks.
void MarketModel::return_pass(const TickRecord* out, std::uint32_t n) noexcept {
  const QuantileTable& z = tails_;
  const double w_market = w_market_, w_sector = w_sector_, w_own = w_own_, jump_rate = jump_rate_;
  for (std::uint32_t k = 0; k < n; ++k) {
    const MarketSymbol& s = state_[out[k].symbol];
    const double dt = scratch_.dt[k];
    double x = s.drift * dt + s.sig * (w_market * scratch_.dm[k] + w_sector * scratch_.ds[k] +
                                       w_own * std::sqrt(dt) * z(scratch_.r2[k] >> 20));
    const bool jumped = static_cast<double>(scratch_.r3[k] & 0xFFFF'FFFFu) < jump_rate * dt;
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
    if (core < spread_d + 2.0 || core > s.fair_cap - spread_d) [[unlikely]]
      core = std::clamp(core, spread_d + 2.0, s.fair_cap - spread_d);
    s.fair = core;
    scratch_.core[k] = core;
    scratch_.spread[k] = spread;
  }
}

// Pass 4, in tick order (sequential only within a symbol, through its flow state): the quote around
// fair x (1 + impact); then trade or quote: the trade's side from the symbol's split order, the
// excitation and the impact. Apart from pass 3, so neither pass's chain waits for the other's. The
// trades' prices and sizes come after, over the trades alone: a fifth of the ticks.
void MarketModel::flow_pass(TickRecord* out, std::uint32_t n) noexcept {
  const double trade_cap = trade_cap_;
  const std::uint64_t follow_threshold = follow_threshold_;
  std::uint32_t trades = 0;
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
    const auto tick = static_cast<std::int64_t>(s.tick_size);

    // Trade or quote: the symbol's trade probability times its excitation (Hawkes), capped.
    const double excitation = s.hawkes * s.decay_h;
    const double threshold = std::min(s.trade_p * (1.0 + excitation), trade_cap);
    const std::uint32_t trade = mask_if<std::uint32_t>(static_cast<double>(r2 >> 48) < threshold);
    // A trade adds alpha: alpha & mask is alpha x traded without the conversion.
    const auto trade64 =
        static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(trade)));
    s.hawkes = excitation + std::bit_cast<double>(std::bit_cast<std::uint64_t>(s.hawkes_alpha) & trade64);

    // Side: a new split order (side, length) when the last one is done; a child follows its side
    // with probability (1 + follow) / 2.
    const std::uint32_t fresh = trade & mask_if<std::uint32_t>(s.meta_left == 0);
    s.meta_buy = select(fresh, static_cast<std::uint32_t>(r4 >> 63), s.meta_buy);
    s.meta_left = select<std::uint32_t>(fresh, meta_len_[(r4 >> 20) & 0x3FF], s.meta_left) - (trade & 1u);
    const std::uint32_t follows = mask_if<std::uint32_t>(((r4 >> 32) & 0xFF) < follow_threshold);
    const std::uint32_t buy = select(follows, s.meta_buy, static_cast<std::uint32_t>((r4 >> 62) & 1));

    // The trade's impact on the mid, in its direction, from the next tick on (sign flipped by bit).
    const std::uint64_t signed_kappa =
        std::bit_cast<std::uint64_t>(s.kappa) ^ (static_cast<std::uint64_t>(buy ^ 1u) << 63);
    s.impact = impact + std::bit_cast<double>(signed_kappa & trade64);

    s.bid_size = select(trade, s.bid_size, quote_shares_[(r3 >> 32) & 0x3FF]);
    s.ask_size = select(trade, s.ask_size, quote_shares_[(r3 >> 44) & 0x3FF]);

    // Every tick is written to the next free slot; only a trade keeps it.
    scratch_.trades[trades] = TradeNote{q.bid, k, buy};
    trades += trade & 1u;

    t.seq = 0;
    t.publish_ns = 0;
    t.kind = static_cast<std::uint8_t>(select(trade, static_cast<std::uint32_t>(TickKind::kTrade),
                                              static_cast<std::uint32_t>(TickKind::kQuote)));
    t.flags = 0;
    t.reserved0 = 0;
    t.bid = static_cast<std::uint32_t>(q.bid * tick);
    t.ask = static_cast<std::uint32_t>(q.ask * tick);
    t.price = 0;
    t.size = 0;
    t.bid_size = s.bid_size;
    t.ask_size = s.ask_size;
    t.checksum = 0;
    t.reserved1 = 0;
  }

  for (std::uint32_t j = 0; j < trades; ++j) {
    const TradeNote note = scratch_.trades[j];
    TickRecord& t = out[note.k];
    const MarketSymbol& s = state_[t.symbol];
    const std::uint64_t r3 = scratch_.r3[note.k];
    const std::uint64_t r4 = scratch_.r4[note.k];
    const std::int64_t spread = scratch_.spread[note.k];
    const std::int64_t bid = note.bid;
    const std::int64_t ask = bid + spread;

    // Price: at the touch on its side, or (38/128 when the spread leaves room on its side of the mid)
    // inside it, never past the mid.
    const std::int64_t half = (spread - 1) >> 1;
    const std::int64_t offset =
        (1 + static_cast<std::int64_t>((((r3 >> 44) & 0xFFF) * static_cast<std::uint64_t>(half)) >> 12)) &
        -static_cast<std::int64_t>((half > 0) & ((r3 >> 57) < 38));
    const std::int64_t sell_mask = static_cast<std::int64_t>(note.buy) - 1;  // all ones for a sell
    const std::int64_t px = (ask - offset) ^ (((ask - offset) ^ (bid + offset)) & sell_mask);

    // Size: a notional over the price; most trades of a lot or more in whole lots.
    const double raw = std::min(static_cast<double>(notional_[(r4 >> 48) & 0x3FF]) * s.inv_price, 1e9);
    const std::uint32_t shares = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(raw));
    // '&', not '&&': a short-circuit is a branch on a coin toss.
    const std::uint32_t round =
        mask_if<std::uint32_t>(static_cast<bool>((shares >= 100) & (((r4 >> 40) & 0xFF) < round_threshold_)));
    // shares / 100 by a multiply (exact for every u32): a division would cost more than the rest.
    const auto lots = static_cast<std::uint32_t>((static_cast<std::uint64_t>(shares) * 1374389535ULL) >> 37);

    t.price = static_cast<std::uint32_t>(px * static_cast<std::int64_t>(s.tick_size));
    t.size = select(round, lots * 100, shares);
  }
}

}  // namespace tickshm::feed
