// The publishing loop against a fake clock: rate held per second, sleeping at low rates, heartbeat
// while idle or paused, batching at --rate max, replay gaps scaled by speed, stop conditions.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "feed_loop.hpp"
#include "rng.hpp"

namespace tickshm::feed {
namespace {

constexpr std::uint64_t kSec = 1'000'000'000ULL;
constexpr std::uint64_t kT0 = 1'000 * kSec;  // an arbitrary monotonic start

// Time moves only when the loop sleeps (to the deadline plus a random oversleep, as a real kernel
// does) or calls now() (a small cost per call, so a spinning loop still advances).
struct FakeClock {
  std::uint64_t t = kT0;
  std::uint64_t max_oversleep_ns = 200'000;
  std::uint64_t now_cost_ns = 30;
  std::uint64_t now_calls = 0;
  std::uint64_t sleeps = 0;
  std::uint64_t stall_at = 0;  // when a sleep crosses this time, the process "stops" for stall_ns
  std::uint64_t stall_ns = 0;
  WyRand rng{5};
  std::function<void(std::uint64_t)> on_sleep;  // lets a test flip flags at a given time
  std::uint64_t now() {
    ++now_calls;
    t += now_cost_ns;
    return t;
  }
  void sleep_until(std::uint64_t when) {
    ++sleeps;
    if (when > t) t = when;
    t += max_oversleep_ns ? rng.next() % max_oversleep_ns : 0;
    if (stall_ns && t >= stall_at) {
      t += stall_ns;
      stall_ns = 0;
    }
    if (on_sleep) on_sleep(t);
  }
};

struct CountingSource {
  std::uint64_t produced = 0;
  std::uint64_t limit = UINT64_MAX;
  std::uint64_t event_step_ns = 0;
  bool next(TickRecord& t) {
    if (produced >= limit) return false;
    t = TickRecord{};
    t.event_ns = produced * event_step_ns;
    t.symbol = static_cast<std::uint32_t>(produced++);
    return true;
  }
};

struct FakeSink {
  std::vector<std::uint64_t> publish_ns;
  std::vector<std::uint64_t> maintain_ns;
  std::uint64_t wakes = 0;
  std::uint64_t paused_maintains = 0;
  void publish(const TickRecord& t) { publish_ns.push_back(t.publish_ns); }
  void wake_sleepers() { ++wakes; }
  void maintain(std::uint64_t now, std::uint64_t, bool paused) {
    maintain_ns.push_back(now);
    paused_maintains += paused ? 1 : 0;
  }
};

// Ticks published in each whole second [kT0 + s, kT0 + s + 1).
std::vector<std::uint64_t> per_second(const std::vector<std::uint64_t>& times, std::uint64_t seconds) {
  std::vector<std::uint64_t> n(seconds, 0);
  for (const auto t : times) {
    const std::uint64_t s = (t - kT0) / kSec;
    if (s < seconds) ++n[s];
  }
  return n;
}

LoopResult run(FakeClock& clock, CountingSource& src, FakeSink& sink, Pacer pacer, LoopLimits limits,
               const std::atomic<bool>* pause = nullptr) {
  std::atomic<bool> stop{false};
  return run_loop(clock, src, sink, pacer, limits, stop, pause);
}

TEST(FeedPacing, shouldHoldRateWithinOnePercentEachSecondWhenPaced) {
  for (const double rate : {100.0, 1'000.0, 33'333.0, 250'000.0, 2'000'000.0}) {
    FakeClock clock;
    CountingSource src;
    FakeSink sink;
    run(clock, src, sink, Pacer::rate(rate), {0, 5 * kSec});
    const auto n = per_second(sink.publish_ns, 5);
    for (std::size_t s = 0; s < n.size(); ++s) {
      EXPECT_NEAR(static_cast<double>(n[s]), rate, std::max(1.0, rate * 0.01))
          << "rate " << rate << ", second " << s;
    }
  }
}

TEST(FeedPacing, shouldSleepRatherThanSpinWhenRateIsLow) {
  FakeClock clock;
  CountingSource src;
  FakeSink sink;
  run(clock, src, sink, Pacer::rate(50), {0, 10 * kSec});
  const std::uint64_t ticks = sink.publish_ns.size();
  EXPECT_NEAR(static_cast<double>(ticks), 500.0, 2.0);
  // One sleep per tick plus one per 50 ms heartbeat, give or take: a spinning loop would call now()
  // millions of times in 10 s.
  EXPECT_LT(clock.sleeps, ticks + 10 * 20 + 50);
  EXPECT_LT(clock.now_calls, 5 * (ticks + 10 * 20 + 50));
}

TEST(FeedPacing, shouldPublishInSmallBurstsNotSpinWhenRateIsHigh) {
  FakeClock clock;
  CountingSource src;
  FakeSink sink;
  run(clock, src, sink, Pacer::rate(1'000'000), {0, 2 * kSec});
  // At least ~50 us between wake-ups: at most 20,000 sleeps a second, not one per tick.
  EXPECT_LT(clock.sleeps, 2 * 20'000u + 100);
  EXPECT_NEAR(static_cast<double>(sink.publish_ns.size()), 2e6, 2e4);
}

TEST(FeedPacing, shouldKeepHeartbeatEvery100msWhenIdle) {
  FakeClock clock;
  CountingSource src;
  FakeSink sink;
  run(clock, src, sink, Pacer::rate(0.1), {0, 30 * kSec});  // one tick every 10 s
  ASSERT_GE(sink.maintain_ns.size(), 300u);
  for (std::size_t k = 1; k < sink.maintain_ns.size(); ++k) {
    ASSERT_LE(sink.maintain_ns[k] - sink.maintain_ns[k - 1], 100'000'000u) << "heartbeat gap at " << k;
  }
  EXPECT_EQ(sink.publish_ns.size(), 3u);
}

TEST(FeedPacing, shouldKeepHeartbeatAndPublishNothingWhilePaused) {
  FakeClock clock;
  CountingSource src;
  FakeSink sink;
  std::atomic<bool> pause{false};
  // Paused from 2 s to 5 s of a 7 s run at 1,000 ticks/s.
  clock.on_sleep = [&](std::uint64_t t) { pause.store(t >= kT0 + 2 * kSec && t < kT0 + 5 * kSec); };
  run(clock, src, sink, Pacer::rate(1000), {0, 7 * kSec}, &pause);
  const auto n = per_second(sink.publish_ns, 7);
  EXPECT_EQ(n[3], 0u);
  EXPECT_EQ(n[4], 0u);
  EXPECT_GT(sink.paused_maintains, 50u);
  for (std::size_t k = 1; k < sink.maintain_ns.size(); ++k) {
    ASSERT_LE(sink.maintain_ns[k] - sink.maintain_ns[k - 1], 100'000'000u) << "heartbeat gap at " << k;
  }
  // Resuming does not dump the pause's 3,000 ticks at once.
  EXPECT_LE(n[5], 1'010u);
  EXPECT_NEAR(static_cast<double>(n[6]), 1000.0, 10.0);
}

TEST(FeedPacing, shouldDropDebtWhenStalledForSeconds) {
  FakeClock clock;
  clock.stall_at = kT0 + 2 * kSec;
  clock.stall_ns = 5 * kSec;  // SIGSTOP for 5 s
  CountingSource src;
  FakeSink sink;
  run(clock, src, sink, Pacer::rate(10'000), {0, 10 * kSec});
  const auto n = per_second(sink.publish_ns, 10);
  // Catching up is bounded by one second's worth, then the rate is the rate again.
  EXPECT_LE(n[7], 2 * 10'000u + 100);
  EXPECT_NEAR(static_cast<double>(n[8]), 10'000.0, 100.0);
  EXPECT_NEAR(static_cast<double>(n[9]), 10'000.0, 100.0);
}

TEST(FeedPacing, shouldStampOncePerBatchAndWakeOncePerBatchWhenUnlimited) {
  FakeClock clock;
  CountingSource src;
  FakeSink sink;
  const auto res = run(clock, src, sink, Pacer::unlimited(), {1000, 0});
  EXPECT_EQ(res.reason, StopReason::kCount);
  ASSERT_EQ(sink.publish_ns.size(), 1000u);
  EXPECT_EQ(sink.wakes, (1000u + kMaxBatch - 1) / kMaxBatch);
  for (std::size_t k = 0; k < sink.publish_ns.size(); ++k) {
    ASSERT_EQ(sink.publish_ns[k], sink.publish_ns[k - k % kMaxBatch])
        << "tick " << k << " stamped apart from its batch";
  }
  EXPECT_NE(sink.publish_ns.front(), sink.publish_ns.back());
  EXPECT_EQ(clock.sleeps, 0u) << "flat out never sleeps";
}

TEST(FeedPacing, shouldWakeAfterEveryTickWhenPaced) {
  FakeClock clock;
  CountingSource src;
  FakeSink sink;
  run(clock, src, sink, Pacer::rate(20'000), {5'000, 0});
  EXPECT_EQ(sink.publish_ns.size(), 5'000u);
  EXPECT_EQ(sink.wakes, 5'000u);
}

TEST(FeedPacing, shouldScaleReplayGapsBySpeedWhenReplaying) {
  FakeClock clock;
  clock.max_oversleep_ns = 0;
  CountingSource src;
  src.limit = 5;
  src.event_step_ns = 2 * kSec;  // events 0, 2, 4, 6, 8 s apart
  FakeSink sink;
  const auto res = run(clock, src, sink, Pacer::timestamps(4.0), {});
  EXPECT_EQ(res.reason, StopReason::kEndOfInput);
  ASSERT_EQ(sink.publish_ns.size(), 5u);
  for (std::size_t k = 1; k < 5; ++k) {
    const double gap = static_cast<double>(sink.publish_ns[k] - sink.publish_ns[k - 1]);
    EXPECT_NEAR(gap, 0.5e9, 1e5) << "gap " << k;  // 2 s of market time at speed 4
  }
}

TEST(FeedPacing, shouldStopWhenDurationCountStopOrInputEnds) {
  {
    FakeClock clock;
    CountingSource src;
    FakeSink sink;
    const auto res = run(clock, src, sink, Pacer::rate(1000), {0, 3 * kSec});
    EXPECT_EQ(res.reason, StopReason::kDuration);
    EXPECT_GE(res.end_ns - res.start_ns, 3 * kSec);
    EXPECT_LT(res.end_ns - res.start_ns, 3 * kSec + kMaintainPeriodNs + 1'000'000);
  }
  {
    FakeClock clock;
    CountingSource src;
    FakeSink sink;
    const auto res = run(clock, src, sink, Pacer::rate(1000), {777, 0});
    EXPECT_EQ(res.reason, StopReason::kCount);
    EXPECT_EQ(res.published, 777u);
  }
  {
    FakeClock clock;
    CountingSource src;
    src.limit = 10;
    FakeSink sink;
    const auto res = run(clock, src, sink, Pacer::unlimited(), {});
    EXPECT_EQ(res.reason, StopReason::kEndOfInput);
    EXPECT_EQ(res.published, 10u);
  }
  {
    FakeClock clock;
    CountingSource src;
    FakeSink sink;
    std::atomic<bool> stop{false};
    clock.on_sleep = [&](std::uint64_t t) { stop.store(t >= kT0 + kSec); };
    Pacer pacer = Pacer::rate(100);
    const auto res = run_loop(clock, src, sink, pacer, LoopLimits{}, stop);
    EXPECT_EQ(res.reason, StopReason::kSignal);
    EXPECT_NEAR(static_cast<double>(res.published), 100.0, 2.0);
  }
}

}  // namespace
}  // namespace tickshm::feed
