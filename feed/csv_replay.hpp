// CSV market data: the replay format's parser (pure functions, fuzzable), a streaming reader that
// reports FILE:LINE:COLUMN, the replay source, and the recorder that writes the same format.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tickshm/layout.hpp"
#include "tickshm/result.hpp"

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

// "2024-01-02T14:30:00.123456789Z" (also ' ' for 'T', no zone = UTC, or +HH:MM), Unix seconds with a
// fraction "1704205800.25", or integer Unix nanoseconds "1704205800250000000".
[[nodiscard]] bool parse_timestamp(std::string_view s, std::uint64_t& ns, std::string& why);
// Decimal currency "185.23" -> price units (1/10,000); at most 4 significant decimals.
[[nodiscard]] bool parse_price(std::string_view s, std::uint32_t& units, std::string& why);

std::string format_timestamp(std::uint64_t unix_ns);  // ISO 8601 UTC with 9 decimals
std::string format_price(std::uint32_t units);        // 2 decimals, or 4 when sub-penny

// Streams a CSV file line by line: comment lines ('#') and blank lines are skipped, the header is
// read on open, rows are checked for order. Messages read "FILE:LINE:COLUMN: reason".
class CsvReader {
 public:
  [[nodiscard]] static Result<std::unique_ptr<CsvReader>> open(const std::string& path);
  enum class Next { kRow, kEnd, kBad };
  // kBad: error() names the row; the reader goes on with the next line if called again.
  Next next(CsvRow& row);
  const std::string& error() const noexcept { return error_; }
  std::size_t line() const noexcept { return line_no_; }
  const std::string& path() const noexcept { return path_; }

 private:
  CsvReader() = default;
  std::string located(std::size_t line, std::size_t col, const std::string& why) const;
  bool read_line();  // false at end of file
  std::string path_;
  std::ifstream in_;
  std::vector<char> buffer_;
  std::string line_;
  std::size_t line_no_ = 0;
  CsvColumns cols_;
  std::uint64_t prev_ts_ = 0;
  std::string error_;
};

inline constexpr std::size_t kMaxCsvLine = 4096;

// What the first pass learns: the symbols (in order of first appearance) with a reference price (the
// first mid) and a tick size ($0.01, or 1 unit when a price is sub-penny), and the row counts.
struct ReplaySymbol {
  std::string name;
  std::int64_t reference_price = 0;
  std::uint32_t tick_size = 100;
};
struct ReplayScan {
  std::vector<ReplaySymbol> symbols;
  std::uint64_t rows = 0;      // good rows
  std::uint64_t bad_rows = 0;  // skipped (skip mode)
};

enum class BadRowPolicy { kFail, kSkip };

// Pass one over the file: validates every row before any segment exists. kFail: the first bad row is
// the error. kSkip: on_skip gets each bad row's message. No good row at all is an error.
[[nodiscard]] Result<ReplayScan> scan_replay(const std::string& path, BadRowPolicy policy,
                                             const std::function<void(const std::string&)>& on_skip);

// Pass two: the file's good rows as ticks (symbol indexes per the scan), in order.
class ReplaySource {
 public:
  [[nodiscard]] static Result<ReplaySource> open(const std::string& path, const ReplayScan& scan);
  bool next(TickRecord& out);  // false at the end
  std::uint64_t skipped() const noexcept { return skipped_; }

 private:
  ReplaySource() = default;
  std::unique_ptr<CsvReader> reader_;
  std::map<std::string, std::uint32_t, std::less<>> index_;
  std::uint64_t skipped_ = 0;
};

// Writes ticks in the replay format (the same columns the parser reads), buffered.
class CsvRecorder {
 public:
  [[nodiscard]] static Result<CsvRecorder> open(const std::string& path,
                                                std::vector<std::string> symbol_names,
                                                const std::string& comment);
  CsvRecorder(CsvRecorder&&) noexcept;
  CsvRecorder& operator=(CsvRecorder&&) noexcept;
  CsvRecorder(const CsvRecorder&) = delete;
  CsvRecorder& operator=(const CsvRecorder&) = delete;
  ~CsvRecorder();
  void write(const TickRecord& t);
  [[nodiscard]] Status close();  // flushes; reports a write error

 private:
  CsvRecorder() = default;
  std::FILE* file_ = nullptr;
  std::string path_;
  std::vector<std::string> names_;
  bool failed_ = false;
};

}  // namespace tickshm::feed
