// A peer that can write what others read: the control segment's wake words scribbled on while a feed
// runs with sleeping readers, a data segment truncated under its readers, a squatted registry.
// Driven through the real binaries.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "hostile_support.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/segment.hpp"
#include "tickshm/seqlock.hpp"

namespace tickshm::test {
namespace {

using namespace std::chrono_literals;

#define REQUIRE_PROGRAMS()                                                                          \
  if (!programs_built()) GTEST_SKIP() << "tickshm-feed/-algo/-dash/-stat are not all built in " \
                                      << bin_path("")

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

}  // namespace
}  // namespace tickshm::test
