// Number formatters for people (dashboard, tickshm-stat, logs): counts, durations, rates, percentages.
#pragma once

#include <cstdint>
#include <string>

namespace tickshm {

std::string format_pct(double pct);             // "+1.23%", "-0.50%", "0.00%"
std::string format_count(std::uint64_t n);      // "999", "12.3k", "4.56M", "7.89G", "1.00T"
std::string format_ns(std::uint64_t ns);        // "-" for 0, "850ns", "12.3us", "1.20ms", "2.5s"
std::string format_duration(std::uint64_t ns);  // "45s", "12m03s", "3h04m05s", "2d03h"
std::string format_rate(double per_sec);        // "0", "950", "12.3k", "1.25M"
std::string format_hex64(std::uint64_t v);      // sixteen lower-case hex digits
std::string format_mode(unsigned mode);         // "0600"

}  // namespace tickshm
