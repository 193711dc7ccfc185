// Parsing and formatting the CSV replay format's timestamps (proleptic Gregorian calendar, UTC).
#include "csv_time.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "csv_text.hpp"

namespace tickshm::feed {

namespace {

using csv::is_digit;
using csv::parse_u64;
using csv::shown;

constexpr std::uint64_t kNsPerSecond = 1'000'000'000ULL;

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, days since 1970-01-01).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
}

// Reads exactly n digits at s[pos..]; advances pos.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, unsigned& out) noexcept {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    if (!is_digit(s[pos + k])) return false;
    v = v * 10 + static_cast<unsigned>(s[pos + k] - '0');
  }
  pos += n;
  out = v;
  return true;
}

}  // namespace

bool parse_timestamp(std::string_view s, std::uint64_t& ns, std::string& why) {
  why.clear();
  if (s.empty()) {
    why = "empty timestamp";
    return false;
  }
  const bool numeric = std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || c == '.'; });
  if (numeric) {
    const std::size_t dot = s.find('.');
    if (dot == std::string_view::npos) {
      if (!parse_u64(s, ns)) why = fmt::format("timestamp {} does not fit in 64-bit nanoseconds", shown(s));
      return why.empty();
    }
    std::uint64_t sec = 0;
    const std::string_view frac = s.substr(dot + 1);
    if (!parse_u64(s.substr(0, dot), sec) || frac.empty() || frac.size() > 9 ||
        frac.find('.') != std::string_view::npos || sec > UINT64_MAX / kNsPerSecond - 1) {
      why = fmt::format("timestamp {} is not Unix seconds with up to 9 decimals", shown(s));
      return false;
    }
    std::uint64_t f = 0;
    (void)parse_u64(frac, f);
    for (std::size_t k = frac.size(); k < 9; ++k) f *= 10;
    ns = sec * kNsPerSecond + f;
    return true;
  }
  // ISO 8601: YYYY-MM-DD[T ]HH:MM:SS[.fffffffff][Z|+HH:MM|-HH:MM]
  std::size_t p = 0;
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  auto bad = [&](const char* what) {
    why = fmt::format("timestamp {}: {} (expected YYYY-MM-DDTHH:MM:SS[.fffffffff][Z])", shown(s), what);
    return false;
  };
  if (!digits(s, p, 4, y) || p >= s.size() || s[p++] != '-' || !digits(s, p, 2, mo) || p >= s.size() ||
      s[p++] != '-' || !digits(s, p, 2, d)) {
    return bad("bad date");
  }
  if (p >= s.size() || (s[p] != 'T' && s[p] != ' ')) return bad("no time after the date");
  ++p;
  if (!digits(s, p, 2, h) || p >= s.size() || s[p++] != ':' || !digits(s, p, 2, mi) || p >= s.size() ||
      s[p++] != ':' || !digits(s, p, 2, sec)) {
    return bad("bad time of day");
  }
  std::uint64_t frac_ns = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    std::size_t n = 0;
    while (p < s.size() && is_digit(s[p])) {
      if (++n > 9) return bad("more than 9 decimals of a second");
      frac_ns = frac_ns * 10 + static_cast<std::uint64_t>(s[p++] - '0');
    }
    if (n == 0) return bad("no digits after the decimal point");
    for (; n < 9; ++n) frac_ns *= 10;
  }
  std::int64_t offset_s = 0;
  if (p < s.size() && s[p] == 'Z') {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const bool minus = s[p++] == '-';
    unsigned oh = 0, om = 0;
    if (!digits(s, p, 2, oh) || p >= s.size() || s[p++] != ':' || !digits(s, p, 2, om) || oh > 23 ||
        om > 59) {
      return bad("bad zone offset");
    }
    offset_s = (minus ? -1 : 1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
  }
  if (p != s.size()) return bad("unexpected text after the time");
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 2500) return bad("year outside 1970..2500");
  if (mo < 1 || mo > 12) return bad("month outside 1..12");
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d < 1 || d > kDays[mo - 1] || (mo == 2 && d == 29 && !leap)) return bad("no such day");
  if (h > 23 || mi > 59 || sec > 59) return bad("time of day out of range");
  const std::int64_t days = days_from_civil(y, mo, d);
  const std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  if (secs < 0) return bad("before 1970");
  ns = static_cast<std::uint64_t>(secs) * kNsPerSecond + frac_ns;
  return true;
}

std::string format_timestamp(std::uint64_t unix_ns) {
  const std::uint64_t secs = unix_ns / kNsPerSecond;
  const auto days = static_cast<std::int64_t>(secs / 86400);
  const std::uint64_t sod = secs % 86400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", y, m, d, sod / 3600, sod / 60 % 60,
                     sod % 60, unix_ns % kNsPerSecond);
}

}  // namespace tickshm::feed
