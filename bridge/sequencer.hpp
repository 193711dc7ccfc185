// Exact accounting of one upstream stream (the ticks subject, or one symbol's): where the copy joined,
// what was written, what was lost in gaps and what came twice.
#pragma once

#include <algorithm>
#include <cstdint>

namespace tickshm::bridge {

class StreamSequencer {
 public:
  // A new epoch: the snapshot says the stream continues at snapshot_next.
  void reset(std::uint64_t snapshot_next) noexcept {
    *this = StreamSequencer{}, snapshot_next_ = snapshot_next;
  }

  // A batch [first, first+count) arrives: how many leading records to skip (already written), with
  // gaps and duplicates counted. The first batch or heartbeat of an epoch joins the stream at
  // min(first, the snapshot's point): ticks before it belong to the snapshot, not to losses.
  std::uint64_t accept(std::uint64_t first, std::uint64_t count) noexcept {
    join(first);
    const std::uint64_t end = first + count;
    if (end <= expected_) {
      duplicates_ += count;
      return count;
    }
    std::uint64_t skip = 0;
    if (first < expected_) {
      skip = expected_ - first;
      duplicates_ += skip;
    } else if (first > expected_) {
      ++gaps_;
      lost_ += first - expected_;
    }
    written_ += count - skip;
    expected_ = end;
    return skip;
  }
  // A heartbeat: the stream is at `next`; anything before it not received is lost.
  void heartbeat(std::uint64_t next) noexcept {
    join(next);
    if (next > expected_) {
      ++gaps_;
      lost_ += next - expected_;
      expected_ = next;
    }
  }

  bool joined() const noexcept { return joined_; }
  std::uint64_t joined_at() const noexcept { return joined_at_; }
  std::uint64_t expected() const noexcept { return expected_; }
  std::uint64_t written() const noexcept { return written_; }
  std::uint64_t gaps() const noexcept { return gaps_; }
  std::uint64_t lost() const noexcept { return lost_; }
  std::uint64_t duplicates() const noexcept { return duplicates_; }

 private:
  void join(std::uint64_t first) noexcept {
    if (joined_) return;
    joined_ = true;
    joined_at_ = expected_ = std::min(first, snapshot_next_);
  }
  bool joined_ = false;
  std::uint64_t snapshot_next_ = 0, joined_at_ = 0, expected_ = 0;
  std::uint64_t written_ = 0, gaps_ = 0, lost_ = 0, duplicates_ = 0;
};

}  // namespace tickshm::bridge
