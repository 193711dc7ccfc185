// The validators every program's flags and config keys go through: numbers that are finite and in
// range (no NaN, no "-1" wrapped into an unsigned), names, files of bounded size that are regular
// files, octal modes, comma lists without empty items. Include only where a command line is built:
// <CLI/CLI.hpp> is slow to compile.
#pragma once

#include <sys/types.h>

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

namespace tickshm::checks {

// The largest file a program reads whole or line by line as input it is told to trust no further
// than its size: --config and --symbols-file. Data files (CSV replay) have their own bound.
inline constexpr std::uint64_t kMaxConfigBytes = 1ULL << 20;

// Parses the whole of text as a T: decimal digits only for integers (no sign on unsigned types, no
// spaces, no "0x", no leading zero: CLI11 would read "010" as octal 8), a finite decimal for floating
// point ("nan", "inf" and overflow refused).
template <class T>
bool parse_number(std::string_view text, T& out) noexcept {
  if (text.empty()) return false;
  if constexpr (std::is_floating_point_v<T>) {
    const auto r = std::from_chars(text.data(), text.data() + text.size(), out, std::chars_format::general);
    return r.ec == std::errc{} && r.ptr == text.data() + text.size() && std::isfinite(out);
  } else {
    if (text.front() == '+') text.remove_prefix(1);
    if (text.empty() || (std::is_unsigned_v<T> && text.front() == '-')) return false;
    const std::string_view digits = text.front() == '-' ? text.substr(1) : text;
    if (digits.size() > 1 && digits.front() == '0') return false;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), out, 10);
    return r.ec == std::errc{} && r.ptr == text.data() + text.size();
  }
}

// A number in [lo, hi], checked on the text before CLI11 converts it (CLI::Range cannot see a
// wrapped "-1" or a NaN). The range is said in the error, not in --help (which shows the value name).
template <class T>
CLI::Validator range(T lo, T hi) {
  std::string bounds = fmt::format("[{}, {}]", lo, hi);
  return CLI::Validator(
      [lo, hi, bounds](std::string& s) -> std::string {
        T v{};
        if (!parse_number(s, v)) {
          if constexpr (std::is_floating_point_v<T>) return fmt::format("'{}' is not a finite number", s);
          return fmt::format("'{}' is not a whole number{}", s, std::is_unsigned_v<T> ? " of 0 or more" : "");
        }
        if (v < lo || v > hi) return fmt::format("{} is outside {}", s, bounds);
        return {};
      },
      "");
}

// A feed or algo name (validate_name); `what` names it in the message.
CLI::Validator name(std::string what);

// An existing regular file of at most max_bytes (a FIFO, a device such as /dev/zero or a directory
// is refused before anything reads it).
CLI::Validator regular_file(std::uint64_t max_bytes);

// A file a program will write: absent (its directory exists), or an existing regular file.
CLI::Validator output_file();

// A directory a program will write files into: an existing directory, or a path not there yet whose
// nearest existing ancestor is a directory (the program creates the rest). Checked at parse time so a
// long run does not end on a path it could never write.
CLI::Validator output_dir();

// Octal permission bits such as 0600 or 0660, at most 0777, keeping the owner's read and write.
// Rewrites the text in decimal so the option stores a mode_t: add it with ->transform(), not ->check()
// (CLI11 runs a check on a copy of the text).
CLI::Validator mode();

// A comma-separated list whose items are all non-empty ("A,,B" and "A," are refused).
CLI::Validator comma_list();

}  // namespace tickshm::checks
