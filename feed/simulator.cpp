// The market simulator's set-up and its rare paths (minute boundaries, jumps); the passes are inline.
#include "simulator.hpp"

namespace tickshm::feed {

namespace {
constexpr double kTradeLotsAlpha = 1.3;  // trade sizes have the heavier tail (block trades)
}  // namespace

Simulator::Simulator(std::vector<SymbolParams> symbols, const SimConfig& config)
    : TickModel(std::move(symbols), config.session_ticks, config.start_unix_ns, "simulator"),
      rng_(splitmix64(config.seed)),
      side_rng_(splitmix64(config.seed ^ 0x6a756d70'6a756d70ULL)),
      normals_(&normal_table()),
      quote_shares_(make_lot_table(kInsideQuoteLotsAlpha, kMaxLots)),
      trade_shares_(make_lot_table(kTradeLotsAlpha, kMaxLots)) {
  for (auto& lots : quote_shares_) lots *= 100;
  for (auto& lots : trade_shares_) lots *= 100;
  const double w = std::clamp(config.market_weight, 0.0, 1.0);
  trade_threshold_ = static_cast<std::uint64_t>(std::clamp(config.trade_ratio, 0.0, 1.0) * 65536.0);
  jump_size_ = config.jump_size;

  const double minute_years = 60.0 * static_cast<double>(kNs) / kTradingYearNs;
  state_.resize(params_.size());
  for (std::size_t k = 0; k < params_.size(); ++k) {
    const SymbolParams& p = params_[k];
    SymState& s = state_[k];
    s.tick_size = std::max<std::uint32_t>(1, p.tick_size);
    const double sigma = p.vol / std::sqrt(kTradingYearNs);
    s.fair = std::round(p.price * static_cast<double>(kPriceScale)) / static_cast<double>(s.tick_size);
    s.drift = (p.drift - 0.5 * p.vol * p.vol) / kTradingYearNs;
    s.market_load = w * sigma;
    s.own_load = std::sqrt(1.0 - w * w) * sigma;
    s.spread_coef = kSpreadK * p.vol * std::sqrt(minute_years);
    s.jump_rate = std::max(0.0, config.jumps_per_session) / static_cast<double>(kSessionNs) * 4294967296.0;
    s.max_fair = static_cast<double>(kMaxTickPrice / s.tick_size);
  }

  // Per-minute step of the session clock: more ticks per simulated minute at the open and close.
  const double base_step = static_cast<double>(kSessionNs) / static_cast<double>(config.session_ticks);
  for (std::uint32_t b = 0; b < kSessionBuckets; ++b) {
    const double x = (b + 0.5) / kSessionBuckets;
    const double step = std::max(1.0, std::round(base_step / smile_intensity(x)));
    bucket_step_[b] = static_cast<std::uint64_t>(step);
    bucket_sqrt_[b] = std::sqrt(step);
    bucket_spread_[b] = 1.0 + 1.0 * std::exp(-x / 0.03);  // spreads are widest in the first minutes
  }
  step_ns_ = bucket_step_[0];
  step_sqrt_ = bucket_sqrt_[0];
  spread_mult_ = bucket_spread_[0];
}

void Simulator::next_bucket() noexcept {
  while (clock_.now >= clock_.bucket_end) clock_.next_minute();
  step_ns_ = bucket_step_[clock_.bucket];
  step_sqrt_ = bucket_sqrt_[clock_.bucket];
  spread_mult_ = bucket_spread_[clock_.bucket];
}

double Simulator::jump_size() noexcept {
  return jump_size_ * (*normals_)(side_rng_.next());
}

}  // namespace tickshm::feed
