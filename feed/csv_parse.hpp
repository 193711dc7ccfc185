// The CSV replay format's line parser: header and rows into plain structs, prices into price units.
// Pure functions with no I/O, so the fuzzer drives them directly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "csv_time.hpp"

namespace tickshm::feed {

// Column indexes found in the header (-1: absent). Required: timestamp, symbol, bid, ask, last, size.
struct CsvColumns {
  int timestamp = -1, symbol = -1, bid = -1, ask = -1, last = -1, size = -1;
  int bid_size = -1, ask_size = -1, kind = -1;
  std::size_t count = 0;  // fields per line, including ignored extra columns
};

// Where and why a line is bad; column is the 1-based character position of the offending field.
struct CsvError {
  std::size_t column = 1;
  std::string reason;
};

struct CsvRow {
  std::uint64_t timestamp_ns = 0;  // Unix ns, UTC
  std::string_view symbol;         // points into the parsed line
  std::uint32_t bid = 0, ask = 0, last = 0, size = 0, bid_size = 0, ask_size = 0;  // price units / shares
  bool trade = false;
  std::size_t timestamp_column = 1;  // for the caller's ordering check
};

[[nodiscard]] bool parse_csv_header(std::string_view line, CsvColumns& cols, CsvError& err);
[[nodiscard]] bool parse_csv_row(std::string_view line, const CsvColumns& cols, CsvRow& row, CsvError& err);

// Decimal currency "185.23" -> price units (1/10,000); at most 4 significant decimals.
[[nodiscard]] bool parse_price(std::string_view s, std::uint32_t& units, std::string& why);

std::string format_price(std::uint32_t units);  // 2 decimals, or 4 when sub-penny

}  // namespace tickshm::feed
