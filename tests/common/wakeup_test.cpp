// No lost wake-up: blocking readers, a writer publishing bursts separated by random gaps. A reader that
// slept through a wake-up would sit out its 10 s timeout; every burst must be read well before that.
#include <atomic>
#include <random>

#include <sched.h>

#include "common_fixture.hpp"
#include "shared_block.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm::test {
namespace {

struct Shared {
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> received[2]{};
};

}  // namespace

TEST(Wakeup, shouldWakeEverySleepingReaderForEachBurstWhenBurstsAreSeparatedByRandomGaps) {
  constexpr int kBursts = 10'000;
  const std::string seg = unique_segment("wake");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 1024));
  ASSERT_TRUE(pub.ok());
  SharedBlock<Shared> shared;
  std::vector<Child> readers;
  for (int r = 0; r < 2; ++r) {
    readers.push_back(Child::fork_fn([&, r] {
      SubscriberOptions o = subscriber_options(seg, r == 0 ? WaitStrategy::kBlock : WaitStrategy::kAdaptive);
      o.block_timeout_ns = 10 * kNsPerSec;  // far longer than any burst may take
      o.spin_ns = 2'000;
      o.from_start = true;
      // No deadline: a lost wake-up must not be rescued by a short timed return.
      return read_until_done(o, shared->done, shared->received[r]);
    }));
  }
  auto ctl = ControlView::open(seg, false);
  ASSERT_TRUE(ctl.ok());
  ASSERT_TRUE(eventually([&] { return ctl->readers().size() == 2; }));
  std::mt19937 rng(7);
  std::uint64_t worst_ns = 0;
  int slow_bursts = 0;
  for (int b = 0; b < kBursts; ++b) {
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) pub->publish(make_tick(pub->published()));
    pub->wake_sleepers();
    const std::uint64_t start = now_ns();
    const std::uint64_t target = pub->published();
    // Both readers must have read the burst: their received counters catch up.
    while (shared->received[0].load() < target || shared->received[1].load() < target) {
      if (now_ns() - start > 5 * kNsPerSec) break;
      sched_yield();
    }
    const std::uint64_t took = now_ns() - start;
    worst_ns = std::max(worst_ns, took);
    if (took > 5 * kNsPerSec) ++slow_bursts;
    ASSERT_EQ(slow_bursts, 0) << "a reader slept through burst " << b;
    // Random gap: none, a short spin, or long enough for both readers to fall asleep.
    const auto gap = rng() % 3;
    if (gap == 1) {
      const std::uint64_t until = now_ns() + rng() % 20'000;
      while (now_ns() < until) {
      }
    } else if (gap == 2) {
      usleep(static_cast<useconds_t>(50 + rng() % 200));
    }
    if ((b & 255) == 0) pub->heartbeat(now_ns());
  }
  shared->done = true;
  pub->publish(make_tick(pub->published()));  // rouse the sleepers so they see `done`
  pub->wake_sleepers();
  for (auto& r : readers) EXPECT_EQ(r.wait_for(std::chrono::seconds(20)), 0);
  RecordProperty("worst_burst_ns", std::to_string(worst_ns));
}

}  // namespace tickshm::test
