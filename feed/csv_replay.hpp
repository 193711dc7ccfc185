// Replaying a CSV file: pass one (scan) validates every row before any segment exists, pass two
// (ReplaySource) feeds the good rows to the publishing loop. The format: csv_parse.hpp, docs/FEED.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/result.hpp"

namespace tickshm::feed {

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

}  // namespace tickshm::feed
