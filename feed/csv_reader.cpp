// The CSV reader: buffered line reading, header discovery, per-row parsing and the time-order check.
#include "csv_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "csv_text.hpp"

namespace tickshm::feed {

using csv::trim;

Result<std::unique_ptr<CsvReader>> CsvReader::open(const std::string& path) {
  std::unique_ptr<CsvReader> r(new CsvReader());
  r->path_ = path;
  r->buffer_.resize(1 << 20);
  r->in_.rdbuf()->pubsetbuf(r->buffer_.data(), static_cast<std::streamsize>(r->buffer_.size()));
  r->in_.open(path, std::ios::binary);
  if (!r->in_) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("{}:1:1: cannot open: {}", path, std::strerror(errno)));
  }
  // The header is the first line that is neither blank nor a '#' comment.
  for (;;) {
    if (!r->read_line()) {
      return make_error(Errc::kInvalidArgument,
                        r->located(std::max<std::size_t>(1, r->line_no_), 1,
                                   "no header line (expected timestamp,symbol,bid,ask,last,size)"));
    }
    if (!r->error_.empty()) return make_error(Errc::kInvalidArgument, r->error_);
    const std::string_view l = trim(r->line_);
    if (l.empty() || l.front() == '#') continue;
    CsvError err;
    if (!parse_csv_header(r->line_, r->cols_, err)) {
      return make_error(Errc::kInvalidArgument, r->located(r->line_no_, err.column, err.reason));
    }
    return r;
  }
}

std::string CsvReader::located(std::size_t line, std::size_t col, const std::string& why) const {
  return fmt::format("{}:{}:{}: {}", path_, line, col, why);
}

bool CsvReader::read_line() {
  error_.clear();
  if (!std::getline(in_, line_)) return false;
  ++line_no_;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  if (line_.size() > kMaxCsvLine) {
    error_ = located(line_no_, kMaxCsvLine + 1, fmt::format("line longer than {} characters", kMaxCsvLine));
  }
  return true;
}

CsvReader::Next CsvReader::next(CsvRow& row) {
  for (;;) {
    if (!read_line()) {
      if (in_.bad()) {
        error_ = located(line_no_ + 1, 1, fmt::format("read error: {}", std::strerror(errno)));
        return Next::kBad;
      }
      return Next::kEnd;
    }
    if (!error_.empty()) return Next::kBad;
    const std::string_view l = trim(line_);
    if (l.empty() || l.front() == '#') continue;
    CsvError err;
    if (!parse_csv_row(line_, cols_, row, err)) {
      error_ = located(line_no_, err.column, err.reason);
      return Next::kBad;
    }
    if (row.timestamp_ns < prev_ts_) {
      error_ = located(
          line_no_, row.timestamp_column,
          fmt::format("timestamp {} is earlier than the previous row's {} (rows must be in time order)",
                      format_timestamp(row.timestamp_ns), format_timestamp(prev_ts_)));
      return Next::kBad;
    }
    prev_ts_ = row.timestamp_ns;
    return Next::kRow;
  }
}

}  // namespace tickshm::feed
