// ITCH 5.0 replay: pass one scans the whole file (framing, stock directory, sizes) before any segment
// exists; pass two is the tick source the feed loop paces by the file's own timestamps.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "itch_books.hpp"
#include "itch_reader.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/result.hpp"

namespace tickshm::feed {

// "HH:MM:SS[.fraction]" -> ns since midnight; false when malformed (why says how).
[[nodiscard]] bool parse_time_of_day(const std::string& s, std::uint64_t& ns, std::string& why);
std::string format_time_of_day(std::uint64_t ns);  // HH:MM:SS.nnnnnnnnn

struct ItchScan {
  std::vector<ItchStock> stocks;             // the selected stocks, in directory order
  std::vector<std::uint16_t> locates;        // every locate the directory names
  std::array<std::uint64_t, 256> by_type{};  // messages per type
  std::uint64_t messages = 0;
  std::uint64_t unknown_skipped = 0;        // unknown types skipped by their length
  std::uint64_t live_estimate = 0;          // peak of (adds - deletes) over the file
  std::uint64_t first_ts = 0, last_ts = 0;  // ns since midnight
  bool zero_prefix = false;                 // some length prefix was 0
};

// Pass one. Every framing error is an error naming the byte offset; a file without any stock in its
// directory (or without one of `only`) is an error too. `only` empty: every stock.
[[nodiscard]] Result<ItchScan> scan_itch(const std::string& path, const std::vector<std::string>& only);

struct ItchWindow {
  std::uint64_t from_ns = 0;                // messages before: build the books, publish nothing
  std::uint64_t to_ns = ~std::uint64_t{0};  // the first message after: the end of the replay
};

// Pass two: the ticks of the file, in order, for run_loop.
class ItchReplaySource {
 public:
  [[nodiscard]] static Result<ItchReplaySource> open(const std::string& path, const ItchScan& scan,
                                                     const ItchWindow& window);
  bool next(TickRecord& out) {
    while (head_ == tail_) {
      if (!fill()) return false;
    }
    out = queue_[head_++];
    // The pacer needs event time to go forwards: a tick stamped earlier than the one before goes
    // out at that one's time (counted in backwards()).
    out.event_ns = std::max(out.event_ns, last_out_ns_);
    last_out_ns_ = out.event_ns;
    return true;
  }

  const ItchBooks& books() const noexcept { return *books_; }
  const std::string& error() const noexcept { return error_; }  // a read error in pass two
  std::uint64_t backwards() const noexcept { return backwards_; }
  // The end-of-run report: messages, ticks, every counted skip, crossed books (one line each).
  std::vector<std::string> report(const ItchScan& scan) const;

 private:
  ItchReplaySource() = default;
  bool fill();  // false at the end (or after an error)

  std::optional<ItchReader> reader_;
  std::unique_ptr<ItchBooks> books_;
  std::vector<TickRecord> queue_;
  std::size_t head_ = 0, tail_ = 0;
  ItchWindow window_;
  bool in_window_ = false;
  bool done_ = false;
  std::uint64_t last_ts_ = 0;
  std::uint64_t last_out_ns_ = 0;
  std::uint64_t backwards_ = 0;  // timestamps earlier than the one before (paced as that one)
  std::vector<std::string> names_;
  std::string error_;
};

}  // namespace tickshm::feed
