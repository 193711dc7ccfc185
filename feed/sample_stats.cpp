// Mean, median, correlation, ranks and kurtosis over samples that may hold NaN (the facts report's).
#include "sample_stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tickshm::feed::stats {

double mean_of(const std::vector<double>& v) {
  double s = 0;
  std::size_t n = 0;
  for (const double x : v) {
    if (std::isfinite(x)) {
      s += x;
      ++n;
    }
  }
  return n ? s / static_cast<double>(n) : kNaN;
}

double median_of(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  double sa = 0, sb = 0;
  std::size_t n = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::isfinite(a[k]) && std::isfinite(b[k])) {
      sa += a[k];
      sb += b[k];
      ++n;
    }
  }
  if (n < 3) return kNaN;
  const double ma = sa / static_cast<double>(n), mb = sb / static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::isfinite(a[k]) && std::isfinite(b[k])) {
      sab += (a[k] - ma) * (b[k] - mb);
      saa += (a[k] - ma) * (a[k] - ma);
      sbb += (b[k] - mb) * (b[k] - mb);
    }
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : kNaN;
}

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t k = 0; k < idx.size();) {
    std::size_t e = k;
    while (e + 1 < idx.size() && v[idx[e + 1]] == v[idx[k]]) ++e;
    for (std::size_t q = k; q <= e; ++q) r[idx[q]] = 0.5 * static_cast<double>(k + e);
    k = e + 1;
  }
  return r;
}

double sign_acf(const std::vector<std::int8_t>& s, std::size_t lag) {
  if (s.size() <= lag + 2) return kNaN;
  std::vector<double> x, y;
  x.reserve(s.size() - lag);
  y.reserve(s.size() - lag);
  for (std::size_t k = 0; k + lag < s.size(); ++k) {
    x.push_back(s[k]);
    y.push_back(s[k + lag]);
  }
  return pearson(x, y);
}

double excess_kurtosis(const std::vector<double>& v) {
  const double m = mean_of(v);
  double s2 = 0, s4 = 0;
  std::size_t n = 0;
  for (const double x : v) {
    if (!std::isfinite(x)) continue;
    const double d = (x - m) * (x - m);
    s2 += d;
    s4 += d * d;
    ++n;
  }
  if (n < 10 || s2 <= 0) return kNaN;
  const double nn = static_cast<double>(n);
  return (s4 / nn) / ((s2 / nn) * (s2 / nn)) - 3.0;
}

}  // namespace tickshm::feed::stats
