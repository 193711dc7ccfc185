// The fan-out wake: the writer wakes one sleeper per round and the woken readers wake the others. Many
// sleeping readers must each read every tick; a round whose tree breaks (the woken reader never passes
// it on) strands the others only until their timed wait ends; a stopped sleeper holds nobody up.
#include <bit>
#include <csignal>
#include <cstdio>

#include "common_fixture.hpp"
#include "shared_block.hpp"
#include "tickshm/futex.hpp"
#include "tickshm/registry.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm::test {
namespace {

constexpr int kMaxTestReaders = 16;

struct Shared {
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> received[kMaxTestReaders]{};
};

// n `block` readers reading from the start, each sleeping at most timeout_ns at a time.
std::vector<Child> start_sleepers(const std::string& seg, int n, std::uint64_t timeout_ns,
                                  SharedBlock<Shared>& shared) {
  std::vector<Child> readers;
  for (int r = 0; r < n; ++r) {
    readers.push_back(Child::fork_fn([&, r] {
      SubscriberOptions o = subscriber_options(seg, WaitStrategy::kBlock);
      o.name = "sleeper-" + std::to_string(r);
      o.block_timeout_ns = timeout_ns;
      o.from_start = true;
      return read_until_done(o, shared->done, shared->received[r]);
    }));
  }
  return readers;
}

// What the readers got and the wake words hold, for a failure's message.
std::string state(SharedBlock<Shared>& shared, int n, const ControlView& ctl) {
  std::string out = "received:";
  for (int r = 0; r < n; ++r) out += " " + std::to_string(shared->received[r].load());
  char words[96];
  std::snprintf(words, sizeof words, "; sleepers %016llx waking %016llx",
                static_cast<unsigned long long>(load_relaxed(ctl.header().sleepers)),
                static_cast<unsigned long long>(load_relaxed(ctl.header().waking)));
  return out + words;
}

int asleep(const ControlView& ctl) {
  return std::popcount(load_relaxed(ctl.header().sleepers));
}

// Every reader but `skip` (-1: none) has read `target` ticks within 5 s (a stranded one would wait out
// its timeout of 10 s), the writer heartbeating meanwhile as a feed does.
bool all_read(SharedBlock<Shared>& shared, int n, std::uint64_t target, Publisher& pub, int skip = -1) {
  return eventually(
      [&] {
        pub.heartbeat(now_ns());
        for (int r = 0; r < n; ++r) {
          if (r != skip && shared->received[r].load() < target) return false;
        }
        return true;
      },
      std::chrono::milliseconds(5000));
}

void finish(Publisher& pub, SharedBlock<Shared>& shared, std::vector<Child>& readers) {
  shared->done = true;
  pub.publish(make_tick(pub.published()));  // rouse the sleepers so they see `done`
  pub.wake_sleepers();
  for (auto& r : readers) EXPECT_EQ(r.wait_for(std::chrono::seconds(20)), 0);
}

}  // namespace

TEST(FanOutWake, shouldWakeEverySleeperForEachTickWhenManyReadersSleep) {
  constexpr int kReaders = kMaxTestReaders;
  constexpr int kRounds = 20;
  const std::string seg = unique_segment("fanout");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 1024));
  ASSERT_TRUE(pub.ok());
  SharedBlock<Shared> shared;
  std::vector<Child> readers = start_sleepers(seg, kReaders, 10 * kNsPerSec, shared);
  auto ctl = ControlView::open(seg, false);
  ASSERT_TRUE(ctl.ok());
  ASSERT_TRUE(eventually([&] { return ctl->readers().size() == kReaders; }));
  for (int round = 0; round < kRounds; ++round) {
    // All asleep first, so the one wake the writer makes has to reach all of them through the tree.
    ASSERT_TRUE(eventually([&] { return asleep(*ctl) == kReaders; }, std::chrono::milliseconds(5000)))
        << "round " << round << ": " << asleep(*ctl) << " of " << kReaders << " asleep";
    pub->publish(make_tick(pub->published()));
    pub->wake_sleepers();
    pub->heartbeat(now_ns());
    ASSERT_TRUE(all_read(shared, kReaders, pub->published(), *pub))
        << "a sleeper was not woken in round " << round << "; " << state(shared, kReaders, *ctl);
  }
  finish(*pub, shared, readers);
}

TEST(FanOutWake, shouldReadTheTickAtTheTimeoutWhenTheWokenReaderNeverPassesItOn) {
  constexpr int kReaders = 6;
  const std::string seg = unique_segment("stranded");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 1024));
  ASSERT_TRUE(pub.ok());
  SharedBlock<Shared> shared;
  std::vector<Child> readers = start_sleepers(seg, kReaders, 300 * kNsPerMs, shared);
  auto ctl = ControlView::open(seg, true);
  ASSERT_TRUE(ctl.ok());
  ASSERT_TRUE(eventually([&] { return ctl->readers().size() == kReaders; }));
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(eventually([&] { return asleep(*ctl) == kReaders; }, std::chrono::milliseconds(5000)));
    // The writer's round with its one wake, but no round left in `waking`: what the others see when the
    // woken reader is killed before it passes the wake on.
    pub->publish(make_tick(pub->published()));
    ControlHeader& h = ctl->header();
    aref(h.sleepers).exchange(0, std::memory_order_acq_rel);
    aref(h.wake).fetch_add(1, std::memory_order_release);
    futex_wake(&h.wake, 1);
    pub->heartbeat(now_ns());
    ASSERT_TRUE(all_read(shared, kReaders, pub->published(), *pub))
        << "a stranded sleeper slept on in round " << round;
  }
  finish(*pub, shared, readers);
}

TEST(FanOutWake, shouldWakeAStalledRoundAgainWhenNobodyAnnouncesASleep) {
  constexpr int kReaders = 6;
  const std::string seg = unique_segment("stalled");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 1024));
  ASSERT_TRUE(pub.ok());
  SharedBlock<Shared> shared;
  std::vector<Child> readers = start_sleepers(seg, kReaders, 10 * kNsPerSec, shared);
  auto ctl = ControlView::open(seg, true);
  ASSERT_TRUE(ctl.ok());
  ASSERT_TRUE(eventually([&] { return ctl->readers().size() == kReaders; }));
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(eventually([&] { return asleep(*ctl) == kReaders; }, std::chrono::milliseconds(5000)));
    // The writer's round, its one wake taken by a reader killed before passing it on: the round's bits
    // in `waking`, every reader still asleep, nobody announcing a sleep. The writer's heartbeat (in
    // all_read) finds it and wakes one of them again.
    pub->publish(make_tick(pub->published()));
    ControlHeader& h = ctl->header();
    aref(h.waking).fetch_or(aref(h.sleepers).exchange(0, std::memory_order_acq_rel),
                            std::memory_order_relaxed);
    aref(h.wake).fetch_add(1, std::memory_order_release);
    ASSERT_TRUE(all_read(shared, kReaders, pub->published(), *pub))
        << "a stalled round was not woken in round " << round << "; " << state(shared, kReaders, *ctl);
  }
  finish(*pub, shared, readers);
}

TEST(FanOutWake, shouldKeepWakingTheOthersWhenOneSleeperIsStopped) {
  constexpr int kReaders = 6;
  const std::string seg = unique_segment("stopped");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 1024));
  ASSERT_TRUE(pub.ok());
  SharedBlock<Shared> shared;
  std::vector<Child> readers = start_sleepers(seg, kReaders, 10 * kNsPerSec, shared);
  auto ctl = ControlView::open(seg, false);
  ASSERT_TRUE(ctl.ok());
  ASSERT_TRUE(eventually([&] { return ctl->readers().size() == kReaders; }));
  ASSERT_TRUE(eventually([&] { return asleep(*ctl) == kReaders; }, std::chrono::milliseconds(5000)));
  // Asleep with its bit set: it joins every round and never passes one on. Stopped right before the
  // round, it may still be first in the futex queue and take the writer's one wake with it: the others
  // are then woken by the writer's rescue (nobody announcing a sleep, the round's bits still set).
  readers[0].signal(SIGSTOP);
  for (int round = 0; round < 10; ++round) {
    ASSERT_TRUE(eventually([&] { return asleep(*ctl) >= kReaders - 1; }, std::chrono::milliseconds(5000)));
    pub->publish(make_tick(pub->published()));
    pub->wake_sleepers();
    pub->heartbeat(now_ns());
    ASSERT_TRUE(all_read(shared, kReaders, pub->published(), *pub, 0))
        << "round " << round << ", " << pub->published() << " published; " << state(shared, kReaders, *ctl);
  }
  readers[0].signal(SIGCONT);
  EXPECT_TRUE(all_read(shared, kReaders, pub->published(), *pub)) << "the stopped reader did not catch up";
  finish(*pub, shared, readers);
}

}  // namespace tickshm::test
