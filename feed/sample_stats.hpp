// Statistics over samples with gaps: every function skips NaN and infinite values, and returns NaN
// when too few values remain to say anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace tickshm::feed::stats {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean_of(const std::vector<double>& v);
double median_of(std::vector<double> v);
// Pearson correlation over the pairs where both are finite (NaN below three pairs).
double pearson(const std::vector<double>& a, const std::vector<double>& b);
// Ranks from 0, ties sharing their mean rank (for Spearman: pearson of the ranks).
std::vector<double> ranks(const std::vector<double>& v);
// Autocorrelation of a +1/-1 sequence at `lag`.
double sign_acf(const std::vector<std::int8_t>& s, std::size_t lag);
double excess_kurtosis(const std::vector<double>& v);  // NaN below ten values

}  // namespace tickshm::feed::stats
