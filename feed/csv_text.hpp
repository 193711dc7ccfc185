// Small text helpers shared by the CSV parsers: digits, trimming, and a bounded quote of a bad field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace tickshm::feed::csv {

inline bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// A whole unsigned number of at most 20 digits; false on anything else or on overflow.
inline bool parse_u64(std::string_view s, std::uint64_t& out) noexcept {
  if (s.empty() || s.size() > 20) return false;
  std::uint64_t v = 0;
  for (const char c : s) {
    if (!is_digit(c)) return false;
    const auto dgt = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - dgt) / 10) return false;
    v = v * 10 + dgt;
  }
  out = v;
  return true;
}

inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The field in quotes for a message; a huge bad field must not make a huge message.
inline std::string shown(std::string_view s) {
  constexpr std::size_t kMax = 40;
  return fmt::format("'{}{}'", s.substr(0, kMax), s.size() > kMax ? "..." : "");
}

}  // namespace tickshm::feed::csv
