// Stochastic volatility for the market model: the intraday profile and the log-volatility factors.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "session_clock.hpp"

namespace tickshm::feed {

// Relative volatility per simulated minute of the session, a U: 1 + open·e^(-x/0.04) +
// close·e^(-(1-x)/0.03) for x the session fraction, normalised so the mean of its square is 1 (the
// day's variance is the configured one). open = close = 0 gives a flat profile.
std::array<double, kSessionBuckets> intraday_vol_profile(double open_amplitude, double close_amplitude);

// One log-volatility component: an AR(1) on the simulated-minute grid with stationary law N(0, 1)
// and a half-life in minutes (a discretised Ornstein-Uhlenbeck process). Components of different
// half-lives add up to a log-volatility whose |r| autocorrelation decays slowly, close to a power law
// over the range the half-lives span (the multifactor SV of Chernov, Gallant, Ghysels and Tauchen
// 2003; LeBaron 2001 shows three such factors mimic long memory).
class LogVolComponent {
 public:
  LogVolComponent() = default;
  explicit LogVolComponent(double halflife_minutes) noexcept;

  // k >= 1 minutes on from x with the standard normal shock (a lazily updated symbol may skip
  // minutes: the exact k-step transition). The factors of the first kCachedSteps are a table, so a
  // symbol that ticks at most every few minutes (a large universe) costs no exp or sqrt here.
  double step(double x, std::uint64_t k, double shock) const noexcept {
    if (k <= kCachedSteps) [[likely]]
      return phi_k_[k] * x + noise_k_[k] * shock;
    const double phi_k = std::exp(static_cast<double>(k) * log_phi_);
    return phi_k * x + std::sqrt(std::max(0.0, 1.0 - phi_k * phi_k)) * shock;
  }

  static constexpr std::uint64_t kCachedSteps = 256;

 private:
  double log_phi_ = 0;
  std::array<double, kCachedSteps + 1> phi_k_{};    // phi^k
  std::array<double, kCachedSteps + 1> noise_k_{};  // sqrt(1 - phi^2k): the k-step noise's sd
};

// The volatility model's parameters (see docs/FEED.md, "Market model").
struct VolConfig {
  bool on = true;
  double fast_sd = 0.45;              // stationary sd of the fast log-vol components
  double fast_halflife_min = 20;      // simulated minutes
  double slow_sd = 0.30;              // stationary sd of the slow log-vol components
  double slow_halflife_min = 1'950;   // five sessions
  double market_share = 0.6;          // share of the log-vol variance that is common to all symbols
  double leverage = -0.6;             // corr of a vol shock with the minute's standardised return
  double intraday_open = 2.5;         // amplitude of the opening peak of the intraday profile
  double intraday_close = 0.5;        // amplitude of the closing peak
  double intensity_elasticity = 1.0;  // tick and trade intensity ~ (volatility ratio)^elasticity
};

// A log-volatility (market or own part): fast and slow components, each N(0, 1).
struct LogVolState {
  double fast = 0;
  double slow = 0;
};

// Leverage: each component's shock is rho·eps + c·xi with c = sqrt(1 - rho^2).
struct LeverageMix {
  LeverageMix() = default;
  explicit LeverageMix(double leverage) noexcept
      : rho(leverage), c(std::sqrt(std::max(0.0, 1.0 - leverage * leverage))) {}
  double rho = 0;
  double c = 1;
};

// Advances a state by k >= 1 minutes with leverage: each component's shock is rho·eps +
// sqrt(1 - rho^2)·xi, eps the (clipped) standardised return of the past minute(s), xi fresh noise.
inline void advance_log_vol(LogVolState& s, const LogVolComponent& fast, const LogVolComponent& slow,
                            std::uint64_t k, const LeverageMix& lev, double eps, double xi_fast,
                            double xi_slow) noexcept {
  const double e = std::clamp(eps, -4.0, 4.0);
  s.fast = fast.step(s.fast, k, lev.rho * e + lev.c * xi_fast);
  s.slow = slow.step(s.slow, k, lev.rho * e + lev.c * xi_slow);
}

}  // namespace tickshm::feed
