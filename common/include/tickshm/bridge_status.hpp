// Writing and reading a bridge's status segment (layout in bridge_status_layout.hpp).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tickshm/bridge_status_layout.hpp"
#include "tickshm/posix.hpp"
#include "tickshm/result.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm {

const char* bridge_direction_name(BridgeDirection d) noexcept;  // "out", "in"

// Owned by tickshm-bridge. Creates /tickshm.FEED.bridge.{out,in}; a dead bridge's segment is
// replaced, a live one refused (kAlreadyRunning with its pid). The destructor unlinks it.
class BridgeStatusWriter {
 public:
  [[nodiscard]] static Result<BridgeStatusWriter> create(std::string_view feed, BridgeDirection direction,
                                                         std::string_view remote_feed, mode_t mode = 0600);
  BridgeStatusWriter(BridgeStatusWriter&&) noexcept = default;
  BridgeStatusWriter& operator=(BridgeStatusWriter&&) = delete;
  ~BridgeStatusWriter();

  // The one writer's counters: relaxed stores, each a statistic on its own.
  BridgeStatusLayout& raw() const noexcept { return *reinterpret_cast<BridgeStatusLayout*>(map_.data()); }
  static void set(std::uint64_t& field, std::uint64_t v) noexcept { store_relaxed(field, v); }
  const std::string& path() const noexcept { return path_; }

 private:
  BridgeStatusWriter() = default;
  std::string path_;
  Mapping map_;
};

struct BridgeStatusSnapshot {
  std::string segment;  // "tickshm.FEED.bridge.in"
  BridgeDirection direction = BridgeDirection::kIn;
  std::string feed, remote_feed;
  std::int32_t pid = 0;
  bool alive = false;
  std::uint64_t heartbeat_ns = 0, batches = 0, ticks = 0, gaps = 0, lost_ticks = 0, duplicates = 0,
                rejected = 0, reconnects = 0, connected = 0, lag_ns = 0, upstream_epoch = 0, epochs = 0,
                next_seq = 0, upstream_cursor = 0, snapshots = 0, publish_errors = 0, joined_at = 0;
};

// Checks size, magic, version, direction and the names' NULs before anything is read.
[[nodiscard]] Status validate_bridge_segment(const std::byte* bytes, std::uint64_t file_size);
[[nodiscard]] Result<BridgeStatusSnapshot> read_bridge_status(const std::string& shm_path);
// The feed's bridge status segments that exist (out, then in); invalid ones are skipped with their
// error appended to `errors` when given.
std::vector<BridgeStatusSnapshot> read_bridge_statuses(std::string_view feed,
                                                       std::vector<std::string>* errors = nullptr);

}  // namespace tickshm
