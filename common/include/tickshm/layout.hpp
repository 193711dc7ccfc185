// The data segment /tickshm.NAME, byte by byte: header, symbol directory, quote board, tick ring.
//
//   offset 0                 4096                  quote_board_offset       ring_offset          total_size
//   +------------------------+---------------------+------------------------+--------------------+
//   | DataHeader (4 KiB)     | SymbolEntry x cap   | QuoteRecord x cap      | TickRecord x ring  |
//   |  identity, geometry,   |  32 B each          |  128 B each, seqlocked |  64 B each, one    |
//   |  epoch, state,         |  written once       |  latest state per      |  cache line, slot  |
//   |  heartbeat (own line), |  before "live"      |  symbol                |  = seq & (cap-1)   |
//   |  write cursor (own)    |                     |                        |                    |
//   +------------------------+---------------------+------------------------+--------------------+
//   (quote_board_offset and ring_offset are page aligned)
//
// The one rule: storing a slot's final sequence word (2s+2, release) publishes tick s.
// docs/LAYOUT.md is the prose version of this file; change both together and bump kLayoutVersion.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace tickshm {

inline constexpr char kDataMagic[8] = {'T', 'I', 'C', 'K', 'S', 'H', 'M', '\0'};
inline constexpr std::uint32_t kLayoutVersion = 1;
inline constexpr std::size_t kCacheLine = 64;
inline constexpr std::size_t kFalseSharingRange = 128;  // adjacent-line prefetch pairs two lines
inline constexpr std::size_t kPageSize = 4096;

// Prices are fixed point: 1 unit = 1/10,000 of a currency unit (as NASDAQ ITCH).
inline constexpr std::int64_t kPriceScale = 10'000;

inline constexpr std::uint64_t kMinRingCapacity = 2;
inline constexpr std::uint64_t kMaxRingCapacity = 1ULL << 26;  // 4 GiB of ticks
inline constexpr std::uint32_t kMaxSymbols = 65'536;
inline constexpr std::size_t kSymbolNameLength = 16;

enum class SegmentState : std::uint32_t { kCreating = 0, kLive = 1, kClosed = 2 };

enum class TickKind : std::uint8_t { kQuote = 1, kTrade = 2 };

inline constexpr std::uint8_t kTickFlagChecksum = 1;   // checksum field is valid (feed --verify)
inline constexpr std::uint32_t kHeaderFlagVerify = 1;  // every tick carries a checksum

struct DataHeader {
  // Identity and geometry: written once while state == kCreating, read-only afterwards.
  char magic[8];                    // "TICKSHM\0"
  std::uint32_t layout_version;     // kLayoutVersion
  std::uint32_t header_size;        // sizeof(DataHeader)
  std::uint64_t total_size;         // bytes of the whole segment
  std::uint32_t tick_size;          // sizeof(TickRecord)
  std::uint32_t quote_size;         // sizeof(QuoteRecord)
  std::uint32_t symbol_entry_size;  // sizeof(SymbolEntry)
  std::uint32_t symbol_capacity;    // entries in the directory and the quote board
  std::uint32_t symbol_count;       // entries in use, <= symbol_capacity
  std::uint32_t flags;              // kHeaderFlagVerify
  std::uint64_t ring_capacity;      // power of two
  std::uint64_t symbol_dir_offset;  // == header_size
  std::uint64_t quote_board_offset;
  std::uint64_t ring_offset;
  std::uint64_t epoch;            // random, new for every segment a feed creates
  std::uint64_t created_unix_ns;  // CLOCK_REALTIME at creation
  std::int32_t writer_pid;
  std::uint32_t price_scale;        // kPriceScale
  std::uint64_t writer_start_time;  // /proc/PID/stat start time: tells a reused pid apart
  std::uint32_t state;              // SegmentState; atomic
  std::uint8_t pad0[kFalseSharingRange - 116];
  // Writer heartbeat, CLOCK_MONOTONIC ns, refreshed at least every 100 ms, also while idle; atomic.
  std::uint64_t heartbeat_ns;
  std::uint8_t pad1[kFalseSharingRange - 8];
  // Ticks published so far; alone on its lines because every reader's wait loop polls it; atomic.
  std::uint64_t write_cursor;
  std::uint8_t pad2[kPageSize - 2 * kFalseSharingRange - 8];
};

struct SymbolEntry {
  char name[kSymbolNameLength];  // NUL-padded, at least one NUL
  std::int64_t reference_price;  // price units: the previous close the simulator starts from
  std::uint32_t tick_size;       // price units, smallest price increment (100 = $0.01)
  std::uint32_t reserved;
};

// Latest state of one symbol, seqlocked: seq odd while the writer updates it.
struct alignas(kFalseSharingRange) QuoteRecord {
  std::uint64_t seq;
  std::int64_t last;  // last trade price (0 before the first trade)
  std::int64_t bid;
  std::int64_t ask;
  std::uint32_t bid_size;
  std::uint32_t ask_size;
  std::uint32_t last_size;
  std::uint32_t reserved0;
  std::uint64_t volume;  // shares traded
  std::int64_t open;     // first trade price (0 before the first trade)
  std::int64_t high;
  std::int64_t low;
  std::uint64_t tick_count;
  std::uint64_t update_ns;  // publish time of the last tick, CLOCK_MONOTONIC
  std::uint64_t trade_count;
  std::uint8_t reserved1[kFalseSharingRange - 104];
};

// One tick, one cache line. Word 0 is the slot's sequence word: 2s+1 while tick s is written,
// 2s+2 once it is published; 0 for a slot never written. Words 1..7 are the payload.
struct alignas(kCacheLine) TickRecord {
  std::uint64_t seq;         // sequence word (see above)
  std::uint64_t publish_ns;  // CLOCK_MONOTONIC when published: the latency reference
  std::uint64_t event_ns;    // CLOCK_REALTIME of the market event (replay: the CSV timestamp)
  std::uint32_t symbol;      // index into the symbol directory
  std::uint8_t kind;         // TickKind
  std::uint8_t flags;        // kTickFlagChecksum
  std::uint16_t reserved0;
  std::uint32_t bid;  // price units
  std::uint32_t ask;
  std::uint32_t price;  // trade price (kTrade) or 0
  std::uint32_t size;   // trade size (kTrade) or 0
  std::uint32_t bid_size;
  std::uint32_t ask_size;
  std::uint32_t checksum;  // tick_checksum() when flags has kTickFlagChecksum
  std::uint32_t reserved1;
};

inline constexpr std::uint32_t kMaxTickPrice = 0xFFFF'FFFFu;  // 429,496.7295 in currency units

#define TICKSHM_ASSERT_SHM_TYPE(T)                                   \
  static_assert(std::is_trivially_copyable_v<T>, #T " must be POD"); \
  static_assert(std::is_standard_layout_v<T>, #T " must be standard layout")

TICKSHM_ASSERT_SHM_TYPE(DataHeader);
static_assert(sizeof(DataHeader) == kPageSize);
static_assert(alignof(DataHeader) == 8);
static_assert(offsetof(DataHeader, magic) == 0);
static_assert(offsetof(DataHeader, layout_version) == 8);
static_assert(offsetof(DataHeader, header_size) == 12);
static_assert(offsetof(DataHeader, total_size) == 16);
static_assert(offsetof(DataHeader, tick_size) == 24);
static_assert(offsetof(DataHeader, quote_size) == 28);
static_assert(offsetof(DataHeader, symbol_entry_size) == 32);
static_assert(offsetof(DataHeader, symbol_capacity) == 36);
static_assert(offsetof(DataHeader, symbol_count) == 40);
static_assert(offsetof(DataHeader, flags) == 44);
static_assert(offsetof(DataHeader, ring_capacity) == 48);
static_assert(offsetof(DataHeader, symbol_dir_offset) == 56);
static_assert(offsetof(DataHeader, quote_board_offset) == 64);
static_assert(offsetof(DataHeader, ring_offset) == 72);
static_assert(offsetof(DataHeader, epoch) == 80);
static_assert(offsetof(DataHeader, created_unix_ns) == 88);
static_assert(offsetof(DataHeader, writer_pid) == 96);
static_assert(offsetof(DataHeader, price_scale) == 100);
static_assert(offsetof(DataHeader, writer_start_time) == 104);
static_assert(offsetof(DataHeader, state) == 112);
static_assert(offsetof(DataHeader, heartbeat_ns) == 128);
static_assert(offsetof(DataHeader, write_cursor) == 256);

TICKSHM_ASSERT_SHM_TYPE(SymbolEntry);
static_assert(sizeof(SymbolEntry) == 32);
static_assert(offsetof(SymbolEntry, name) == 0);
static_assert(offsetof(SymbolEntry, reference_price) == 16);
static_assert(offsetof(SymbolEntry, tick_size) == 24);
static_assert(offsetof(SymbolEntry, reserved) == 28);

TICKSHM_ASSERT_SHM_TYPE(QuoteRecord);
static_assert(sizeof(QuoteRecord) == 128);
static_assert(alignof(QuoteRecord) == 128);
static_assert(offsetof(QuoteRecord, seq) == 0);
static_assert(offsetof(QuoteRecord, last) == 8);
static_assert(offsetof(QuoteRecord, bid) == 16);
static_assert(offsetof(QuoteRecord, ask) == 24);
static_assert(offsetof(QuoteRecord, bid_size) == 32);
static_assert(offsetof(QuoteRecord, ask_size) == 36);
static_assert(offsetof(QuoteRecord, last_size) == 40);
static_assert(offsetof(QuoteRecord, volume) == 48);
static_assert(offsetof(QuoteRecord, open) == 56);
static_assert(offsetof(QuoteRecord, high) == 64);
static_assert(offsetof(QuoteRecord, low) == 72);
static_assert(offsetof(QuoteRecord, tick_count) == 80);
static_assert(offsetof(QuoteRecord, update_ns) == 88);
static_assert(offsetof(QuoteRecord, trade_count) == 96);

TICKSHM_ASSERT_SHM_TYPE(TickRecord);
static_assert(sizeof(TickRecord) == 64);
static_assert(alignof(TickRecord) == 64);
static_assert(offsetof(TickRecord, seq) == 0);
static_assert(offsetof(TickRecord, publish_ns) == 8);
static_assert(offsetof(TickRecord, event_ns) == 16);
static_assert(offsetof(TickRecord, symbol) == 24);
static_assert(offsetof(TickRecord, kind) == 28);
static_assert(offsetof(TickRecord, flags) == 29);
static_assert(offsetof(TickRecord, bid) == 32);
static_assert(offsetof(TickRecord, ask) == 36);
static_assert(offsetof(TickRecord, price) == 40);
static_assert(offsetof(TickRecord, size) == 44);
static_assert(offsetof(TickRecord, bid_size) == 48);
static_assert(offsetof(TickRecord, ask_size) == 52);
static_assert(offsetof(TickRecord, checksum) == 56);
static_assert(offsetof(TickRecord, reserved1) == 60);

static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic_ref<std::uint32_t>::is_always_lock_free);
static_assert(std::atomic_ref<std::uint64_t>::required_alignment <= alignof(std::uint64_t));

// Sequence-word encoding of the ring (see TickRecord).
constexpr std::uint64_t seq_writing(std::uint64_t s) noexcept {
  return 2 * s + 1;
}
constexpr std::uint64_t seq_published(std::uint64_t s) noexcept {
  return 2 * s + 2;
}

// Offsets and size of a data segment with these capacities.
struct DataGeometry {
  std::uint64_t ring_capacity;
  std::uint32_t symbol_capacity;
  std::uint64_t symbol_dir_offset;
  std::uint64_t quote_board_offset;
  std::uint64_t ring_offset;
  std::uint64_t total_size;
};

constexpr std::uint64_t align_up(std::uint64_t v, std::uint64_t a) noexcept {
  return (v + a - 1) / a * a;
}

constexpr DataGeometry data_geometry(std::uint64_t ring_capacity, std::uint32_t symbol_capacity) noexcept {
  DataGeometry g{};
  g.ring_capacity = ring_capacity;
  g.symbol_capacity = symbol_capacity;
  g.symbol_dir_offset = sizeof(DataHeader);
  g.quote_board_offset =
      align_up(g.symbol_dir_offset + std::uint64_t{symbol_capacity} * sizeof(SymbolEntry), kPageSize);
  g.ring_offset =
      align_up(g.quote_board_offset + std::uint64_t{symbol_capacity} * sizeof(QuoteRecord), kPageSize);
  g.total_size = g.ring_offset + ring_capacity * sizeof(TickRecord);
  return g;
}

constexpr bool is_power_of_two(std::uint64_t v) noexcept {
  return v != 0 && (v & (v - 1)) == 0;
}

// Verify-mode checksum over tick s's payload (everything but the sequence word and checksum field).
std::uint32_t tick_checksum(std::uint64_t s, const TickRecord& t) noexcept;
// The same over the record's 8 words as the writer composes them (words[1..6] are read).
std::uint32_t tick_checksum_words(std::uint64_t s, const std::uint64_t* words) noexcept;

}  // namespace tickshm
