// Fixed-point money parsing and printing (see money.hpp).
#include "money.hpp"

#include <cstdio>
#include <limits>

#include "tickshm/layout.hpp"

namespace tickshm::algo {

std::optional<Money> parse_money(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  constexpr Money kMax = std::numeric_limits<Money>::max();
  Money whole = 0;
  std::size_t i = 0;
  bool digits = false;
  for (; i < text.size() && text[i] != '.'; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    const Money d = c - '0';
    if (whole > (kMax / kPriceScale - d) / 10) return std::nullopt;
    whole = whole * 10 + d;
    digits = true;
  }
  Money frac = 0;
  Money scale = kPriceScale;
  if (i < text.size()) {  // the '.'
    ++i;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return std::nullopt;
      if (scale == 1) return std::nullopt;  // a 5th decimal cannot be represented exactly
      scale /= 10;
      frac += (c - '0') * scale;
      digits = true;
    }
  }
  if (!digits) return std::nullopt;
  Money v = 0;
  if (__builtin_add_overflow(whole * kPriceScale, frac, &v)) return std::nullopt;
  return negative ? -v : v;
}

std::string format_money(Money units) {
  // Work on the magnitude as unsigned so INT64_MIN prints too.
  const bool negative = units < 0;
  const std::uint64_t mag =
      negative ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
  const auto scale = static_cast<std::uint64_t>(kPriceScale);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%llu.%04llu", negative ? "-" : "",
                static_cast<unsigned long long>(mag / scale), static_cast<unsigned long long>(mag % scale));
  return buf;
}

}  // namespace tickshm::algo
