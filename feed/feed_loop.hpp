// The feed's publishing loop: pacing (a rate, replay timestamps, or flat out), batching, heartbeat
// and stop conditions. Templated on the clock, the tick source and the sink, so tests run this exact
// loop against a fake clock and a recording sink.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <limits>

#include "tickshm/layout.hpp"

namespace tickshm::feed {

inline constexpr std::uint32_t kMaxBatch = 64;                  // ticks per clock stamp at --rate max
inline constexpr std::uint64_t kMaintainPeriodNs = 50'000'000;  // heartbeat twice per 100 ms deadline
inline constexpr std::uint64_t kMinSleepNs = 50'000;            // paced: sleep at least this long
inline constexpr std::uint64_t kMaxLagNs = 1'000'000'000;       // behind by more: forget the debt

// When tick k is due. Rate: start + k / rate. Replay: start + (event - first event) / speed.
// Unlimited: always. shift() moves the schedule later (after a pause or a long stall).
class Pacer {
 public:
  enum class Mode { kUnlimited, kRate, kTimestamps };
  static Pacer unlimited() noexcept { return Pacer(Mode::kUnlimited, 0); }
  static Pacer rate(double ticks_per_s) noexcept { return Pacer(Mode::kRate, 1e9 / ticks_per_s); }
  static Pacer timestamps(double speed) noexcept { return Pacer(Mode::kTimestamps, 1.0 / speed); }

  Mode mode() const noexcept { return mode_; }
  void start(std::uint64_t now_ns) noexcept { start_ns_ = now_ns; }

  std::uint64_t due_ns(std::uint64_t k, std::uint64_t event_ns) noexcept {
    switch (mode_) {
      case Mode::kUnlimited:
        return 0;
      case Mode::kRate:
        // Counted from the last rebase: k * period stays exact in a double for years of ticks.
        return start_ns_ + static_cast<std::uint64_t>(static_cast<double>(k - base_k_) * scale_);
      case Mode::kTimestamps:
        if (!have_first_) {
          first_event_ = event_ns;
          have_first_ = true;
        }
        return start_ns_ + static_cast<std::uint64_t>(static_cast<double>(event_ns - first_event_) * scale_);
    }
    return 0;
  }

  // Makes tick k (with this event time) due at `at`: the schedule from then on keeps its rate.
  void rebase(std::uint64_t k, std::uint64_t event_ns, std::uint64_t at) noexcept {
    if (mode_ == Mode::kRate) {
      base_k_ = k;
      start_ns_ = at;
    } else if (mode_ == Mode::kTimestamps) {
      const std::uint64_t due = due_ns(k, event_ns);
      start_ns_ += at - due;  // at > due when we rebase after a stall or a pause
    }
  }

 private:
  Pacer(Mode m, double scale) noexcept : mode_(m), scale_(scale) {}
  Mode mode_;
  double scale_;  // ns per tick (rate) or ns of wall per ns of event time (timestamps)
  std::uint64_t start_ns_ = 0;
  std::uint64_t base_k_ = 0;
  std::uint64_t first_event_ = 0;
  bool have_first_ = false;
};

struct LoopLimits {
  std::uint64_t count = 0;        // 0: no limit
  std::uint64_t duration_ns = 0;  // 0: no limit
};

enum class StopReason { kSignal, kCount, kDuration, kEndOfInput };
inline const char* stop_reason_name(StopReason r) noexcept {
  switch (r) {
    case StopReason::kSignal:
      return "signal";
    case StopReason::kCount:
      return "count";
    case StopReason::kDuration:
      return "duration";
    case StopReason::kEndOfInput:
      return "end of input";
  }
  return "?";
}

struct LoopResult {
  std::uint64_t published = 0;
  std::uint64_t start_ns = 0;
  std::uint64_t end_ns = 0;
  StopReason reason = StopReason::kSignal;
};

// Clock: now() -> ns; sleep_until(ns) (may return early, e.g. on a signal).
// Source: bool next(TickRecord&) (false: no more ticks); flat out, a source may instead offer
// std::uint32_t next_batch(TickRecord*, std::uint32_t n) (ticks written; fewer than n: no more ticks).
// Sink: publish(const TickRecord&), wake_sleepers(), maintain(now_ns, published, paused) (heartbeat,
// stats; called at least every kMaintainPeriodNs, also while idle or paused).
template <class Clock, class Source, class Sink>
LoopResult run_loop(Clock& clock, Source& source, Sink& sink, Pacer& pacer, const LoopLimits& limits,
                    const std::atomic<bool>& stop, const std::atomic<bool>* pause = nullptr) {
  LoopResult res;
  const std::uint64_t start = clock.now();
  res.start_ns = start;
  pacer.start(start);
  const std::uint64_t end =
      limits.duration_ns ? start + limits.duration_ns : std::numeric_limits<std::uint64_t>::max();
  std::uint64_t next_maintain = start;
  std::uint64_t k = 0;
  bool paused = false;
  std::uint64_t paused_at = 0;
  TickRecord t{};
  bool have = false;  // paced modes hold the next tick to learn when it is due

  auto finish = [&](StopReason r, std::uint64_t now) {
    res.published = k;
    res.end_ns = now;
    res.reason = r;
    sink.maintain(now, k, false);
    return res;
  };

  if (pacer.mode() == Pacer::Mode::kUnlimited) {
    std::array<TickRecord, kMaxBatch> batch{};
    for (;;) {
      // relaxed: a flag polled once per batch; nothing else is read through it.
      if (stop.load(std::memory_order_relaxed)) return finish(StopReason::kSignal, clock.now());
      const std::uint64_t now = clock.now();  // one stamp for the whole batch
      if (now >= next_maintain) {
        if (now >= end) return finish(StopReason::kDuration, now);
        paused = pause != nullptr && pause->load(std::memory_order_relaxed);
        sink.maintain(now, k, paused);
        next_maintain = now + kMaintainPeriodNs;
        if (paused) {
          clock.sleep_until(std::min(next_maintain, end));
          continue;
        }
      }
      std::uint32_t n = kMaxBatch;
      if (limits.count) n = static_cast<std::uint32_t>(std::min<std::uint64_t>(n, limits.count - k));
      std::uint32_t i = 0;
      bool ended = false;
      if constexpr (requires { source.next_batch(batch.data(), n); }) {
        // A source that generates a batch at a time (the simulator: see Simulator::next_batch).
        i = source.next_batch(batch.data(), n);
        ended = i < n;
        for (std::uint32_t b = 0; b < i; ++b) {
          batch[b].publish_ns = now;
          sink.publish(batch[b]);
        }
      } else {
        for (; i < n; ++i) {
          if (!source.next(t)) {
            ended = true;
            break;
          }
          t.publish_ns = now;
          sink.publish(t);
        }
      }
      k += i;
      sink.wake_sleepers();  // once per batch: a sleeping reader waits at most one batch longer
      if (ended) return finish(StopReason::kEndOfInput, clock.now());
      if (limits.count && k >= limits.count) return finish(StopReason::kCount, clock.now());
    }
  }

  have = source.next(t);
  if (!have) return finish(StopReason::kEndOfInput, start);
  for (;;) {
    if (stop.load(std::memory_order_relaxed)) return finish(StopReason::kSignal, clock.now());
    std::uint64_t now = clock.now();
    if (now >= end) return finish(StopReason::kDuration, now);
    if (now >= next_maintain) {
      const bool want_pause = pause != nullptr && pause->load(std::memory_order_relaxed);
      if (want_pause && !paused) paused_at = now;
      if (!want_pause && paused) {
        // Resume where we left off instead of publishing the whole pause's worth in one burst.
        pacer.rebase(k, t.event_ns, std::max(now, pacer.due_ns(k, t.event_ns) + (now - paused_at)));
      }
      paused = want_pause;
      sink.maintain(now, k, paused);
      next_maintain = now + kMaintainPeriodNs;
    }
    if (paused) {
      clock.sleep_until(std::min(next_maintain, end));
      continue;
    }
    std::uint64_t due = pacer.due_ns(k, t.event_ns);
    if (due > now) {
      // Sleep rather than spin: at high rates this publishes small bursts every ~50 us, which keeps
      // the average exact and leaves the core to the readers.
      clock.sleep_until(std::min({std::max(due, now + kMinSleepNs), next_maintain, end}));
      continue;
    }
    if (now - due > kMaxLagNs) {
      // Stalled (stopped, starved of CPU) for over a second: drop the debt rather than flood readers.
      pacer.rebase(k, t.event_ns, now - kMaxLagNs);
      due = pacer.due_ns(k, t.event_ns);
    }
    // Publish every tick due by now (up to a batch), each stamped now and each followed by a wake.
    std::uint32_t n = 0;
    do {
      t.publish_ns = now;
      sink.publish(t);
      sink.wake_sleepers();
      ++k;
      ++n;
      if (limits.count && k >= limits.count) return finish(StopReason::kCount, clock.now());
      have = source.next(t);
      if (!have) return finish(StopReason::kEndOfInput, clock.now());
    } while (n < kMaxBatch && pacer.due_ns(k, t.event_ns) <= now);
  }
}

}  // namespace tickshm::feed
