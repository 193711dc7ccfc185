// JetStream publishing with acks for the out side: cnats keeps each message until its ack; errors and
// timeouts come back through the ack handler and are sent again from the bridge's thread.
#include "js_publisher.hpp"

#include <nats/nats.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include "tickshm/clock.hpp"
#include "wire.hpp"

namespace tickshm::bridge {
namespace {

// Sends again at most this often: a server answering "no responders" at once must not make a hot loop.
constexpr std::uint64_t kRetryGapNs = 50 * kNsPerMs;

// cnats' thread: a positive ack frees the batch; an error (timeout, no responders, a JetStream error)
// hands it back to be sent again.
void on_ack(jsCtx*, natsMsg* msg, jsPubAck*, jsPubAckErr* pae, void* closure) {
  auto* s = static_cast<JsPublisher::Shared*>(closure);
  if (pae == nullptr) {
    s->acked.fetch_add(1, std::memory_order_relaxed);
    natsMsg_Destroy(msg);
  } else {
    std::lock_guard lock(s->mu);
    s->retry.push_back(msg);
    s->retry_size.store(s->retry.size(), std::memory_order_relaxed);
  }
  s->inflight.fetch_sub(1, std::memory_order_release);  // the last touch of *s (see ~JsPublisher)
}

// Where a batch starts, for sending again in order (0 for anything that is not a batch).
std::pair<std::uint64_t, std::uint64_t> batch_position(natsMsg* m) {
  const int n = natsMsg_GetDataLength(m);
  if (n < static_cast<int>(sizeof(WireBatchHeader))) return {0, 0};
  WireBatchHeader h;
  std::memcpy(&h, natsMsg_GetData(m), sizeof h);
  return {h.epoch, h.first_seq};
}

}  // namespace

void JsPublisher::Ctx::operator()(jsCtx* j) const noexcept {
  jsCtx_Destroy(j);
}

Result<JsPublisher> JsPublisher::create(NatsLink& link, std::uint64_t max_unacked, std::int64_t ack_wait_ms) {
  JsPublisher p;
  p.events_ = &link.events();
  p.state_ = std::make_unique<Shared>();
  p.max_unacked_ = max_unacked;
  p.ack_wait_ms_ = ack_wait_ms;
  jsOptions o;
  jsOptions_Init(&o);
  o.PublishAsync.AckHandler = on_ack;
  o.PublishAsync.AckHandlerClosure = p.state_.get();
  // No cnats limit (it would stall the bridge's thread): full() bounds what is kept, and the feed laps
  // the bridge instead.
  o.PublishAsync.MaxPending = 0;
  jsCtx* j = nullptr;
  if (const natsStatus st = natsConnection_JetStream(&j, link.native(), &o); st != NATS_OK)
    return make_error(Errc::kSystem, std::string("JetStream publish context: ") + natsStatus_GetText(st));
  p.js_.reset(j);
  return p;
}

JsPublisher::~JsPublisher() {
  if (!state_) return;  // moved from
  // Take back what cnats still holds so no ack callback can run once this object is gone.
  if (js_) {
    natsMsgList pending{};
    if (js_PublishAsyncGetPendingList(&pending, js_.get()) == NATS_OK) {
      state_->inflight.fetch_sub(static_cast<std::uint64_t>(pending.Count), std::memory_order_relaxed);
      natsMsgList_Destroy(&pending);
    }
    // A callback already past cnats' lock finishes with its decrement: wait for it, briefly.
    const std::uint64_t end = now_ns() + 500 * kNsPerMs;
    while (state_->inflight.load(std::memory_order_acquire) != 0 && now_ns() < end)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  js_.reset();
  std::lock_guard lock(state_->mu);
  for (natsMsg* m : state_->retry) natsMsg_Destroy(m);
  state_->retry.clear();
}

std::uint64_t JsPublisher::unacked() const noexcept {
  return state_->inflight.load(std::memory_order_relaxed) +
         state_->retry_size.load(std::memory_order_relaxed);
}

void JsPublisher::requeue(natsMsg* m) noexcept {
  std::lock_guard lock(state_->mu);
  state_->retry.push_back(m);
  state_->retry_size.store(state_->retry.size(), std::memory_order_relaxed);
}

bool JsPublisher::send(natsMsg* m) noexcept {
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = ack_wait_ms_;  // an ack that does not come is reported as a timeout: sent again
  state_->inflight.fetch_add(1, std::memory_order_relaxed);
  if (js_PublishMsgAsync(js_.get(), &m, &po) == NATS_OK) return true;
  state_->inflight.fetch_sub(1, std::memory_order_relaxed);
  requeue(m);  // not taken (the reconnect buffer is full, the connection is closed): still ours
  return false;
}

bool JsPublisher::publish(const std::string& subject, std::span<const std::byte> data,
                          const char* msg_id) noexcept {
  natsMsg* m = nullptr;
  if (natsMsg_Create(&m, subject.c_str(), nullptr, reinterpret_cast<const char*>(data.data()),
                     static_cast<int>(data.size())) != NATS_OK)
    return false;
  // Set on the message itself (not through jsPubOptions.MsgId) so every resend carries it too.
  if (natsMsgHeader_Set(m, "Nats-Msg-Id", msg_id) != NATS_OK) {
    natsMsg_Destroy(m);
    return false;
  }
  (void)send(m);
  return true;
}

void JsPublisher::pump(std::uint64_t now) noexcept {
  if (state_->retry_size.load(std::memory_order_relaxed) == 0) return;
  if (!events_->connected.load(std::memory_order_relaxed)) return;  // kept: sent once reconnected
  if (now - last_pump_ns_ < kRetryGapNs) return;
  last_pump_ns_ = now;
  std::vector<natsMsg*> again;
  {
    std::lock_guard lock(state_->mu);
    again.swap(state_->retry);
    state_->retry_size.store(0, std::memory_order_relaxed);
  }
  // In stream order, so a receiver waiting on a gap gets the lowest first.
  std::stable_sort(again.begin(), again.end(),
                   [](natsMsg* a, natsMsg* b) { return batch_position(a) < batch_position(b); });
  for (natsMsg* m : again) (void)send(m);
  resent_ += again.size();
}

std::uint64_t JsPublisher::drain(std::int64_t timeout_ms) noexcept {
  const std::uint64_t end = now_ns() + static_cast<std::uint64_t>(timeout_ms) * kNsPerMs;
  while (unacked() != 0 && now_ns() < end) {
    last_pump_ns_ = 0;
    pump(now_ns());
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = 100;
    (void)js_PublishAsyncComplete(js_.get(), &po);
    if (state_->inflight.load(std::memory_order_relaxed) == 0)  // only resends wait (disconnected)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return unacked();
}

}  // namespace tickshm::bridge
