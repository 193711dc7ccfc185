// The bridge's wire format: tick batches and quote-board snapshots as NATS message bodies.
//
//   batch message (tickshm.<feed>.ticks, tickshm.<feed>.sym.<SYMBOL>)
//   +----------------------------+-----------------+-----------------+-----
//   | WireBatchHeader (128 B)    | TickRecord 64 B | TickRecord 64 B | ... count records
//   +----------------------------+-----------------+-----------------+-----
//   snapshot message (tickshm.<feed>.snapshot)
//   +----------------------------+-----------------+-----------------+-----
//   | WireSnapshotHeader (128 B) | WireSymbol 128 B| WireSymbol 128 B| ... symbol_count entries
//   +----------------------------+-----------------+-----------------+-----
//
// Little-endian, no padding the compiler chooses: every byte is named. A record is the ring's
// TickRecord with word 0 holding the tick's upstream sequence number s (not the ring's word 2s+2).
// docs/LAYOUT.md ("The bridge's wire format") is the prose version; change both and bump kWireVersion.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "tickshm/layout.hpp"

namespace tickshm::bridge {

static_assert(std::endian::native == std::endian::little,
              "the wire format is the host's little-endian layout");

inline constexpr char kBatchMagic[8] = {'T', 'S', 'H', 'M', 'B', 'A', 'T', '\0'};
inline constexpr char kSnapshotMagic[8] = {'T', 'S', 'H', 'M', 'S', 'N', 'P', '\0'};
inline constexpr std::uint16_t kWireVersion = 1;
inline constexpr std::size_t kWireFeedLength = 64;
// The most records one batch may carry: bounds what a hostile count can make a receiver walk.
inline constexpr std::uint32_t kMaxBatchCount = 65'536;

// flags of a batch
inline constexpr std::uint16_t kBatchFlagSymbolStream = 1;  // a per-symbol subject's batch
inline constexpr std::uint16_t kBatchFlagHeartbeat = 2;     // count 0: "the stream is at first_seq"
// The sender was lapped by its feed just before this batch: the ticks between its previous batch and
// first_seq never come (a receiver waiting for resends need not wait for them). Receivers that do
// not know the bit lose nothing by ignoring it.
inline constexpr std::uint16_t kBatchFlagAfterLap = 4;

struct WireBatchHeader {
  char magic[8];                  // "TSHMBAT\0"
  std::uint16_t version;          // kWireVersion
  std::uint16_t header_size;      // 128
  std::uint16_t record_size;      // 64
  std::uint16_t flags;            // kBatchFlag*
  std::uint32_t count;            // records that follow, <= kMaxBatchCount
  std::uint32_t symbol;           // symbol stream: the upstream symbol index; else 0
  std::uint64_t epoch;            // the upstream data segment's epoch
  std::uint64_t first_seq;        // stream sequence of the first record (ticks: the feed's sequence)
  std::uint64_t send_unix_ns;     // CLOCK_REALTIME when the bridge sent it
  std::uint64_t upstream_cursor;  // the feed's write cursor when sent: how far the bridge trails it
  char feed[kWireFeedLength];     // upstream feed name, NUL-padded
  std::uint8_t reserved[8];       // zero
};

struct WireSnapshotHeader {
  char magic[8];                // "TSHMSNP\0"
  std::uint16_t version;        // kWireVersion
  std::uint16_t header_size;    // 128
  std::uint16_t entry_size;     // 128
  std::uint16_t flags;          // 0
  std::uint32_t symbol_count;   // entries that follow, 1..kMaxSymbols
  std::uint32_t reserved0;      // zero
  std::uint64_t epoch;          // the upstream data segment's epoch
  std::uint64_t next_seq;       // the ticks subject continues at this sequence
  std::uint64_t send_unix_ns;   // CLOCK_REALTIME when sent
  std::uint64_t ring_capacity;  // the upstream ring's capacity (a default for the local one)
  char feed[kWireFeedLength];   // upstream feed name, NUL-padded
  std::uint8_t reserved1[8];    // zero
};

struct WireSymbol {
  char name[kSymbolNameLength];   // NUL-padded, at least one NUL
  std::int64_t reference_price;   // price units
  std::uint32_t tick_size;        // price units
  std::uint32_t reserved0;        // zero
  std::uint64_t next_symbol_seq;  // this symbol's subject continues at this sequence
  std::int64_t last, bid, ask;    // the quote board record, as in QuoteRecord
  std::uint32_t bid_size, ask_size, last_size, reserved1;
  std::uint64_t volume;
  std::int64_t open, high, low;
  std::uint64_t tick_count, trade_count;
};

#define TICKSHM_ASSERT_WIRE_TYPE(T)                                  \
  static_assert(std::is_trivially_copyable_v<T>, #T " must be POD"); \
  static_assert(std::is_standard_layout_v<T>, #T " must be standard layout")

TICKSHM_ASSERT_WIRE_TYPE(WireBatchHeader);
static_assert(sizeof(WireBatchHeader) == 128);
static_assert(offsetof(WireBatchHeader, magic) == 0);
static_assert(offsetof(WireBatchHeader, version) == 8);
static_assert(offsetof(WireBatchHeader, header_size) == 10);
static_assert(offsetof(WireBatchHeader, record_size) == 12);
static_assert(offsetof(WireBatchHeader, flags) == 14);
static_assert(offsetof(WireBatchHeader, count) == 16);
static_assert(offsetof(WireBatchHeader, symbol) == 20);
static_assert(offsetof(WireBatchHeader, epoch) == 24);
static_assert(offsetof(WireBatchHeader, first_seq) == 32);
static_assert(offsetof(WireBatchHeader, send_unix_ns) == 40);
static_assert(offsetof(WireBatchHeader, upstream_cursor) == 48);
static_assert(offsetof(WireBatchHeader, feed) == 56);
static_assert(offsetof(WireBatchHeader, reserved) == 120);

TICKSHM_ASSERT_WIRE_TYPE(WireSnapshotHeader);
static_assert(sizeof(WireSnapshotHeader) == 128);
static_assert(offsetof(WireSnapshotHeader, magic) == 0);
static_assert(offsetof(WireSnapshotHeader, version) == 8);
static_assert(offsetof(WireSnapshotHeader, header_size) == 10);
static_assert(offsetof(WireSnapshotHeader, entry_size) == 12);
static_assert(offsetof(WireSnapshotHeader, flags) == 14);
static_assert(offsetof(WireSnapshotHeader, symbol_count) == 16);
static_assert(offsetof(WireSnapshotHeader, reserved0) == 20);
static_assert(offsetof(WireSnapshotHeader, epoch) == 24);
static_assert(offsetof(WireSnapshotHeader, next_seq) == 32);
static_assert(offsetof(WireSnapshotHeader, send_unix_ns) == 40);
static_assert(offsetof(WireSnapshotHeader, ring_capacity) == 48);
static_assert(offsetof(WireSnapshotHeader, feed) == 56);
static_assert(offsetof(WireSnapshotHeader, reserved1) == 120);

TICKSHM_ASSERT_WIRE_TYPE(WireSymbol);
static_assert(sizeof(WireSymbol) == 128);
static_assert(offsetof(WireSymbol, name) == 0);
static_assert(offsetof(WireSymbol, reference_price) == 16);
static_assert(offsetof(WireSymbol, tick_size) == 24);
static_assert(offsetof(WireSymbol, reserved0) == 28);
static_assert(offsetof(WireSymbol, next_symbol_seq) == 32);
static_assert(offsetof(WireSymbol, last) == 40);
static_assert(offsetof(WireSymbol, bid) == 48);
static_assert(offsetof(WireSymbol, ask) == 56);
static_assert(offsetof(WireSymbol, bid_size) == 64);
static_assert(offsetof(WireSymbol, ask_size) == 68);
static_assert(offsetof(WireSymbol, last_size) == 72);
static_assert(offsetof(WireSymbol, reserved1) == 76);
static_assert(offsetof(WireSymbol, volume) == 80);
static_assert(offsetof(WireSymbol, open) == 88);
static_assert(offsetof(WireSymbol, high) == 96);
static_assert(offsetof(WireSymbol, low) == 104);
static_assert(offsetof(WireSymbol, tick_count) == 112);
static_assert(offsetof(WireSymbol, trade_count) == 120);
static_assert(sizeof(TickRecord) == 64);

// Why a message was refused: each is counted and dropped, never written to a segment.
enum class WireError {
  kShort,     // fewer bytes than a header
  kMagic,     // not a tickshm batch / snapshot
  kVersion,   // another wire version
  kGeometry,  // header_size / record_size / entry_size not ours
  kCount,     // the count does not fit the message (or exceeds the bound)
  kFeed,      // another feed's name, or a name without its NUL
  kRecord,    // a record (or a snapshot entry) is malformed: symbol out of range, bad kind, bad name
  kEpoch,     // an epoch this receiver cannot place
};
inline constexpr std::size_t kWireErrorKinds = 8;
const char* wire_error_name(WireError e) noexcept;

struct BatchView {
  WireBatchHeader header;              // copied out (the message buffer has no alignment promise)
  const std::byte* records = nullptr;  // header.count records of 64 bytes, unaligned
  TickRecord record(std::uint32_t i) const noexcept;  // copied out
};

// Checks a batch message's header against its length and the expected feed name. Records are
// checked by check_batch_records once the receiver knows the symbol count.
struct DecodeResult {
  bool ok = false;
  WireError error = WireError::kShort;
  BatchView batch;
};
DecodeResult decode_batch(std::span<const std::byte> msg, std::string_view feed) noexcept;
// Every record's symbol < symbol_count and kind a TickKind; false at the first bad one.
bool check_batch_records(const BatchView& b, std::uint32_t symbol_count) noexcept;

struct Snapshot {
  WireSnapshotHeader header{};
  std::vector<WireSymbol> symbols;  // names checked: NUL-terminated, valid symbol characters
};
struct SnapshotResult {
  bool ok = false;
  WireError error = WireError::kShort;
  Snapshot snapshot;
};
SnapshotResult decode_snapshot(std::span<const std::byte> msg, std::string_view feed);

// Encoders (the out side). The batch buffer is reused: no allocation once it has grown.
void begin_batch(std::vector<std::byte>& buf, std::string_view feed, std::uint64_t epoch,
                 std::uint64_t first_seq, std::uint16_t flags, std::uint32_t symbol) noexcept;
// Appends one record (word 0 = its upstream sequence s). The buffer was reserved for the batch size.
void append_record(std::vector<std::byte>& buf, const TickRecord& tick) noexcept;
// Stamps count, send time and the upstream cursor into the header.
void finish_batch(std::vector<std::byte>& buf, std::uint64_t send_unix_ns,
                  std::uint64_t upstream_cursor) noexcept;
std::vector<std::byte> encode_snapshot(const WireSnapshotHeader& header, std::span<const WireSymbol> symbols);

void copy_feed_name(char (&dst)[kWireFeedLength], std::string_view feed) noexcept;

}  // namespace tickshm::bridge
