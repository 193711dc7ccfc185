// The algo's P&L curve: the newest kAlgoPnlCapacity samples for the status segment, and the whole run
// for --report-svg, thinned by half whenever it reaches kMaxHistory so a long run keeps its shape in
// bounded memory. Off the hot path: one sample every kSampleNs.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine.hpp"
#include "tickshm/algo_status_layout.hpp"

namespace tickshm::algo {

class PnlHistory {
 public:
  static constexpr std::uint64_t kSampleNs = 500'000'000ULL;  // two points a second
  static constexpr std::size_t kMaxHistory = 8192;

  PnlHistory() { history_.reserve(kMaxHistory); }
  bool due(std::uint64_t now) const noexcept { return now >= next_sample_; }
  void take(std::uint64_t now, const Engine& engine);
  // The samples the status segment holds (the newest kAlgoPnlCapacity), oldest first; out is cleared.
  void recent(std::vector<PnlSample>& out) const;
  std::uint64_t taken() const noexcept { return taken_; }
  const std::vector<PnlSample>& history() const noexcept { return history_; }

 private:
  std::uint64_t next_sample_ = 0, taken_ = 0;
  std::array<PnlSample, kAlgoPnlCapacity> recent_{};
  std::vector<PnlSample> history_;
};

}  // namespace tickshm::algo
