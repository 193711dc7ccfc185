// The dashboard's plain data: one Snapshot per frame, and the pure logic on it (no terminal, no shm).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tickshm/algo_status_layout.hpp"
#include "tickshm/feed_state.hpp"
#include "tickshm/format.hpp"
#include "tickshm/money.hpp"

namespace tickshm::dash {

// A price change is drawn bold for this long after it was seen.
inline constexpr std::uint64_t kFreshNs = 600'000'000ULL;

struct FeedInfo {
  std::string name;
  FeedState state = FeedState::kWaiting;
  std::string detail;  // why WAITING (the open error), empty otherwise
  std::uint64_t epoch = 0;
  std::int32_t writer_pid = 0;
  std::uint64_t published = 0;
  double ticks_per_sec = 0;
  std::uint64_t uptime_ns = 0;
  std::uint32_t symbol_count = 0;
  std::uint64_t ring_capacity = 0;
};

// One symbol's row. Prices are fixed point (kPriceScale units).
struct SymbolRow {
  std::string symbol;
  std::uint32_t index = 0;     // in the feed's directory
  std::int64_t reference = 0;  // previous close: what change is measured against
  std::int64_t last = 0;       // 0 before the first trade
  std::int64_t bid = 0, ask = 0;
  std::uint32_t bid_size = 0, ask_size = 0;
  std::uint64_t volume = 0, ticks = 0;
  std::int64_t open = 0, high = 0, low = 0;  // 0 before the first trade
  std::uint64_t trades = 0;
  std::uint32_t last_size = 0;
  bool fresh = false;               // the price changed within kFreshNs
  std::vector<std::int64_t> spark;  // recent mids, oldest first, one per Snapshot::spark_period_ns

  std::int64_t mid() const noexcept;
  // The price change and colour refer to: the last trade, or the mid before any trade.
  std::int64_t price() const noexcept;
  std::int64_t change() const noexcept;  // price() - reference; 0 without a price
  double change_pct() const noexcept;    // change / reference * 100; 0 without a reference
  std::int64_t spread() const noexcept;  // ask - bid; 0 without both sides
  bool has_price() const noexcept { return price() != 0; }
};

struct ReaderRow {
  std::uint32_t slot = 0;
  std::string name, role, wait;
  std::int32_t pid = 0;
  ReaderState state = ReaderState::kAlive;
  std::uint64_t lag = 0;  // ticks published but not yet read
  std::uint64_t received = 0, lost = 0;
  std::uint64_t p50_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;
  std::vector<std::uint64_t> lag_history;  // lag at each spark period, oldest first
};

struct AlgoRow {
  std::string name, strategy;
  std::int32_t pid = 0;
  bool alive = false;
  bool halted = false;               // the kill switch fired (drawdown or a burst of bad ticks)
  bool throttled = false;            // the order-rate limit refused an order within kThrottledNs
  std::uint64_t positions_held = 0;  // symbols with a position
  std::int64_t gross_shares = 0;     // sum of |position| over symbols
  std::int64_t realized = 0, unrealized = 0, total = 0;  // money units (kPriceScale)
  std::uint64_t orders = 0, fills = 0, rejects = 0;
  std::uint64_t bad_ticks = 0;   // refused as nonsense, plus failed --verify
  std::uint32_t halt_cause = 0;  // AlgoTotals::halt_cause: 0 none, 1 drawdown, 2 bad ticks
  // For the algo view: copied from the status segment as read (already bounded by the reader).
  std::string params;
  std::uint64_t ticks = 0, lost = 0;
  std::int64_t commissions = 0, max_drawdown = 0;
  std::uint64_t read_p50_ns = 0, read_p99_ns = 0, decide_p50_ns = 0, decide_p99_ns = 0;
  std::vector<PositionRecord> positions;
  std::vector<FillRecord> fills_log;  // oldest first
  AlgoRiskRecord risk{};
  std::vector<PnlSample> pnl;  // oldest first
};

// An algo is shown throttled this long after the order-rate limit last refused one of its orders.
inline constexpr std::uint64_t kThrottledNs = 2'000'000'000ULL;

// One tick of the symbol view's tape, copied from the ring.
struct TapeEntry {
  std::uint64_t seq = 0;
  std::uint64_t event_unix_ns = 0;
  bool trade = false;
  std::int64_t price = 0;  // trade price, or 0 for a quote
  std::uint32_t size = 0;
  std::int64_t bid = 0, ask = 0;
  std::uint32_t bid_size = 0, ask_size = 0;
};

// A tickshm-bridge on this segment (its status segment), shown in the header line.
struct BridgeRow {
  std::string direction, remote_feed;  // "in" / "out"
  bool alive = false, connected = false;
  std::uint64_t ticks = 0, lost = 0, gaps = 0, rejected = 0, reconnects = 0, lag_ns = 0;
};

struct Snapshot {
  FeedInfo feed;
  std::vector<BridgeRow> bridges;
  std::vector<SymbolRow> symbols;  // directory order
  std::vector<ReaderRow> readers;
  std::vector<AlgoRow> algos;
  std::uint64_t taken_ns = 0;  // CLOCK_MONOTONIC
  std::uint64_t taken_unix_ns = 0;
  std::uint64_t spark_period_ns = 500'000'000ULL;  // time between two points of spark and lag_history
  std::string tape_symbol;                         // whose ticks `tape` holds ("" = none asked)
  std::vector<TapeEntry> tape;                     // newest first
};

// ---- sorting and filtering -----------------------------------------------------------------------

enum class SortColumn { kSymbol, kLast, kChange, kChangePct, kBid, kAsk, kSpread, kVolume, kTicks };
inline constexpr std::size_t kSortColumnCount = 9;
const char* sort_column_name(SortColumn c) noexcept;  // "symbol", "last", "chg", ...
SortColumn next_sort_column(SortColumn c) noexcept;   // cycles, wraps to kSymbol

// Case-insensitive prefix match; an empty prefix matches everything.
bool matches_prefix(std::string_view symbol, std::string_view prefix) noexcept;
// Case-insensitive substring match (the filter); an empty text matches everything.
bool matches_filter(std::string_view symbol, std::string_view text) noexcept;

// Indices into rows whose symbol contains the filter text, sorted by the column (ties by symbol, so the order
// is stable from frame to frame). Ascending unless reverse.
std::vector<std::size_t> visible_rows(std::span<const SymbolRow> rows, SortColumn column, bool reverse,
                                      std::string_view prefix);

// ---- sparkline -----------------------------------------------------------------------------------

// Level 0..levels-1 of v between lo and hi; a flat series (lo == hi) sits in the middle.
int spark_level(std::int64_t v, std::int64_t lo, std::int64_t hi, int levels) noexcept;
// The last `width` points as a sparkline of exactly `width` cells (left-padded with spaces when there
// are fewer points). Unicode: the eight blocks U+2581..U+2588; ASCII: "_.-:=+*#". Zero points
// (no price yet) are skipped.
// min_range: the smallest price range the height stands for, so a wobble of a few cents on a large
// price stays a flat line (0: the points' own range, every wobble full height).
std::string sparkline(std::span<const std::int64_t> points, std::size_t width, bool unicode,
                      std::int64_t min_range = 0);
// The TREND scale: the height of a sparkline stands for at least this fraction of the price.
inline constexpr std::int64_t kSparkMinRangeBps = 20;
std::int64_t spark_min_range(std::int64_t price) noexcept;  // price x kSparkMinRangeBps / 10,000

// |v| that saturates instead of overflowing on INT64_MIN (status segments are another process's bytes).
std::int64_t abs_sat(std::int64_t v) noexcept;
// a + b, saturating at the int64 range.
std::int64_t add_sat(std::int64_t a, std::int64_t b) noexcept;

// ---- text cells ----------------------------------------------------------------------------------

// Display width of UTF-8 text (every code point we draw is one cell wide).
std::size_t display_width(std::string_view s) noexcept;
// Pads (or cuts) to exactly width cells; right-aligned pads on the left.
std::string fit(std::string_view s, std::size_t width, bool right_align = false);

}  // namespace tickshm::dash
