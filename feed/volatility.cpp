// The intraday volatility profile.
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

}  // namespace tickshm::feed
