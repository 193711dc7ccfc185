// Writes published ticks as a valid NASDAQ TotalView-ITCH 5.0 file: system events and the stock
// directory first, each quote as order adds/replaces that move the top of book, each trade as a
// non-cross trade (P). Any ITCH tool can read a tickshm session; tickshm --itch replays it exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tickshm/layout.hpp"
#include "tickshm/result.hpp"

namespace tickshm::feed {

class ItchRecorder {
 public:
  // symbol_names: the feed's symbols by index (at most 8 characters each, ITCH's stock field);
  // path ending in .gz: gzip-compressed.
  [[nodiscard]] static Result<ItchRecorder> open(const std::string& path,
                                                 std::vector<std::string> symbol_names);

  ItchRecorder(ItchRecorder&&) noexcept;
  ItchRecorder& operator=(ItchRecorder&&) noexcept;
  ItchRecorder(const ItchRecorder&) = delete;
  ItchRecorder& operator=(const ItchRecorder&) = delete;
  ~ItchRecorder();

  void write(const TickRecord& t);
  [[nodiscard]] Status close();  // end-of-day system events, flush; reports a write error
  std::uint64_t messages() const noexcept { return messages_; }

 private:
  // The one resting order that stands for one side of a symbol's quote.
  struct Side {
    std::uint64_t ref = 0;  // 0: no order yet
    std::uint32_t price = 0;
    std::uint32_t shares = 0;
  };
  struct Symbol {
    Side bid, ask;
  };

  ItchRecorder() = default;
  std::uint8_t* message(std::uint8_t type, std::uint16_t locate, std::uint64_t ts);  // header filled
  void system_event(std::uint8_t code, std::uint64_t ts);
  void start(std::uint64_t ts);  // S and R messages, before the first tick
  // Moves one side to (price, shares): add, replace, or (force) replace with the same values.
  void move_side(Side& s, bool bid, std::uint16_t locate, std::uint64_t ts, std::uint32_t price,
                 std::uint32_t shares, bool force);
  std::uint64_t timestamp_of(std::uint64_t event_ns) noexcept;
  void flush();

  void* gz_ = nullptr;  // gzFile
  std::string path_;
  std::vector<std::string> names_;
  std::vector<Symbol> symbols_;
  std::vector<std::uint8_t> buf_;
  std::size_t used_ = 0;
  bool started_ = false;
  bool failed_ = false;
  std::uint64_t midnight_ns_ = 0;
  std::uint64_t last_ts_ = 0;
  std::uint64_t next_ref_ = 1;
  std::uint64_t next_match_ = 1;
  std::uint64_t messages_ = 0;
  std::uint64_t beyond_ = 0;  // ticks past the timestamp field's end, not recorded
};

}  // namespace tickshm::feed
