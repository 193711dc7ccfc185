// Tables behind the order flow: split-order run lengths and trade notionals.
#include "order_flow.hpp"

#include <algorithm>
#include <cmath>

namespace tickshm::feed {

MetaLengthTable make_meta_length_table(double alpha) noexcept {
  MetaLengthTable t{};
  const double a = std::max(alpha, 0.1);
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double tail = 1.0 - (static_cast<double>(i) + 0.5) / static_cast<double>(t.size());
    t[i] = static_cast<std::uint16_t>(std::clamp(std::floor(std::pow(tail, -1.0 / a)), 1.0, 65'535.0));
  }
  return t;
}

NotionalTable make_notional_table(double median, double sigma) noexcept {
  NotionalTable t{};
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double p = (static_cast<double>(i) + 0.5) / static_cast<double>(t.size());
    const double v = median * std::exp(std::max(sigma, 0.0) * inverse_normal_cdf(p));
    t[i] = static_cast<float>(std::clamp(v, 1.0, 1e7));
  }
  return t;
}

QuoteSizeTable make_quote_size_table(double alpha, std::uint32_t max_lots) noexcept {
  QuoteSizeTable t{};
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double tail = 1.0 - (static_cast<double>(i) + 0.5) / static_cast<double>(t.size());
    const double lots =
        std::clamp(std::floor(std::pow(tail, -1.0 / alpha)), 1.0, static_cast<double>(max_lots));
    t[i] = static_cast<std::uint32_t>(lots) * 100;
  }
  return t;
}

}  // namespace tickshm::feed
