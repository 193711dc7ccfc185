// `bridge out --jetstream`: batches published with JetStream acknowledgements. A batch is kept until the
// server has stored it and is sent again (same Nats-Msg-Id: the server drops the copy) when its ack
// reports an error or does not come within the ack wait, so a nats-server killed mid-run costs nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "nats_link.hpp"
#include "tickshm/result.hpp"

namespace tickshm::bridge {

class JsPublisher {
 public:
  // max_unacked: batches kept at most (in flight or waiting to be sent again); ack_wait_ms: how long a
  // publish waits for its ack before it is sent again.
  // The link must outlive it (its connection events say when resending makes sense).
  [[nodiscard]] static Result<JsPublisher> create(NatsLink& link, std::uint64_t max_unacked,
                                                  std::int64_t ack_wait_ms);
  JsPublisher(JsPublisher&&) noexcept = default;
  JsPublisher& operator=(JsPublisher&&) = delete;
  ~JsPublisher();

  // Sends one message under `msg_id` (the server de-duplicates by it within the stream's window). It
  // is kept until acknowledged whatever happens; only an allocation failure loses it (false).
  bool publish(const std::string& subject, std::span<const std::byte> data, const char* msg_id) noexcept;
  // Sends again, in sequence order, what failed or timed out; at most every few tens of milliseconds and
  // only while connected. The bridge's thread calls it once per batch or idle wake-up.
  void pump(std::uint64_t now_ns) noexcept;
  // Kept batches reached max_unacked: the caller stops reading the feed (and is lapped) until acks come.
  bool full() const noexcept { return unacked() >= max_unacked_; }
  std::uint64_t unacked() const noexcept;
  std::uint64_t acked() const noexcept { return state_->acked.load(std::memory_order_relaxed); }
  std::uint64_t resent() const noexcept { return resent_; }
  // At exit: waits up to timeout_ms for the acks (sending again what failed), then gives up on the
  // rest. Returns how many batches were never acknowledged.
  std::uint64_t drain(std::int64_t timeout_ms) noexcept;

  // The state the ack callback (cnats' thread) shares with the bridge's thread.
  struct Shared {
    std::mutex mu;
    std::vector<__natsMsg*> retry;  // owned: to be sent again
    std::atomic<std::uint64_t> inflight{0}, acked{0}, retry_size{0};
  };

 private:
  JsPublisher() = default;
  bool send(__natsMsg* m) noexcept;  // true when cnats took it; else it went to the retry list
  void requeue(__natsMsg* m) noexcept;
  const NatsEvents* events_ = nullptr;
  std::unique_ptr<Shared> state_;  // stable address: the callback's closure
  struct Ctx {
    void operator()(__jsCtx* j) const noexcept;
  };
  std::unique_ptr<__jsCtx, Ctx> js_;  // declared after state_: destroyed first
  std::uint64_t max_unacked_ = 0, resent_ = 0, last_pump_ns_ = 0;
  std::int64_t ack_wait_ms_ = 0;
};

}  // namespace tickshm::bridge
