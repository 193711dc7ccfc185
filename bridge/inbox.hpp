// The in side's message queue: cnats' delivery thread pushes, the bridge's one thread pops. Bounded in
// bytes: beyond it a message is dropped (and its ticks become a counted gap downstream).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

#include "nats_link.hpp"

namespace tickshm::bridge {

class Inbox {
 public:
  explicit Inbox(std::uint64_t max_bytes) : max_bytes_(max_bytes) {}
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  void push(NatsMsg m);                  // from cnats' thread; drops when full
  NatsMsg pop(std::int64_t timeout_ms);  // invalid on timeout
  std::uint64_t dropped() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<NatsMsg> q_;
  std::uint64_t bytes_ = 0, max_bytes_, dropped_ = 0;
};

}  // namespace tickshm::bridge
