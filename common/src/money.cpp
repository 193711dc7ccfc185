// Fixed-point price and money parsing and formatting (see money.hpp).
#include "tickshm/money.hpp"

#include <fmt/format.h>

#include <limits>

#include "tickshm/layout.hpp"

namespace tickshm {
namespace {

constexpr auto kScale = static_cast<std::uint64_t>(kPriceScale);

// |v| as unsigned, so INT64_MIN has a magnitude too.
std::uint64_t magnitude(Money v) noexcept {
  return v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

// "1234.56" or "1234.5678" (four decimals only when not whole cents), optionally grouped "1,234.56".
std::string decimal(std::uint64_t mag, bool group) {
  const std::uint64_t whole = mag / kScale, frac = mag % kScale;
  std::string w = fmt::format("{}", whole);
  if (group) {
    // Grouped by hand: fmt's {:L} follows the process locale, which may group with '.' or not at all.
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(w.size()) - 3; i > 0; i -= 3)
      w.insert(static_cast<std::size_t>(i), ",");
  }
  if (frac % 100 == 0) return fmt::format("{}.{:02}", w, frac / 100);
  return fmt::format("{}.{:04}", w, frac);
}

}  // namespace

const char* money_error_text(MoneyError e) noexcept {
  switch (e) {
    case MoneyError::kNone:
      return "is fine";
    case MoneyError::kEmpty:
      return "is empty";
    case MoneyError::kNotDecimal:
      return "is not a decimal number like 185.23";
    case MoneyError::kTooManyDecimals:
      return "has more than 4 decimals (1 price unit = 1/10000)";
    case MoneyError::kOutOfRange:
      return "is out of range";
  }
  return "?";
}

MoneyError parse_money(std::string_view text, Money& units) noexcept {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return MoneyError::kEmpty;
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  auto all_digits = [](std::string_view s) {
    for (const char c : s)
      if (c < '0' || c > '9') return false;
    return true;
  };
  // A dot needs digits after it: "5." is more likely a cut-off value than a whole number.
  if (whole.empty() && frac.empty()) return MoneyError::kNotDecimal;
  if (dot != std::string_view::npos && frac.empty()) return MoneyError::kNotDecimal;
  if (!all_digits(whole) || !all_digits(frac)) return MoneyError::kNotDecimal;
  while (frac.size() > 4 && frac.back() == '0') frac.remove_suffix(1);
  if (frac.size() > 4) return MoneyError::kTooManyDecimals;
  // Accumulated as a magnitude up to INT64_MAX + 1, so that INT64_MIN parses too.
  const std::uint64_t limit =
      static_cast<std::uint64_t>(std::numeric_limits<Money>::max()) + (negative ? 1 : 0);
  std::uint64_t w = 0;
  for (const char c : whole) {
    if (__builtin_mul_overflow(w, 10u, &w) || __builtin_add_overflow(w, static_cast<unsigned>(c - '0'), &w))
      return MoneyError::kOutOfRange;
  }
  std::uint64_t f = 0;
  for (std::size_t k = 0; k < 4; ++k)
    f = f * 10 + (k < frac.size() ? static_cast<std::uint64_t>(frac[k] - '0') : 0);
  std::uint64_t mag = 0;
  if (__builtin_mul_overflow(w, kScale, &mag) || __builtin_add_overflow(mag, f, &mag) || mag > limit)
    return MoneyError::kOutOfRange;
  units = negative ? static_cast<Money>(0 - mag) : static_cast<Money>(mag);
  return MoneyError::kNone;
}

std::optional<Money> parse_money(std::string_view text) noexcept {
  Money v = 0;
  if (parse_money(text, v) != MoneyError::kNone) return std::nullopt;
  return v;
}

std::string format_amount(Money units) {
  const std::uint64_t mag = magnitude(units);
  return fmt::format("{}{}.{:04}", units < 0 ? "-" : "", mag / kScale, mag % kScale);
}

std::string format_decimal(Money units) {
  return (units < 0 ? "-" : "") + decimal(magnitude(units), false);
}

std::string format_price(Money units) {
  return units == 0 ? "-" : format_decimal(units);
}

std::string format_change(Money units) {
  if (units == 0) return "0.00";
  return (units < 0 ? "-" : "+") + decimal(magnitude(units), false);
}

std::string format_money(Money units) {
  if (units == 0) return "0.00";
  // Whole cents: sub-cent P&L is noise on a screen. Rounded half away from zero, without overflow.
  const std::uint64_t mag = magnitude(units);
  const std::uint64_t cents = mag / 100 + (mag % 100 >= 50 ? 1 : 0);
  return (units < 0 ? "-" : "+") + decimal(cents * 100, true);
}

}  // namespace tickshm
