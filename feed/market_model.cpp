// The market model's set-up and its rare paths: minute and session boundaries, each symbol's
// once-a-minute volatility update, jumps and the auctions.
#include "market_model.hpp"

#include <algorithm>
#include <cmath>

namespace tickshm::feed {

namespace {
constexpr double kTradeCap = 0.9;  // at most 90% of a symbol's ticks are trades, however excited
// Above this many symbols their state outgrows the first-level cache: pass 1 prefetches it.
constexpr std::size_t kPrefetchAbove = 512;
}  // namespace

MarketModel::MarketModel(std::vector<SymbolParams> symbols, const MarketConfig& config)
    : TickModel(std::move(symbols), config.sim.session_ticks, config.sim.start_unix_ns, "market model"),
      rng_(splitmix64(config.sim.seed)),
      jump_rng_(splitmix64(config.sim.seed ^ 0x6a756d70'6a756d70ULL)),
      vol_rng_(splitmix64(config.sim.seed ^ 0x766f6c61'74696c65ULL)),
      normals_(&normal_table()),
      tails_(make_student_t_table(config.tail_nu)),
      quote_shares_(make_quote_size_table(kInsideQuoteLotsAlpha, kMaxLots)),
      meta_len_(make_meta_length_table(config.flow.meta_alpha)),
      notional_(make_notional_table(config.flow.notional_median, config.flow.notional_sigma)),
      vol_(config.vol),
      fast_(config.vol.fast_halflife_min),
      slow_(config.vol.slow_halflife_min) {
  const SimConfig& sc = config.sim;
  const OrderFlowConfig& flow = config.flow;

  w_market_ = std::clamp(sc.market_weight, 0.0, 1.0);
  w_sector_ = std::clamp(config.sector_weight, 0.0, std::sqrt(1.0 - w_market_ * w_market_));
  w_own_ = std::sqrt(std::max(0.0, 1.0 - w_market_ * w_market_ - w_sector_ * w_sector_));
  const double minute_ns = static_cast<double>(kBucketNs);
  jump_rate_ = std::max(0.0, sc.jumps_per_session) / static_cast<double>(kSessionNs) * 4294967296.0;
  jump_scale_ = std::max(0.0, config.jump_sigmas) * std::sqrt(minute_ns);
  market_jump_p_ = std::max(0.0, config.market_jumps_per_session) / kSessionBuckets;
  market_jump_size_ = std::max(0.0, config.market_jump_sigmas) * std::sqrt(minute_ns);
  const double g = std::clamp(config.overnight_share, 0.0, 0.95);
  gap_scale_ = std::sqrt(g / (1.0 - g) * static_cast<double>(kSessionNs));
  tau_h_ns_ = std::max(flow.hawkes_decay_s, 1e-3) * static_cast<double>(kNs);
  tau_i_ns_ = std::max(flow.impact_decay_s, 1e-3) * static_cast<double>(kNs);
  impact_ = std::max(0.0, flow.impact);
  trade_cap_ = kTradeCap * 65536.0;
  follow_threshold_ = static_cast<std::uint64_t>(std::clamp(flow.sign_follow, 0.0, 1.0) * 256.0);
  round_threshold_ = static_cast<std::uint64_t>(std::clamp(flow.round_lot_share, 0.0, 1.0) * 256.0);
  open_auction_ = std::max(0.0, flow.open_auction_share);
  close_auction_ = std::max(0.0, flow.close_auction_share);
  double notional_sum = 0;
  for (const float v : notional_) notional_sum += static_cast<double>(v);
  mean_notional_ = notional_sum / static_cast<double>(notional_.size());

  if (!vol_.on) {
    vol_.fast_sd = vol_.slow_sd = 0;
    vol_.leverage = 0;
  }
  const double var_total = vol_.fast_sd * vol_.fast_sd + vol_.slow_sd * vol_.slow_sd;
  const double share = std::clamp(vol_.market_share, 0.0, 1.0);
  var_market_ = share * var_total;
  var_own_ = (1.0 - share) * var_total;
  market_scale_ = std::sqrt(share);
  own_scale_ = std::sqrt(1.0 - share);
  leverage_ = LeverageMix(vol_.leverage);
  for (std::uint64_t k = 0; k <= LogVolComponent::kCachedSteps; ++k)
    sqrt_minutes_[k] = std::sqrt(static_cast<double>(k) * minute_ns);
  intraday_ = intraday_vol_profile(vol_.intraday_open, vol_.intraday_close);
  for (std::uint32_t b = 0; b < kSessionBuckets; ++b)
    smile_[b] = smile_intensity((b + 0.5) / kSessionBuckets);
  base_step_ = static_cast<double>(kSessionNs) / static_cast<double>(sc.session_ticks);
  prefetch_ = params_.size() > kPrefetchAbove;

  const std::size_t n = params_.size();
  double total = 0;
  for (const auto& p : params_) total += activity_weight(p);

  // The volatility factors start from their stationary law, not from their means.
  const NormalTable& z = *normals_;
  market_vol_.fast = z(vol_rng_.next());
  market_vol_.slow = z(vol_rng_.next());
  const double p_trade = std::clamp(sc.trade_ratio, 0.0, 1.0);
  const double branching = std::clamp(flow.hawkes_branching, 0.0, 0.95);
  const double minute_years = minute_ns / kTradingYearNs;
  state_.resize(n);
  cold_.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const SymbolParams& p = params_[k];
    MarketSymbol& s = state_[k];
    MarketSymbolCold& c = cold_[k];
    s.tick_size = std::max<std::uint32_t>(1, p.tick_size);
    s.sector = sector_of(p.name);
    s.fair = std::round(p.price * static_cast<double>(kPriceScale)) / static_cast<double>(s.tick_size);
    s.drift = (p.drift - 0.5 * p.vol * p.vol) / kTradingYearNs;
    c.max_fair = static_cast<double>(kMaxTickPrice / s.tick_size);
    s.fair_cap = c.max_fair * 0.9;
    c.base_sig = p.vol / std::sqrt(kTradingYearNs);
    c.base_spread = kSpreadK * p.vol * std::sqrt(minute_years);
    // The excitation keeps the mean trade share: the base probability is (1 - branching) of it.
    c.base_trade_p = p_trade * (1.0 - branching) * 65536.0;
    const double share_k = activity_weight(p) / total;
    const double ticks_per_ns =
        share_k * static_cast<double>(sc.session_ticks) / static_cast<double>(kSessionNs);
    c.trades_per_session = share_k * static_cast<double>(sc.session_ticks) * p_trade;
    // Branching ratio = alpha x base trade rate x decay time.
    const double base_rate = p_trade * (1.0 - branching) * ticks_per_ns;
    s.hawkes_alpha = base_rate > 0 ? branching / (tau_h_ns_ * base_rate) : 0;
    c.share = share_k;
    sectors_[s.sector].share += share_k;
    c.own.fast = z(vol_rng_.next());
    c.own.slow = z(vol_rng_.next());
  }

  minute_serial_ = 0;
  market_sv_ = std::exp(market_log_vol() - var_market_);
  const double intensity =
      smile_[0] * std::exp(vol_.intensity_elasticity *
                           (market_log_vol() - 0.5 * vol_.intensity_elasticity * var_market_));
  step_ns_ = static_cast<std::uint64_t>(std::clamp(std::round(base_step_ / intensity), 1.0, minute_ns / 4));
  step_sqrt_ = std::sqrt(static_cast<double>(step_ns_));
  set_sector_steps();
  for (std::uint32_t k = 0; k < n; ++k) derive_symbol(k);
  begin_session();
}

double MarketModel::market_log_vol() const noexcept {
  return market_scale_ * (vol_.fast_sd * market_vol_.fast + vol_.slow_sd * market_vol_.slow);
}

void MarketModel::derive_symbol(std::uint32_t i) noexcept {
  MarketSymbol& s = state_[i];
  MarketSymbolCold& c = cold_[i];
  const double own_log = own_scale_ * (vol_.fast_sd * c.own.fast + vol_.slow_sd * c.own.slow);
  c.sv_ratio = market_sv_ * std::exp(own_log - var_own_);
  const double ratio = intraday_[clock_.bucket] * c.sv_ratio;
  s.sig = c.base_sig * ratio;
  s.spread_coef = c.base_spread * ratio;
  s.kappa = impact_ * 0.5 * s.spread_coef;
  const double e = vol_.intensity_elasticity;
  s.trade_p = c.base_trade_p * std::exp(e * own_log - 0.5 * e * e * var_own_);
  s.inv_price = static_cast<double>(kPriceScale) / (s.fair * static_cast<double>(s.tick_size));
  // The flow state decays per tick of the symbol, by its mean gap between ticks this minute: no
  // exponential per tick, and exact on average.
  const double gap_ns = static_cast<double>(step_ns_) / c.share;
  s.decay_h = std::exp(-gap_ns / tau_h_ns_);
  s.decay_i = std::exp(-gap_ns / tau_i_ns_);
  s.acc = 0;
  s.minute = minute_serial_;
}

void MarketModel::refresh_symbol(std::uint32_t i) noexcept {
  MarketSymbol& s = state_[i];
  MarketSymbolCold& c = cold_[i];
  if (vol_.on) {
    const std::uint64_t k = minute_serial_ - s.minute;
    const double root_k = k <= LogVolComponent::kCachedSteps
                              ? sqrt_minutes_[k]
                              : std::sqrt(static_cast<double>(k) * static_cast<double>(kBucketNs));
    const double eps = s.sig > 0 ? s.acc / (s.sig * root_k) : 0.0;
    const std::uint64_t r = vol_rng_.next();
    advance_log_vol(c.own, fast_, slow_, k, leverage_, eps, (*normals_)(r), (*normals_)(r >> 20));
  }
  if (c.session != clock_.session) {
    // First touch of a new session: the overnight gap, from the market's, the sector's and its own
    // draw, scaled to its volatility; the transient impact does not survive the night.
    c.session = clock_.session;
    const double gap = c.base_sig * c.sv_ratio * gap_scale_ *
                       (w_market_ * gap_market_ + w_sector_ * sectors_[s.sector].gap +
                        w_own_ * (*normals_)(vol_rng_.next()));
    s.fair *= std::exp(gap);
    s.impact = 0;
  }
  derive_symbol(i);
}

void MarketModel::next_bucket() noexcept {
  const NormalTable& z = *normals_;
  // The market's variance factor moves once a minute, with leverage on the market factor's move.
  if (vol_.on) {
    const double eps = (market_ - market_minute_start_) / std::sqrt(static_cast<double>(kBucketNs));
    const std::uint64_t r = vol_rng_.next();
    advance_log_vol(market_vol_, fast_, slow_, 1, leverage_, eps, z(r), z(r >> 20));
  }
  // Market-wide jumps: the common factor jumps, every symbol by its loading and its own sigma.
  if (market_jump_p_ > 0 && vol_rng_.uniform() < market_jump_p_)
    market_ += market_jump_size_ * z(vol_rng_.next());
  market_minute_start_ = market_;
  ++minute_serial_;
  const std::uint64_t close_ns = clock_.calendar_open + kSessionNs;
  if (clock_.next_minute()) {
    // The close: every symbol's closing cross at 16:00, then the night, then the opening cross.
    close_event_ns_ = close_ns;
    if (close_auction_ > 0) {
      auction_closing_ = true;
      auction_next_ = 0;
      auction_left_ = symbol_count();
    }
    gap_market_ = z(vol_rng_.next());
    for (SectorState& sec : sectors_) sec.gap = z(vol_rng_.next());
    if (close_auction_ <= 0) begin_session();
  }
  market_sv_ = std::exp(market_log_vol() - var_market_);
  // Ticks come faster when the market is volatile (and at the open and close: the smile).
  const double e = vol_.intensity_elasticity;
  const double intensity = smile_[clock_.bucket] * std::exp(e * market_log_vol() - 0.5 * e * e * var_market_);
  step_ns_ = static_cast<std::uint64_t>(
      std::clamp(std::round(base_step_ / intensity), 1.0, static_cast<double>(kBucketNs) / 4));
  step_sqrt_ = std::sqrt(static_cast<double>(step_ns_));
  set_sector_steps();
  // A shorter step must not put the next tick before the minute (or the session) it belongs to.
  const std::uint64_t bucket_start = clock_.bucket_end - kBucketNs;
  if (clock_.now + step_ns_ < bucket_start) clock_.now = bucket_start - step_ns_;
}

void MarketModel::set_sector_steps() noexcept {
  for (SectorState& sec : sectors_) {
    sec.step_sqrt = sec.share > 0 ? std::sqrt(static_cast<double>(step_ns_) / sec.share) : 0.0;
  }
}

void MarketModel::begin_session() noexcept {
  if (open_auction_ > 0) {
    auction_closing_ = false;
    auction_next_ = 0;
    auction_left_ = symbol_count();
  }
}

// One auction print: the symbol's closing or opening cross, at the mid on the tick grid, for a share
// of its expected daily volume (lognormal noise, sd 0.5). The opening cross carries the overnight gap.
void MarketModel::auction_tick(TickRecord& t) noexcept {
  const std::uint32_t i = auction_next_;
  MarketSymbol& s = state_[i];
  MarketSymbolCold& c = cold_[i];
  const NormalTable& z = *normals_;
  std::uint64_t event = close_event_ns_;
  double share = close_auction_;
  if (!auction_closing_) {
    event = clock_.calendar_open;
    share = open_auction_;
    if (s.minute != minute_serial_) refresh_symbol(i);  // applies the overnight gap
  }
  const double coef = s.spread_coef;
  double fair = s.fair * (1.0 + s.impact);
  const std::int64_t spread = std::max<std::int64_t>(1, static_cast<std::int64_t>(fair * coef + 0.5));
  fair = std::clamp(fair, static_cast<double>(spread) + 1.0, c.max_fair - static_cast<double>(spread));
  s.fair = fair / (1.0 + s.impact);
  const GridQuote q = quote_on_grid(fair, spread);
  const std::int64_t mid = q.mid;
  const std::int64_t bid = q.bid;
  const auto tick = static_cast<std::int64_t>(s.tick_size);
  const double shares = share * c.trades_per_session * mean_notional_ * s.inv_price *
                        std::exp(0.5 * z(vol_rng_.next()) - 0.125);
  t = TickRecord{};
  t.symbol = i;
  t.event_ns = event;
  t.kind = static_cast<std::uint8_t>(TickKind::kTrade);
  t.bid = static_cast<std::uint32_t>(bid * tick);
  t.ask = static_cast<std::uint32_t>((bid + spread) * tick);
  t.price = static_cast<std::uint32_t>(mid * tick);
  t.size = std::max<std::uint32_t>(100, static_cast<std::uint32_t>(std::min(shares, 1e9) / 100) * 100);
  t.bid_size = s.bid_size;
  t.ask_size = s.ask_size;

  ++auction_next_;
  if (--auction_left_ == 0 && auction_closing_) begin_session();
}

double MarketModel::jump_size(const MarketSymbol& s) noexcept {
  return jump_scale_ * s.sig * (*normals_)(jump_rng_.next());
}

}  // namespace tickshm::feed
