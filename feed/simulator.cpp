// The market simulator's set-up and its rare paths (minute boundaries, jumps); the passes are inline.
#include "simulator.hpp"

#include <stdexcept>

namespace tickshm::feed {

namespace {
// Spread in ticks = kSpreadK * vol * price_in_ticks * sqrt(one simulated minute in years): about one
// tick for AAPL or KO, 3-7 ticks for UNH or NVDA, the order of magnitude of real US large caps.
constexpr double kSpreadK = 0.085;
constexpr double kInsideQuoteLotsAlpha = 1.6;
constexpr double kTradeLotsAlpha = 1.3;  // trade sizes have the heavier tail (block trades)
constexpr std::uint32_t kMaxLots = 500;  // 50,000 shares
}  // namespace

double smile_intensity(double x) noexcept {
  // U shape: busiest in the first minutes, quieter at lunch, a second peak into the close.
  // The constant normalises the mean over [0, 1) to 1 (computed for these coefficients).
  auto raw = [](double v) { return 1.0 + 2.5 * std::exp(-v / 0.05) + 1.5 * std::exp(-(1.0 - v) / 0.05); };
  static const double mean = [&] {
    double sum = 0;
    for (int k = 0; k < 100'000; ++k) sum += raw((k + 0.5) / 100'000.0);
    return sum / 100'000.0;
  }();
  return raw(x) / mean;
}

std::uint64_t next_session_open(std::uint64_t open_unix_ns) noexcept {
  constexpr std::uint64_t kDayNs = 86'400 * kNs;
  std::uint64_t next = open_unix_ns + kDayNs;
  for (;;) {
    const std::uint64_t weekday = (next / kDayNs + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
    if (weekday != 0 && weekday != 6) return next;
    next += kDayNs;
  }
}

Simulator::Simulator(std::vector<SymbolParams> symbols, const SimConfig& config)
    : params_(std::move(symbols)),
      rng_(splitmix64(config.seed)),
      side_rng_(splitmix64(config.seed ^ 0x6a756d70'6a756d70ULL)),
      normals_(&normal_table()),
      quote_shares_(make_lot_table(kInsideQuoteLotsAlpha, kMaxLots)),
      trade_shares_(make_lot_table(kTradeLotsAlpha, kMaxLots)) {
  for (auto& lots : quote_shares_) lots *= 100;
  for (auto& lots : trade_shares_) lots *= 100;
  if (params_.empty()) throw std::invalid_argument("simulator: no symbols");
  if (config.session_ticks == 0) throw std::invalid_argument("simulator: session_ticks must be > 0");
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

  // Vose's alias method: O(1) weighted choice of the symbol for each tick.
  const std::size_t n = params_.size();
  alias_n_ = n;
  alias_.assign(n, AliasEntry{});
  double total = 0;
  for (const auto& p : params_) total += std::max(p.activity, 1e-9);
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t k = 0; k < n; ++k) {
    scaled[k] = std::max(params_[k].activity, 1e-9) * static_cast<double>(n) / total;
    (scaled[k] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(k));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back();
    small.pop_back();
    const std::uint32_t l = large.back();
    alias_[s].threshold = static_cast<std::uint64_t>(scaled[s] * 4294967296.0);
    alias_[s].alias = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding: they always pick themselves (threshold 2^32 set above).

  // Per-minute step of the session clock: more ticks per simulated minute at the open and close.
  const double base_step = static_cast<double>(kSessionNs) / static_cast<double>(config.session_ticks);
  for (std::uint32_t b = 0; b < kSessionBuckets; ++b) {
    const double x = (b + 0.5) / kSessionBuckets;
    const double step = std::max(1.0, std::round(base_step / smile_intensity(x)));
    bucket_step_[b] = static_cast<std::uint64_t>(step);
    bucket_sqrt_[b] = std::sqrt(step);
    bucket_spread_[b] = 1.0 + 1.0 * std::exp(-x / 0.03);  // spreads are widest in the first minutes
  }
  calendar_open_ = config.start_unix_ns;
  calendar_offset_ = calendar_open_;
  bucket_ = 0;
  bucket_end_ = kBucketNs;
  step_ns_ = bucket_step_[0];
  step_sqrt_ = bucket_sqrt_[0];
  spread_mult_ = bucket_spread_[0];
}

void Simulator::next_bucket() noexcept {
  while (now_ >= bucket_end_) {
    if (++bucket_ == kSessionBuckets) {
      // Overnight: trading time runs on (volatility is per trading time), the calendar jumps to the
      // next weekday's open.
      bucket_ = 0;
      ++session_;
      session_start_ += kSessionNs;
      calendar_open_ = next_session_open(calendar_open_);
      calendar_offset_ = calendar_open_ - session_start_;
    }
    bucket_end_ = session_start_ + (bucket_ + 1) * kBucketNs;
  }
  step_ns_ = bucket_step_[bucket_];
  step_sqrt_ = bucket_sqrt_[bucket_];
  spread_mult_ = bucket_spread_[bucket_];
}

double Simulator::jump_size() noexcept {
  return jump_size_ * (*normals_)(side_rng_.next());
}

double Simulator::decay_excite(SymState& s, double dt) noexcept {
  s.excite *= std::exp(-dt / kExciteDecayNs);
  if (s.excite < 1e-3) s.excite = 0;
  return s.excite;
}

}  // namespace tickshm::feed
