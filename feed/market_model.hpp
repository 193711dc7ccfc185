// The market model: stochastic volatility with a common factor and an intraday U, Student-t
// innovations and volatility-scaled jumps, market and sector factors, order flow (split orders,
// transient impact, self-exciting trades, notional sizes with odd lots), an overnight gap and the
// opening and closing auctions; deterministic per seed (docs/FEED.md, "Market model"). The per-tick
// passes are in market_passes.cpp, the set-up and the minute, session and auction paths in
// market_model.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "market_config.hpp"
#include "market_state.hpp"
#include "order_flow.hpp"
#include "rng.hpp"
#include "sectors.hpp"
#include "student_t.hpp"
#include "tick_model.hpp"
#include "universe.hpp"
#include "volatility.hpp"

namespace tickshm::feed {

// Four passes per batch (see TickModel, "Why batches"): (1) draws, symbol (and its once-a-minute
// update), clock, market and sector factors; (2) the log return; (3) the fair value and the spread;
// (4) the quote, the trade decision, side, price, size and the record.
class MarketModel : public TickModel<MarketModel> {
 public:
  MarketModel(std::vector<SymbolParams> symbols, const MarketConfig& config);

  std::uint32_t sector(std::uint32_t i) const noexcept { return state_[i].sector; }
  // Current volatility of symbol i relative to its configured one (intraday profile x stochastic).
  double vol_ratio(std::uint32_t i) const noexcept {
    return cold_[i].base_sig > 0 ? state_[i].sig / cold_[i].base_sig : 0;
  }

 private:
  friend class TickModel<MarketModel>;

  struct TradeNote {
    std::int64_t bid;  // ticks
    std::uint32_t k;   // the tick in the batch
    std::uint32_t buy;
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
    std::array<std::uint32_t, kBatch> stale;  // symbols due their once-a-minute update (pass 1)
    std::array<TradeNote, kBatch> trades;     // the batch's trades, in tick order (pass 4)
  };

  // Up to min(n, kBatch) ticks. A pass never crosses a simulated minute, so the once-a-minute updates
  // (the clock, the market's volatility, each symbol's lazily on its first tick of the minute) see
  // every earlier tick finished whatever the batch size. Auction prints come one per symbol at the
  // open and the close.
  std::uint32_t fill(TickRecord* out, std::uint32_t n) noexcept;
  template <bool kPrefetch>
  void draw_pass(TickRecord* out, std::uint32_t n) noexcept;
  void return_pass(const TickRecord* out, std::uint32_t n) noexcept;
  void price_pass(const TickRecord* out, std::uint32_t n) noexcept;
  void flow_pass(TickRecord* out, std::uint32_t n) noexcept;
  void next_bucket() noexcept;
  void refresh_symbol(std::uint32_t i) noexcept;  // the symbol's once-a-minute update
  void derive_symbol(std::uint32_t i) noexcept;   // its per-minute fields from its volatility
  void auction_tick(TickRecord& t) noexcept;
  void begin_session() noexcept;     // the opening auction
  void set_sector_steps() noexcept;  // after the clock's step changes
  double jump_size(const MarketSymbol& s) noexcept;
  double market_log_vol() const noexcept;

  std::vector<MarketSymbol> state_;
  std::vector<MarketSymbolCold> cold_;
  std::array<SectorState, kSectorCount> sectors_{};
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
  double jump_rate_ = 0;         // a symbol's jumps per trading ns, times 2^32
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
  double var_market_ = 0, var_own_ = 0;      // variances of the market and own log-vol parts
  double market_scale_ = 0, own_scale_ = 0;  // their sds per unit of the components' mix
  LeverageMix leverage_;
  std::array<double, LogVolComponent::kCachedSteps + 1> sqrt_minutes_{};  // sqrt(k minutes in ns)
  LogVolState market_vol_;
  double market_sv_ = 1;  // exp(L_M - var_M): the common variance factor
  std::array<double, kSessionBuckets> intraday_{};
  std::array<double, kSessionBuckets> smile_{};
  double base_step_ = 0;
  bool prefetch_ = false;  // a universe whose state does not stay in the core's caches

  // This minute: the clock's step (trading ns per tick, all symbols) and the factors.
  std::uint64_t minute_serial_ = 0;
  std::uint64_t step_ns_ = 1;
  double step_sqrt_ = 1;
  double market_ = 0;
  double market_minute_start_ = 0;
  double gap_market_ = 0;

  // Auctions: auction_left_ prints to come, symbol by symbol, the closing ones then the opening ones.
  std::uint32_t auction_left_ = 0;
  std::uint32_t auction_next_ = 0;
  bool auction_closing_ = false;
  std::uint64_t close_event_ns_ = 0;
  Scratch scratch_{};
};

}  // namespace tickshm::feed
