// The in side's hold for JetStream: a batch that arrives after a gap waits here a while for the gap's
// batch, which `bridge out` sends again when the server did not acknowledge it (it then lands in the
// stream after later ones). The local segment is written in upstream order; a gap that does not fill
// within the hold time is given up and counted lost as without JetStream.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace tickshm::bridge {

template <class Payload>
class ReorderBuffer {
 public:
  ReorderBuffer(std::uint64_t max_bytes, std::uint64_t hold_ns) : max_bytes_(max_bytes), hold_ns_(hold_ns) {}

  // Keeps a message that starts at `first`, after the stream's expected sequence. False when the held
  // messages now exceed the bound: the caller gives up on the gap (give_up()).
  bool hold(std::uint64_t first, std::uint64_t bytes, std::uint64_t now_ns, Payload&& p) {
    if (held_.empty()) since_ns_ = now_ns;
    bytes_ += bytes;
    held_.emplace(first, Entry{bytes, std::move(p)});
    return bytes_ <= max_bytes_;
  }

  // The next held message to handle now, lowest first: one that starts at or before `expected` (the
  // gap before it is filled), or any once the gap has been waited for hold_ns (or give_up()).
  std::optional<Payload> next(std::uint64_t expected, std::uint64_t now_ns) {
    if (held_.empty()) return std::nullopt;
    auto it = held_.begin();
    if (it->first > expected) {
      if (!giving_up_ && now_ns - since_ns_ < hold_ns_) return std::nullopt;
      if (!giving_up_) ++gaps_given_up_;
      giving_up_ = true;
    } else {
      since_ns_ = now_ns;  // progress: the next gap, if any, gets its own wait
    }
    Payload p = std::move(it->second.payload);
    bytes_ -= it->second.bytes;
    held_.erase(it);
    if (held_.empty()) giving_up_ = false;
    return p;
  }

  // Stop waiting: next() hands out everything held, in order (a full buffer, a new epoch, exit).
  void give_up() noexcept {
    if (!held_.empty()) giving_up_ = true;
  }

  bool empty() const noexcept { return held_.empty(); }
  std::size_t size() const noexcept { return held_.size(); }
  std::uint64_t gaps_given_up() const noexcept { return gaps_given_up_; }

 private:
  struct Entry {
    std::uint64_t bytes;
    Payload payload;
  };
  std::multimap<std::uint64_t, Entry> held_;
  std::uint64_t max_bytes_, hold_ns_, bytes_ = 0, since_ns_ = 0, gaps_given_up_ = 0;
  bool giving_up_ = false;
};

}  // namespace tickshm::bridge
