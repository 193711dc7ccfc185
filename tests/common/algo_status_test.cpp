// Algo status segments: written and read back whole, a live owner refused, a dead one's replaced.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "common_fixture.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/names.hpp"

namespace tickshm::test {

TEST(AlgoStatus, shouldReadBackWhatWasWrittenWhenUpdated) {
  const std::string feed = unique_segment("status");
  ShmGuard guard(feed);
  AlgoIdentity id{feed, "a1", "sma-cross", "fast=5 slow=20", 8};
  auto w = AlgoStatusWriter::create(id);
  ASSERT_TRUE(w.ok()) << w.error().message;
  AlgoTotals t{};
  t.ticks = 1000;
  t.orders = 7;
  t.fills = 70;
  t.realized = -12345;
  t.halted = 1;
  std::vector<PositionRecord> pos(3);
  for (int i = 0; i < 3; ++i) {
    std::snprintf(pos[std::size_t(i)].symbol, sizeof pos[0].symbol, "S%d", i);
    pos[std::size_t(i)].position = 100 * (i - 1);
  }
  std::vector<FillRecord> fills;
  for (std::uint64_t f = 1; f <= 70; ++f) fills.push_back(FillRecord{f, f, 0, 1, 100, 1000, 5, 0, f});
  w->update(t, pos, fills);

  auto all = read_all_algo_status(feed);
  ASSERT_EQ(all.size(), 1u);
  const AlgoStatusSnapshot& s = all[0];
  EXPECT_EQ(s.name, "a1");
  EXPECT_EQ(s.strategy, "sma-cross");
  EXPECT_EQ(s.params, "fast=5 slow=20");
  EXPECT_EQ(s.feed, feed);
  EXPECT_TRUE(s.alive);
  EXPECT_EQ(s.pid, getpid());
  EXPECT_EQ(s.totals.ticks, 1000u);
  EXPECT_EQ(s.totals.realized, -12345);
  EXPECT_EQ(s.totals.halted, 1u);
  ASSERT_EQ(s.positions.size(), 3u);
  EXPECT_STREQ(s.positions[2].symbol, "S2");
  EXPECT_EQ(s.positions[0].position, -100);
  ASSERT_EQ(s.fills.size(), 64u);  // the last 64 of 70, oldest first
  EXPECT_EQ(s.fills.front().fill_id, 7u);
  EXPECT_EQ(s.fills.back().fill_id, 70u);
}

TEST(AlgoStatus, shouldRefuseASecondAlgoWhenTheNameIsTakenByALiveOne) {
  const std::string feed = unique_segment("status2");
  ShmGuard guard(feed);
  AlgoIdentity id{feed, "dup", "momentum", "", 4};
  auto first = AlgoStatusWriter::create(id);
  ASSERT_TRUE(first.ok());
  auto second = AlgoStatusWriter::create(id);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::kAlreadyRunning);
  EXPECT_NE(second.error().message.find(std::to_string(getpid())), std::string::npos);
}

TEST(AlgoStatus, shouldReplaceTheSegmentWhenItsOwnerIsDead) {
  const std::string feed = unique_segment("status3");
  ShmGuard guard(feed);
  AlgoIdentity id{feed, "ghost", "mean-revert", "", 4};
  // A child creates the segment and dies without cleaning up (SIGKILL-like _exit, no destructors).
  Child c = Child::fork_fn([&] {
    auto w = AlgoStatusWriter::create(id);
    if (!w.ok()) return 3;
    std::fflush(nullptr);
    _exit(0);
  });
  ASSERT_EQ(c.wait_for(std::chrono::seconds(10)), 0);
  auto left = read_algo_status(algo_segment_path(feed, "ghost"));
  ASSERT_TRUE(left.ok());
  EXPECT_FALSE(left->alive);
  auto w = AlgoStatusWriter::create(id);
  ASSERT_TRUE(w.ok()) << w.error().message;
  auto now = read_algo_status(algo_segment_path(feed, "ghost"));
  ASSERT_TRUE(now.ok());
  EXPECT_TRUE(now->alive);
  EXPECT_EQ(now->pid, getpid());
}

TEST(AlgoStatus, shouldUnlinkTheSegmentWhenTheWriterIsDestroyed) {
  const std::string feed = unique_segment("status4");
  ShmGuard guard(feed);
  {
    auto w = AlgoStatusWriter::create(AlgoIdentity{feed, "tmp", "x", "", 2});
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(guard.leftovers().size(), 1u);
  }
  EXPECT_TRUE(guard.leftovers().empty());
}

TEST(AlgoStatus, shouldRefuseWhenTheFileIsForeignOrTruncated) {
  const std::string feed = unique_segment("status5");
  ShmGuard guard(feed);
  const std::string path = algo_segment_path(feed, "junk");
  const int fd = shm_open(path.c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  const std::string junk(700, 'q');
  ASSERT_EQ(write(fd, junk.data(), junk.size()), static_cast<ssize_t>(junk.size()));
  close(fd);
  auto r = read_algo_status(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad magic"), std::string::npos);
  std::vector<std::string> errors;
  EXPECT_TRUE(read_all_algo_status(feed, &errors).empty());
  EXPECT_EQ(errors.size(), 1u);
}

}  // namespace tickshm::test
