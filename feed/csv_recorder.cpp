// The CSV recorder: one line per published tick, in the replay format, through a 1 MiB stdio buffer.
#include "csv_recorder.hpp"

#include <cerrno>
#include <cstring>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "csv_parse.hpp"

namespace tickshm::feed {

Result<CsvRecorder> CsvRecorder::open(const std::string& path, std::vector<std::string> symbol_names,
                                      const std::string& comment) {
  CsvRecorder r;
  r.file_ = std::fopen(path.c_str(), "w");
  if (r.file_ == nullptr) {
    return make_error(Errc::kInvalidArgument, fmt::format("--record {}: {}", path, std::strerror(errno)));
  }
  std::setvbuf(r.file_, nullptr, _IOFBF, 1 << 20);
  r.path_ = path;
  r.names_ = std::move(symbol_names);
  if (!comment.empty()) std::fprintf(r.file_, "# %s\n", comment.c_str());
  std::fputs("timestamp,symbol,bid,ask,last,size,bid_size,ask_size\n", r.file_);
  return r;
}

CsvRecorder::CsvRecorder(CsvRecorder&& o) noexcept
    : file_(std::exchange(o.file_, nullptr)),
      path_(std::move(o.path_)),
      names_(std::move(o.names_)),
      failed_(o.failed_) {}

CsvRecorder& CsvRecorder::operator=(CsvRecorder&& o) noexcept {
  if (this != &o) {
    (void)close();
    file_ = std::exchange(o.file_, nullptr);
    path_ = std::move(o.path_);
    names_ = std::move(o.names_);
    failed_ = o.failed_;
  }
  return *this;
}

CsvRecorder::~CsvRecorder() {
  (void)close();
}

void CsvRecorder::write(const TickRecord& t) {
  if (file_ == nullptr) return;
  const std::string& name = t.symbol < names_.size() ? names_[t.symbol] : names_.front();
  const bool trade = t.kind == static_cast<std::uint8_t>(TickKind::kTrade);
  const std::string last = trade ? format_price(t.price) : std::string();
  const std::string size = trade ? fmt::format("{}", t.size) : std::string();
  // Formatted into a stack buffer and written with fwrite, so a full disk is a flag read at close()
  // rather than an exception in the middle of the publishing loop.
  fmt::memory_buffer line;
  fmt::format_to(std::back_inserter(line), "{},{},{},{},{},{},{},{}\n", format_timestamp(t.event_ns), name,
                 format_price(t.bid), format_price(t.ask), last, size, t.bid_size, t.ask_size);
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) failed_ = true;
}

Status CsvRecorder::close() {
  if (file_ == nullptr) return ok_status();
  const bool bad = std::ferror(file_) != 0 || failed_;
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (bad || rc != 0) return make_error(Errc::kSystem, fmt::format("--record {}: write failed", path_));
  return ok_status();
}

}  // namespace tickshm::feed
