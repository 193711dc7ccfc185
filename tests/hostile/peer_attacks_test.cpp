// A peer that can write what others read: the control segment's wake words scribbled on while a feed
// runs with sleeping readers, a data segment truncated under its readers, a squatted registry.
// Driven through the real binaries.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <optional>
#include <random>
#include <thread>

#include "hostile_support.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/process.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm::test {
namespace {

using namespace std::chrono_literals;

#define REQUIRE_PROGRAMS() \
  if (!programs_built())   \
  GTEST_SKIP() << "tickshm-feed/-algo/-dash/-stat are not all built in " << bin_path("")

Child start_feed(const std::string& seg, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"--segment", seg, "--rate", "2000"};
  args.insert(args.end(), extra.begin(), extra.end());
  return Child::spawn(bin_path("tickshm-feed"), args);
}

Child start_block_algo(const std::string& seg, const std::string& name) {
  return Child::spawn(bin_path("tickshm-algo"), {"--segment", seg, "--wait", "block", "--name", name});
}

std::uint64_t published(const std::string& seg) {
  auto dv = DataView::open(seg);
  return dv ? dv->write_cursor() : 0;
}

std::size_t active_readers(const std::string& seg) {
  auto ctl = ControlView::open(seg, false);
  if (!ctl) return 0;
  std::size_t n = 0;
  for (const ReaderInfo& r : ctl->readers()) n += r.alive ? 1 : 0;
  return n;
}

TEST(PeerAttacks, shouldKeepPublishingAndExitCleanlyWhenTheWakeWordsAreGarbage) {
  REQUIRE_PROGRAMS();
  const std::string seg = unique_segment("futex");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  ASSERT_TRUE(eventually([&] { return published(seg) > 0; })) << feed.err();
  Child a = start_block_algo(seg, "sleeper-a");
  Child b = start_block_algo(seg, "sleeper-b");
  ASSERT_TRUE(eventually([&] { return active_readers(seg) == 2; })) << a.err() << b.err();

  // Anyone with write access to the control segment: every word the wake-up protocol uses, scribbled
  // on over and over for a second, with the readers asleep between ticks.
  auto ctl = ControlView::open(seg, true);
  ASSERT_TRUE(ctl) << ctl.error().message;
  std::mt19937_64 rng(42);
  const std::uint64_t before = published(seg);
  const auto until = std::chrono::steady_clock::now() + 1s;
  while (std::chrono::steady_clock::now() < until) {
    store_relaxed(ctl->header().sleepers, rng());
    store_relaxed(ctl->header().wake, static_cast<std::uint32_t>(rng()));
    store_relaxed(ctl->header().waking, rng());
    std::this_thread::sleep_for(100us);
  }
  const std::uint64_t after = published(seg);
  EXPECT_GT(after, before + 500) << "the feed stopped publishing while its wake words were garbage";
  EXPECT_TRUE(feed.running());
  EXPECT_EQ(feed.stop(5000ms), 0) << feed.err();
  EXPECT_EQ(a.stop(5000ms), 0) << a.err();
  EXPECT_EQ(b.stop(5000ms), 0) << b.err();
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(PeerAttacks, shouldDetachWithAMessageInsteadOfSigbusWhenTheDataSegmentIsTruncatedUnderAReader) {
  REQUIRE_PROGRAMS();
  const std::string seg = unique_segment("trunc");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  ASSERT_TRUE(eventually([&] { return published(seg) > 0; })) << feed.err();
  Child algo =
      Child::spawn(bin_path("tickshm-algo"), {"--segment", seg, "--wait", "spin", "--name", "victim"});
  ASSERT_TRUE(eventually([&] { return active_readers(seg) == 1; })) << algo.err();

  // Whoever may write the data segment (its owner's uid) shrinks it to its header under everyone.
  ASSERT_EQ(::truncate(shm_file(seg).c_str(), 4096), 0);
  ASSERT_TRUE(eventually([&] { return algo.err().find("truncated") != std::string::npos; }, 5000ms))
      << algo.err();
  EXPECT_TRUE(algo.running()) << "the reader died: " << algo.err();
  EXPECT_TRUE(feed.running()) << "the writer died: " << feed.err();

  // Programs opening it now refuse it with its reason, never with a signal.
  const ProgramRun stat = run_stat(seg);
  EXPECT_GT(stat.code, 0) << stat.describe();
  EXPECT_LT(stat.code, 128) << stat.describe();
  EXPECT_NE(stat.all().find("file size"), std::string::npos) << stat.describe();
  const ProgramRun dash = run_dash(seg);
  EXPECT_LT(dash.code, 128) << dash.describe();

  EXPECT_EQ(algo.stop(5000ms), 0) << algo.err();
  EXPECT_LT(feed.stop(5000ms), 128) << feed.err();
}

TEST(PeerAttacks, shouldRefuseAModeThatLetsOthersWriteTheDataSegment) {
  REQUIRE_PROGRAMS();
  for (const char* mode : {"0622", "0660", "0666", "0602"}) {
    const std::string seg = unique_segment("wmode");
    ShmGuard guard(seg);
    const ProgramRun r = run_feed(seg, {"--count", "1", "--mode", mode});
    EXPECT_EQ(r.code, 2) << mode << ": " << r.describe();
    EXPECT_NE(r.err.find("write"), std::string::npos) << mode << ": " << r.describe();
    EXPECT_TRUE(guard.leftovers().empty()) << mode;
  }
}

// Owner words naming pid 1 (alive for ever, never heartbeating) in every slot, the heartbeat `age` old.
void squat_every_slot(const std::string& seg, std::uint64_t age_ns) {
  auto ctl = ControlView::open(seg, true);
  ASSERT_TRUE(ctl) << ctl.error().message;
  for (std::uint32_t i = 0; i < kReaderSlots; ++i) {
    ReaderSlot& s = ctl->slot(i);
    store_relaxed(s.start_time, process_start_time(1));
    store_relaxed(s.heartbeat_ns, now_ns() - age_ns);
    publish(s.owner, slot_owner(1, SlotState::kActive));
  }
}

std::optional<ReaderInfo> row_of(const std::string& seg, pid_t pid) {
  auto ctl = ControlView::open(seg, false);
  if (!ctl) return std::nullopt;
  for (const ReaderInfo& r : ctl->readers()) {
    if (r.pid == pid) return r;
  }
  return std::nullopt;
}

TEST(PeerAttacks, shouldLetANewReaderInWhenEverySlotIsSquattedByASilentLiveProcess) {
  REQUIRE_PROGRAMS();
  const std::string seg = unique_segment("squat");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  ASSERT_TRUE(eventually([&] { return published(seg) > 0; })) << feed.err();
  squat_every_slot(seg, kReaderStaleAfterNs + 1'000'000'000);
  Child algo = start_block_algo(seg, "newcomer");
  EXPECT_TRUE(eventually([&] { return row_of(seg, algo.pid()).has_value(); })) << algo.err();

  // tickshm-stat --clean frees what is left of the squat (the silent pid-1 slots), not the newcomer.
  const ProgramRun clean = run_program("tickshm-stat", {"--clean", "--segment", seg});
  EXPECT_EQ(clean.code, 0) << clean.describe();
  EXPECT_NE(clean.out.find("freed registry"), std::string::npos) << clean.describe();
  auto ctl = ControlView::open(seg, false);
  ASSERT_TRUE(ctl);
  const auto rows = ctl->readers();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].pid, algo.pid());
  EXPECT_EQ(algo.stop(5000ms), 0) << algo.err();
  EXPECT_EQ(feed.stop(5000ms), 0) << feed.err();
}

TEST(PeerAttacks, shouldRegisterAgainAndAccountExactlyWhenAStoppedReaderLostItsSlot) {
  REQUIRE_PROGRAMS();
  const std::string seg = unique_segment("stopped");
  ShmGuard guard(seg);
  Child feed = start_feed(seg);
  ASSERT_TRUE(eventually([&] { return published(seg) > 0; })) << feed.err();
  Child algo = start_block_algo(seg, "sleepy");
  ASSERT_TRUE(eventually([&] { return row_of(seg, algo.pid()).has_value(); })) << algo.err();
  const std::uint32_t first = row_of(seg, algo.pid())->slot;

  // Stopped long enough to be judged gone (its heartbeat aged by hand rather than waiting 10 s), its
  // slot reclaimed by stat --clean and taken by someone else.
  algo.signal(SIGSTOP);
  {
    auto ctl = ControlView::open(seg, true);
    ASSERT_TRUE(ctl);
    store_relaxed(ctl->slot(first).heartbeat_ns, now_ns() - kReaderStaleAfterNs - 1'000'000'000);
    ASSERT_EQ(run_program("tickshm-stat", {"--clean", "--segment", seg}).code, 0);
    ReaderSlot& s = ctl->slot(first);
    store_relaxed(s.start_time, process_start_time(1));
    store_relaxed(s.heartbeat_ns, now_ns());
    publish(s.owner, slot_owner(1, SlotState::kActive));
  }
  std::this_thread::sleep_for(200ms);  // ticks it misses while stopped
  algo.signal(SIGCONT);

  ASSERT_TRUE(eventually([&] {
    auto r = row_of(seg, algo.pid());
    return r && r->slot != first && r->cursor > 0;
  })) << algo.err();
  EXPECT_NE(algo.err().find("registered again"), std::string::npos) << algo.err();
  auto ctl = ControlView::open(seg, false);
  ASSERT_TRUE(ctl);
  EXPECT_EQ(owner_pid(observe(ctl->slot(first).owner)), 1)
      << "the reader freed a slot that was no longer its own";
  // Exact accounting across the loss of the slot: everything from where it joined is received or lost.
  EXPECT_TRUE(eventually(
      [&] {
        auto r = row_of(seg, algo.pid());
        return r && r->cursor == r->joined_at + r->received + r->lost;
      },
      3000ms));
  EXPECT_EQ(algo.stop(5000ms), 0) << algo.err();
  EXPECT_EQ(feed.stop(5000ms), 0) << feed.err();
}

}  // namespace
}  // namespace tickshm::test
