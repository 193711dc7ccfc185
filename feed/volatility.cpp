// The intraday volatility profile and the log-volatility components' k-step tables.
#include "volatility.hpp"

namespace tickshm::feed {

std::array<double, kSessionBuckets> intraday_vol_profile(double open_amplitude, double close_amplitude) {
  std::array<double, kSessionBuckets> v{};
  double sum_sq = 0;
  for (std::uint32_t b = 0; b < kSessionBuckets; ++b) {
    const double x = (b + 0.5) / kSessionBuckets;
    v[b] = 1.0 + open_amplitude * std::exp(-x / 0.04) + close_amplitude * std::exp(-(1.0 - x) / 0.03);
    sum_sq += v[b] * v[b];
  }
  const double norm = std::sqrt(sum_sq / kSessionBuckets);
  for (double& x : v) x /= norm;
  return v;
}

LogVolComponent::LogVolComponent(double halflife_minutes) noexcept
    : log_phi_(-std::log(2.0) / std::max(halflife_minutes, 1e-3)) {
  phi_k_[0] = 1.0;
  for (std::uint64_t k = 1; k <= kCachedSteps; ++k) {
    phi_k_[k] = std::exp(static_cast<double>(k) * log_phi_);
    noise_k_[k] = std::sqrt(std::max(0.0, 1.0 - phi_k_[k] * phi_k_[k]));
  }
}

}  // namespace tickshm::feed
