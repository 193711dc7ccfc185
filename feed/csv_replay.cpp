// The two replay passes over a CSV file: the scan that validates every row and learns the symbols,
// then the source that hands the good rows to the publishing loop as ticks.
#include "csv_replay.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace tickshm::feed {

Result<ReplayScan> scan_replay(const std::string& path, BadRowPolicy policy,
                               const std::function<void(const std::string&)>& on_skip) {
  auto opened = CsvReader::open(path);
  if (!opened) return std::move(opened).error();
  CsvReader& reader = **opened;
  ReplayScan scan;
  std::map<std::string, std::size_t, std::less<>> index;
  std::vector<bool> sub_penny;
  CsvRow row;
  for (;;) {
    const auto n = reader.next(row);
    if (n == CsvReader::Next::kEnd) break;
    if (n == CsvReader::Next::kBad) {
      if (policy == BadRowPolicy::kFail) return make_error(Errc::kInvalidArgument, reader.error());
      ++scan.bad_rows;
      if (on_skip) on_skip(reader.error());
      continue;
    }
    auto it = index.find(row.symbol);
    if (it == index.end()) {
      if (scan.symbols.size() == kMaxSymbols) {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("{}:{}:1: more than {} symbols", path, reader.line(), kMaxSymbols));
      }
      it = index.emplace(std::string(row.symbol), scan.symbols.size()).first;
      ReplaySymbol s;
      s.name = std::string(row.symbol);
      s.reference_price = (static_cast<std::int64_t>(row.bid) + static_cast<std::int64_t>(row.ask)) / 2;
      scan.symbols.push_back(std::move(s));
      sub_penny.push_back(false);
    }
    if (row.bid % 100 != 0 || row.ask % 100 != 0 || row.last % 100 != 0) sub_penny[it->second] = true;
    ++scan.rows;
  }
  if (scan.rows == 0) {
    return make_error(
        Errc::kInvalidArgument,
        fmt::format("{}:{}:1: no valid data rows{}", path, std::max<std::size_t>(1, reader.line()),
                    scan.bad_rows ? fmt::format(" ({} bad rows skipped)", scan.bad_rows) : ""));
  }
  for (std::size_t k = 0; k < scan.symbols.size(); ++k) {
    auto& s = scan.symbols[k];
    s.tick_size = sub_penny[k] ? 1 : 100;
    s.reference_price = s.reference_price / s.tick_size * s.tick_size;
  }
  return scan;
}

Result<ReplaySource> ReplaySource::open(const std::string& path, const ReplayScan& scan) {
  auto opened = CsvReader::open(path);
  if (!opened) return std::move(opened).error();
  ReplaySource src;
  src.reader_ = std::move(*opened);
  for (std::size_t k = 0; k < scan.symbols.size(); ++k) {
    src.index_.emplace(scan.symbols[k].name, static_cast<std::uint32_t>(k));
  }
  return src;
}

bool ReplaySource::next(TickRecord& out) {
  CsvRow row;
  for (;;) {
    const auto n = reader_->next(row);
    if (n == CsvReader::Next::kEnd) return false;
    if (n == CsvReader::Next::kBad) {
      ++skipped_;  // reported by the scan already
      continue;
    }
    const auto it = index_.find(row.symbol);
    if (it == index_.end()) {
      ++skipped_;  // the file changed since the scan
      continue;
    }
    out = TickRecord{};
    out.event_ns = row.timestamp_ns;
    out.symbol = it->second;
    out.kind = static_cast<std::uint8_t>(row.trade ? TickKind::kTrade : TickKind::kQuote);
    out.bid = row.bid;
    out.ask = row.ask;
    out.price = row.trade ? row.last : 0;
    out.size = row.trade ? row.size : 0;
    out.bid_size = row.bid_size;
    out.ask_size = row.ask_size;
    return true;
  }
}

}  // namespace tickshm::feed
