// Fixed-point prices and money: the one type, its exact parser and its formatters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tickshm {

// Prices and money share one scale (kPriceScale in layout.hpp): 1 unit = 1/10,000 of a currency unit,
// as NASDAQ ITCH does, so price units x shares = money units with no rescaling.
using Money = std::int64_t;

enum class MoneyError {
  kNone,
  kEmpty,            // nothing (or only a sign) to parse
  kNotDecimal,       // not digits with an optional '.' and sign ("1e3", "12a", "1.2.3")
  kTooManyDecimals,  // a fifth non-zero decimal cannot be represented exactly
  kOutOfRange,       // beyond what an int64 of units holds
};
const char* money_error_text(MoneyError e) noexcept;  // "is not a decimal number like 185.23", ...

// "12", "12.5", "-0.0035", ".5", "1.230000" -> units, exactly: no exponent, at most 4 significant
// decimals (trailing zeros beyond them are fine), nothing that overflows. Never rounds.
[[nodiscard]] MoneyError parse_money(std::string_view text, Money& units) noexcept;
[[nodiscard]] std::optional<Money> parse_money(std::string_view text) noexcept;

// Exact, always four decimals: "-12.3456", "0.0000" (reports, logs; round-trips through parse_money).
std::string format_amount(Money units);
// Two decimals, or four when not whole cents: "187.25", "187.2512", "-0.0050", "0.00" (CSV, messages).
std::string format_decimal(Money units);

// Display forms (dashboard, tickshm-stat).
std::string format_price(Money units);   // format_decimal, but "-" for 0 (no price yet)
std::string format_change(Money units);  // "+1.25", "-0.0050", "0.00"
std::string format_money(Money units);   // whole cents, signed, grouped: "+1,234.56", "-12.00", "0.00"

}  // namespace tickshm
