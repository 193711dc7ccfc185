// Timestamps of the CSV replay format: ISO 8601 UTC, Unix seconds with a fraction, or Unix nanoseconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tickshm::feed {

// "2024-01-02T14:30:00.123456789Z" (also ' ' for 'T', no zone = UTC, or +HH:MM), Unix seconds with a
// fraction "1704205800.25", or integer Unix nanoseconds "1704205800250000000".
[[nodiscard]] bool parse_timestamp(std::string_view s, std::uint64_t& ns, std::string& why);

std::string format_timestamp(std::uint64_t unix_ns);  // ISO 8601 UTC with 9 decimals

}  // namespace tickshm::feed
