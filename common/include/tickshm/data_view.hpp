// A validated read-only view of a feed's data segment: header, directory, quote board, ring, health.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <memory>

#include "tickshm/fault_guard.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/posix.hpp"
#include "tickshm/result.hpp"

namespace tickshm {

enum class WriterHealth { kLive, kStale, kDead, kClosed };
const char* health_name(WriterHealth h) noexcept;  // "LIVE", "STALE", "DEAD", "CLOSED"

inline constexpr std::uint64_t kStaleAfterNs = 1'000'000'000ULL;  // heartbeat older than 1 s
inline constexpr std::uint64_t kHeartbeatPeriodNs = 100'000'000ULL;

// Latest state of one symbol, copied out of the quote board under its seqlock.
struct Quote {
  std::int64_t last = 0, bid = 0, ask = 0;
  std::uint32_t bid_size = 0, ask_size = 0, last_size = 0;
  std::uint64_t volume = 0;
  std::int64_t open = 0, high = 0, low = 0;
  std::uint64_t tick_count = 0, update_ns = 0, trade_count = 0;
};

// A validated read-only mapping of /tickshm.NAME (opened O_RDONLY, mapped PROT_READ).
class DataView {
 public:
  // kNotFound when absent, kNotReady while the writer is still creating it, kInvalidSegment when a
  // file under the name is not a valid segment, kPermission when the OS refuses.
  // populate: map every page now (ring readers); samplers that only read the board leave it off.
  [[nodiscard]] static Result<DataView> open(std::string_view feed, bool populate = false);
  // Same, for any path under /dev/shm given as "/name" (tickshm-stat --list, tests).
  [[nodiscard]] static Result<DataView> open_path(const std::string& shm_path, bool populate = false);

  // The header as validated: identity and geometry, copied once. Its live fields (state, heartbeat,
  // write cursor) are frozen at open: read those through state(), heartbeat_ns(), write_cursor().
  const DataHeader& header() const noexcept { return *hdr_; }
  std::uint32_t symbol_count() const noexcept { return header().symbol_count; }
  std::span<const SymbolEntry> symbols() const noexcept;
  std::string symbol_name(std::uint32_t index) const;  // "" when out of range
  const QuoteRecord* quotes() const noexcept;
  const TickRecord* ring() const noexcept;
  std::uint64_t ring_mask() const noexcept { return header().ring_capacity - 1; }

  std::uint64_t epoch() const noexcept { return header().epoch; }
  SegmentState state() const noexcept;
  std::uint64_t write_cursor() const noexcept;              // acquire: ticks below it are published
  const std::uint64_t* write_cursor_word() const noexcept;  // in the mapping, for the ring reader
  std::uint64_t heartbeat_ns() const noexcept;
  bool verify() const noexcept { return (header().flags & kHeaderFlagVerify) != 0; }
  WriterHealth health(std::uint64_t now_ns) const noexcept;  // reads /proc when the heartbeat is stale
  const std::string& path() const noexcept { return path_; }
  std::uint64_t size() const noexcept { return map_.size(); }
  const std::byte* bytes() const noexcept { return map_.data(); }  // the whole mapping (tests, dumps)
  // Someone truncated the file under this view: what it shows since is zeros. Detach.
  bool truncated() const noexcept { return guard_.faulted(); }

  // Copy of symbol i's quote board record, retried until whole (bounded; false if never whole).
  bool read_quote(std::uint32_t i, Quote& out) const noexcept;

 private:
  DataView(Mapping m, std::string path, const DataHeader& h)
      : map_(std::move(m)),
        guard_(FaultGuard::watch(map_)),
        hdr_(std::make_unique<DataHeader>(h)),
        path_(std::move(path)) {}
  const DataHeader& live() const noexcept { return *reinterpret_cast<const DataHeader*>(map_.data()); }
  Mapping map_;
  FaultGuard guard_;  // after map_: unwatched before the mapping goes
  std::unique_ptr<const DataHeader> hdr_;
  std::string path_;
};

}  // namespace tickshm
