// The in side's bounded message queue between cnats' delivery thread and the bridge's thread.
#include "inbox.hpp"

#include <chrono>

namespace tickshm::bridge {

void Inbox::push(NatsMsg m) {
  const std::uint64_t n = m.data().size();
  {
    std::lock_guard lock(mu_);
    if (bytes_ + n > max_bytes_ && !q_.empty()) {
      ++dropped_;
      return;  // the message is freed with m; its ticks become a counted gap downstream
    }
    bytes_ += n;
    q_.push_back(std::move(m));
  }
  cv_.notify_one();
}

NatsMsg Inbox::pop(std::int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  if (q_.empty() && timeout_ms > 0) {
    cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return !q_.empty(); });
  }
  if (q_.empty()) return NatsMsg();
  NatsMsg m = std::move(q_.front());
  q_.pop_front();
  bytes_ -= m.data().size();
  return m;
}

std::uint64_t Inbox::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace tickshm::bridge
