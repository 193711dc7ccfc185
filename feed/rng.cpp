// Tables behind the simulator's draws: normal quantiles and heavy-tailed lot sizes.
#include "rng.hpp"

#include <algorithm>
#include <cmath>

namespace tickshm::feed {

double inverse_normal_cdf(double p) noexcept {
  // P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution function".
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x = 0;
  if (p < kLow) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - kLow) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step against the exact CDF brings the error from 1e-9 down to machine precision.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

static NormalTable build_normal_table() noexcept {
  constexpr std::size_t kBins = std::size_t{1} << kNormalBinBits;
  std::array<double, kBins + 1> knots{};
  // Interior knots at the bin edges k/4096; the two outer knots at the 1/4 and 3/4 points of the end
  // bins' probability keep the tails finite and the table symmetric (mean exactly 0).
  knots[0] = inverse_normal_cdf(0.25 / kBins);
  knots[kBins] = -knots[0];
  for (std::size_t k = 1; k < kBins; ++k) {
    knots[k] = k == kBins / 2 ? 0.0 : inverse_normal_cdf(static_cast<double>(k) / kBins);
  }
  for (std::size_t k = 1; k < kBins / 2; ++k) knots[kBins - k] = -knots[k];
  // Variance of the exact discrete distribution the sampler draws from (all 2^20 outcomes), so the
  // rescaled draws have variance exactly 1 and the simulated volatility is the configured one.
  double sum_sq = 0;
  for (std::size_t k = 0; k < kBins; ++k) {
    for (int f = 0; f < 256; ++f) {
      const double z = knots[k] + (knots[k + 1] - knots[k]) * (f + 0.5) / 256.0;
      sum_sq += z * z;
    }
  }
  const double scale = 1.0 / std::sqrt(sum_sq / static_cast<double>(kBins * 256));
  NormalTable t{};
  for (std::size_t k = 0; k <= kBins; ++k) t.knots[k] = static_cast<float>(knots[k] * scale);
  return t;
}

const NormalTable& normal_table() noexcept {
  static const NormalTable table = build_normal_table();
  return table;
}

LotTable make_lot_table(double alpha, std::uint32_t max_lots) noexcept {
  LotTable t{};
  const double n = static_cast<double>(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double tail = 1.0 - (static_cast<double>(i) + 0.5) / n;  // P(X >= x) of this quantile
    const double lots = std::floor(std::pow(tail, -1.0 / alpha));
    t[i] = static_cast<std::uint32_t>(std::clamp(lots, 1.0, static_cast<double>(max_lots)));
  }
  return t;
}

}  // namespace tickshm::feed
