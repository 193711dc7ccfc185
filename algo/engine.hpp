// The trading core, fed one tick at a time: strategy stance -> risk check -> simulated fill -> books.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "book.hpp"
#include "risk.hpp"
#include "strategy.hpp"
#include "tickshm/algo_status_layout.hpp"
#include "tickshm/layout.hpp"

namespace tickshm::algo {

struct EngineConfig {
  std::int64_t order_size = 100;     // shares held in a position (the target is +/- this)
  std::uint32_t slippage_ticks = 0;  // fills this many of the symbol's ticks worse than the touch
  Money commission_per_share = 0;
  RiskLimits limits;
  std::vector<std::string> symbols;  // trade only these; empty = every symbol of the feed
};

// One entry of the feed's symbol directory, as the engine needs it.
struct SymbolInfo {
  std::string name;
  std::uint32_t tick_size = 1;  // price units
};

struct EngineCounters {
  std::uint64_t ticks = 0;    // ticks given to on_tick
  std::uint64_t skipped = 0;  // of those: symbol filtered out, out of range or without a price
  std::uint64_t signals = 0;  // stance changes the strategy asked for
  std::uint64_t orders = 0;   // orders sent (passed every risk check)
  std::uint64_t fills = 0;
  std::uint64_t rejects = 0;                             // orders refused by a risk limit
  std::array<std::uint64_t, kRejectKinds> rejects_by{};  // indexed by Reject
  std::uint64_t bad_ticks = 0;                           // of `ticks`: refused as nonsense (TickSanity)
  std::array<std::uint64_t, kBadTickKinds> bad_by{};     // indexed by BadTick
};

// Books live per symbol *name* and survive feed restarts; per-epoch state (index -> book, last
// quote, strategy history) is rebuilt by attach(). Everything the hot path touches is preallocated.
class Engine {
 public:
  Engine(EngineConfig config, std::unique_ptr<Strategy> strategy);

  // A new feed epoch with this directory. Allocates; resets the strategy. Returns the names of the
  // --symbols filter that this directory does not have (to warn about).
  std::vector<std::string> attach(const std::vector<SymbolInfo>& directory);

  // One tick read from the ring (seq: its sequence number). now_ns (CLOCK_MONOTONIC) drives the
  // order-rate limit. Hot path: no allocation, no system call, no log.
  // A tick that fails a plausibility check (tick_sanity.hpp) is counted and not traded; a burst of them
  // fires the kill switch (take_halt_event).
  void on_tick(const TickRecord& t, std::uint64_t seq, std::uint64_t now_ns) noexcept;

  // n ticks failed their checksum (the subscriber never hands them out): they count towards the
  // bad-tick burst.
  void on_unverified(std::uint64_t n, std::uint64_t now_ns) noexcept {
    if (n != 0 && risk_.observe_bad_ticks(now_ns, n)) halt_event_ = true;
  }
  const BadTickRecord& last_bad_tick() const noexcept { return last_bad_; }

  // True once after the kill switch fired (drawdown or bad ticks: risk().halt_cause(); the caller logs
  // it, off the hot path).
  bool take_halt_event() noexcept {
    const bool e = halt_event_;
    halt_event_ = false;
    return e;
  }

  const EngineCounters& counters() const noexcept { return counters_; }
  const RiskGate& risk() const noexcept { return risk_; }
  bool halted() const noexcept { return risk_.halted(); }
  Money realized() const noexcept { return realized_; }
  Money unrealized() const noexcept { return unrealized_; }
  Money total_pnl() const noexcept { return realized_ + unrealized_; }
  Money commissions() const noexcept { return commissions_; }
  Money gross_exposure() const noexcept { return gross_; }
  Money net_exposure() const noexcept { return net_; }

  struct BookEntry {
    std::string name;
    Book book;
    std::int64_t target = 0;  // the position the last acted-on signal asked for
    std::uint32_t orders = 0, fills = 0;
    // This book's share of the totals as last added, so a change updates totals in O(1).
    Money unrealized = 0, gross = 0, net = 0;
  };
  const std::vector<BookEntry>& books() const noexcept { return books_; }
  const BookEntry* find_book(const std::string& name) const;

  // The newest fills, oldest first, at most kAlgoFillCapacity, into out (cleared; no allocation once
  // out has that capacity).
  void recent_fills(std::vector<FillRecord>& out) const;

  // Fills the status-segment body (all but the latency and feed fields, which the caller owns).
  void fill_status(AlgoTotals& totals, std::vector<PositionRecord>& positions) const;

 private:
  void mark(std::uint32_t book, std::int64_t mark) noexcept;
  void refresh_totals(BookEntry& e) noexcept;
  void act(std::uint32_t index, std::uint32_t book, Signal s, const TickRecord& t, std::uint64_t seq,
           std::uint64_t now_ns) noexcept;

  static constexpr std::uint32_t kNoBook = UINT32_MAX;

  EngineConfig config_;
  std::unique_ptr<Strategy> strategy_;
  RiskGate risk_;
  TickSanity sanity_;
  BadTickRecord last_bad_;
  std::vector<BookEntry> books_;
  // Per epoch, indexed by the feed's symbol index.
  std::vector<std::uint32_t> book_of_;
  std::vector<std::uint32_t> tick_size_;
  std::vector<std::int64_t> bid_, ask_;
  Money realized_ = 0, unrealized_ = 0, commissions_ = 0, gross_ = 0, net_ = 0;
  EngineCounters counters_;
  std::array<FillRecord, kAlgoFillCapacity> fills_{};  // ring, fill_id % capacity
  bool halt_event_ = false;
};

}  // namespace tickshm::algo
