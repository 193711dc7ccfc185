// Number formatters for people (see format.hpp).
#include "tickshm/format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace tickshm {

std::string format_pct(double pct) {
  if (!std::isfinite(pct)) return "-";
  if (pct > -0.005 && pct < 0.005) return "0.00%";
  return fmt::format("{:+.2f}%", pct);
}

std::string format_count(std::uint64_t n) {
  if (n < 10'000) return fmt::format("{}", n);
  const auto d = static_cast<double>(n);
  if (n < 1'000'000) return fmt::format("{:.1f}k", d / 1e3);
  if (n < 1'000'000'000) return fmt::format("{:.2f}M", d / 1e6);
  if (n < 1'000'000'000'000ULL) return fmt::format("{:.2f}G", d / 1e9);
  return fmt::format("{:.2f}T", d / 1e12);
}

std::string format_ns(std::uint64_t ns) {
  if (ns == 0) return "-";
  const auto d = static_cast<double>(ns);
  if (ns < 1'000) return fmt::format("{}ns", ns);
  if (ns < 1'000'000) return fmt::format("{:.1f}us", d / 1e3);
  if (ns < 1'000'000'000) return fmt::format("{:.2f}ms", d / 1e6);
  return fmt::format("{:.1f}s", d / 1e9);
}

std::string format_duration(std::uint64_t ns) {
  const std::uint64_t s = ns / 1'000'000'000ULL;
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h{:02}m{:02}s", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}d{:02}h", s / 86400, s / 3600 % 24);
}

std::string format_rate(double per_sec) {
  if (!(per_sec >= 0.5)) return "0";  // also NaN
  if (per_sec < 10'000) return fmt::format("{:.0f}", per_sec);
  if (per_sec < 1e6) return fmt::format("{:.1f}k", per_sec / 1e3);
  return fmt::format("{:.2f}M", per_sec / 1e6);
}

std::string format_hex64(std::uint64_t v) {
  return fmt::format("{:016x}", v);
}

std::string format_mode(unsigned mode) {
  return fmt::format("{:04o}", mode & 07777u);
}

}  // namespace tickshm
