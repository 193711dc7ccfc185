// Fuzz target: the feed's CSV replay parser (pure functions): header, rows, timestamps, prices.
// Any input must parse or be refused with a reason and a 1-based column inside the line.
// fuzz_csv_file.cpp drives the same bytes through the streaming file reader.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "csv_replay.hpp"

namespace {

using namespace tickshm::feed;

void check_error(const CsvError& err, std::string_view line) {
  // The column points into the line (or just past its end for a missing field) and there is a reason.
  if (err.reason.empty() || err.column == 0 || err.column > line.size() + 1) __builtin_trap();
}

void pure_functions(std::string_view text) {
  std::size_t start = 0;
  CsvColumns cols;
  bool header = false;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    CsvError err;
    if (!header) {
      header = parse_csv_header(line, cols, err);
      if (!header) check_error(err, line);
    } else {
      CsvRow row;
      if (!parse_csv_row(line, cols, row, err)) {
        check_error(err, line);
      } else if (row.symbol.data() < line.data() ||
                 row.symbol.data() + row.symbol.size() > line.data() + line.size()) {
        __builtin_trap();  // the symbol view must point into the line
      }
    }
    // Each line also as a lone timestamp and a lone price: both parsers face arbitrary text.
    std::uint64_t ns = 0;
    std::uint32_t units = 0;
    std::string why;
    if (parse_timestamp(line, ns, why)) {
      (void)format_timestamp(ns);
    } else if (why.empty()) {
      __builtin_trap();
    }
    why.clear();
    if (parse_price(line, units, why)) {
      (void)format_price(units);
    } else if (why.empty()) {
      __builtin_trap();
    }
    start = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pure_functions(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
