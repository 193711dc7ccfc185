// The simulator's random numbers: a fast seeded generator and table-driven normal and lot-size draws.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace tickshm::feed {

// wyrand (Wang Yi): one multiply per 64 random bits, passes PractRand/BigCrush, and its output is
// fully specified here, so the same seed gives the same ticks on every build (std::*_distribution
// is implementation-defined and would not).
class WyRand {
 public:
  explicit WyRand(std::uint64_t seed) noexcept : state_(seed) {}
  std::uint64_t next() noexcept {
    state_ += 0xa0761d6478bd642fULL;
    const unsigned __int128 t = static_cast<unsigned __int128>(state_) * (state_ ^ 0xe7037ed1a0b428dbULL);
    return static_cast<std::uint64_t>(t >> 64) ^ static_cast<std::uint64_t>(t);
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// splitmix64: derives independent seeds (per symbol, per purpose) from the user's one seed.
constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Standard normal draws from 20 random bits: 4,096 equal-probability bins of the normal quantile
// function, linear inside each bin (256 steps), rescaled to variance exactly 1. The knots are 16 KB of
// floats, so a draw is an L1 hit plus a multiply-add, where Box-Muller pays a log, a square root and a
// cosine and a larger table misses L1 (figures in docs/BENCHMARKS.md). Tails stop at |z| = 3.9; jumps
// supply the fat tails real returns have.
inline constexpr unsigned kNormalBinBits = 12;
inline constexpr unsigned kNormalBits = kNormalBinBits + 8;
struct NormalTable {
  std::array<float, (std::size_t{1} << kNormalBinBits) + 1> knots;  // symmetric: knots[k] = -knots[4096-k]
  // bits: the low kNormalBits bits are used.
  double operator()(std::uint64_t bits) const noexcept {
    const std::size_t k = (bits >> 8) & ((std::size_t{1} << kNormalBinBits) - 1);
    const double lo = static_cast<double>(knots[k]);
    const double hi = static_cast<double>(knots[k + 1]);
    return lo + (hi - lo) * (static_cast<double>(bits & 0xFF) + 0.5) * (1.0 / 256.0);
  }
};
const NormalTable& normal_table() noexcept;

// exp(x) for the small log returns of one tick (typically |x| ~ 1e-4): a degree-4 Taylor polynomial
// for |x| < 0.01 (relative error < 1e-12), several times cheaper than libm; jumps go to std::exp.
// Evaluated as (1 + x) + x^2 (1/2 + x/6 + x^2/24) (Estrin): 5 dependent operations instead of 8.
inline double exp_small(double x) noexcept {
  if (x > 0.01 || x < -0.01) [[unlikely]]
    return std::exp(x);
  const double x2 = x * x;
  return (1.0 + x) + x2 * ((0.5 + x * (1.0 / 6)) + x2 * (1.0 / 24));
}

// Round lots (1 lot = 100 shares) with a Pareto tail: P(lots >= n) = n^-alpha, capped. 12 random bits
// pick one of 4,096 quantiles.
inline constexpr unsigned kLotBits = 12;
using LotTable = std::array<std::uint32_t, std::size_t{1} << kLotBits>;
LotTable make_lot_table(double alpha, std::uint32_t max_lots) noexcept;

// Inverse of the standard normal CDF (Acklam's rational approximation refined by one Halley step:
// relative error below 1e-13). p in (0, 1).
double inverse_normal_cdf(double p) noexcept;

}  // namespace tickshm::feed
