// Crashes and misbehaving peers: a killed writer is noticed and replaced, readers follow the new epoch;
// a killed reader's slot is reclaimed; a second writer is refused; a reader cannot write the data.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>

#include "common_fixture.hpp"
#include "shared_block.hpp"
#include "tickshm/process.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::test {
namespace {

struct Progress {
  std::atomic<std::uint64_t> total_received{0}, epochs{0}, dead_seen_ns{0}, lost{0};
  std::atomic<bool> stop{false};
};

// A writer that publishes a tick every 100 us and beats, until killed.
int paced_writer(const std::string& seg) {
  auto pub = Publisher::create(publisher_options(seg, 1024));
  if (!pub.ok()) return 2;
  for (std::uint64_t s = 0;; ++s) {
    pub->publish_and_wake(make_tick(s));
    pub->heartbeat(now_ns());
    usleep(100);
  }
}

int counting_reader(const std::string& seg, Progress& p, WaitStrategy w) {
  auto sub = Subscriber::create(subscriber_options(seg, w));
  if (!sub.ok()) return 2;
  sub->set_stop_flag(&p.stop);
  sub->set_event_handler([&](const SubscriberEvent& e) {
    if (e.kind == SubscriberEvent::kFeedDead && p.dead_seen_ns == 0) p.dead_seen_ns = now_ns();
  });
  TickRecord t{};
  while (!p.stop.load()) {
    if (sub->next(t) == Subscriber::Next::kTick && !tick_matches(t, t.seq)) return 5;
    p.total_received = sub->total_received();
    p.epochs = sub->epochs_seen();
    p.lost = sub->total_lost();
  }
  return 0;
}

}  // namespace

TEST(Crash, shouldFollowTheNewEpochWithoutRestartWhenTheWriterIsKilledAndReplaced) {
  const std::string seg = unique_segment("crash");
  ShmGuard guard(seg);
  SharedBlock<Progress> p;
  Child reader = Child::fork_fn([&] { return counting_reader(seg, *p, WaitStrategy::kAdaptive); });
  Child writer = Child::fork_fn([&] { return paced_writer(seg); });
  ASSERT_TRUE(eventually([&] { return p->total_received.load() > 1000; }, std::chrono::seconds(20)));
  auto before = DataView::open(seg);
  ASSERT_TRUE(before.ok());
  const std::uint64_t old_epoch = before->epoch();

  writer.signal(SIGKILL);
  const std::uint64_t killed_at = now_ns();
  ASSERT_TRUE(writer.wait_for(std::chrono::seconds(5)).has_value());
  ASSERT_TRUE(eventually([&] { return p->dead_seen_ns.load() != 0; }, std::chrono::seconds(5)));
#ifdef TICKSHM_SANITIZED
  constexpr std::uint64_t kNoticeWithin = 5 * kNsPerSec;  // instrumented builds run several times slower
#else
  constexpr std::uint64_t kNoticeWithin = kNsPerSec;
#endif
  EXPECT_LT(p->dead_seen_ns.load() - killed_at, kNoticeWithin)
      << "the reader must notice a dead writer within 1 s";
  const std::uint64_t received_before = p->total_received.load();

  Child writer2 = Child::fork_fn([&] { return paced_writer(seg); });
  ASSERT_TRUE(
      eventually([&] { return p->epochs.load() == 2 && p->total_received.load() > received_before + 1000; },
                 std::chrono::seconds(20)));
  auto after = DataView::open(seg);
  ASSERT_TRUE(after.ok());
  EXPECT_NE(after->epoch(), old_epoch);
  EXPECT_EQ(after->header().writer_pid, writer2.pid());
  p->stop = true;
  EXPECT_EQ(reader.wait_for(std::chrono::seconds(10)), 0);
  writer2.signal(SIGKILL);
}

TEST(Crash, shouldReclaimTheSlotWhenAReaderIsKilled) {
  const std::string seg = unique_segment("reclaim");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 1024));
  ASSERT_TRUE(pub.ok());
  SharedBlock<Progress> p;
  Child victim = Child::fork_fn([&] { return counting_reader(seg, *p, WaitStrategy::kBlock); });
  auto ctl = ControlView::open(seg, false);
  ASSERT_TRUE(ctl.ok());
  ASSERT_TRUE(eventually([&] {
    pub->heartbeat(now_ns());
    return ctl->readers().size() == 1;
  }));
  const std::uint32_t victim_slot = ctl->readers()[0].slot;
  victim.signal(SIGKILL);
  ASSERT_TRUE(victim.wait_for(std::chrono::seconds(5)).has_value());
  auto rows = ctl->readers();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].alive);  // shown dead until reclaimed
  // The writer is not held up by the dead sleeper: publishing (and waking through the wake word) goes on.
  for (std::uint64_t s = 0; s < 5000; ++s) pub->publish_and_wake(make_tick(s));

  SharedBlock<Progress> p2;
  Child next = Child::fork_fn([&] { return counting_reader(seg, *p2, WaitStrategy::kBlock); });
  ASSERT_TRUE(eventually([&] {
    pub->heartbeat(now_ns());
    auto r = ctl->readers();
    return r.size() == 1 && r[0].alive && r[0].pid == next.pid();
  }));
  EXPECT_EQ(ctl->readers()[0].slot, victim_slot);
  p2->stop = true;
  pub->publish_and_wake(make_tick(5000));
  EXPECT_EQ(next.wait_for(std::chrono::seconds(10)), 0);
  EXPECT_TRUE(ctl->readers().empty());  // freed on clean exit
}

TEST(Crash, shouldRefuseASecondWriterNamingThePidWhenOneIsRunning) {
  const std::string seg = unique_segment("second");
  ShmGuard guard(seg);
  auto first = Publisher::create(publisher_options(seg));
  ASSERT_TRUE(first.ok());
  auto second = Publisher::create(publisher_options(seg));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::kAlreadyRunning);
  EXPECT_NE(second.error().message.find("pid " + std::to_string(getpid())), std::string::npos)
      << second.error().message;
  EXPECT_EQ(first->published(), 0u);  // the refused writer changed nothing
}

TEST(Crash, shouldReplaceTheSegmentWithANewEpochWhenTheWriterDied) {
  const std::string seg = unique_segment("replace");
  ShmGuard guard(seg);
  Child dead = Child::fork_fn([&] {
    auto pub = Publisher::create(publisher_options(seg));
    if (!pub.ok()) return 2;
    pub->publish(make_tick(0));
    std::fflush(nullptr);
    _exit(0);  // dies without closing: the segments stay, the lock goes
  });
  ASSERT_EQ(dead.wait_for(std::chrono::seconds(10)), 0);
  auto left = DataView::open(seg);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->health(now_ns() + 10 * kNsPerSec), WriterHealth::kDead);
  auto pub = Publisher::create(publisher_options(seg));
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_NE(pub->epoch(), left->epoch());
  EXPECT_EQ(left->write_cursor(), 1u);  // the old mapping still reads the old, unlinked segment
}

TEST(Crash, shouldFaultInTheChildWhenAReaderWritesThroughItsMapping) {
  const std::string seg = unique_segment("ro");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg));
  ASSERT_TRUE(pub.ok());
  Child c = Child::fork_fn([&] {
    auto view = DataView::open(seg);
    if (!view.ok()) return 2;
    signal(SIGSEGV, SIG_DFL);  // sanitizers install their own handler; we want the kernel's verdict
    auto* h = reinterpret_cast<DataHeader*>(const_cast<std::byte*>(view->bytes()));
    h->write_cursor = 12345;  // PROT_READ mapping: the OS refuses with SIGSEGV
    return 0;
  });
  EXPECT_EQ(c.wait_for(std::chrono::seconds(10)), 128 + SIGSEGV);
  EXPECT_EQ(pub->header().write_cursor, 0u);
}

TEST(Crash, shouldWakeSleepersAndUnlinkWhenTheWriterClosesCleanly) {
  const std::string seg = unique_segment("close");
  ShmGuard guard(seg);
  SharedBlock<Progress> p;
  auto pub = Publisher::create(publisher_options(seg));
  ASSERT_TRUE(pub.ok());
  Child reader = Child::fork_fn([&] {
    SubscriberOptions o = subscriber_options(seg, WaitStrategy::kBlock);
    o.block_timeout_ns = 30 * kNsPerSec;
    auto sub = Subscriber::create(o);
    if (!sub.ok()) return 2;
    sub->set_event_handler([&](const SubscriberEvent& e) {
      if (e.kind == SubscriberEvent::kFeedClosed) p->dead_seen_ns = now_ns();
    });
    sub->set_stop_flag(&p->stop);
    TickRecord t{};
    while (!p->stop.load()) (void)sub->next(t);
    return 0;
  });
  auto ctl = ControlView::open(seg, false);
  ASSERT_TRUE(ctl.ok());
  ASSERT_TRUE(eventually([&] { return ctl->readers().size() == 1; }));
  usleep(20'000);  // let it fall asleep on the wake word
  const std::uint64_t closed_at = now_ns();
  pub->close();
  // Woken by the close, not by its 30 s timeout.
  ASSERT_TRUE(eventually([&] { return p->dead_seen_ns.load() != 0; }, std::chrono::seconds(10)));
  EXPECT_LT(p->dead_seen_ns.load() - closed_at, 5 * kNsPerSec);
  EXPECT_TRUE(guard.leftovers().empty());
  p->stop = true;
  EXPECT_EQ(reader.wait_for(std::chrono::seconds(40)), 0);
}

}  // namespace tickshm::test
