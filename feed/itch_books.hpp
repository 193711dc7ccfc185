// ITCH 5.0 messages applied to per-stock order books: the ticks they produce (a quote when an event
// touches a book's best level, a trade for every printable execution) and the counts of what could
// not be applied. No I/O and no allocation per message; the replay source and the fuzzer drive it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "order_book.hpp"
#include "order_map.hpp"
#include "tickshm/layout.hpp"

namespace tickshm::feed {

// A stock the replay publishes: its ITCH stock locate and the tickshm symbol it becomes.
struct ItchStock {
  std::string name;
  std::uint16_t locate = 0;
  std::int64_t reference_price = 0;  // the first price the file shows for it (price units)
  std::uint32_t tick_size = 100;     // 1 when the file has sub-penny prices for it
};

struct ItchCounts {
  std::array<std::uint64_t, 256> messages{};       // applied, by type
  std::array<std::uint64_t, 256> unknown_order{};  // E C X D U naming no live order (file began later)
  std::uint64_t duplicate_adds = 0;                // A/F (or U's new ref) reusing a live reference
  std::uint64_t bad_side = 0;                      // A/F whose side is neither 'B' nor 'S'
  std::uint64_t unknown_stock = 0;                 // a locate no R message named
  std::uint64_t filtered = 0;                      // messages of stocks --symbols left out
  std::uint64_t quotes = 0, trades = 0;            // ticks produced
  std::uint64_t crossed_ticks = 0;                 // ticks published with bid >= ask
  std::uint64_t non_printable = 0;                 // C executions marked not printable (no trade tick)
  std::uint64_t broken_trades = 0;                 // B messages (ticks already published stand)
  std::uint64_t empty_crosses = 0;                 // Q with zero shares (no trade tick)
};

class ItchBooks {
 public:
  static constexpr std::uint32_t kNoBook = ~std::uint32_t{0};
  static constexpr std::uint32_t kMaxTicksPerMessage = 2;  // the previous event's quote, then a trade

  // stocks: the selected stocks, tick symbol = index; known_locates: every locate the directory
  // names (the others count as unknown_stock). expected_live: the file's estimate of live orders.
  ItchBooks(const std::vector<ItchStock>& stocks, const std::vector<std::uint16_t>& known_locates,
            std::uint64_t expected_live);

  // Applies one framed message (type byte first, length checked by the reader). Writes the ticks it
  // produces to out (room for kMaxTicksPerMessage) and returns how many.
  std::uint32_t apply(const std::uint8_t* m, TickRecord* out);
  // The quote of the last event, if it is still pending (at the end of the input).
  std::uint32_t flush(TickRecord* out);

  // While false (before --from), messages change the books but produce no ticks.
  void set_publishing(bool on) noexcept { publishing_ = on; }
  // Quotes of every non-empty book (the window's opening state, after --from): out has book_count().
  std::uint32_t snapshot(std::uint64_t event_ns, TickRecord* out);

  // S and H messages (rare) go here for logging.
  std::function<void(const std::uint8_t*)> on_event;

  const ItchCounts& counts() const noexcept { return counts_; }
  std::uint32_t book_count() const noexcept { return static_cast<std::uint32_t>(books_.size()); }
  const OrderBook& book(std::uint32_t i) const { return books_[i]; }
  const OrderMap& orders() const noexcept { return orders_; }

 private:
  static constexpr std::uint32_t kUnknown = kNoBook - 1;  // by_locate_: not in the directory

  // The book a message's locate selects, counting the messages that have none.
  std::uint32_t select(std::uint16_t locate) noexcept;
  void touch(std::uint32_t book, std::uint16_t locate, std::uint64_t ts) noexcept;
  void fill(std::uint32_t book, std::uint64_t ts, TickKind kind, TickRecord& r) noexcept;
  std::uint32_t quote(std::uint32_t book, std::uint64_t ts, TickRecord* out) noexcept;
  std::uint32_t trade(std::uint32_t book, std::uint64_t ts, std::uint32_t price, std::uint64_t shares,
                      TickRecord* out) noexcept;
  // Takes shares off a live order (execution or cancel); erases it at zero.
  void reduce(LiveOrder* o, std::uint64_t shares, std::uint16_t locate, std::uint64_t ts) noexcept;

  std::vector<OrderBook> books_;
  std::vector<std::uint32_t> by_locate_;  // locate -> book, kNoBook (filtered out) or kUnknown
  OrderMap orders_;
  ItchCounts counts_;
  bool publishing_ = true;
  // The event (stock, timestamp) whose messages touched a best level: its quote goes out when the
  // next message belongs to another event, so one event's several messages make one quote.
  std::uint32_t pending_book_ = kNoBook;
  std::uint16_t pending_locate_ = 0;
  std::uint64_t pending_ts_ = 0;
};

}  // namespace tickshm::feed
