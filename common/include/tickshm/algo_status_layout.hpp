// An algo's status segment /tickshm.FEED.algo.ID: written by that algo, read by the dashboard and stat.
//
//   offset 0              512              768                    F = 768 + 64 * cap
//   +---------------------+----------------+----------------------+-----------------------+
//   | AlgoStatusHeader    | AlgoTotals     | PositionRecord x cap | FillRecord x 64       |
//   |  identity, params,  |  counters, P&L | one per symbol traded| last 64 fills, ring   |
//   |  body seq (own line)|  latency       | (positions_used used)| index = fill_id % 64  |
//   +---------------------+----------------+----------------------+-----------------------+
//   F + 8192             F + 8448
//   +--------------------+----------------------------------------+
//   | AlgoRiskRecord     | PnlSample x 256                        |
//   |  limits and use,   |  total P&L and position over time,     |
//   |  rejects by reason |  ring, index = sample_id % 256         |
//   +--------------------+----------------------------------------+
//   '--- header written once; the body (all after it): one seqlock, header.body_seq ---'
//
// The rings' indices come from another process: a reader bounds every index by the capacity and
// keeps only entries whose id is within the capacity of the newest (older ids are stale slots).
//
// Money is integer: 1 unit = 1/10,000 of a currency unit, as prices (kPriceScale).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tickshm/layout.hpp"

namespace tickshm {

inline constexpr char kAlgoMagic[8] = {'T', 'I', 'C', 'K', 'A', 'L', 'G', 'O'};
inline constexpr std::uint32_t kAlgoLayoutVersion = 2;
inline constexpr std::uint32_t kAlgoFillCapacity = 64;
inline constexpr std::uint32_t kAlgoMaxPositions = 4096;
inline constexpr std::uint32_t kAlgoPnlCapacity = 256;
inline constexpr std::uint32_t kAlgoRejectKinds = 8;  // AlgoRiskRecord::rejects_by entries
inline constexpr std::size_t kFillReasonLength = 32;

struct AlgoStatusHeader {
  char magic[8];                 // "TICKALGO" (no NUL)
  std::uint32_t layout_version;  // kAlgoLayoutVersion
  std::uint32_t header_size;     // sizeof(AlgoStatusHeader)
  std::uint64_t total_size;
  std::uint32_t position_capacity;
  std::uint32_t position_size;  // sizeof(PositionRecord)
  std::uint32_t fill_capacity;  // kAlgoFillCapacity
  std::uint32_t fill_size;      // sizeof(FillRecord)
  std::int32_t pid;
  std::uint32_t state;       // SegmentState; atomic
  std::uint64_t start_time;  // /proc start time of pid
  std::uint64_t created_unix_ns;
  char name[32];      // the algo's ID, NUL-padded
  char strategy[32];  // "sma-cross", ...
  char params[128];   // human-readable parameters, "fast=10 slow=30"
  char feed[80];      // the feed segment name it reads
  std::uint8_t pad0[384 - 336];
  std::uint64_t body_seq;  // seqlock over everything after the header; atomic
  std::uint8_t pad1[128 - 8];
};

struct AlgoTotals {
  std::uint64_t ticks;  // ticks received
  std::uint64_t lost;   // ticks lost (lapped)
  std::uint64_t orders;
  std::uint64_t fills;    // also the id of the newest fill
  std::uint64_t rejects;  // orders refused by a risk limit
  std::uint64_t halted;   // 1 once the kill switch fired (halt_cause says which)
  std::int64_t realized;
  std::int64_t unrealized;  // marked to mid
  std::int64_t total_pnl;   // realized + unrealized (commissions already taken out of realized)
  std::int64_t commissions;
  std::int64_t gross_exposure;   // sum |position * mid|
  std::int64_t net_exposure;     // sum position * mid
  std::uint64_t positions_held;  // symbols with a non-zero position
  std::uint64_t feed_epoch;      // epoch of the data segment being read
  std::uint64_t updated_ns;      // CLOCK_MONOTONIC of this update
  std::uint64_t read_p50_ns;     // publish -> read
  std::uint64_t read_p99_ns;
  std::uint64_t read_p999_ns;
  std::uint64_t read_max_ns;
  std::uint64_t decide_p50_ns;  // publish -> decision
  std::uint64_t decide_p99_ns;
  std::uint64_t decide_p999_ns;
  std::uint64_t decide_max_ns;
  std::int64_t max_drawdown;     // largest fall of total P&L from its peak, >= 0
  std::uint64_t positions_used;  // PositionRecords in use
  std::uint64_t verify_errors;   // ticks that failed their checksum (algo --verify)
  // Ticks the algo refused to trade on as nonsense (algo/tick_sanity.hpp), in all and by kind. These
  // came out of the reserved space: a writer that predates them leaves them zero.
  std::uint64_t bad_ticks;
  std::uint32_t bad_zero_price;
  std::uint32_t bad_crossed;
  std::uint32_t bad_wide_spread;
  std::uint32_t bad_jump;
  std::uint32_t bad_malformed;
  std::uint32_t halt_cause;  // why `halted`: 0 none, 1 drawdown, 2 a burst of bad ticks
  std::uint8_t reserved[256 - 240];
};

struct PositionRecord {
  char symbol[16];        // NUL-padded
  std::int64_t position;  // shares, negative when short
  std::int64_t avg_cost;  // price units per share of the open position
  std::int64_t realized;
  std::int64_t unrealized;
  std::int64_t mark;  // mid used for unrealized
  std::uint32_t orders;
  std::uint32_t fills;
};

struct FillRecord {
  std::uint64_t fill_id;  // 1-based; 0 = empty entry
  std::uint64_t time_unix_ns;
  std::uint32_t symbol_index;      // in the feed's directory at the time of the fill
  std::int32_t side;               // +1 buy, -1 sell
  std::int64_t quantity;           // shares, > 0
  std::int64_t price;              // price units
  std::int64_t commission;         // money units
  std::int64_t realized;           // P&L this fill realized (money units)
  std::uint64_t tick_seq;          // the tick the decision was made on
  char symbol[16];                 // NUL-padded: the directory may change under a later epoch
  std::int64_t position_after;     // the symbol's position once filled (shares)
  std::int64_t pnl_after;          // the algo's total P&L once filled (money units)
  char reason[kFillReasonLength];  // why the strategy asked, NUL-padded ("long: sma10>sma30 by 0.0123")
};

// Risk state: the limits (0 = off), how much of them is in use, and the refused orders by reason.
struct AlgoRiskRecord {
  std::uint64_t rejects_by[kAlgoRejectKinds];  // index: the algo's reject reason (0 unused, see LAYOUT)
  std::int64_t order_size;                     // shares per position
  std::int64_t max_position;
  std::int64_t max_gross_notional;
  std::uint64_t max_orders_per_sec;
  std::int64_t max_drawdown;
  std::int64_t drawdown;              // current fall of total P&L from its peak (money, >= 0)
  std::int64_t peak_pnl;              // the peak it is measured from
  std::uint64_t orders_last_sec;      // orders sent in the last second
  std::uint64_t last_rate_reject_ns;  // CLOCK_MONOTONIC of the newest order-rate refusal; 0 never
  std::int64_t gross_shares;          // sum |position| over symbols
  std::int64_t largest_position;      // max |position| over symbols
  std::uint64_t pnl_samples;          // samples taken: also the id of the newest PnlSample
  std::uint64_t pnl_interval_ns;      // time between two samples
  std::uint8_t reserved[256 - 168];
};

// One point of the P&L curve, taken every pnl_interval_ns.
struct PnlSample {
  std::uint64_t sample_id;  // 1-based; 0 = empty entry
  std::uint64_t time_unix_ns;
  std::int64_t total_pnl;     // money units
  std::int64_t realized;      // money units
  std::int64_t gross_shares;  // sum |position|
  std::int64_t net_shares;    // sum position
  std::uint64_t orders;
  std::uint64_t fills;
};

TICKSHM_ASSERT_SHM_TYPE(AlgoStatusHeader);
static_assert(sizeof(AlgoStatusHeader) == 512);
static_assert(offsetof(AlgoStatusHeader, magic) == 0);
static_assert(offsetof(AlgoStatusHeader, layout_version) == 8);
static_assert(offsetof(AlgoStatusHeader, header_size) == 12);
static_assert(offsetof(AlgoStatusHeader, total_size) == 16);
static_assert(offsetof(AlgoStatusHeader, position_capacity) == 24);
static_assert(offsetof(AlgoStatusHeader, position_size) == 28);
static_assert(offsetof(AlgoStatusHeader, fill_capacity) == 32);
static_assert(offsetof(AlgoStatusHeader, fill_size) == 36);
static_assert(offsetof(AlgoStatusHeader, pid) == 40);
static_assert(offsetof(AlgoStatusHeader, state) == 44);
static_assert(offsetof(AlgoStatusHeader, start_time) == 48);
static_assert(offsetof(AlgoStatusHeader, created_unix_ns) == 56);
static_assert(offsetof(AlgoStatusHeader, name) == 64);
static_assert(offsetof(AlgoStatusHeader, strategy) == 96);
static_assert(offsetof(AlgoStatusHeader, params) == 128);
static_assert(offsetof(AlgoStatusHeader, feed) == 256);
static_assert(offsetof(AlgoStatusHeader, body_seq) == 384);

TICKSHM_ASSERT_SHM_TYPE(AlgoTotals);
static_assert(sizeof(AlgoTotals) == 256);
static_assert(offsetof(AlgoTotals, ticks) == 0);
static_assert(offsetof(AlgoTotals, lost) == 8);
static_assert(offsetof(AlgoTotals, orders) == 16);
static_assert(offsetof(AlgoTotals, fills) == 24);
static_assert(offsetof(AlgoTotals, rejects) == 32);
static_assert(offsetof(AlgoTotals, halted) == 40);
static_assert(offsetof(AlgoTotals, realized) == 48);
static_assert(offsetof(AlgoTotals, unrealized) == 56);
static_assert(offsetof(AlgoTotals, total_pnl) == 64);
static_assert(offsetof(AlgoTotals, commissions) == 72);
static_assert(offsetof(AlgoTotals, gross_exposure) == 80);
static_assert(offsetof(AlgoTotals, net_exposure) == 88);
static_assert(offsetof(AlgoTotals, positions_held) == 96);
static_assert(offsetof(AlgoTotals, feed_epoch) == 104);
static_assert(offsetof(AlgoTotals, updated_ns) == 112);
static_assert(offsetof(AlgoTotals, read_p50_ns) == 120);
static_assert(offsetof(AlgoTotals, read_p99_ns) == 128);
static_assert(offsetof(AlgoTotals, read_p999_ns) == 136);
static_assert(offsetof(AlgoTotals, read_max_ns) == 144);
static_assert(offsetof(AlgoTotals, decide_p50_ns) == 152);
static_assert(offsetof(AlgoTotals, decide_p99_ns) == 160);
static_assert(offsetof(AlgoTotals, decide_p999_ns) == 168);
static_assert(offsetof(AlgoTotals, decide_max_ns) == 176);
static_assert(offsetof(AlgoTotals, max_drawdown) == 184);
static_assert(offsetof(AlgoTotals, positions_used) == 192);
static_assert(offsetof(AlgoTotals, verify_errors) == 200);
static_assert(offsetof(AlgoTotals, bad_ticks) == 208);
static_assert(offsetof(AlgoTotals, bad_zero_price) == 216);
static_assert(offsetof(AlgoTotals, bad_crossed) == 220);
static_assert(offsetof(AlgoTotals, bad_wide_spread) == 224);
static_assert(offsetof(AlgoTotals, bad_jump) == 228);
static_assert(offsetof(AlgoTotals, bad_malformed) == 232);
static_assert(offsetof(AlgoTotals, halt_cause) == 236);
static_assert(offsetof(AlgoTotals, reserved) == 240);

TICKSHM_ASSERT_SHM_TYPE(PositionRecord);
static_assert(sizeof(PositionRecord) == 64);
static_assert(offsetof(PositionRecord, symbol) == 0);
static_assert(offsetof(PositionRecord, position) == 16);
static_assert(offsetof(PositionRecord, avg_cost) == 24);
static_assert(offsetof(PositionRecord, realized) == 32);
static_assert(offsetof(PositionRecord, unrealized) == 40);
static_assert(offsetof(PositionRecord, mark) == 48);
static_assert(offsetof(PositionRecord, orders) == 56);
static_assert(offsetof(PositionRecord, fills) == 60);

TICKSHM_ASSERT_SHM_TYPE(FillRecord);
static_assert(sizeof(FillRecord) == 128);
static_assert(offsetof(FillRecord, fill_id) == 0);
static_assert(offsetof(FillRecord, time_unix_ns) == 8);
static_assert(offsetof(FillRecord, symbol_index) == 16);
static_assert(offsetof(FillRecord, side) == 20);
static_assert(offsetof(FillRecord, quantity) == 24);
static_assert(offsetof(FillRecord, price) == 32);
static_assert(offsetof(FillRecord, commission) == 40);
static_assert(offsetof(FillRecord, realized) == 48);
static_assert(offsetof(FillRecord, tick_seq) == 56);
static_assert(offsetof(FillRecord, symbol) == 64);
static_assert(offsetof(FillRecord, position_after) == 80);
static_assert(offsetof(FillRecord, pnl_after) == 88);
static_assert(offsetof(FillRecord, reason) == 96);

TICKSHM_ASSERT_SHM_TYPE(AlgoRiskRecord);
static_assert(sizeof(AlgoRiskRecord) == 256);
static_assert(offsetof(AlgoRiskRecord, rejects_by) == 0);
static_assert(offsetof(AlgoRiskRecord, order_size) == 64);
static_assert(offsetof(AlgoRiskRecord, max_position) == 72);
static_assert(offsetof(AlgoRiskRecord, max_gross_notional) == 80);
static_assert(offsetof(AlgoRiskRecord, max_orders_per_sec) == 88);
static_assert(offsetof(AlgoRiskRecord, max_drawdown) == 96);
static_assert(offsetof(AlgoRiskRecord, drawdown) == 104);
static_assert(offsetof(AlgoRiskRecord, peak_pnl) == 112);
static_assert(offsetof(AlgoRiskRecord, orders_last_sec) == 120);
static_assert(offsetof(AlgoRiskRecord, last_rate_reject_ns) == 128);
static_assert(offsetof(AlgoRiskRecord, gross_shares) == 136);
static_assert(offsetof(AlgoRiskRecord, largest_position) == 144);
static_assert(offsetof(AlgoRiskRecord, pnl_samples) == 152);
static_assert(offsetof(AlgoRiskRecord, pnl_interval_ns) == 160);

TICKSHM_ASSERT_SHM_TYPE(PnlSample);
static_assert(sizeof(PnlSample) == 64);
static_assert(offsetof(PnlSample, sample_id) == 0);
static_assert(offsetof(PnlSample, time_unix_ns) == 8);
static_assert(offsetof(PnlSample, total_pnl) == 16);
static_assert(offsetof(PnlSample, realized) == 24);
static_assert(offsetof(PnlSample, gross_shares) == 32);
static_assert(offsetof(PnlSample, net_shares) == 40);
static_assert(offsetof(PnlSample, orders) == 48);
static_assert(offsetof(PnlSample, fills) == 56);

constexpr std::uint64_t algo_positions_offset() noexcept {
  return sizeof(AlgoStatusHeader) + sizeof(AlgoTotals);
}
constexpr std::uint64_t algo_fills_offset(std::uint32_t position_capacity) noexcept {
  return algo_positions_offset() + std::uint64_t{position_capacity} * sizeof(PositionRecord);
}
constexpr std::uint64_t algo_risk_offset(std::uint32_t position_capacity) noexcept {
  return algo_fills_offset(position_capacity) + std::uint64_t{kAlgoFillCapacity} * sizeof(FillRecord);
}
constexpr std::uint64_t algo_pnl_offset(std::uint32_t position_capacity) noexcept {
  return algo_risk_offset(position_capacity) + sizeof(AlgoRiskRecord);
}
constexpr std::uint64_t algo_status_size(std::uint32_t position_capacity) noexcept {
  return algo_pnl_offset(position_capacity) + std::uint64_t{kAlgoPnlCapacity} * sizeof(PnlSample);
}

}  // namespace tickshm
