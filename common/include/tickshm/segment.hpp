// Opening and validating segments: read-only views of the data and control segments, and health.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tickshm/control_layout.hpp"
#include "tickshm/layout.hpp"
#include "tickshm/posix.hpp"
#include "tickshm/result.hpp"

namespace tickshm {

// Checks a data segment's bytes before anything trusts them: size, magic, version, every size and
// offset against the others and against file_size. `bytes` holds at least min(file_size, 4096) bytes.
// Returns kInvalidSegment with a message naming the field and its value, or kNotReady while creating.
[[nodiscard]] Status validate_data_segment(const std::byte* bytes, std::uint64_t file_size);
[[nodiscard]] Status validate_control_segment(const std::byte* bytes, std::uint64_t file_size);

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

  const DataHeader& header() const noexcept { return *reinterpret_cast<const DataHeader*>(map_.data()); }
  std::uint32_t symbol_count() const noexcept { return header().symbol_count; }
  std::span<const SymbolEntry> symbols() const noexcept;
  std::string symbol_name(std::uint32_t index) const;  // "" when out of range
  const QuoteRecord* quotes() const noexcept;
  const TickRecord* ring() const noexcept;
  std::uint64_t ring_mask() const noexcept { return header().ring_capacity - 1; }

  std::uint64_t epoch() const noexcept { return header().epoch; }
  SegmentState state() const noexcept;
  std::uint64_t write_cursor() const noexcept;  // acquire: ticks below it are published
  std::uint64_t heartbeat_ns() const noexcept;
  bool verify() const noexcept { return (header().flags & kHeaderFlagVerify) != 0; }
  WriterHealth health(std::uint64_t now_ns) const noexcept;  // reads /proc when the heartbeat is stale
  const std::string& path() const noexcept { return path_; }
  std::uint64_t size() const noexcept { return map_.size(); }

  // Copy of symbol i's quote board record, retried until whole (bounded; false if never whole).
  bool read_quote(std::uint32_t i, Quote& out) const noexcept;

 private:
  DataView(Mapping m, std::string path) : map_(std::move(m)), path_(std::move(path)) {}
  Mapping map_;
  std::string path_;
};

// One registry row, copied out for people (stat, dashboard, feed log).
struct ReaderInfo {
  std::uint32_t slot = 0;
  std::int32_t pid = 0;
  bool alive = false;
  std::string name, role;
  WaitStrategy wait = WaitStrategy::kAdaptive;
  std::uint64_t attached_ns = 0, heartbeat_ns = 0;
  std::uint64_t cursor = 0, received = 0, lost = 0, joined_at = 0;
  std::uint64_t p50_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0, verify_errors = 0;
};

const char* wait_name(WaitStrategy w) noexcept;  // "spin", "block", "adaptive"
[[nodiscard]] Result<WaitStrategy> parse_wait(std::string_view s);

// The active and claiming slots among the kReaderSlots at `slots` (a control segment's registry), each
// checked for liveness (one /proc read per slot). Used by ControlView and by the writer on its own mapping.
std::vector<ReaderInfo> read_registry(const ReaderSlot* slots);

// A validated mapping of /tickshm.NAME.ctl. Readers map it read-write (they claim slots in it);
// tickshm-stat and the dashboard map it read-only.
class ControlView {
 public:
  [[nodiscard]] static Result<ControlView> open(std::string_view feed, bool writable);

  ControlHeader& header() const noexcept { return *reinterpret_cast<ControlHeader*>(map_.data()); }
  ReaderSlot& slot(std::uint32_t i) const noexcept {
    return reinterpret_cast<ReaderSlot*>(map_.data() + sizeof(ControlHeader))[i];
  }
  std::uint64_t epoch() const noexcept { return header().epoch; }
  // Active and claiming slots, each checked for liveness (one /proc read per slot).
  std::vector<ReaderInfo> readers() const;

 private:
  explicit ControlView(Mapping m) : map_(std::move(m)) {}
  Mapping map_;
};

// Every tickshm object present in /dev/shm (names starting "tickshm."), for stat --list and cleanup.
struct SegmentFile {
  std::string name;  // as in /dev/shm, e.g. "tickshm.market"
  std::uint64_t size = 0;
  uid_t owner = 0;
  mode_t mode = 0;
};
std::vector<SegmentFile> list_segment_files();

}  // namespace tickshm
