// Student-t quantile table: the CDF integrated numerically in the angle variable, then inverted.
#include "student_t.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tickshm::feed {

QuantileTable make_student_t_table(double nu) {
  if (!(nu > 2.0) || nu >= 1000.0) return normal_table();
  // With x = sqrt(nu) tan(theta), t's density dx becomes c cos(theta)^(nu - 1) dtheta on (-pi/2, pi/2):
  // smooth and bounded for nu > 1, so a trapezoid sum on a fine grid gives the CDF to ~1e-12 without
  // the incomplete beta function, and normalising the sum removes the constant c.
  constexpr std::size_t kGrid = 1 << 20;
  const double h = M_PI / static_cast<double>(kGrid);
  std::vector<double> cdf(kGrid + 1, 0.0);
  double prev = 0.0;  // density at -pi/2
  for (std::size_t k = 1; k <= kGrid; ++k) {
    const double theta = -M_PI / 2 + h * static_cast<double>(k);
    const double f = std::pow(std::max(0.0, std::cos(theta)), nu - 1.0);
    cdf[k] = cdf[k - 1] + 0.5 * (prev + f) * h;
    prev = f;
  }
  const double total = cdf[kGrid];
  for (double& c : cdf) c /= total;
  auto quantile = [&](double p) {
    const auto it = std::lower_bound(cdf.begin(), cdf.end(), p);
    const std::size_t k = std::clamp<std::size_t>(static_cast<std::size_t>(it - cdf.begin()), 1, kGrid);
    const double lo = cdf[k - 1], hi = cdf[k];
    const double frac = hi > lo ? (p - lo) / (hi - lo) : 0.5;
    const double theta = -M_PI / 2 + h * (static_cast<double>(k - 1) + frac);
    return std::sqrt(nu) * std::tan(theta);
  };
  constexpr std::size_t kBins = std::size_t{1} << kNormalBinBits;
  std::vector<double> knots(kBins + 1);
  // Outer knots at the 1/4 and 3/4 points of the end bins, as in the normal table: finite, symmetric.
  knots[0] = quantile(0.25 / kBins);
  knots[kBins] = -knots[0];
  knots[kBins / 2] = 0.0;
  for (std::size_t k = 1; k < kBins / 2; ++k) {
    knots[k] = quantile(static_cast<double>(k) / kBins);
    knots[kBins - k] = -knots[k];
  }
  double sum_sq = 0;
  for (std::size_t k = 0; k < kBins; ++k) {
    for (int f = 0; f < 256; ++f) {
      const double z = knots[k] + (knots[k + 1] - knots[k]) * (f + 0.5) / 256.0;
      sum_sq += z * z;
    }
  }
  const double scale = 1.0 / std::sqrt(sum_sq / static_cast<double>(kBins * 256));
  QuantileTable t{};
  for (std::size_t k = 0; k <= kBins; ++k) t.knots[k] = static_cast<float>(knots[k] * scale);
  return t;
}

}  // namespace tickshm::feed
