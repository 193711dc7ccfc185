// An adaptive reader spins for its budget (spin_ns) and then sleeps: it must honour that budget to
// within a few polls, or two adaptive readers sharing a core at 100 k ticks/s never sleep and take turns
// on the core a scheduler slice (milliseconds) at a time. Timed at native speed: the sanitizer runs
// skip this binary (label `timing`), as their instrumentation makes every poll several times slower.
#include <atomic>

#include <sched.h>

#include "common_fixture.hpp"
#include "shared_block.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm::test {
namespace {

struct Shared {
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> received{0};
};

void pin_to(unsigned cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  (void)sched_setaffinity(0, sizeof set, &set);  // a single-CPU machine: both share it, still valid
}

void spin_until(std::uint64_t t) {
  while (now_ns() < t) {
  }
}

}  // namespace

// Ticks 4 us apart, a 1 us budget: the reader reads a tick, spins 1 us and is asleep well before the
// next. Checking the clock only every 256 polls (5-10 us of `pause` on current CPUs), it spun through
// the gap and was found asleep before almost no tick.
TEST(AdaptiveWait, shouldSleepBeforeTheNextTickWhenTheGapIsLongerThanItsSpinBudget) {
  constexpr int kTicks = 2'000;
  constexpr std::uint64_t kGapNs = 4'000;
  const std::string seg = unique_segment("adaptive");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 4096));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  SharedBlock<Shared> shared;
  Child reader = Child::fork_fn([&] {
    pin_to(1u);
    SubscriberOptions o = subscriber_options(seg, WaitStrategy::kAdaptive);
    o.spin_ns = 1'000;
    o.from_start = true;
    return read_until_done(o, shared->done, shared->received);
  });
  pin_to(0u);
  auto ctl = ControlView::open(seg, false);
  ASSERT_TRUE(ctl.ok()) << ctl.error().message;
  ASSERT_TRUE(eventually([&] { return ctl->readers().size() == 1; }));
  int found_asleep = 0;
  for (int i = 0; i < kTicks; ++i) {
    // The reader has read the previous tick (or none yet): give it the gap, then look.
    const std::uint64_t read_by = now_ns() + 1'000'000'000;
    while (shared->received.load() < pub->published() && now_ns() < read_by) {
    }
    ASSERT_EQ(shared->received.load(), pub->published()) << "the reader stopped reading at tick " << i;
    spin_until(now_ns() + kGapNs);
    if (load_relaxed(ctl->header().sleepers) != 0) ++found_asleep;
    pub->publish(make_tick(pub->published()));
    pub->wake_sleepers();
    if ((i & 255) == 0) pub->heartbeat(now_ns());
  }
  shared->done = true;
  pub->publish(make_tick(pub->published()));  // rouse it so it sees `done`
  pub->wake_sleepers();
  EXPECT_EQ(reader.wait_for(std::chrono::seconds(20)), 0);
  RecordProperty("found_asleep", std::to_string(found_asleep));
  EXPECT_GE(found_asleep, kTicks / 2) << "an adaptive reader with a 1 us budget spun through 4 us gaps";
}

}  // namespace tickshm::test
