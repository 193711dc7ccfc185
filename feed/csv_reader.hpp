// Streams a CSV replay file line by line, reporting every bad line as FILE:LINE:COLUMN.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "csv_parse.hpp"
#include "tickshm/result.hpp"

namespace tickshm::feed {

inline constexpr std::size_t kMaxCsvLine = 4096;

// Comment lines ('#') and blank lines are skipped, the header is read on open, rows are checked for
// order. Messages read "FILE:LINE:COLUMN: reason".
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

}  // namespace tickshm::feed
