// Writing and reading an algo's status segment (layout in algo_status_layout.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tickshm/algo_status_layout.hpp"
#include "tickshm/posix.hpp"
#include "tickshm/result.hpp"
#include "tickshm/shm_files.hpp"

namespace tickshm {

struct AlgoIdentity {
  std::string feed;  // feed segment name
  std::string name;  // algo ID ([A-Za-z0-9_-]{1,64}, stored truncated to 31 characters)
  std::string strategy;
  std::string params;                    // human-readable, truncated to 127 characters
  std::uint32_t position_capacity = 64;  // 1..kAlgoMaxPositions
  mode_t mode = 0600;
};

// Owned by the algo. Creates /tickshm.FEED.algo.ID; a segment left by a dead algo is replaced, a live
// one refused (kAlreadyRunning with its pid). The destructor unlinks it.
class AlgoStatusWriter {
 public:
  [[nodiscard]] static Result<AlgoStatusWriter> create(const AlgoIdentity& id);
  AlgoStatusWriter(AlgoStatusWriter&&) noexcept = default;
  AlgoStatusWriter& operator=(AlgoStatusWriter&&) = delete;
  ~AlgoStatusWriter();

  // Publishes a whole body under the seqlock. positions.size() <= capacity (extra ones are dropped);
  // fills are the newest last, at most kAlgoFillCapacity are kept.
  void update(const AlgoTotals& totals, std::span<const PositionRecord> positions,
              std::span<const FillRecord> fills) noexcept;
  std::uint32_t position_capacity() const noexcept;
  const std::string& path() const noexcept { return path_; }

 private:
  AlgoStatusWriter() = default;
  std::string path_;
  Mapping map_;
  bool unlink_ = false;
};

struct AlgoStatusSnapshot {
  std::string segment;  // "tickshm.FEED.algo.ID"
  std::string name, strategy, params, feed;
  std::int32_t pid = 0;
  bool alive = false;
  AlgoTotals totals{};
  std::vector<PositionRecord> positions;  // positions_used entries
  std::vector<FillRecord> fills;          // oldest first
};

// Validates the header against the file size before reading; copies the body under its seqlock.
[[nodiscard]] Status validate_algo_segment(const std::byte* bytes, std::uint64_t file_size);
[[nodiscard]] Result<AlgoStatusSnapshot> read_algo_status(const std::string& shm_path);

// Every algo status segment of this feed ("/tickshm.FEED.algo.*"), read; invalid ones are skipped
// with their error appended to `errors` when given.
std::vector<AlgoStatusSnapshot> read_all_algo_status(std::string_view feed,
                                                     std::vector<std::string>* errors = nullptr);

}  // namespace tickshm
